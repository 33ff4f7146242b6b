/**
 * How much the grader costs on top of vitest, measured in one run on this tree:
 * `npx grade` on the reference against a bare `npx vitest run` of the same
 * suites, how soon `grade watch` shows a verdict after a save, what the
 * commands that run no suites cost, a failing run's human report against
 * --json, and what the explainer adds to a failing run. Every figure is a ratio
 * within this run: the machine may be busy.
 * Run: npm run bench:grade
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spliceBodies } from '../grader/source/source.ts';
import { required, stages } from '../grader/stages.ts';
import { kitRoot } from '../grader/kit.ts';

const ROUNDS = 5;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const env = { ...process.env, NO_COLOR: '1' };
/** Scratch copies of solutions/, removed at the end. */
const scratch: string[] = [];
const copyOfSolutions = (name: string) => {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  cpSync(join(kitRoot, 'solutions'), dir, { recursive: true });
  scratch.push(dir);
  return dir;
};

/** Wall time of a command in the kit (or `cwd`); `ok` are the exit codes it may end with. */
function time(cmd: string, args: string[], ok = [0], extra: NodeJS.ProcessEnv = {}, cwd = kitRoot): number {
  const started = performance.now();
  const { status, stdout, stderr } = spawnSync(cmd, args, { cwd, env: { ...env, ...extra }, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (!ok.includes(status ?? -1)) throw new Error(`${cmd} ${args.join(' ')} exited with ${status}:\n${`${stdout}\n${stderr}`.trim().split('\n').slice(-40).join('\n')}`);
  return performance.now() - started;
}
const grader = join(kitRoot, 'bin', 'grade.js');
const node = (args: string[], ok?: number[]) => time(process.execPath, [grader, ...args], ok);

const reference = copyOfSolutions('reference');
// A student's kit where every stage passes: `npx grade` there is what a student runs.
const kit = mkdtempSync(join(tmpdir(), 'bench-kit-'));
scratch.push(kit);
for (const part of ['package.json', 'tsconfig.json', 'tsconfig.build.json', 'grader', 'dist', 'bin']) cpSync(join(kitRoot, part), join(kit, part), { recursive: true });
cpSync(join(kitRoot, 'solutions'), join(kit, 'exercises'), { recursive: true });
symlinkSync(join(kitRoot, 'node_modules'), join(kit, 'node_modules'));
// The same files grade runs: the required stages' suites (and the hidden checks, which vitest's
// own config leaves out), with vitest's default configuration.
const bare = ['vitest', 'run', '--project', 'stages', ...required.map((s) => s.suite)];
// A student at the mlp stage, for a failing run.
const failing = copyOfSolutions('failing');
writeFileSync(join(failing, 'nn.ts'), spliceBodies(readFileSync(join(kitRoot, 'grader', 'stubs', 'nn.ts'), 'utf8'), readFileSync(join(kitRoot, 'solutions', 'nn.ts'), 'utf8'), stages.find((s) => s.id === 'neuron')!.todos));
time('npx', ['grade'], [0], {}, kit); // warm the caches, the file system and npx's entry for that path
// Two student kits stopped at mul by `=` for `+=`: one as shipped, whose report draws the failing
// check's graph, and one whose suites record no graph, so it has no explainer.
const mulKit = (name: string, edit = (t: string) => t) => {
  const dir = mkdtempSync(join(tmpdir(), `bench-${name}-`));
  scratch.push(dir);
  cpSync(kit, dir, { recursive: true });
  const helpers = join(dir, 'grader', 'suites', 'helpers.ts');
  writeFileSync(helpers, edit(readFileSync(helpers, 'utf8')));
  const engine = join(dir, 'exercises', 'engine.ts');
  writeFileSync(engine, readFileSync(engine, 'utf8').replace('this.grad += o.data * out.grad;', 'this.grad = o.data * out.grad;'));
  time('npx', ['grade'], [1], {}, dir);
  return dir;
};
const explained = mulKit('explained');
const unexplained = mulKit('unexplained', (t) => t.replace('function graphOfScene(): string | undefined {', '$&\n  return undefined;'));
const runs = { vitest: [] as number[], npx: [] as number[], edited: [] as number[], node: [] as number[], hint: [] as number[], release: [] as number[], human: [] as number[], json: [] as number[], explained: [] as number[], unexplained: [] as number[] };
for (let i = 0; i < ROUNDS; i++) {
  runs.vitest.push(time('npx', bare, [0], { GRADE_TARGET: reference }));
  runs.npx.push(time('npx', ['grade'], [0], {}, kit));
  writeFileSync(join(kit, 'exercises', 'nn.ts'), `${readFileSync(join(kit, 'exercises', 'nn.ts'), 'utf8')}// edit ${i}\n`);
  runs.edited.push(time('npx', ['grade'], [0], {}, kit));
  runs.npx.push(time('npx', ['grade'], [0], {}, kit));
  runs.node.push(node(['--target', reference]));
  runs.hint.push(node(['hint', 'add', '--target', reference]));
  runs.release.push(node(['release'], [2]));
  runs.human.push(node(['--target', failing], [1]));
  runs.json.push(node(['--target', failing, '--json'], [1]));
  runs.explained.push(time('npx', ['grade'], [1], {}, explained));
  runs.unexplained.push(time('npx', ['grade'], [1], {}, unexplained));
}

/** Saves engine.ts in `dir` under `grade watch` and times each first verdict. */
async function watchLatency(dir: string, saves: number): Promise<number[]> {
  const child = spawn(process.execPath, [grader, 'watch', '--target', dir], { cwd: kitRoot, env, stdio: ['pipe', 'pipe', 'inherit'] });
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
const student = copyOfSolutions('student');
cpSync(failing, student, { recursive: true });
const watchedStudent = await watchLatency(student, ROUNDS);

const row = (what: string, t: number, base: number, goal = '') =>
  console.log(`  ${what.padEnd(52)} ${String(Math.round(t)).padStart(6)} ms  ×${(t / base).toFixed(2)}${goal && `  (goal ${goal})`}`);
console.log(`Median of ${ROUNDS} runs each, interleaved, on a copy of the reference:`);
console.log(' against a bare `npx vitest run` of the same suites:');
row('npx vitest run of the same suites', median(runs.vitest), median(runs.vitest));
row('npx grade in a solved kit, files unchanged', median(runs.npx), median(runs.vitest), '≤ 0.8');
row('npx grade in a solved kit, right after an edit', median(runs.edited), median(runs.vitest));
row('grade watch, save to verdict, all stages', median(watched), median(runs.vitest));
row('grade watch, save to verdict, at stage mlp', median(watchedStudent), median(runs.vitest));
console.log(' against one `node bin/grade.js --target <reference>`:');
row('node bin/grade.js --target <reference>', median(runs.node), median(runs.node));
row('grade hint add', median(runs.hint), median(runs.node), '≤ 0.33');
row('grade release (no folder: its usage error)', median(runs.release), median(runs.node), '≤ 0.33');
console.log(' a failing run (stage mlp), human report against --json:');
row('node bin/grade.js --target <failing> --json', median(runs.json), median(runs.json));
row('node bin/grade.js --target <failing>', median(runs.human), median(runs.json), '≤ 1.10');
console.log(' a failing run (stage mul, `=` for `+=`), with the explainer against without it:');
row('npx grade, suites that record no graph', median(runs.unexplained), median(runs.unexplained));
row('npx grade, with the explainer', median(runs.explained), median(runs.unexplained), '≤ 1.10');
for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
