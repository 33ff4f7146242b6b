/**
 * Checksums of the files that decide a grade inside the test thread: the
 * staged suites and the setup file that runs before each test. An edited or
 * deleted one is noticed. Instructors who change a suite on purpose refresh
 * them with `npm run checksums`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitRoot } from '../kit.ts';

const checksumFile = join(kitRoot, 'grader', 'suites.sha256.json');

/** The covered files, as paths under grader/. */
function covered(): string[] {
  const suites = readdirSync(join(kitRoot, 'grader', 'suites')).filter((f) => f.endsWith('.ts'));
  return [...suites.map((f) => `suites/${f}`), 'run/progress.ts'].sort();
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

/** Every file that runs when a submission is graded, relative to the kit: suites, setup file, notebook, the compiled grader. */
function gradingFiles(dir = kitRoot, under = ''): string[] {
  const roots = under ? [under] : ['grader/suites', 'grader/hidden', 'grader/run', 'grader/notebook', 'grader/suites.sha256.json', 'dist', 'package.json'];
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
