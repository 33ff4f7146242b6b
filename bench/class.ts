/**
 * How fast a class is graded: `grade class` on a folder of submissions against
 * a loop of `grade --target` over the same folder, and what the trusted check
 * adds to one grading. Figures and ratios from one run.
 * Run: npm run bench:class
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { kitRoot, locateTarget } from '../grader/kit.ts';
import { grade } from '../grader/run/grade.ts';
import { spliceBodies } from '../grader/source/source.ts';
import { required } from '../grader/stages.ts';

const SUBMISSIONS = 20;
const grader = join(kitRoot, 'bin', 'grade.js');
const folder = mkdtempSync(join(tmpdir(), 'bench-class-'));
const stub = (file: string) => readFileSync(join(kitRoot, 'grader', 'stubs', file), 'utf8');
const reference = (file: string) => readFileSync(join(kitRoot, 'solutions', file), 'utf8');
// A class at every stage: submission i has the first i % 8 stages solved.
for (let i = 0; i < SUBMISSIONS; i++) {
  const dir = join(folder, `student-${String(i).padStart(2, '0')}`);
  const solved = required.slice(0, i % 8).flatMap((s) => s.todos);
  cpSync(join(kitRoot, 'grader', 'stubs'), dir, { recursive: true });
  for (const file of ['engine.ts', 'nn.ts']) writeFileSync(join(dir, file), spliceBodies(stub(file), reference(file), solved));
}

function seconds(args: string[]): number {
  const started = performance.now();
  const { status } = spawnSync(process.execPath, [grader, ...args], { stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
  if (status === 2) throw new Error(`grade ${args.join(' ')} failed`);
  return (performance.now() - started) / 1000;
}

const jobs = availableParallelism();
const inClass = seconds(['class', folder, '--jobs', String(jobs)]);
const one = seconds(['class', folder, '--jobs', '1']);
let loop = 0;
for (let i = 0; i < SUBMISSIONS; i++) loop += seconds(['--target', join(folder, `student-${String(i).padStart(2, '0')}`), '--json']);

// The trusted check's cost on one grading of the reference, in this process: median of 5 each.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
const timed = async (verify: boolean) => {
  const started = performance.now();
  await grade(locateTarget(join(kitRoot, 'solutions')), undefined, { typecheck: false, instructor: verify });
  return performance.now() - started;
};
const plain: number[] = [];
const verified: number[] = [];
for (let i = 0; i < 5; i++) {
  plain.push(await timed(false));
  verified.push(await timed(true));
}

const perMinute = (s: number) => ((SUBMISSIONS / s) * 60).toFixed(0);
console.log(`${SUBMISSIONS} submissions, ${jobs} cores:`);
console.log(`  grade class --jobs ${jobs}            ${inClass.toFixed(1).padStart(6)} s  ${perMinute(inClass).padStart(4)} a minute`);
console.log(`  grade class --jobs 1             ${one.toFixed(1).padStart(6)} s  ${perMinute(one).padStart(4)} a minute`);
console.log(`  a loop of grade --target         ${loop.toFixed(1).padStart(6)} s  ${perMinute(loop).padStart(4)} a minute   (×${(loop / inClass).toFixed(2)} the class run)`);
console.log(`One grading of the reference, median of 5, in one process:`);
console.log(`  without the trusted check        ${String(Math.round(median(plain))).padStart(6)} ms`);
console.log(`  with it                          ${String(Math.round(median(verified))).padStart(6)} ms  ×${(median(verified) / median(plain)).toFixed(2)}`);
rmSync(folder, { recursive: true, force: true });
rmSync(join(kitRoot, 'solutions', '.grade'), { recursive: true, force: true });
