/**
 * The trusted side of verification: random scenarios for each stage, and what
 * the answers must be, computed here with a plain-number tape rather than with
 * any engine (the kit's reference included). Numbers are compared within 1e-9.
 */
import { mulberry32 } from '../notebook/random.ts';
import type { Answer, Step, Task } from './protocol.ts';

/** A scenario: the task the child runs, and how to judge its answer (undefined: right; else what is wrong). */
export interface Scenario {
  stage: string;
  task: Task;
  judge: (answer: Answer) => string | undefined;
}

/** Plain numbers with their local derivatives, in the order they were made: a topological order. */
class Tape {
  data: number[] = [];
  grad: number[] = [];
  parents: [number, number][][] = [];

  node(data: number, parents: [number, number][] = []): number {
    this.data.push(data);
    this.grad.push(0);
    this.parents.push(parents);
    return this.data.length - 1;
  }

  add(a: number, b: number) {
    return this.node(this.data[a] + this.data[b], [[a, 1], [b, 1]]);
  }
  mul(a: number, b: number) {
    return this.node(this.data[a] * this.data[b], [[a, this.data[b]], [b, this.data[a]]]);
  }
  pow(a: number, n: number) {
    return this.node(this.data[a] ** n, [[a, n * this.data[a] ** (n - 1)]]);
  }
  relu(a: number) {
    const y = this.data[a] < 0 ? 0 : this.data[a];
    return this.node(y, [[a, y > 0 ? 1 : 0]]);
  }

  /** micrograd's chain rule from `out` down: each node passes its grad on, last made first. */
  pass(out: number): void {
    for (let i = out; i >= 0; i--) for (const [p, d] of this.parents[i]) this.grad[p] += d * this.grad[i];
  }
}

const near = (got: unknown, want: number) => typeof got === 'number' && Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
const fmt = (x: number) => String(Math.round(x * 1e6) / 1e6);

/** Builds the steps on a tape, as micrograd defines each op; returns each step's node. */
function replay(tape: Tape, steps: Step[]): number[] {
  const at: number[] = [];
  const arg = (x: number | { n: number } | undefined) => (typeof x === 'number' ? at[x] : tape.node(x!.n));
  for (const [op, a, b] of steps) {
    if (op === 'value') at.push(tape.node(a));
    else if (op === 'add') at.push(tape.add(at[a], arg(b)));
    else if (op === 'mul') at.push(tape.mul(at[a], arg(b)));
    else if (op === 'pow') at.push(tape.pow(at[a], b));
    else if (op === 'relu') at.push(tape.relu(at[a]));
    else if (op === 'neg') at.push(tape.mul(at[a], tape.node(-1)));
    else if (op === 'sub') at.push(tape.add(at[a], tape.mul(arg(b), tape.node(-1))));
    else at.push(tape.mul(at[a], tape.pow(arg(b), -1)));
  }
  return at;
}

const ops: Record<string, string> = { add: '+', mul: '*', neg: '*', sub: '+', div: '*', relu: 'ReLU' };

/** How a program reads: 'x0 = Value(1.5); x1 = x0.mul(2)'. */
function show(steps: Step[]): string {
  const arg = (x: number | { n: number }) => (typeof x === 'number' ? `x${x}` : fmt(x.n));
  return steps.map(([op, a, b], i) => `x${i} = ${op === 'value' ? `Value(${fmt(a)})` : `x${a}.${op}(${op === 'pow' ? b : b === undefined ? '' : arg(b as number)})`}`).join('; ');
}

