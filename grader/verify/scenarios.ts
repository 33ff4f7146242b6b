/**
 * The trusted side of verification: for each stage, tasks that check everything its suite checks
 * (values, gradients, ops, operands, errors, shapes, repeated calls), on random numbers from a seed
 * the submission never sees, and what each answer must be, computed here with the plain-number
 * tape rather than with any engine. Numbers are compared within 1e-9.
 */
import { makeMoons, numpyMoonsRandom } from '../notebook/moons.ts';
import { mulberry32, PythonRandom } from '../notebook/random.ts';
import { FIRST_LOSS } from '../notebook/train.ts';
import { dependsOn, stages } from '../stages.ts';
import { Tape } from '../tape.ts';
import type { Answer, LayerAnswer, MlpAnswer, NeuronAnswer, NodeAnswer, Step, Task } from './protocol.ts';

/** A task and how to judge its answer: undefined when it is right, else what was computed wrong. */
export interface Scenario {
  task: Task;
  judge: (answer: Answer) => string | undefined;
}

const near = (got: unknown, want: number) => typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
export const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);
const shown = (x: unknown) => (typeof x === 'number' ? fmt(x) : String(x));

/**
 * Builds the steps on a tape, as micrograd defines each op. Returns each step's node, and each
 * node's op label ('' for a leaf, or for a number an op wrapped).
 */
export function replay(tape: Tape, steps: Step[]): { at: number[]; ops: Map<number, string> } {
  const at: number[] = [];
  const ops = new Map<number, string>();
  const made = (node: number, op: string) => (ops.set(node, op), node);
  const leaf = (x: number) => made(tape.node(x), '');
  const arg = (x: number | { n: number }) => (typeof x === 'number' ? at[x] : leaf(x.n));
  const neg = (node: number) => made(tape.mul(node, leaf(-1)), '*');
  for (const [op, a, b] of steps) {
    if (op === 'value') at.push(leaf(a));
    else if (op === 'add') at.push(made(tape.add(at[a], arg(b)), '+'));
    else if (op === 'mul') at.push(made(tape.mul(at[a], arg(b)), '*'));
    else if (op === 'pow') at.push(made(tape.pow(at[a], b), `**${b}`));
    else if (op === 'relu') at.push(made(tape.relu(at[a]), 'ReLU'));
    else if (op === 'tanh' || op === 'exp') at.push(made(tape.apply(op, [at[a]]), op));
    else if (op === 'neg') at.push(neg(at[a]));
    else if (op === 'sub') at.push(made(tape.add(at[a], typeof b === 'number' ? neg(at[b]) : leaf(-b.n)), '+'));
    else at.push(made(tape.mul(at[a], typeof b === 'number' ? made(tape.pow(at[b], -1), '**-1') : leaf(b!.n ** -1)), '*'));
  }
  return { at, ops };
}

/** How a program reads: 'x0 = Value(1.5); x1 = x0.mul(2)'; a long one by its size. */
export function show(steps: Step[]): string {
  if (steps.length > 12) return `a program of ${steps.length} steps`;
  const arg = (x: number | { n: number }) => (typeof x === 'number' ? `x${x}` : fmt(x.n));
  return steps.map(([op, a, b], i) => `x${i} = ${op === 'value' ? `Value(${fmt(a)})` : `x${a}.${op}(${op === 'pow' ? b : b === undefined ? '' : arg(b as number)})`}`).join('; ');
}

