// Around the kit's whole test run: afterwards the repository's own .grade/ must be as it was
// (a test's state belongs to its temp folders), no temp folder the run made may be left, and no
// grader process a test started may still run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { TestProject } from 'vitest/node';

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

export default function setup(project: TestProject) {
  const before = snapshot().join('\n');
  // vitest's own folder for this run, which it removes after this teardown.
  const temps = new Set([...readdirSync(tmpdir()), basename(project.tmpDir)]);
  const started = Date.now();
  return async () => {
    // A killed process may take a moment to be gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const made = () => readdirSync(tmpdir()).filter((name) => !temps.has(name) && (statSync(join(tmpdir(), name), { throwIfNoEntry: false })?.mtimeMs ?? 0) >= started);
    // Short-lived files of other tools come and go: only what stays counts.
    if (made().length > 0) await new Promise((resolve) => setTimeout(resolve, 2000));
    const left = graders(Math.ceil((Date.now() - started) / 1000));
    const problems = [
      left.length > 0 && `Grader processes outlived the tests that started them:\n${left.join('\n')}`,
      made().length > 0 && `The tests left temporary folders behind: ${made().map((name) => join(tmpdir(), name)).join(', ')}`,
      snapshot().join('\n') !== before && "The tests wrote into the repository's .grade/; a test's state belongs to its temporary folders.",
    ].filter(Boolean);
    if (problems.length === 0) return;
    // vitest reports a teardown's error but keeps the exit code of the tests: fail the run here.
    process.exitCode = 1;
    throw new Error(problems.join('\n'));
  };
}
