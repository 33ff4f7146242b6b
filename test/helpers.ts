// Helpers for the kit's own tests: student folders made from the stubs, one warm runner for
// grading in this process, and the real CLI as a process. Every temp folder a test file makes is
// removed after it, and every process it starts is killed (cleanUp, from test/setup.ts); the warm
// runner and checker, after the last file.
import { execFile, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../grader/cli/program.ts';
import { kitRoot, locateTarget } from '../grader/kit.ts';
import { grade } from '../grader/run/grade.ts';
import { Runner, type RunnerOptions } from '../grader/run/runner.ts';
import { SourceChecker } from '../grader/source/check.ts';
import { spliceBodies } from '../grader/source/source.ts';
import { stages } from '../grader/stages.ts';

export const files = ['engine.ts', 'nn.ts'] as const;
export const read = (path: string) => readFileSync(path, 'utf8');
export const stub = (file: string) => read(join(kitRoot, 'grader', 'stubs', file));
export const solution = (file: string) => read(join(kitRoot, 'solutions', file));

const temps: string[] = [];
const children = new Set<ChildProcess>();
const runners: Runner[] = [];
let runner: Runner | undefined;
let checker: SourceChecker | undefined;
// The warm runner and checker serve every test file in this worker, and go with it (vitest ends
// its workers with SIGTERM, which would skip 'exit' and leave the runner's scratch folder).
function closeWarm(): void {
  checker?.close();
  void runner?.close(); // all it does is synchronous: kill the host, remove the scratch folder
}
process.once('exit', closeWarm);
process.once('SIGTERM', () => process.exit(143));
/** After each test file (test/setup.ts): kills what it started and removes what it made. */
export function cleanUp(): void {
  for (const child of children) child.kill('SIGKILL');
  children.clear();
  for (const own of runners.splice(0)) void own.close();
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A new temporary folder, removed after the test file. */
export function temp(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `${name}-`));
  temps.push(dir);
  return dir;
}

/**
 * A copy of the kit (sharing node_modules) that a test may change or attack, with these exercises/.
 * Its files keep their times: a copy made within one tick of the clock (Node 24's cpSync is that
 * quick) would otherwise show the sources no older than the build, which an instructor's grading
 * refuses as changed.
 */
export function kitCopy(exercises = join(kitRoot, 'grader', 'stubs')): string {
  const kit = join(temp('kit'), 'kit');
  for (const part of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'grader', 'dist', 'bin']) cpSync(join(kitRoot, part), join(kit, part), { recursive: true, preserveTimestamps: true });
  cpSync(exercises, join(kit, 'exercises'), { recursive: true });
  cpSync(join(kitRoot, 'solutions'), join(kit, 'solutions'), { recursive: true });
  symlinkSync(join(kitRoot, 'node_modules'), join(kit, 'node_modules'));
  return kit;
}

/** Every TODO of the stages up to `id`, in order. */
export const upTo = (id: string) => stages.slice(0, stages.findIndex((s) => s.id === id) + 1).flatMap((s) => s.todos);

/** The stubs of `file` with these TODOs solved: the same few combinations come up again and again. */
const spliced = new Map<string, string>();
function solvedText(file: string, solved: string[]): string {
  const key = `${file}:${solved.join()}`;
  if (!spliced.has(key)) spliced.set(key, spliceBodies(stub(file), solution(file), solved));
  return spliced.get(key)!;
}

/** A folder like a student's: the stubs with these TODOs solved, then `edit` applied to the text. */
export function studentFolder(solved: string[], edit: (text: string, file: string) => string = (t) => t): string {
  const dir = temp('student');
  for (const file of files) writeFileSync(join(dir, file), edit(solvedText(file, solved), file));
  return dir;
}

/** One source checker, kept warm for every test file in this worker. */
const warmChecker = () => (checker ??= new SourceChecker());
/** One runner and source checker, kept warm for every test file in this worker. */
const warm = () => ({ runner: (runner ??= new Runner()), checker: warmChecker() });

/** A runner with other limits than the warm one's, closed after the test file. */
export function runnerWith(options: RunnerOptions): Runner {
  const own = new Runner(options);
  runners.push(own);
  return own;
}

/** Grades a folder in this process, through the warm runner, as the student's own npx grade does. */
export async function gradeHere(dir: string, stage?: string) {
  return (await gradedHere(dir, stage)).report;
}

/** The same, with everything the grading produced (the run, the files): for building other reports from it. */
export function gradedHere(dir: string, stage?: string) {
  return grade(locateTarget(dir), stage, { typecheck: false, ...warm() });
}

/**
 * Runs the `grade` command in this process, as bin/grade.js would (without colour): for what the
 * command says and returns, where the process itself does not matter. Through the warm runner, or
 * through `runner`, or with `fresh` through a runner of its own, as an instructor's grading gets:
 * for code that attacks its test thread.
 */
export async function gradeIn(args: string[], options: { fresh?: boolean; runner?: Runner } = {}): Promise<Ran> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  const io = { out: (s: string) => void (stdout += s), err: (s: string) => void (stderr += s) };
  const warmth = options.runner ? { runner: options.runner, checker: warmChecker() } : options.fresh ? { checker: warmChecker() } : warm();
  const { code } = await main(['--no-color', ...args], io, warmth);
  return { code, stdout, stderr, ms: performance.now() - started };
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command as a user would, without colour; killed if it outlives `timeout` or the test file. */
export function run(cmd: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeout?: number } = {}): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...options.env };
    const child = execFile(cmd, args, { cwd: options.cwd ?? kitRoot, env, maxBuffer: 64 << 20, timeout: options.timeout ?? 90_000, killSignal: 'SIGKILL' }, (error, stdout, stderr) => {
      children.delete(child);
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - started });
    });
    children.add(child);
  });
}

/** Runs `grade` (bin/grade.js of `kit`) as a student would. */
export function gradeCli(args: string[], options: { cwd?: string; kit?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Ran> {
  return run(process.execPath, [join(options.kit ?? kitRoot, 'bin', 'grade.js'), ...args], options);
}

/** Keeps track of a process a test starts itself, so that it is killed after the test file. */
export function owned<T extends ChildProcess>(child: T): T {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}