/** A check of one program's nodes: each a new Value with the right data, op and operands, then every grad. */
export function opsScenario(steps: Step[], grads: [number, number][], pass: Extract<Task, { kind: 'ops' }>['pass'], options: { out?: number; times?: number } = {}): Scenario {
  const out = options.out ?? steps.length - 1;
  const times = options.times ?? 1;
  const task: Task = { kind: 'ops', steps, grads, pass, out, times };
  const tape = new Tape();
  const { at, ops } = replay(tape, steps);
  const stepOf = new Map(at.map((node, i) => [node, i]));
  for (const [i, g] of grads) tape.grad[at[i]] = g;
  if (pass === 'local') tape.step(at[out]);
  if (pass === 'chain') tape.pass(at[out]);
  for (let t = 0; pass === 'backward' && t < times; t++) {
    tape.grad[at[out]] = 1;
    tape.pass(at[out]);
  }
  const before = grads.length ? ` with ${grads.map(([i, g]) => `x${i}.grad = ${fmt(g)}`).join(', ')}` : '';
  const did = { none: '', local: `, x${out}._backward()`, chain: `, each _backward from x${out} down`, backward: `, x${out}.backward()${times > 1 ? ` ${times} times` : ''}` }[pass];
  const where = `${show(steps)}${pass === 'none' ? '' : `; then${before}${did}`}`;
  const judge = (answer: Answer) => {
    if ('error' in answer) return `${where}: ${answer.error}`;
    if (!('nodes' in answer)) return `${where}: no answer`;
    const nodes = answer.nodes;
    for (let i = 0; i < steps.length; i++) {
      const node: NodeAnswer | undefined = nodes[i];
      const here = steps.length > 12 ? `${show(steps)}, at x${i}` : show(steps.slice(0, i + 1));
      if (!node) return `${where}: x${i} is missing`;
      // The child reads the structure of a long program's first and last nodes only (STRUCTURE in child.ts).
      if (steps[i][0] === 'value' || !('op' in node)) continue;
      if (!node.isValue) return `${here}: x${i} should be a new Value, got ${shown(node.data)}`;
      if (node.same! >= 0) return `${here}: x${i} should be a new Value, got x${node.same} itself back`;
      if (!near(node.data, tape.data[at[i]])) return `${here}: x${i}.data should be ${fmt(tape.data[at[i]])}, got ${shown(node.data)}`;
      const op = ops.get(at[i]);
      if (node.op !== op) return `${here}: x${i}._op should be '${op}', got ${typeof node.op === 'string' ? `'${node.op}'` : node.op}`;
      const operands = tape.parents[at[i]].map(([p]) => p);
      if (!node.prev || node.prev.length !== operands.length) return `${here}: x${i}._prev should hold its ${operands.length} operand${operands.length > 1 ? 's' : ''}, got ${node.prev ? node.prev.length : 'none'}`;
      for (const [k, p] of operands.entries()) {
        const [got, data, gotOp] = node.prev[k];
        const step = stepOf.get(p) ?? -1;
        if (step >= 0 && got !== step) return `${here}: x${i}._prev[${k}] should be x${step} itself, got ${got >= 0 ? `x${got}` : `a Value of ${shown(data)}`}`;
        if (step < 0 && !near(data, tape.data[p])) return `${here}: x${i}._prev[${k}] should be a Value of ${fmt(tape.data[p])}, got ${shown(data)}`;
        if (step < 0 && ops.get(p) && gotOp !== ops.get(p)) return `${here}: x${i}._prev[${k}]._op should be '${ops.get(p)}', got '${String(gotOp)}'`;
      }
    }
    // The operands that are no step of the program (a wrapped number, -b in sub): their grads too.
    for (let i = 0; i < steps.length; i++) {
      if (!('op' in nodes[i])) continue;
      for (const [k, [p]] of tape.parents[at[i]].entries()) {
        const got = nodes[i].prev?.[k]?.[3];
        if (!stepOf.has(p) && !near(got, tape.grad[p])) return `${where}: x${i}._prev[${k}].grad should be ${fmt(tape.grad[p])}, got ${shown(got)}`;
      }
    }
    for (let i = 0; i < steps.length; i++) {
      const node = nodes[i];
      if (steps[i][0] !== 'value' && !near(node.data, tape.data[at[i]])) return `${where}: afterwards, x${i}.data should still be ${fmt(tape.data[at[i]])}, got ${shown(node.data)}`;
      if (!near(node.grad, tape.grad[at[i]])) return `${where}: x${i}.grad should be ${fmt(tape.grad[at[i]])}, got ${shown(node.grad)}`;
    }
    return undefined;
  };
  return { task, judge };
}

function throwsScenario(base: number, exponent: 'value' | 'string'): Scenario {
  const where = `Value(${fmt(base)}).pow(${exponent === 'value' ? 'Value(3)' : "'2'"})`;
  return {
    task: { kind: 'throws', base, exponent },
    judge: (a) => ('error' in a ? `${where}: ${a.error}` : 'thrown' in a && a.thrown !== 'TypeError' ? `${where} should throw a TypeError, got ${a.thrown === 'nothing' ? 'no error' : a.thrown}` : undefined),
  };
}

/** What a network built from these weights must give, by the tape; the first output is the one backward() starts from. */
function network(nin: number, nouts: number[], weights: number[], x: number[], lastLinear: boolean, nonlin = true) {
  const tape = new Tape();
  const xs = x.map((v) => tape.node(v));
  const params: number[] = [];
  let input = xs;
  let k = 0;
  const sizes = [nin, ...nouts];
  nouts.forEach((nout, l) => {
    const active = lastLinear ? l < nouts.length - 1 : nonlin;
    input = Array.from({ length: nout }, () => {
      const w = Array.from({ length: sizes[l] }, () => tape.node(weights[k++]));
      const b = tape.node(0);
      params.push(...w, b);
      let act = b;
      w.forEach((wi, i) => (act = tape.add(act, tape.mul(wi, input[i]))));
      return active ? tape.relu(act) : act;
    });
  });
  tape.grad[input[0]] = 1;
  tape.pass(input[0]);
  return { outs: input.map((o) => tape.data[o]), params: params.map((p) => [tape.data[p], tape.grad[p]] as const), gx: xs.map((i) => tape.grad[i]) };
}

