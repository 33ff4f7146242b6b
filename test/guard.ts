// Around the kit's whole test run: afterwards the repository's own .grade/ must be as it was
// (a test's state belongs to its temp folders), no temp folder the run made may be left, and no
// grader process a test started may still run.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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
  // The run's own temporary folder: every test, and every process a test starts, makes its
  // temporary folders there (TMPDIR), so whatever else the machine does in /tmp doesn't count.
  const outer = process.env.TMPDIR;
  const temp = mkdtempSync(join(tmpdir(), 'kit-tests-'));
  // Like /tmp itself: the second user that Gradescope's test runs the student's code as must reach it.
  chmodSync(temp, 0o1777);
  process.env.TMPDIR = temp;
  const started = Date.now();
  return async () => {
    // A killed process may take a moment to be gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    // npm 11 (and vite) turn on Node's module compile cache, which Node 22 and later keep in TMPDIR: not a test's.
    const made = () => readdirSync(temp).filter((name) => name !== 'node-compile-cache');
    // Short-lived files of other tools come and go: only what stays counts.
    if (made().length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const left = graders(Math.ceil((Date.now() - started) / 1000));
    const problems = [
      left.length > 0 && `Grader processes outlived the tests that started them:\n${left.join('\n')}`,
      made().length > 0 && `The tests left temporary folders behind: ${made().map((name) => join(temp, name)).join(', ')}`,
      snapshot().join('\n') !== before && "The tests wrote into the repository's .grade/; a test's state belongs to its temporary folders.",
    ].filter(Boolean);
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    if (problems.length === 0) {
      rmSync(temp, { recursive: true, force: true });
      return;
    }
    // vitest reports a teardown's error but keeps the exit code of the tests: fail the run here.
    process.exitCode = 1;
    throw new Error(problems.join('\n'));
  };
}
