// Around the kit's whole test run: afterwards the repository's own .grade/ must be as it was
// (a test's state belongs to its temp folders), no temp folder the run made may be left, and no
// grader process a test started may still run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');

/** Every path under .grade/ with its size and time. */
function snapshot(dir = join(root, '.grade')): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    const stat = statSync(path);
    return stat.isDirectory() ? snapshot(path) : [`${path} ${stat.size} ${stat.mtimeMs}`];
  });
}

/** Grader processes (the CLI, the runner's host) that started less than `seconds` ago. */
function graders(seconds: number): string[] {
  if (process.platform !== 'linux') return [];
  const ps = execFileSync('ps', ['-eo', 'pid=,etimes=,args='], { encoding: 'utf8' });
  return ps
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([, etimes, ...args]) => Number(etimes) <= seconds && /bin\/grade\.js|grader\/run\/host\.js/.test(args.join(' ')))
    .map(([pid, , ...args]) => `${pid} ${args.join(' ').slice(0, 120)}`);
}

export default function setup() {
  const before = snapshot().join('\n');
  const temps = new Set(readdirSync(tmpdir()));
  const started = Date.now();
  return async () => {
    // A killed process may take a moment to be gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = graders(Math.ceil((Date.now() - started) / 1000));
    if (left.length > 0) throw new Error(`Grader processes outlived the tests that started them:\n${left.join('\n')}`);
    const made = () => readdirSync(tmpdir()).filter((name) => !temps.has(name) && (statSync(join(tmpdir(), name), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= started);
    // vitest's and npm's own short-lived files come and go: only what stays counts.
    if (made().length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    if (made().length > 0) throw new Error(`The tests left temporary folders behind: ${made().map((name) => join(tmpdir(), name)).join(', ')}`);
    if (snapshot().join('\n') !== before) throw new Error("The tests wrote into the repository's .grade/; a test's state belongs to its temporary folders.");
  };
}