function compare(where: string, got: unknown[] | undefined, want: readonly number[], what: string): string | undefined {
  if (!Array.isArray(got) || got.length !== want.length) return `${where}: ${what} should be ${want.length} numbers, got ${Array.isArray(got) ? got.length : String(got)}`;
  const i = want.findIndex((w, j) => !near(got[j], w));
  return i < 0 ? undefined : `${where}: ${what}[${i}] should be ${fmt(want[i])}, got ${shown(got[i])}`;
}

const draw = (r: number) => -1 + 2 * r;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

function neuronScenario(nin: number, nonlin: boolean | undefined, random: number[], x: number[], inputs: 'numbers' | 'values'): Scenario {
  const active = nonlin ?? true;
  const made = `new Neuron(${nin}${nonlin === undefined ? '' : `, { nonlin: ${nonlin} }`})${random.length ? ` with random() giving ${random.map(fmt).join(', ')}` : ''}`;
  const where = `${made}, forward([${x.map(fmt).join(', ')}]${inputs === 'values' ? ' as Values' : ''})`;
  const judge = (a: Answer) => {
    if ('error' in a) return `${where}: ${a.error}`;
    if (!('neuron' in a)) return `${where}: no answer`;
    const n: NeuronAnswer = a.neuron;
    if (n.w.length !== nin) return `${made}: w.length should be ${nin}, got ${n.w.length}`;
    if (random.length > 0) {
      const w = random.map(draw);
      const i = w.findIndex((v, j) => !near(n.w[j], v));
      if (i >= 0) return `${made}: w[${i}].data should be ${fmt(w[i])} (-1 + 2·random()), got ${shown(n.w[i])}`;
    } else {
      if (!n.w.every((v) => typeof v === 'number' && v >= -1 && v < 1)) return `${made}: with Math.random, every weight should be in [-1, 1), got ${n.w.map(shown).join(', ')}`;
      if (new Set(n.w).size !== nin) return `${made}: with Math.random, the ${nin} weights should all differ`;
    }
    if (!near(n.b, 0)) return `${made}: b.data should be 0, got ${shown(n.b)}`;
    if (n.nonlin !== active) return `${made}: nonlin should be ${active}, got ${String(n.nonlin)}`;
    if (n.distinct !== nin) return `${made}: the ${nin} weights should be ${nin} different Value objects`;
    if (n.biasIsWeight) return `${made}: the bias should be a Value of its own, not one of the weights`;
    if (n.shares) return `${made}, twice: the two neurons share a weight or the bias; each needs Values of its own`;
    const weights = n.w as number[];
    const want = network(nin, [1], weights, x, false, active);
    if (!n.out.isValue) return `${where} should return a Value, got ${shown(n.out.data)}`;
    if (!near(n.out.data, want.outs[0])) return `${where} should be ${fmt(want.outs[0])}, got ${shown(n.out.data)}`;
    if (n.out.op !== (active ? 'ReLU' : '+')) return `${where}: its _op should be '${active ? 'ReLU' : '+'}', got '${String(n.out.op)}'`;
    if (n.order && !(n.order[0] && n.order[1])) return `${where}: the output should be (b + w[0]·x[0]) + w[1]·x[1] + …, built from b and the terms in order`;
    const grads = `${where}.backward()`;
    const gw = want.params.slice(0, nin).map((p) => p[1]);
    const wrong = compare(grads, n.gw, gw, 'the weights’ grads') ?? (near(n.gb, want.params[nin][1]) ? undefined : `${grads}: b.grad should be ${fmt(want.params[nin][1])}, got ${shown(n.gb)}`);
    if (wrong) return wrong;
    if (inputs === 'values') {
      const gx = compare(grads, n.gx, want.gx, 'the inputs’ grads');
      if (gx) return gx;
    }
    if (n.which.join() !== range(nin + 1).join()) return `${made}: parameters() should be [...w, b] themselves, in that order`;
    if (!n.fresh) return `${made}: parameters() should return a new array each time`;
    if (n.wLength !== nin) return `${made}: after parameters() twice, w.length should still be ${nin}, got ${shown(n.wLength)}`;
    if (!n.zeroed.every((g) => g === 0)) return `${made}: after every grad is set to 5, zeroGrad() should set them all to 0, got ${n.zeroed.map(shown).join(', ')}`;
    if (!n.dataKept) return `${made}: zeroGrad() should leave the parameters’ data alone`;
    return undefined;
  };
  return { task: { kind: 'neuron', nin, nonlin, random, x, inputs }, judge };
}

