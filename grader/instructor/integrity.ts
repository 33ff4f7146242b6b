/**
 * Checksums of the files that decide a grade inside the test thread: the
 * staged suites and the setup file that runs before each test. An edited or
 * deleted one is noticed. Instructors who change a suite on purpose refresh
 * them with `npm run checksums`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
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
