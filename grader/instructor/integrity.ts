/**
 * Checksums of the files that decide a grade inside the test thread: the staged suites, the setup
 * file that runs before each test, and the modules the suites import. An edited or deleted one is
 * noticed. Instructors who change a suite on purpose refresh them with `npm run checksums`. And the
 * fingerprint of everything an instructor's grading runs, taken before and after each grading.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitRoot } from '../kit.ts';

const checksumFile = join(kitRoot, 'grader', 'suites.sha256.json');

/** The covered files, as paths under grader/. */
function covered(): string[] {
  const under = (dir: string) => readdirSync(join(kitRoot, 'grader', dir)).filter((f) => f.endsWith('.ts')).map((f) => `${dir}/${f}`);
  return [...under('suites'), ...under('notebook'), 'run/progress.ts', 'api.ts', 'tape.ts'].sort();
}

function currentChecksums(): Record<string, string> {
  const digest = (path: string) => (existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : 'missing');
  return Object.fromEntries(covered().map((f) => [f, digest(join(kitRoot, 'grader', f))]));
}

/** Covered files that differ from the recorded checksums: edited, deleted or added. */
export function tamperedSuites(): string[] {
  if (!existsSync(checksumFile)) return ['suites.sha256.json'];
  const recorded: Record<string, string> = JSON.parse(readFileSync(checksumFile, 'utf8'));
  const now = currentChecksums();
  const names = new Set([...Object.keys(recorded), ...Object.keys(now)]);
  return [...names].filter((n) => recorded[n] !== now[n]).sort();
}

export function writeChecksums(): void {
  writeFileSync(checksumFile, `${JSON.stringify(currentChecksums(), null, 2)}\n`);
}

/**
 * Every file an instructor's grading runs or builds from, relative to the kit: the grader's sources
 * (suites, hidden checks, manifest, views), its build, the launchers and the configs.
 */
function gradingFiles(dir = kitRoot, under = ''): string[] {
  const roots = under ? [under] : ['grader', 'dist', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts'];
  return roots.flatMap((path) => {
    const full = join(dir, path);
    if (!existsSync(full)) return [];
    if (!statSync(full).isDirectory()) return [path];
    return readdirSync(full).flatMap((entry) => gradingFiles(dir, `${path}/${entry}`));
  });
}

/** The checksum of every file that runs when a submission is graded, taken before grading it. */
export function fingerprint(): Map<string, string> {
  return new Map(gradingFiles().map((f) => [f, createHash('sha256').update(readFileSync(join(kitRoot, f))).digest('hex')]));
}

/** Files added, removed or changed since `before`: a submission reached into the kit. */
export function changedSince(before: Map<string, string>): string[] {
  const now = fingerprint();
  return [...new Set([...before.keys(), ...now.keys()])].filter((f) => before.get(f) !== now.get(f)).sort();
}