function layerScenario(nin: number, nout: number, nonlin: boolean | undefined, random: number[], x: number[]): Scenario {
  const active = nonlin ?? true;
  const made = `new Layer(${nin}, ${nout}${nonlin === undefined ? '' : `, { nonlin: ${nonlin} }`}) with random() giving ${random.map(fmt).join(', ')}`;
  const where = `${made}, forward([${x.map(fmt).join(', ')}])`;
  const judge = (a: Answer) => {
    if ('error' in a) return `${where}: ${a.error}`;
    if (!('layer' in a)) return `${where}: no answer`;
    const l: LayerAnswer = a.layer;
    if (l.neurons.length !== nout) return `${made}: neurons.length should be ${nout}, got ${l.neurons.length}`;
    const bad = l.neurons.findIndex((n) => n.nin !== nin);
    if (bad >= 0) return `${made}: neurons[${bad}] should take ${nin} inputs, got ${shown(l.neurons[bad].nin)}`;
    const lin = l.neurons.findIndex((n) => n.nonlin !== active);
    if (lin >= 0) return `${made}: neurons[${lin}].nonlin should be ${active}: pass the options on to every neuron`;
    const drawn = compare(made, l.neurons.flatMap((n) => n.w), random.map(draw), 'the weights, neuron by neuron,');
    if (drawn) return drawn;
    if (!l.distinct) return `${made}: every neuron should be a new Neuron with weights of its own`;
    if (!l.isArray) return `${where} should return an array, got ${l.outs.length === 1 ? 'one Value' : 'something else'}`;
    if (l.outs.length !== nout) return `${where} should return ${nout} Values, got ${l.outs.length}`;
    // As the suite does: each output is what that neuron gives on its own.
    const i = l.outs.findIndex((o, k) => !Object.is(o, l.each[k]));
    if (i >= 0) return `${where}[${i}] should be neurons[${i}].forward(x), ${shown(l.each[i])}, got ${shown(l.outs[i])}`;
    const which = range(nout).flatMap((i) => range(nin + 1).map((j) => `${i}:${j}`)).join();
    if (l.which.map(([i, j]) => `${i}:${j}`).join() !== which) return `${made}: parameters() should be the neurons’ parameters, neuron by neuron, in one flat array`;
    if (!l.fresh) return `${made}: parameters() should return a new array each time`;
    return undefined;
  };
  return { task: { kind: 'layer', nin, nout, nonlin, random, x }, judge };
}

function mlpScenario(nin: number, nouts: number[], random: number[], x: number[]): Scenario {
  const made = `new MLP(${nin}, [${nouts}]) with ${random.length} drawn weights`;
  const where = `${made}, forward([${x.map(fmt).join(', ')}])`;
  const sizes = [nin, ...nouts];
  const count = nouts.reduce((n, nout, l) => n + nout * (sizes[l] + 1), 0);
  const judge = (a: Answer) => {
    if ('error' in a) return `${where}: ${a.error}`;
    if (!('mlp' in a)) return `${where}: no answer`;
    const m: MlpAnswer = a.mlp;
    if (m.layers.length !== nouts.length) return `${made}: layers.length should be ${nouts.length}, got ${m.layers.length}`;
    for (const [i, l] of m.layers.entries()) {
      if (l.nin !== sizes[i] || l.nout !== sizes[i + 1]) return `${made}: layers[${i}] should map ${sizes[i]} inputs to ${sizes[i + 1]} outputs, got ${shown(l.nin)} to ${shown(l.nout)}`;
      const active = i < nouts.length - 1;
      if (l.nonlin !== active) return `${made}: layers[${i}] should be ${active ? 'nonlinear' : 'linear (only the last layer is)'}`;
    }
    const drawn = compare(made, m.w, random.map(draw), 'the weights, layer by layer and neuron by neuron,');
    if (drawn) return drawn;
    if (!m.isArray) return `${where} should return an array`;
    // As the suite does: the output is the input fed through every layer in turn.
    if (m.outs.length !== m.chained.length || m.outs.some((o, i) => !Object.is(o, m.chained[i]))) {
      return `${where} should be layers[${nouts.length - 1}].forward(… layers[0].forward(x)), [${m.chained.map(shown).join(', ')}], got [${m.outs.map(shown).join(', ')}]`;
    }
    if (m.count !== count) return `${made}: parameters() should list ${count} parameters, got ${m.count}`;
    if (!m.inOrder) return `${made}: parameters() should be the layers’ parameters, layer by layer, in one flat array`;
    if (!m.fresh) return `${made}: parameters() should return a new array each time`;
    if (!m.inGraph) return `${where}: every parameter should be in the output’s graph`;
    // Where a relu sits exactly at its kink (a dead layer, a bias of 0), the two slopes differ and
    // no gradient is the right one: those parameters are left out.
    const smooth = (left: number, right: number) => Math.abs(left - right) <= 1e-4 * Math.max(1, Math.abs(left));
    const off = m.numeric?.findIndex(([grad, left, right]) => smooth(left, right) && (typeof grad !== 'number' || Math.abs(grad - (left + right) / 2) > 1e-4 * Math.max(1, Math.abs(left))));
    if (off !== undefined && off >= 0) return `${where}[0].backward(): parameter ${off}'s grad should agree with the MLP's own forward nudged by it, ${fmt(m.numeric![off][1])}, got ${shown(m.numeric![off][0])}`;
    if (m.leftAfterZero !== 0) return `${made}: after zeroGrad(), ${m.leftAfterZero} parameters still have a grad`;
    return undefined;
  };
  return { task: { kind: 'mlp', nin, nouts, random, x }, judge };
}

