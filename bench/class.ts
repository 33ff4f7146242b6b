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
import { Runner } from '../grader/run/runner.ts';
import { SourceChecker } from '../grader/source/check.ts';
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

// What the sandbox and the trusted check cost on one grading of the reference, in this process:
// plain (as a student's own npx grade runs, with a fresh test process), sandboxed (the permission
// model, a session, copies of the suites), and an instructor's (sandboxed, with the trusted check
// and the hidden checks). Median of 5 each, interleaved; CPU counts this process and its children.
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[2];
const copy = mkdtempSync(join(tmpdir(), 'bench-reference-'));
cpSync(join(kitRoot, 'solutions'), copy, { recursive: true });
const target = { ...locateTarget(copy), home: mkdtempSync(join(tmpdir(), 'bench-home-')) };
const checker = new SourceChecker();
/** CPU seconds of this process and of its children that have ended (Linux: /proc/self/stat). */
function cpuSeconds(): number {
  const { user, system } = process.cpuUsage();
  const ticks = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ').slice(13, 15).map(Number);
  return (user + system) / 1e6 + (ticks[0] + ticks[1]) / 100;
}
const ways = {
  plain: () => ({ runner: new Runner() }),
  sandboxed: () => ({ runner: new Runner({ sandbox: true }) }),
  instructor: () => ({ instructor: true }),
} as const;
const wall: Record<string, number[]> = { plain: [], sandboxed: [], instructor: [] };
const cpu: Record<string, number[]> = { plain: [], sandboxed: [], instructor: [] };
for (let i = 0; i < 5; i++) {
  for (const [way, options] of Object.entries(ways)) {
    const { runner, instructor } = options() as { runner?: Runner; instructor?: boolean };
    const started = performance.now();
    const before = cpuSeconds();
    await grade(target, undefined, { typecheck: false, checker, runner, instructor });
    await runner?.close();
    wall[way].push(performance.now() - started);
    cpu[way].push(cpuSeconds() - before);
  }
}
checker.close();

const perMinute = (s: number) => ((SUBMISSIONS / s) * 60).toFixed(0);
console.log(`${SUBMISSIONS} submissions, ${jobs} cores:`);
console.log(`  grade class --jobs ${jobs}            ${inClass.toFixed(1).padStart(6)} s  ${perMinute(inClass).padStart(4)} a minute`);
console.log(`  grade class --jobs 1             ${one.toFixed(1).padStart(6)} s  ${perMinute(one).padStart(4)} a minute`);
console.log(`  a loop of grade --target         ${loop.toFixed(1).padStart(6)} s  ${perMinute(loop).padStart(4)} a minute   (×${(loop / inClass).toFixed(2)} the class run)`);
console.log(`One grading of the reference, median of 5, in one process:         wall           CPU`);
for (const way of Object.keys(ways)) {
  const [w, c] = [median(wall[way]), median(cpu[way])];
  const label = { plain: 'plain (a student’s own, fresh test process)', sandboxed: 'sandboxed', instructor: 'sandboxed + trusted and hidden checks' }[way]!;
  console.log(`  ${label.padEnd(46)} ${String(Math.round(w)).padStart(6)} ms ×${(w / median(wall.plain)).toFixed(2)}  ${String(Math.round(c * 1000)).padStart(6)} ms ×${(c / median(cpu.plain)).toFixed(2)}`);
}
for (const dir of [folder, copy, target.home]) rmSync(dir, { recursive: true, force: true });
