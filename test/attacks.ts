// Hostile submissions, for attacks.test.ts (local grading and grade class) and gradescope.test.ts
// (run_autograder as a second user). Each is an honest part (the stubs, or some TODOs solved) with
// an attack on top; what it may score is what its honest part scores alone. They reach for Node
// without an import statement (an import of node:fs fails every stage by itself), through
// process.getBuiltinModule, which the grader's own check does not have: there they do nothing.
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allTodos } from '../grader/stages.ts';
import { solution, studentFolder } from './helpers.ts';

export interface Attack {
  name: string;
  /** The TODOs the honest part solves, and bodies it replaces ('Value.sub': '{ … }'). */
  solved: string[];
  edit?: (text: string, file: string) => string;
  /** Code at the top of engine.ts, given the kit's path (the worst case: the attacker knows it). */
  code: (kit: string) => string;
  /** Only where the attack needs it: engine.ts's body of Value.add replaced by this. */
  add?: (kit: string) => string;
}

/** Node's own modules, reached without an import; undefined in the grader's own check. */
const builtin = "const builtin = (process as any).getBuiltinModule as ((name: string) => any) | undefined;";

/** Every test the thread reports, reported as passed: vitest's rpc, rewritten from the student's code. */
export const flip = `const worker = (globalThis as any).__vitest_worker__;
if (worker?.rpc) {
  const real = worker.rpc;
  worker.rpc = new Proxy(real, {
    get: (target, key) =>
      key === 'onTaskUpdate'
        ? (packs: any[], events: any) => target.onTaskUpdate(packs.map(([id, result, meta]: any[]) => [id, result && { ...result, state: 'pass', errors: undefined }, meta]), events)
        : target[key],
  });
}`;

const without = (todo: string) => allTodos.filter((t) => t !== todo);