function chainScenario(length: number): Scenario {
  const where = `y = x + 0.5 + 0.5 + … (${length.toLocaleString('en')} times), then y.backward()`;
  return {
    task: { kind: 'chain', length },
    judge: (a) => {
      if ('error' in a) return `${where}: ${a.error}`;
      if (!('chain' in a)) return `${where}: no answer`;
      if (a.chain.x !== 1) return `${where}: x.grad should be 1, got ${shown(a.chain.x)}`;
      if (a.chain.step !== length) return `${where}: the shared 0.5's grad should be ${length}, got ${shown(a.chain.step)}`;
      return undefined;
    },
  };
}

/** The train stage's suite: the notebook's data, weights and 100 steps; its first loss to 1e-9, and 100% at the end. */
function trainScenario(steps = 100): Scenario {
  const { X, y } = makeMoons(100, 0.1, numpyMoonsRandom(1337));
  const python = new PythonRandom(1337);
  // MLP(2, [16, 16, 1]) draws one number for each of its 337 parameters.
  const random = Array.from({ length: 337 }, () => python.random());
  const where = `training MLP(2, [16, 16, 1]) on the moons as the demo notebook does`;
  return {
    task: { kind: 'train', X, y, random, steps },
    judge: (a) => {
      if ('error' in a) return `${where}: ${a.error}`;
      if (!('train' in a)) return `${where}: no answer`;
      const [first] = a.train.losses;
      if (typeof first !== 'number' || Math.abs(first - FIRST_LOSS) > 1e-9) return `${where}: the loss at step 0 should be ${FIRST_LOSS} (±1e-9), got ${shown(first)}. Build the loss in the notebook’s order: see grader/notebook/train.ts`;
      const last = a.train.accuracies.at(-1) ?? 0;
      if (last !== 1) return `${where}: after ${steps} steps the accuracy should be 100%, got ${(last * 100).toFixed(0)}% (loss ${shown(a.train.losses.at(-1))})`;
      return undefined;
    },
  };
}

/** A random() that returns these numbers in turn, as the suites' sequence() and counter() do. */
const counting = (n: number) => Array.from({ length: n }, (_, i) => (i % 1000) / 1000);

/** The lecture's neuron, o = tanh(x1·w1 + x2·w2 + b), with tanh itself or built from exp. */
function lecture(fromExp: boolean, values = [2, 0, -3, 1, 6.881373587019543]): Scenario {
  const leaves: Step[] = values.map((v) => ['value', v]);
  const n: Step[] = [['mul', 0, 2], ['mul', 1, 3], ['add', 5, 6], ['add', 7, 4]];
  const o: Step[] = fromExp ? [['mul', 8, { n: 2 }], ['exp', 9], ['sub', 10, { n: 1 }], ['add', 10, { n: 1 }], ['div', 11, 12]] : [['tanh', 8]];
  return opsScenario([...leaves, ...n, ...o], [], 'backward');
}

/**
 * The checks of each stage's suite, with the suite's own numbers: so that the trusted check finds
 * at least every mistake the suite finds, and never passes code whose suite failed.
 */
