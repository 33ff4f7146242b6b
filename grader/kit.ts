/**
 * Where things are: the kit the grader belongs to, the folder a command works
 * on, and what the grader keeps in that folder's kit (.grade/: state, backups,
 * caches). Nothing here loads vitest or the TypeScript compiler.
 */
import { closeSync, constants, copyFileSync, existsSync, fstatSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MalformedSubmission, UsageError, studentEdition } from './shared.ts';

/** The kit's root folder (the one with package.json), from grader/ or from its build in dist/grader/. */
export const kitRoot = (function findRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : findRoot(dirname(dir));
})(fileURLToPath(new URL('.', import.meta.url)));

/**
 * A compiled file beside a module: its sibling when the module runs from dist/, else the sibling's
 * build in dist/ (the kit's tests import the grader's sources, but processes and workers run built code).
 */
export function compiled(moduleUrl: string, name: string): string {
  const path = fileURLToPath(new URL(name, moduleUrl));
  return existsSync(path) ? path : join(kitRoot, 'dist', relative(kitRoot, path));
}

const scratches = new Set<string>();
process.on('exit', () => scratches.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/**
 * A new temporary folder. Whoever makes one removes it when done; one still there when the process
 * ends (a crash, Ctrl-C, a closed pipe) goes then, so no copy of a submission is left in /tmp.
 */
export function scratchFolder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratches.add(dir);
  return dir;
}

/** The pristine stubs: what `grade reset` puts back and what `grade release` ships. */
export const stubsDir = join(kitRoot, 'grader', 'stubs');

/** A folder holding engine.ts and nn.ts, and the kit whose .grade/ keeps its state. */
export interface Target {
  /** Absolute path of the folder with engine.ts and nn.ts. */
  dir: string;
  /** How to name it to the student: relative to where they stand. */
  shown: string;
  /** Where .grade/ lives: the kit holding `dir`, or `dir` itself for a bare submission. */
  home: string;
}

/** How to name a path to the student: relative to where they stand. */
export function shownAs(path: string): string {
  return relative(process.cwd(), path) || '.';
}

const isKit = (dir: string) => existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'exercises'));

/**
 * The target of a command. Without --target it is this kit's exercises/, wherever the command
 * runs from. A whole student kit stands for its exercises/. Only engine.ts and nn.ts are read.
 */
export function locateTarget(target?: string): Target {
  if (target === undefined) return at(join(kitRoot, 'exercises'), kitRoot);
  const dir = resolve(target);
  if (!existsSync(dir)) {
    const solutions = basename(dir) === 'solutions' && !existsSync(join(kitRoot, 'solutions'));
    throw new UsageError(solutions ? studentEdition : `The target folder ${target} does not exist.`);
  }
  if (isKit(dir) && !existsSync(join(dir, 'engine.ts'))) return at(join(dir, 'exercises'), dir);
  const inKit = basename(dir) === 'exercises' && isKit(dirname(dir));
  return at(dir, inKit ? dirname(dir) : dir);
}

function at(dir: string, home: string): Target {
  return { dir, shown: shownAs(dir), home };
}

/** A submission's two files, read once: their text, or null where a file is missing. */
export type Submission = Record<'engine.ts' | 'nn.ts', string | null>;

/**
 * Reads engine.ts and nn.ts of `dir`, once. Someone else's files (`strict`) must be regular files:
 * a symbolic link, a FIFO or a device is never followed or opened for reading, but refused.
 */
export function readSubmission(dir: string, strict = false): Submission {
  const read = (file: string): string | null => {
    const path = join(dir, file);
    if (!strict) return existsSync(path) ? readFileSync(path, 'utf8') : null;
    let fd: number;
    try {
      fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return null;
      throw new MalformedSubmission(code === 'ELOOP' ? `${file} is a symbolic link, not a file` : `${file} could not be read (${code})`);
    }
    try {
      if (!fstatSync(fd).isFile()) throw new MalformedSubmission(`${file} is not a regular file`);
      return readFileSync(fd, 'utf8');
    } finally {
      closeSync(fd);
    }
  };
  return { 'engine.ts': read('engine.ts'), 'nn.ts': read('nn.ts') };
}

/** What the grader remembers between runs, in <home>/.grade/state.json: the last next stage, the hints and the lessons shown. */
export interface State {
  next?: string;
  hintsShown: Record<string, number>;
  lessonsShown?: string[];
  /** The bonus stages that have passed (each runs only when named). */
  bonusPassed?: string[];
}

const stateFile = (home: string) => join(home, '.grade', 'state.json');

export function loadState(home: string): State {
  try {
    return { hintsShown: {}, ...JSON.parse(readFileSync(stateFile(home), 'utf8')) };
  } catch {
    return { hintsShown: {} };
  }
}

export function saveState(home: string, change: Partial<State>): void {
  mkdirSync(join(home, '.grade'), { recursive: true });
  writeFileSync(stateFile(home), `${JSON.stringify({ ...loadState(home), ...change }, null, 2)}\n`);
}

/**
 * Copies the `files` that exist into a new timestamped folder under <home>/.grade/backups,
 * keeping their paths relative to `base`. Returns the folder, or undefined if there was nothing to keep.
 */
export function backUp(home: string, files: string[], base: string): string | undefined {
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let dir = join(home, '.grade', 'backups', stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(home, '.grade', 'backups', `${stamp}-${n}`);
  for (const file of present) {
    const copy = join(dir, relative(base, file));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(file, copy);
  }
  return dir;
}
