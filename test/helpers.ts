// Helpers for the kit's own tests: student folders made from the exercises, and the real CLI as a process.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spliceBodies } from '../grader/source.ts';
import { kitRoot } from '../grader/target.ts';

export const files = ['engine.ts', 'nn.ts'] as const;
export const read = (path: string) => readFileSync(path, 'utf8');
export const exercise = (file: string) => read(join(kitRoot, 'exercises', file));
export const solution = (file: string) => read(join(kitRoot, 'solutions', file));

/** A folder like a student's: the exercises with these TODOs solved, then `edit` applied to the text. */
export function studentFolder(solved: string[], edit: (text: string, file: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), 'student-'));
  for (const file of files) writeFileSync(join(dir, file), edit(spliceBodies(exercise(file), solution(file), solved), file));
  return dir;
}

/** A copy of the kit (sharing node_modules) that a test may change. */
export function kitCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'kit-'));
  for (const part of ['package.json', 'vitest.config.ts', 'tsconfig.json', 'grader', 'dist', 'bin', 'exercises', 'solutions']) {
    cpSync(join(kitRoot, part), join(dir, part), { recursive: true });
  }
  symlinkSync(join(kitRoot, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

export interface Ran {
  code: number;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `grade` (bin/grade.js of `kit`) as a student would, without colour. */
export function grade(args: string[], kit = kitRoot): Promise<Ran> {
  const started = performance.now();
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(kit, 'bin', 'grade.js'), ...args],
      { cwd: kit, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 16 << 20 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr, ms: performance.now() - started });
      },
    );
  });
}

/** `grade --json` parsed. */
export async function gradeJson(args: string[], kit = kitRoot) {
  const ran = await grade([...args, '--json'], kit);
  return { ...ran, report: JSON.parse(ran.stdout) };
}
