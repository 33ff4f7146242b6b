import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The kit's root folder (the one with package.json), from grader/ or from its build in dist/grader/. */
export const kitRoot = (function findRoot(dir: string): string {
  return existsSync(join(dir, 'package.json')) || dirname(dir) === dir ? dir : findRoot(dirname(dir));
})(fileURLToPath(new URL('.', import.meta.url)));

/** The folder the suites test: $GRADE_TARGET (relative to the working directory), else exercises/. */
export function targetDir(target = process.env.GRADE_TARGET): string {
  return target ? resolve(target) : resolve(kitRoot, 'exercises');
}