const fixed: Record<string, () => Scenario[]> = {
  add: () => [
    opsScenario([['value', 2], ['value', 3], ['add', 0, 1]], [[0, 1], [1, -1], [2, 2]], 'local'),
    opsScenario([['value', -1.5], ['value', 0.25], ['add', 0, 1]], [], 'none'),
    opsScenario([['value', 2], ['add', 0, { n: 3 }]], [[1, 2]], 'local'),
    opsScenario([['value', 3], ['add', 0, 0]], [[1, 1]], 'local'),
    opsScenario([['value', 1], ['add', 0, { n: 2 }]], [[1, 4]], 'local'),
  ],
  mul: () => [
    opsScenario([['value', 2], ['value', 3], ['mul', 0, 1]], [[2, 2]], 'local'),
    opsScenario([['value', 2], ['value', 3], ['mul', 0, 1]], [[0, 1], [1, 1], [2, 1]], 'local'),
    opsScenario([['value', 2], ['mul', 0, { n: 0 }]], [], 'none'),
    opsScenario([['value', 5], ['mul', 0, { n: 2 }]], [[1, 1]], 'local'),
    opsScenario([['value', 2], ['mul', 0, { n: -4 }]], [], 'none'),
    opsScenario([['value', 3], ['mul', 0, 0]], [[1, 1]], 'local'),
    opsScenario([['value', 0], ['value', 5], ['mul', 0, 1]], [[2, 3]], 'local'),
    opsScenario([['value', 3], ['neg', 0]], [[1, 3]], 'local'),
    opsScenario([['value', 5], ['value', 3], ['sub', 0, 1]], [[2, 3]], 'chain'),
    opsScenario([['value', 2], ['sub', 0, { n: 1 }]], [], 'none'),
  ],
  pow: () => [
    opsScenario([['value', 3], ['pow', 0, 2]], [[1, 2]], 'local'),
    opsScenario([['value', 2], ['pow', 0, 3]], [[0, 1], [1, 1]], 'local'),
    opsScenario([['value', 2], ['pow', 0, -1]], [[1, 2]], 'local'),
    opsScenario([['value', 4], ['pow', 0, 0.5]], [[1, 2]], 'local'),
    opsScenario([['value', -3], ['pow', 0, 2]], [[1, 2]], 'local'),
    ...[1, 2, 3].map((n) => opsScenario([['value', 0], ['pow', 0, n]], [[1, 3]], 'local')),
    throwsScenario(2, 'value'),
    throwsScenario(2, 'string'),
    opsScenario([['value', 6], ['value', 3], ['div', 0, 1]], [[2, 2]], 'chain'),
    opsScenario([['value', 6], ['div', 0, { n: 4 }]], [[1, 4]], 'local'),
  ],
  relu: () => [
    ...[-2, 0, 3].map((a) => opsScenario([['value', a], ['relu', 0]], [[1, 2]], 'local')),
    opsScenario([['value', 3], ['relu', 0]], [[0, 1], [1, 1]], 'local'),
  ],
  backward: () => [
    opsScenario([['value', 3]], [], 'backward'),
    opsScenario([['value', 2], ['mul', 0, { n: 3 }]], [[1, 7]], 'backward'),
    opsScenario([['value', 2], ['mul', 0, { n: 3 }], ['add', 1, { n: 1 }]], [], 'backward'),
    opsScenario([['value', 3], ['mul', 0, 0]], [], 'backward'),
    opsScenario([['value', 1], ['add', 0, 0], ['add', 1, 1]], [], 'backward'),
    opsScenario([['value', 2], ['mul', 0, { n: 3 }], ['add', 1, { n: 1 }], ['mul', 1, 2]], [], 'backward'),
    opsScenario([['value', 2], ['value', 5], ['mul', 0, 1]], [[0, 100]], 'backward'),
    opsScenario([['value', 2], ['value', 5], ['mul', 0, 1]], [], 'backward', { times: 2 }),
    opsScenario([['value', 2], ['value', 5], ['value', 1], ['mul', 0, 1], ['add', 3, 2]], [], 'backward', { times: 2 }),
    // micrograd's test_sanity_check and test_more_ops (test/test_engine.py), with their numbers.
    opsScenario(
      [['value', -4], ['mul', 0, { n: 2 }], ['add', 1, { n: 2 }], ['add', 2, 0], ['relu', 3], ['mul', 3, 0], ['add', 4, 5], ['mul', 3, 3], ['relu', 7], ['add', 8, 6], ['mul', 6, 0], ['add', 9, 10]],
      [],
      'backward',
    ),
    opsScenario(
      [
        ['value', -4], ['value', 2], ['add', 0, 1], ['mul', 0, 1], ['pow', 1, 3], ['add', 3, 4], ['add', 2, { n: 1 }], ['add', 2, 6], ['add', 7, { n: 1 }], ['sub', 8, 0],
        ['add', 7, 9], ['mul', 5, { n: 2 }], ['add', 1, 0], ['relu', 12], ['add', 11, 13], ['add', 5, 14], ['mul', 15, { n: 3 }], ['sub', 1, 0], ['relu', 17], ['add', 16, 18],
        ['add', 15, 19], ['sub', 10, 20], ['pow', 21, 2], ['div', 22, { n: 2 }], ['value', 10], ['div', 24, 22], ['add', 23, 25],
      ],
      [],
      'backward',
    ),
  ],
  tanh: () => [
    ...[0.5, 0, -2].map((a) => opsScenario([['value', a], ['tanh', 0]], [[1, 2]], 'local')),
    opsScenario([['value', 0], ['tanh', 0]], [[0, 1], [1, 1]], 'local'),
    lecture(false),
  ],
  exp: () => [
    ...[1, 0, -1.5].map((a) => opsScenario([['value', a], ['exp', 0]], [[1, 2]], 'local')),
    opsScenario([['value', 0], ['exp', 0]], [[0, 1], [1, 1]], 'local'),
    lecture(true),
  ],
  neuron: () => [
    neuronScenario(3, undefined, [0, 0.25, 0.75], [1, 1, 1], 'numbers'),
    neuronScenario(2, undefined, [0.75, 0.25], [4, 2], 'numbers'),
    neuronScenario(2, undefined, [0.75, 0.25], [2, 4], 'numbers'),
    neuronScenario(2, false, [0.75, 0.25], [4, 2], 'values'),
    neuronScenario(2, undefined, [0, 0.75], [1, 4], 'numbers'),
    neuronScenario(3, undefined, [0.9, 0.9, 0.9], [1, 2, 3], 'numbers'),
  ],
  mlp: () => [
    layerScenario(2, 3, false, counting(6), [1, 2]),
    layerScenario(2, 2, false, counting(4), [1, 2]),
    layerScenario(2, 1, undefined, counting(2), [1, 2]),
    mlpScenario(1, [2, 1], counting(4), [0.5]),
    mlpScenario(2, [3, 2, 1], counting(14), [0.5, -1]),
    mlpScenario(3, [1], counting(3), [1, 2, 3]),
  ],
};

