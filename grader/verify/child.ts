/**
 * The verification child. It runs under Node's permission model: it can read
 * this file and the throwaway copy of the submission, and nothing else; it can
 * write nothing, start no process, thread or addon. It reads one request from
 * stdin, runs each task on the submission's engine, and prints one line of
 * plain JSON after the nonce it was given. It decides nothing: the trusted
 * side checks every number.
 */
import type { Answer, Task } from './protocol.ts';

interface Request {
  nonce: string;
  engine: string;
  nn: string;
  tasks: Task[];
}
// Only plain shapes here: the engine's classes are whatever the submission made them.
type V = { data: number; grad: number; _op: string; _prev: readonly V[]; _backward: () => void; [k: string]: unknown };
type Ctor = new (...args: unknown[]) => V & Record<string, any>;

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const request: Request = JSON.parse(Buffer.concat(chunks).toString('utf8'));
const write = process.stdout.write.bind(process.stdout);
let engine: Record<string, Ctor> = {};
let nn: Record<string, Ctor> = {};
let loadError = '';
try {
  engine = await import(request.engine);
  nn = await import(request.nn);
} catch (error) {
  loadError = `could not load the submission: ${String((error as Error)?.message ?? error).split('\n')[0]}`;
}

/** Every node below `root`, each after the nodes it was computed from; the child's own walk. */
function topo(root: V): V[] {
  const order: V[] = [];
  const seen = new Set<V>([root]);
  const stack: [V, number][] = [[root, 0]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const child = top[0]._prev[top[1]++];
    if (child === undefined) {
      stack.pop();
      order.push(top[0]);
    } else if (!seen.has(child)) {
      seen.add(child);
      stack.push([child, 0]);
    }
  }
  return order;
}

function runOps(task: Extract<Task, { kind: 'ops' }>): Answer {
  const Value = engine.Value;
  const made: V[] = [];
  const arg = (x: number | { n: number }) => (typeof x === 'number' ? made[x] : x.n);
  for (const step of task.steps) {
    const [op, a, b] = step;
    if (op === 'value') made.push(new Value(a));
    else if (op === 'relu' || op === 'neg') made.push((made[a] as any)[op]());
    else if (op === 'pow') made.push((made[a] as any).pow(b));
    else made.push((made[a] as any)[op](arg(b as number | { n: number })));
  }
  for (const [i, g] of task.grads) made[i].grad = g;
  const out = made[made.length - 1];
  if (task.pass === 'local') out._backward();
  if (task.pass === 'chain') for (const v of topo(out).reverse()) v._backward();
  if (task.pass === 'backward') for (let i = 0; i < (task.times ?? 1); i++) (out as any).backward();
  const nodes = made.map((v) => ({
    data: Number(v.data),
    grad: Number(v.grad),
    op: String(v._op),
    prev: Array.from(v._prev ?? [], (p) => [made.indexOf(p), Number(p?.data)] as [number, number]),
  }));
  return { nodes };
}

function sequence(xs: number[]): () => number {
  let i = 0;
  return () => xs[i++];
}

function runNeuron(task: Extract<Task, { kind: 'neuron' }>): Answer {
  const n = new nn.Neuron(task.nin, { nonlin: task.nonlin, random: sequence(task.random) });
  const xs = task.x.map((x) => new engine.Value(x));
  const out = n.forward(xs);
  out.backward();
  const own = [...n.w, n.b];
  const ps: V[] = n.parameters();
  return {
    outs: [Number(out.data)],
    params: ps.map((p) => [Number(p.data), Number(p.grad)]),
    gx: xs.map((x) => Number(x.grad)),
    which: ps.map((p) => own.indexOf(p)),
    distinct: new Set(n.w).size,
    fresh: n.parameters() !== ps && !(n.w as unknown[]).includes(n.b) && n.w.length === task.nin,
  };
}

function runMlp(task: Extract<Task, { kind: 'mlp' }>): Answer {
  const m = new nn.MLP(task.nin, task.nouts, { random: sequence(task.random) });
  const xs = task.x.map((x) => new engine.Value(x));
  const outs = m.forward(xs);
  const array = Array.isArray(outs);
  const list: (V & { backward(): void })[] = array ? outs : [outs];
  list[0].backward();
  const ps: V[] = m.parameters();
  return { outs: list.map((o) => Number(o.data)), params: ps.map((p) => [Number(p?.data), Number(p?.grad)]), gx: xs.map((x) => Number(x.grad)), array, fresh: m.parameters() !== ps };
}

const answers: Answer[] = request.tasks.map((task) => {
  if (loadError) return { error: loadError };
  try {
    return task.kind === 'ops' ? runOps(task) : task.kind === 'neuron' ? runNeuron(task) : runMlp(task);
  } catch (error) {
    return { error: `threw ${String((error as Error)?.name ?? 'a value')}: ${String((error as Error)?.message ?? error).split('\n')[0]}` };
  }
});
// Exit once the line is out: a pipe takes a large write in pieces, and exiting early cuts it.
write(`${request.nonce}${JSON.stringify(answers)}\n`, () => process.exit(0));
