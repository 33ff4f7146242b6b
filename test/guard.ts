// Around the kit's whole test run: afterwards the repository's own .grade/ must be as it was
// (a test's state belongs to its temp folders), and no grader process a test started may still run.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
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
  const started = Date.now();
  return async () => {
    // A killed process may take a moment to be gone.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const left = graders(Math.ceil((Date.now() - started) / 1000));
    if (left.length > 0) throw new Error(`Grader processes outlived the tests that started them:\n${left.join('\n')}`);
    if (snapshot().join('\n') !== before) throw new Error("The tests wrote into the repository's .grade/; a test's state belongs to its temporary folders.");
  };
}
