/**
 * How much the grader costs on top of vitest, measured in one run on this tree:
 * `npx grade` on solutions/ against a bare `npx vitest run` of the same suites,
 * and how soon `grade watch` shows a verdict after a save.
 * Run: npm run bench:grade
 */
import { execFileSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spliceBodies } from '../grader/source/source.ts';
import { required, stages } from '../grader/stages.ts';
import { kitRoot } from '../grader/kit.ts';

const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = { ...process.env, NO_COLOR: '1', GRADE_TARGET: join(kitRoot, 'solutions') };
/** Scratch copies of solutions/, removed at the end. */
const scratch: string[] = [];
const copyOfSolutions = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  cpSync(join(kitRoot, 'solutions'), dir, { recursive: true });
  scratch.push(dir);
  return dir;
};

/** Wall time of `npx <args>` in the kit, as a student types it. */
function time(args: string[]): number {
  const started = performance.now();
  try {
    execFileSync('npx', args, { cwd: kitRoot, env, stdio: 'ignore' });
  } catch {
    throw new Error(`npx ${args.join(' ')} failed on solutions/`);
  }
  return performance.now() - started;
}

const grade = ['grade', '--target', 'solutions'];
// The same files grade runs: the required stages' suites and hidden checks, not the bonus stages.
const bare = ['vitest', 'run', '--project', 'stages', ...required.flatMap((s) => [s.suite, ...(s.hidden ? [s.hidden.suite] : [])])];
// A copy of solutions/ that changes before every run, as a student's folder does between saves:
// nothing of it is cached.
const edited = copyOfSolutions('edited');
const gradeEdited = ['grade', '--target', edited];
time(grade); // warm the caches and the file system, as a second run on unchanged files would
const graded: number[] = [];
const gradedAfterEdit: number[] = [];
const vitest: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  graded.push(time(grade));
  writeFileSync(join(edited, 'nn.ts'), `${readFileSync(join(edited, 'nn.ts'), 'utf8')}// edit ${i}\n`);
  gradedAfterEdit.push(time(gradeEdited));
  vitest.push(time(bare));
}

/** Saves engine.ts in `dir` under `grade watch` and times each first verdict. */
async function watchLatency(dir: string, saves: number): Promise<number[]> {
  const child = spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'watch', '--target', dir], { cwd: kitRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  const verdict = async () => {
    const seen = output.split('checked in').length;
    while (output.split('checked in').length === seen) await new Promise((r) => setTimeout(r, 5));
  };
  await verdict();
  const times: number[] = [];
  const file = join(dir, 'engine.ts');
  for (let i = 0; i < saves; i++) {
    await new Promise((r) => setTimeout(r, 300));
    const started = performance.now();
    const waiting = verdict();
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n`);
    await waiting;
    times.push(performance.now() - started);
  }
  child.stdin.write('q');
  return times;
}
const watched = await watchLatency(copyOfSolutions('watch'), ROUNDS);
// A student at the mlp stage: everything before it solved, Layer and MLP still stubs.
const student = copyOfSolutions('student');
writeFileSync(join(student, 'nn.ts'), spliceBodies(readFileSync(join(kitRoot, 'exercises', 'nn.ts'), 'utf8'), readFileSync(join(kitRoot, 'solutions', 'nn.ts'), 'utf8'), stages.find((s) => s.id === 'neuron')!.todos));
const watchedStudent = await watchLatency(student, ROUNDS);

const rows: [string, number][] = [
  ['npx vitest run of the same suites', median(vitest)],
  ['npx grade, files unchanged since the last run', median(graded)],
  ['npx grade, right after an edit (nothing cached)', median(gradedAfterEdit)],
  ['grade watch, save to verdict, all stages', median(watched)],
  ['grade watch, save to verdict, at stage mlp', median(watchedStudent)],
];
console.log(`On solutions/, median of ${ROUNDS} runs each, interleaved:`);
for (const [what, t] of rows) console.log(`  ${what.padEnd(46)} ${String(Math.round(t)).padStart(5)} ms  ×${(t / median(vitest)).toFixed(2)}`);
for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