function opsScenario(stage: string, steps: Step[], grads: [number, number][], pass: 'local' | 'chain' | 'backward', times = 1): Scenario {
  const task: Task = { kind: 'ops', steps, grads, pass, times };
  const tape = new Tape();
  const at = replay(tape, steps);
  for (const [i, g] of grads) tape.grad[at[i]] = g;
  const out = at[at.length - 1];
  if (pass === 'local') for (const [p, d] of tape.parents[out]) tape.grad[p] += d * tape.grad[out];
  if (pass === 'chain') tape.pass(out);
  for (let t = 0; pass === 'backward' && t < times; t++) {
    tape.grad[out] = 1;
    tape.pass(out);
  }
  const before = grads.length ? ` with ${grads.map(([i, g]) => `x${i}.grad = ${fmt(g)}`).join(', ')}` : '';
  const did = pass === 'local' ? `x${steps.length - 1}._backward()` : pass === 'chain' ? `each _backward from x${steps.length - 1} down` : `x${steps.length - 1}.backward()${times > 1 ? ` ${times} times` : ''}`;
  const where = `${show(steps)}; then${before}, ${did}`;
  const judge = (answer: Answer) => {
    if ('error' in answer) return `${where}: ${answer.error}`;
    const nodes = answer.nodes ?? [];
    for (let i = 0; i < steps.length; i++) {
      const [op, a] = steps[i];
      const node = nodes[i];
      if (!node) return `${where}: x${i} is missing`;
      if (!near(node.data, tape.data[at[i]])) return `${show(steps.slice(0, i + 1))}: x${i}.data should be ${fmt(tape.data[at[i]])}, got ${node.data}`;
      if (op === 'value') continue;
      const label = op === 'pow' ? `**${steps[i][2]}` : ops[op];
      if (node.op !== label) return `${show(steps.slice(0, i + 1))}: x${i}._op should be '${label}', got '${node.op}'`;
      if (node.prev[0]?.[0] !== a) return `${show(steps.slice(0, i + 1))}: x${i}._prev[0] should be x${a} itself`;
    }
    // Leaves and every step the pass reaches: their grads.
    for (let i = 0; i < steps.length; i++) {
      if (!near(nodes[i].grad, tape.grad[at[i]])) return `${where}: x${i}.grad should be ${fmt(tape.grad[at[i]])}, got ${nodes[i].grad}`;
    }
    return undefined;
  };
  return { stage, task, judge };
}

/** What a neuron or an MLP built from these weights must give, by the tape. */
function network(nin: number, nouts: number[], random: number[], x: number[], lastLinear: boolean) {
  const tape = new Tape();
  const xs = x.map((v) => tape.node(v));
  const params: number[] = [];
  let input = xs;
  let k = 0;
  const sizes = [nin, ...nouts];
  nouts.forEach((nout, l) => {
    const nonlin = lastLinear ? l < nouts.length - 1 : true;
    input = Array.from({ length: nout }, () => {
      const w = Array.from({ length: sizes[l] }, () => tape.node(-1 + 2 * random[k++]));
      const b = tape.node(0);
      params.push(...w, b);
      let act = b;
      w.forEach((wi, i) => (act = tape.add(act, tape.mul(wi, input[i]))));
      return nonlin ? tape.relu(act) : act;
    });
  });
  tape.grad[input[0]] = 1;
  tape.pass(input[0]);
  return { outs: input.map((o) => tape.data[o]), params: params.map((p) => [tape.data[p], tape.grad[p]] as const), gx: xs.map((i) => tape.grad[i]) };
}

function compare(where: string, got: unknown, want: readonly number[], what: string): string | undefined {
  if (!Array.isArray(got) || got.length !== want.length) return `${where}: ${what} should be ${want.length} numbers, got ${Array.isArray(got) ? got.length : String(got)}`;
  const i = want.findIndex((w, j) => !near(got[j], w));
  return i < 0 ? undefined : `${where}: ${what}[${i}] should be ${fmt(want[i])}, got ${got[i]}`;
}

function neuronScenario(random: () => number, nonlin: boolean): Scenario {
  const nin = 2 + Math.floor(random() * 3);
  const draws = Array.from({ length: nin }, random);
  const x = Array.from({ length: nin }, () => Math.round((random() * 6 - 3) * 1000) / 1000);
  const want = network(nin, [1], draws, x, !nonlin);
  const where = `new Neuron(${nin}, { nonlin: ${nonlin} }) with random() giving ${draws.map(fmt).join(', ')}, forward([${x.map(fmt).join(', ')}]).backward()`;
  return {
    stage: 'neuron',
    task: { kind: 'neuron', nin, nonlin, random: draws, x },
    judge: (a) => {
      if ('error' in a) return `${where}: ${a.error}`;
      if (a.distinct !== nin) return `${where}: the ${nin} weights should be ${nin} different Values`;
      if (!a.fresh) return `${where}: parameters() should return a new array each time and leave w alone`;
      if (a.which?.join() !== Array.from({ length: nin + 1 }, (_, i) => i).join()) return `${where}: parameters() should be [...w, b] themselves`;
      return (
        compare(where, a.outs, want.outs, 'the output') ??
        compare(where, a.params?.map((p) => p[0]), want.params.map((p) => p[0]), 'the parameters’ data') ??
        compare(where, a.params?.map((p) => p[1]), want.params.map((p) => p[1]), 'the parameters’ grads') ??
        compare(where, a.gx, want.gx, 'the inputs’ grads')
      );
    },
  };
}