/** The scenarios of each stage, from a seed the submission never sees: the suite's own checks, then random ones. */
export function scenarios(stageIds: string[], seed: number): Map<string, Scenario[]> {
  const random = mulberry32(seed);
  const num = (lo = -3, hi = 3) => {
    const x = Math.round((lo + (hi - lo) * random()) * 1000) / 1000;
    return x === 0 ? 0.5 : x;
  };
  const g = () => num(0.5, 3);
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const draws = (n: number) => Array.from({ length: n }, () => Math.round(random() * 1e6) / 1e6);
  const all: Record<string, () => Scenario[]> = {
    add: () => [
      opsScenario([['value', num()], ['value', num()], ['add', 0, 1]], [[0, num()], [1, num()], [2, g()]], 'local'),
      opsScenario([['value', num()], ['add', 0, { n: num() }]], [[1, g()]], 'local'),
      opsScenario([['value', num()], ['add', 0, 0]], [[1, g()]], 'local'),
    ],
    mul: () => [
      opsScenario([['value', num()], ['value', num()], ['mul', 0, 1]], [[0, num()], [1, num()], [2, g()]], 'local'),
      opsScenario([['value', 0], ['value', num()], ['mul', 0, 1]], [[2, g()]], 'local'),
      opsScenario([['value', num()], ['mul', 0, { n: num() }]], [[1, g()]], 'local'),
      opsScenario([['value', num()], ['mul', 0, 0]], [[0, num()], [1, g()]], 'local'),
      opsScenario([['value', num()], ['neg', 0]], [[1, g()]], 'chain'),
      opsScenario([['value', num()], ['value', num()], ['sub', 0, 1]], [[2, g()]], 'chain'),
      opsScenario([['value', num()], ['sub', 0, { n: num() }]], [[1, g()]], 'chain'),
    ],
    pow: () => [
      opsScenario([['value', num()], ['pow', 0, pick([2, 3, -1])]], [[0, num()], [1, g()]], 'local'),
      opsScenario([['value', num(0.2, 4)], ['pow', 0, pick([0.5, -2, 1.5])]], [[1, g()]], 'local'),
      opsScenario([['value', num(-3, -0.2)], ['pow', 0, 2]], [[1, g()]], 'local'),
      ...[1, 2, 3].map((n) => opsScenario([['value', 0], ['pow', 0, n]], [[1, g()]], 'local')),
      throwsScenario(num(), 'value'),
      throwsScenario(num(), 'string'),
      opsScenario([['value', num()], ['value', num(0.5, 3)], ['div', 0, 1]], [[2, g()]], 'chain'),
      opsScenario([['value', num()], ['div', 0, { n: num(0.5, 3) }]], [[1, g()]], 'chain'),
    ],
    relu: () => [num(-3, -0.1), 0, num(0.1, 3)].map((a) => opsScenario([['value', a], ['relu', 0]], [[0, num()], [1, g()]], 'local')),
    backward: () => [
      opsScenario([['value', num()]], [], 'backward'),
      opsScenario([['value', num()], ['mul', 0, { n: num() }]], [[1, num(4, 9)]], 'backward'),
      opsScenario([['value', num()], ['add', 0, 0], ['add', 1, 1]], [], 'backward'),
      opsScenario([['value', num()], ['mul', 0, { n: num() }], ['add', 1, { n: num() }], ['mul', 1, 2]], [], 'backward'),
      opsScenario([['value', num()], ['value', num()], ['mul', 0, 1], ['add', 2, 0], ['pow', 3, 2], ['add', 4, 2]], [[0, num(50, 150)]], 'backward'),
      opsScenario([['value', num()], ['value', num(0.5, 3)], ['div', 0, 1], ['relu', 2], ['sub', 3, 1], ['mul', 4, 4]], [[0, num()]], 'backward'),
      opsScenario([['value', num()], ['value', num()], ['value', num()], ['mul', 0, 1], ['add', 3, 2], ['neg', 4]], [], 'backward', { times: 2 }),
      opsScenario([['value', num()], ['value', num()], ['value', num()], ['mul', 0, 1], ['add', 3, 2], ['pow', 4, 2], ['add', 5, 3]], [], 'backward', { out: 4 }),
    ],
    neuron: () => {
      const xs = (n: number) => Array.from({ length: n }, () => num());
      const nin = 2 + Math.floor(random() * 3);
      return [
        neuronScenario(3, undefined, draws(3), xs(3), 'numbers'),
        neuronScenario(nin, true, draws(nin), xs(nin), 'numbers'),
        neuronScenario(2, false, draws(2), xs(2), 'values'),
        neuronScenario(4, false, draws(4), xs(4), 'values'),
        neuronScenario(50, undefined, [], xs(50), 'numbers'),
      ];
    },
    mlp: () => {
      const layer = (nin: number, nout: number, nonlin?: boolean) => layerScenario(nin, nout, nonlin, draws(nin * nout), Array.from({ length: nin }, () => num()));
      const mlp = (nin: number, nouts: number[]) => {
        const count = [nin, ...nouts].slice(0, -1).reduce((n, size, l) => n + size * nouts[l], 0);
        return mlpScenario(nin, nouts, draws(count), Array.from({ length: nin }, () => num(-2, 2)));
      };
      return [layer(2 + Math.floor(random() * 2), 3), layer(3, 2, false), layer(2, 1), mlp(2 + Math.floor(random() * 2), [2 + Math.floor(random() * 3), 2 + Math.floor(random() * 2), 1]), mlp(3, [1]), mlp(2, [16, 16, 1])];
    },
    deep: () => [chainScenario(1_000_000)],
    train: () => [trainScenario()],
    tanh: () => [opsScenario([['value', num()], ['tanh', 0]], [[0, num()], [1, g()]], 'local'), lecture(false, [num(), num(), num(), num(), num()])],
    exp: () => [opsScenario([['value', num(-2, 2)], ['exp', 0]], [[0, num()], [1, g()]], 'local'), lecture(true, [num(-1, 1), num(-1, 1), num(-1, 1), num(-1, 1), num(-1, 1)])],
  };
  return new Map(stageIds.filter((id) => all[id]).map((id) => [id, [...(fixed[id]?.() ?? []), ...all[id]()]]));
}

/**
 * The TODOs of a stage and of every stage it needs, which its suite runs too (`alone`: its own
 * only, whose realm gets the grader's code for the rest, to tell whether a stage fails only
 * because of an earlier one).
 */
export function ownTodos(stageId: string, alone = false): string[] {
  const stage = stages.find((s) => s.id === stageId);
  if (!stage) return [];
  return alone ? stage.todos : [...new Set(stages.filter((s) => s === stage || dependsOn(stage, s.id)).flatMap((s) => s.todos))];
}
