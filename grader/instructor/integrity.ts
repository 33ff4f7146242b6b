/**
 * Checksums of the staged suites, so that an edited or deleted suite is
 * noticed. Instructors who change a suite on purpose refresh them with
 * `npm run checksums`.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitRoot } from '../kit.ts';

const suitesDir = join(kitRoot, 'grader', 'suites');
export const checksumFile = join(kitRoot, 'grader', 'suites.sha256.json');

function digest(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** The current checksum of every file in grader/suites/. */
export function currentChecksums(): Record<string, string> {
  const files = readdirSync(suitesDir).filter((f) => f.endsWith('.ts')).sort();
  return Object.fromEntries(files.map((f) => [f, digest(join(suitesDir, f))]));
}

/** Suite files that differ from the recorded checksums: edited, deleted or added. */
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