function mlpScenario(random: () => number): Scenario {
  const nin = 2 + Math.floor(random() * 2);
  const nouts = [2 + Math.floor(random() * 3), 2 + Math.floor(random() * 2), 1];
  const count = [nin, ...nouts].slice(0, -1).reduce((n, size, l) => n + size * nouts[l], 0);
  const draws = Array.from({ length: count }, random);
  const x = Array.from({ length: nin }, () => Math.round((random() * 4 - 2) * 1000) / 1000);
  const want = network(nin, nouts, draws, x, true);
  const where = `new MLP(${nin}, [${nouts}]) with ${count} drawn weights, forward([${x.map(fmt).join(', ')}])[0].backward()`;
  return {
    stage: 'mlp',
    task: { kind: 'mlp', nin, nouts, random: draws, x },
    judge: (a) => {
      if ('error' in a) return `${where}: ${a.error}`;
      if (!a.array) return `${where}: forward should return an array`;
      if (!a.fresh) return `${where}: parameters() should return a new array each time`;
      return (
        compare(where, a.outs, want.outs, 'the outputs') ??
        compare(where, a.params?.map((p) => p[0]), want.params.map((p) => p[0]), 'the parameters’ data') ??
        compare(where, a.params?.map((p) => p[1]), want.params.map((p) => p[1]), 'the parameters’ grads') ??
        compare(where, a.gx, want.gx, 'the inputs’ grads')
      );
    },
  };
}

/** Random scenarios for these stages, from a seed the submission never sees. */
export function scenarios(stageIds: string[], seed: number): Scenario[] {
  const random = mulberry32(seed);
  const num = (lo = -3, hi = 3) => {
    const x = Math.round((lo + (hi - lo) * random()) * 1000) / 1000;
    return x === 0 ? 0.5 : x;
  };
  const g = () => num(0.5, 3);
  const all: Record<string, () => Scenario[]> = {
    add: () => [
      opsScenario('add', [['value', num()], ['value', num()], ['add', 0, 1]], [[0, num()], [1, num()], [2, g()]], 'local'),
      opsScenario('add', [['value', num()], ['add', 0, { n: num() }]], [[1, g()]], 'local'),
      opsScenario('add', [['value', num()], ['add', 0, 0]], [[1, g()]], 'local'),
    ],
    mul: () => [
      opsScenario('mul', [['value', num()], ['value', num()], ['mul', 0, 1]], [[0, num()], [1, num()], [2, g()]], 'local'),
      opsScenario('mul', [['value', 0], ['value', num()], ['mul', 0, 1]], [[2, g()]], 'local'),
      opsScenario('mul', [['value', num()], ['mul', 0, { n: num() }]], [[1, g()]], 'local'),
      opsScenario('mul', [['value', num()], ['neg', 0]], [[1, g()]], 'chain'),
      opsScenario('mul', [['value', num()], ['value', num()], ['sub', 0, 1]], [[2, g()]], 'chain'),
      opsScenario('mul', [['value', num()], ['sub', 0, { n: num() }]], [[1, g()]], 'chain'),
    ],
    pow: () => [
      opsScenario('pow', [['value', num()], ['pow', 0, [2, 3, -1][Math.floor(random() * 3)]]], [[0, num()], [1, g()]], 'local'),
      opsScenario('pow', [['value', num(0.2, 4)], ['pow', 0, [0.5, -2, 1.5][Math.floor(random() * 3)]]], [[1, g()]], 'local'),
      opsScenario('pow', [['value', 0], ['pow', 0, 2]], [[1, g()]], 'local'),
      opsScenario('pow', [['value', num()], ['value', num(0.5, 3)], ['div', 0, 1]], [[2, g()]], 'chain'),
      opsScenario('pow', [['value', num()], ['div', 0, { n: num(0.5, 3) }]], [[1, g()]], 'chain'),
    ],
    relu: () => [num(-3, -0.1), 0, num(0.1, 3)].map((a) => opsScenario('relu', [['value', a], ['relu', 0]], [[0, num()], [1, g()]], 'local')),
    backward: () => [
      opsScenario('backward', [['value', num()], ['value', num()], ['mul', 0, 1], ['add', 2, 0], ['pow', 3, 2], ['add', 4, 2]], [], 'backward'),
      opsScenario('backward', [['value', num()], ['value', num(0.5, 3)], ['div', 0, 1], ['relu', 2], ['sub', 3, 1], ['mul', 4, 4]], [[0, num()]], 'backward'),
      opsScenario('backward', [['value', num()], ['value', num()], ['value', num()], ['mul', 0, 1], ['add', 3, 2], ['neg', 4]], [], 'backward', 2),
    ],
    neuron: () => [neuronScenario(random, true), neuronScenario(random, false)],
    mlp: () => [mlpScenario(random), mlpScenario(random)],
  };
  return stageIds.flatMap((id) => all[id]?.() ?? []);
}