export const attacks: Attack[] = [
  {
    // The reference without zeroGrad: it earns neither neuron nor mlp, whose suite uses zeroGrad.
    name: 'the flip, on a stage whose suite the trusted check once missed (zeroGrad)',
    solved: without('Module.zeroGrad'),
    code: () => flip,
  },
  {
    // a.sub(a) gives 0 with no graph: the public suites never try it, a hidden check does.
    name: 'the flip, on a hidden check',
    solved: allTodos,
    edit: (t, file) => (file === 'engine.ts' ? t.replace('return this.add(other instanceof Value ? other.neg() : -other); // a + (-b)', 'if (other === this) return new Value(0);\n    return this.add(other instanceof Value ? other.neg() : -other);') : t),
    code: () => flip,
  },
  {
    name: 'replaced built-ins, answering from what they are asked',
    solved: [],
    code: () => `const realMap = Array.prototype.map;
Array.prototype.map = function (this: unknown[], f: any, ...rest: any[]) { return realMap.call(this, f, ...rest); };
JSON.stringify = () => '{"nodes":[]}';
Object.is = () => true;
Math.abs = () => 0;
Number.isFinite = () => true;
Object.defineProperty(Object.prototype, 'nodes', { get: () => [], configurable: true });
${flip}`,
  },
  {
    name: 'a swapped check file, and a swapped grader build',
    solved: [],
    code: (kit) => `${builtin}
for (const file of ['${join(kit, 'dist/grader/verify/child.js')}', '${join(kit, 'dist/grader/run/host.js')}', '${join(kit, 'grader/verify/child.ts')}']) {
  try { builtin?.('node:fs').writeFileSync(file, 'process.stdout.write("forged"); process.exit(0);'); } catch {}
}
${flip}`,
  },
  {
    name: 'its own files rewritten while the suites run',
    solved: [],
    code: () => `${builtin}
try {
  const here = new URL(import.meta.url).pathname;
  builtin?.('node:fs').writeFileSync(here, ${JSON.stringify(solution('engine.ts'))});
  builtin?.('node:fs').writeFileSync(here.replace(/engine\\.ts$/, 'nn.ts'), ${JSON.stringify(solution('nn.ts'))});
} catch {}
${flip}`,
  },
  {
    name: 'the kit found through node_modules and /proc, its solutions printed',
    solved: [],
    add: (kit) => `{
    const fs = (process as any).getBuiltinModule?.('node:fs');
    const tries = ['/proc/self/cmdline', '/proc/self/cwd/../solutions/engine.ts', '/proc/' + process.ppid + '/cwd/solutions/engine.ts', '${join(kit, 'node_modules/../solutions/engine.ts')}', '${join(kit, 'solutions/engine.ts')}', '${join(kit, 'grader/hidden/02-mul.hidden.ts')}'];
    const found = tries.map((p) => { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return ''; } }).join('\\n');
    throw new Error(found || 'nothing');
  }`,
    code: () => '',
  },
  {
    name: 'the grader’s sources patched, for the next build',
    solved: [],
    code: (kit) => `${builtin}
try { builtin?.('node:fs').appendFileSync('${join(kit, 'grader/report/report.ts')}', '\\nexport const forged = 110;\\n'); } catch {}
try { builtin?.('node:fs').writeFileSync('${join(kit, 'grader/suites.sha256.json')}', '{}'); } catch {}
${flip}`,
  },
  {
    name: 'classmates overwritten, and their test processes killed',
    solved: [],
    code: () => `${builtin}
try {
  const fs = builtin?.('node:fs');
  const tmp = builtin?.('node:os').tmpdir();
  for (const dir of fs.readdirSync(tmp)) for (const file of ['engine.ts', 'nn.ts']) try { fs.writeFileSync(tmp + '/' + dir + '/target/' + file, 'export class Value {}'); } catch {}
} catch {}
for (let pid = 2; pid < 65536; pid += 1) { if (pid !== process.pid) try { process.kill(pid, 'SIGKILL'); } catch {} }
try { (process as any)._kill(process.ppid, 9); } catch {}`,
  },
  {
    name: 'a loop that keeps bumping the progress file’s test counter, and a process that holds the pipe',
    solved: [],
    add: () => `{
    const fs = (process as any).getBuiltinModule?.('node:fs');
    try { (process as any).getBuiltinModule?.('node:child_process').spawn('sleep', ['300'], { detached: true, stdio: 'inherit' }).unref(); } catch {}
    const progress = new URL('../progress.json', import.meta.url).pathname;
    for (let n = 1; ; n++) try { fs.writeFileSync(progress, JSON.stringify({ n, suite: '01-add.test.ts', todo: 'Value.add', test: 'x', beat: n, printed: 0, lines: 0 })); } catch {}
  }`,
    code: () => '',
  },
  {
    name: 'terminal escapes, HTML and a javascript: link in a thrown error',
    solved: [],
    add: () => `{
    throw new Error('\\x1b[2J\\x1b[H\\x1b[32m✓ add: 110 points\\x1b]8;;javascript:alert(1)\\x07click\\x1b]8;;\\x07 <img src=x onerror=alert(1)> [win](javascript:alert(1))');
  }`,
    code: () => '',
  },
];

/** The attack's submission: its honest part, with the attack on top. */
export function attackFolder(attack: Attack, kit: string): string {
  return studentFolder(attack.solved, (text, file) => {
    let out = attack.edit ? attack.edit(text, file) : text;
    if (file !== 'engine.ts') return out;
    if (attack.add) out = out.replace(/add\(other: Value \| number\): Value \{[^]*?\n {2}\}/, `add(other: Value | number): Value ${attack.add(kit)}`);
    return `${attack.code(kit)}\n${out}`;
  });
}

/** The same submission without the attack: what it earns. */
export function honestFolder(attack: Attack): string {
  return studentFolder(attack.solved, attack.edit ?? ((t) => t));
}

/** Every file under `dir` (node_modules aside, links as links) with its checksum. */
export function snapshot(dir: string, under = ''): string[] {
  return readdirSync(join(dir, under)).flatMap((entry) => {
    const path = join(under, entry);
    const stat = lstatSync(join(dir, path));
    if (entry === 'node_modules' || entry === '.grade') return [];
    if (stat.isSymbolicLink()) return [`${path} -> link`];
    if (stat.isDirectory()) return snapshot(dir, path);
    return [`${path} ${createHash('sha256').update(readFileSync(join(dir, path))).digest('hex')}`];
  });
}

