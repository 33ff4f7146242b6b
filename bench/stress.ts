/**
 * Grading under load: the Gradescope bundle's run_autograder (from a stand-in /autograder, as a
 * second user when run as root) and `grade class --jobs 2`, each repeated, with one core kept busy
 * by a spinning process. Counts the results that were right, those that were wrong (and why), and
 * the runs that left no results.json. Figures, not a test: the machine decides how busy it is.
 * Run: npm run bench:stress (ROUNDS=30 by default)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { kitRoot } from '../grader/kit.ts';
import { spliceBodies } from '../grader/source/source.ts';
import { required } from '../grader/stages.ts';

const ROUNDS = Number(process.env.ROUNDS ?? 30);
const grader = join(kitRoot, 'bin', 'grade.js');
const scratch = mkdtempSync(join(tmpdir(), 'bench-stress-'));
const read = (path: string) => readFileSync(path, 'utf8');
const all = required.flatMap((s) => s.todos);
const stub = (file: string) => read(join(kitRoot, 'grader', 'stubs', file));
const solved = (file: string, edit = (t: string) => t) => edit(spliceBodies(stub(file), read(join(kitRoot, 'solutions', file)), all));

/** Submissions, and what each must score (stages and hidden checks), computed by a calm first grading. */
const submissions: Record<string, { engine: string; nn: string }> = {
  reference: { engine: solved('engine.ts'), nn: solved('nn.ts') },
  stubs: { engine: stub('engine.ts'), nn: stub('nn.ts') },
  'mul-overwrites': { engine: solved('engine.ts', (t) => t.replace('this.grad += o.data * out.grad;', 'this.grad = o.data * out.grad;')), nn: solved('nn.ts') },
  'loops-in-relu': { engine: solved('engine.ts', (t) => t.replace("const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');", 'while (true) {}')), nn: solved('nn.ts') },
};
const folder = join(scratch, 'class');
for (const [name, files] of Object.entries(submissions)) {
  mkdirSync(join(folder, name), { recursive: true });
  writeFileSync(join(folder, name, 'engine.ts'), files.engine);
  writeFileSync(join(folder, name, 'nn.ts'), files.nn);
}

// The bundle, unpacked where run_autograder expects it; the kit's packages stand in for npm ci.
const root = join(scratch, 'autograder');
mkdirSync(root);
chmodSync(scratch, 0o755);
chmodSync(root, 0o755);
spawnSync(process.execPath, [grader, 'gradescope-bundle', join(root, 'autograder.zip')], { stdio: 'ignore' });
for (const [path, data] of Object.entries(unzipSync(readFileSync(join(root, 'autograder.zip'))))) {
  mkdirSync(dirname(join(root, 'source', path)), { recursive: true });
  writeFileSync(join(root, 'source', path), data);
}
symlinkSync(join(kitRoot, 'node_modules'), join(root, 'source', 'node_modules'));
cpSync(join(root, 'source', 'run_autograder'), join(root, 'run_autograder'));
chmodSync(join(root, 'run_autograder'), 0o755);
const asRoot = process.getuid?.() === 0;
if (asRoot) spawnSync('bash', ['-c', 'id grade-student >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin grade-student'], { stdio: 'ignore' });

function gradescope(name: string): { score?: number; output: string } {
  rmSync(join(root, 'submission'), { recursive: true, force: true });
  cpSync(join(folder, name), join(root, 'submission'), { recursive: true });
  const results = join(root, 'results', 'results.json');
  rmSync(results, { force: true });
  spawnSync(join(root, 'run_autograder'), [], { cwd: root, env: { ...process.env, AUTOGRADER_ROOT: root, GRADE_RUN_AS: 'grade-student' }, stdio: 'ignore' });
  if (!existsSync(results)) return { output: 'no results.json' };
  const json = JSON.parse(read(results));
  return { score: json.score, output: json.output };
}

function inClass(): Map<string, { total?: number; note: string }> {
  const ran = spawnSync(process.execPath, [grader, 'class', folder, '--jobs', '2', '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (ran.status !== 0) return new Map(Object.keys(submissions).map((name) => [name, { note: `grade class exited ${ran.status}: ${ran.stderr.split('\n')[0]}` }]));
  const { rows } = JSON.parse(ran.stdout) as { rows: { name: string; total: number; error?: string; note: string }[] };
  return new Map(rows.map((r) => [r.name, { total: r.error ? undefined : r.total, note: r.error ?? r.note }]));
}

// What each earns, graded calmly once.
const earns = new Map(Object.keys(submissions).map((name) => [name, gradescope(name).score]));
const busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
const tally = { gradescope: { right: 0, wrong: 0, missing: 0 }, class: { right: 0, wrong: 0, missing: 0 } };
const wrong: string[] = [];
const started = performance.now();
try {
  for (let round = 1; round <= ROUNDS; round++) {
    for (const name of Object.keys(submissions)) {
      const { score, output } = gradescope(name);
      if (score === undefined) tally.gradescope.missing++;
      else if (score === earns.get(name)) tally.gradescope.right++;
      else {
        tally.gradescope.wrong++;
        wrong.push(`gradescope, round ${round}, ${name}: ${score} instead of ${earns.get(name)} (${output})`);
      }
    }
    for (const [name, row] of inClass()) {
      if (row.total === undefined) {
        tally.class.missing++;
        wrong.push(`grade class, round ${round}, ${name}: no grade (${row.note})`);
      } else if (row.total === earns.get(name)) tally.class.right++;
      else {
        tally.class.wrong++;
        wrong.push(`grade class, round ${round}, ${name}: ${row.total} instead of ${earns.get(name)} (${row.note})`);
      }
    }
    process.stderr.write(`\r round ${round}/${ROUNDS}`);
  }
} finally {
  busy.kill('SIGKILL');
  process.stderr.write('\n');
}
const minutes = (performance.now() - started) / 60_000;
console.log(`${ROUNDS} rounds in ${minutes.toFixed(1)} min, one core kept busy, ${asRoot ? 'the student’s code as a second user' : 'one user'}; each round grades ${Object.keys(submissions).join(', ')}:`);
console.log(`  what each earns (a calm grading first): ${[...earns].map(([n, s]) => `${n} ${s}`).join(', ')}`);
for (const [path, t] of Object.entries(tally)) console.log(`  ${path.padEnd(11)} right ${t.right}, wrong ${t.wrong}, no result ${t.missing}`);
for (const line of wrong.slice(0, 20)) console.log(`  ${line}`);
if (process.getuid?.() === 0) execFileSync('bash', ['-c', 'pkill -KILL -u grade-student || true']);
rmSync(scratch, { recursive: true, force: true });
