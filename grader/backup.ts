/** Copies kept before any command overwrites a student's file, under .grade/backups/<time>/. */
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/**
 * Copies the `files` that exist into a new timestamped folder under `root`/.grade/backups,
 * keeping their paths relative to `base`. Returns the folder, or undefined if there was nothing to keep.
 */
export function backUp(root: string, files: string[], base: string): string | undefined {
  const present = files.filter((f) => existsSync(f));
  if (present.length === 0) return undefined;
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  let dir = join(root, '.grade', 'backups', stamp);
  for (let n = 2; existsSync(dir); n++) dir = join(root, '.grade', 'backups', `${stamp}-${n}`);
  for (const file of present) {
    const copy = join(dir, relative(base, file));
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(file, copy);
  }
  return dir;
}
