/**
 * The verification child. It runs under Node's permission model, able to read this file and
 * nothing else, write nothing, and start no process, thread or addon. It reads one request from
 * stdin and, for each group of tasks, loads the submission (sent as JavaScript, never read from a
 * file) into a realm of its own: a vm context with its own built-ins, where no object of this
 * file's realm is ever handed in. What the submission replaces there (Array.prototype.map, JSON)
 * is its own; this file's code and its output never see it. The TODOs outside the group's stage
 * are the grader's own code in that realm, so a stage is checked on its own work. Each answer is
 * one line of plain JSON after the nonce; the trusted side judges every number.
 */
import { writeSync } from 'node:fs';
import vm from 'node:vm';
import type { Answer, Group, LayerAnswer, Line, MlpAnswer, NeuronAnswer, NodeAnswer, Request, Task } from './protocol.ts';

// Taken before any submission code has run anywhere in this process.
const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
const SyncWrite = writeSync;

function write(text: string): void {
  const buffer = Buffer.from(text);
  for (let at = 0; at < buffer.length; ) {
    try {
      at += SyncWrite(1, buffer, at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
    }
  }
}

const chunks: Buffer[] = [];
for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
const request: Request = parse(Buffer.concat(chunks).toString('utf8'));
const emit = (line: Line) => write(`${request.nonce}${stringify(line)}\n`);

/**
 * Evaluated inside each new realm before the submission loads, so it holds that realm's original
 * built-ins. It makes the arguments the tasks pass in (arrays, options, random), the quiet console
 * the submission may print to, and the grader's own code for the TODOs of other stages, whose text
 * Function.prototype.toString never shows. It must not refer to anything outside itself.
 */
function realmSetup() {
  'use strict';
  const apply = Reflect.apply;
  const defineProperty = Object.defineProperty;
  const getPrototypeOf = Object.getPrototypeOf;
  const weakAdd = WeakSet.prototype.add;
  const weakHas = WeakSet.prototype.has;
  const ownSource = Function.prototype.toString;
  const TypeErrorProto = TypeError.prototype;
  const secret = new WeakSet();
  const hidden = <F extends object>(f: F): F => (apply(weakAdd, secret, [f]), f);
  const toString = hidden(function toString(this: unknown) {
    return apply(weakHas, secret, [this]) ? 'function () { [native code] }' : apply(ownSource, this, []);
  });
  defineProperty(Function.prototype, 'toString', { value: toString, writable: true, configurable: true });
  const quiet = () => undefined;
  const consoleMethods = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table', 'assert', 'group', 'groupEnd', 'time', 'timeEnd', 'count'];
  const console: Record<string, () => undefined> = {};
  for (let i = 0; i < consoleMethods.length; i++) defineProperty(console, consoleMethods[i], { value: quiet, writable: true, enumerable: true, configurable: true });
  defineProperty(globalThis, 'console', { value: console, writable: true, configurable: true });
  // An engine needs nothing of Node's, but a debugging line may touch process or performance: they
  // are here as inert stand-ins, so that such code loads as it does in the suites.
  const ends = (name: string) => () => {
    throw new Error(`${name} is not allowed in the grader's own check`);
  };
  const start = Date.now();
  const hrtime = (prev?: [number, number]) => {
    const ms = Date.now() - start;
    const now: [number, number] = [Math.floor(ms / 1000), (ms % 1000) * 1e6];
    return prev ? [now[0] - prev[0], now[1] - prev[1]] : now;
  };
  hrtime.bigint = () => BigInt(Date.now() - start) * 1000000n;
  const stream = { write: () => true, isTTY: false };
  const stand = { env: {}, argv: [], platform: 'linux', versions: {}, stdout: stream, stderr: stream, exitCode: undefined, exit: ends('process.exit'), abort: ends('process.abort'), kill: ends('process.kill'), hrtime, memoryUsage: () => ({ rss: 0, heapTotal: 0, heapUsed: 0, external: 0, arrayBuffers: 0 }), nextTick: (f: () => void) => void Promise.resolve().then(f) };
  defineProperty(globalThis, 'process', { value: stand, writable: true, configurable: true });
  defineProperty(globalThis, 'performance', { value: { now: () => Date.now() - start }, writable: true, configurable: true });

  type V = { data: number; grad: number; _prev: V[]; _backward: () => void; [k: string]: any };
  type Ctor = new (data: number, children?: V[], op?: string) => V;
  /** The grader's own code for each TODO, with the submission's Value class. */
  function implementations(Value: Ctor): Record<string, (this: any, ...args: any[]) => unknown> {
    const wrap = (x: V | number): V => (x instanceof Value ? x : new Value(x as number));
    return {
      'Value.add'(this: V, other: V | number) {
        const self = this;
        const o = wrap(other);
        const out = new Value(self.data + o.data, [self, o], '+');
        out._backward = () => {
          self.grad += out.grad;
          o.grad += out.grad;
        };
        return out;
      },
      'Value.mul'(this: V, other: V | number) {
        const self = this;
        const o = wrap(other);
        const out = new Value(self.data * o.data, [self, o], '*');
        out._backward = () => {
          self.grad += o.data * out.grad;
          o.grad += self.data * out.grad;
        };
        return out;
      },
      'Value.pow'(this: V, n: number) {
        const self = this;
        if (typeof n !== 'number') throw new TypeError('only supporting int/float powers for now');
        const out = new Value(self.data ** n, [self], `**${n}`);
        out._backward = () => {
          self.grad += n * self.data ** (n - 1) * out.grad;
        };
        return out;
      },
      'Value.relu'(this: V) {
        const self = this;
        const out = new Value(self.data < 0 ? 0 : self.data, [self], 'ReLU');
        out._backward = () => {
          self.grad += (out.data > 0 ? 1 : 0) * out.grad;
        };
        return out;
      },
      'Value.tanh'(this: V) {
        const self = this;
        const t = Math.tanh(self.data);
        const out = new Value(t, [self], 'tanh');
        out._backward = () => {
          self.grad += (1 - t * t) * out.grad;
        };
        return out;
      },
      'Value.exp'(this: V) {
        const self = this;
        const out = new Value(Math.exp(self.data), [self], 'exp');
        out._backward = () => {
          self.grad += out.data * out.grad;
        };
        return out;
      },
      'Value.neg'(this: V) {
        return this.mul(-1);
      },
      'Value.sub'(this: V, other: V | number) {
        return this.add(other instanceof Value ? other.neg() : -other);
      },
      'Value.div'(this: V, other: V | number) {
        return this.mul(other instanceof Value ? other.pow(-1) : (other as number) ** -1);
      },
      'Value.backward'(this: V) {
        const order: V[] = [];
        const seen = new WeakSet();
        const stack: V[] = [this];
        const next: number[] = [0];
        let top = 0;
        let count = 0;
        apply(weakAdd, seen, [this]);
        while (top >= 0) {
          const v = stack[top];
          const i = next[top];
          next[top] = i + 1;
          if (i < v._prev.length) {
            const child = v._prev[i];
            if (!apply(weakHas, seen, [child])) {
              apply(weakAdd, seen, [child]);
              top++;
              stack[top] = child;
              next[top] = 0;
            }
          } else {
            order[count++] = v;
            top--;
          }
        }
        this.grad = 1;
        for (let i = count - 1; i >= 0; i--) order[i]._backward();
      },
      'Module.zeroGrad'(this: any) {
        const ps = this.parameters();
        for (let i = 0; i < ps.length; i++) ps[i].grad = 0;
      },
      'Neuron.forward'(this: any, x: (V | number)[]) {
        let act = this.b;
        for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i]));
        return this.nonlin ? act.relu() : act;
      },
      'Neuron.parameters'(this: any) {
        const out: V[] = [];
        for (let i = 0; i < this.w.length; i++) out[i] = this.w[i];
        out[this.w.length] = this.b;
        return out;
      },
      'Layer.forward'(this: any, x: (V | number)[]) {
        const out: V[] = [];
        for (let i = 0; i < this.neurons.length; i++) out[i] = this.neurons[i].forward(x);
        return out;
      },
      'Layer.parameters'(this: any) {
        const out: V[] = [];
        let n = 0;
        for (let i = 0; i < this.neurons.length; i++) {
          const ps = this.neurons[i].parameters();
          for (let j = 0; j < ps.length; j++) out[n++] = ps[j];
        }
        return out;
      },
      'MLP.forward'(this: any, x: (V | number)[]) {
        let out = x;
        for (let i = 0; i < this.layers.length; i++) out = this.layers[i].forward(out);
        return out;
      },
      'MLP.parameters'(this: any) {
        const out: V[] = [];
        let n = 0;
        for (let i = 0; i < this.layers.length; i++) {
          const ps = this.layers[i].parameters();
          for (let j = 0; j < ps.length; j++) out[n++] = ps[j];
        }
        return out;
      },
    };
  }

  return {
    arr: (...xs: unknown[]) => xs,
    seq: (xs: number[]) => {
      let i = 0;
      return () => xs[i++];
    },
    options: (nonlin: boolean | undefined, random: (() => number) | undefined) =>
      nonlin === undefined ? (random === undefined ? {} : { random }) : random === undefined ? { nonlin } : { nonlin, random },
    isTypeError(error: unknown): boolean {
      for (let p = error; p !== null && (typeof p === 'object' || typeof p === 'function'); ) {
        p = getPrototypeOf(p);
        if (p === TypeErrorProto) return true;
      }
      return false;
    },
    /** Puts the grader's own code for a TODO ('Value.add') onto the submission's prototype as `method`. */
    install(Value: Ctor, proto: object, method: string, todo: string) {
      const own = implementations(Value)[todo];
      if (own) defineProperty(proto, method, { value: hidden(own), writable: true, configurable: true });
    },
  };
}
type Helpers = ReturnType<typeof realmSetup>;

/** The first line of what was thrown, read as little as possible. */
function describeThrown(error: unknown): string {
  try {
    if (typeof error !== 'object' || error === null) return `a value that is not an Error: ${String(error).slice(0, 200)}`;
    const e = error as { name?: unknown; message?: unknown };
    return `${String(e.name ?? 'Error')}: ${String(e.message ?? '').split('\n')[0].slice(0, 200)}`;
  } catch {
    return 'an error that could not be read';
  }
}

/** A number as JSON can carry it: NaN and the infinities as text, anything else as what it is. */
function num(x: unknown): unknown {
  if (typeof x === 'number') return Number.isFinite(x) ? x : String(x);
  return x === undefined ? 'undefined' : x === null ? 'null' : `a ${typeof x}`;
}

/** The elements of an array-like the submission returned, read by index. */
function items(list: unknown): unknown[] {
  if (!list || typeof list !== 'object') return [];
  const length = (list as { length?: unknown }).length;
  const out: unknown[] = [];
  if (typeof length !== 'number') return out;
  for (let i = 0; i < Math.min(length, 1_000_000); i++) out.push((list as unknown[])[i]);
  return out;
}

type Engine = { Value: new (...args: unknown[]) => any; [k: string]: any };

class Realm {
  readonly context = vm.createContext(Object.create(null));
  readonly h: Helpers = vm.runInContext(`(${realmSetup.toString()})()`, this.context);
  engine?: Engine;
  nn?: Record<string, new (...args: unknown[]) => any>;

  /** Loads engine.js and nn.js; the errors, by file. */
  async load(sources: Request['sources']): Promise<{ file: 'engine.ts' | 'nn.ts'; message: string }[]> {
    const errors: { file: 'engine.ts' | 'nn.ts'; message: string }[] = [];
    const modules: Partial<Record<'engine' | 'nn', vm.SourceTextModule>> = {};
    for (const file of ['engine', 'nn'] as const) {
      const source = sources[file];
      if (source === null) {
        errors.push({ file: `${file}.ts`, message: `${file}.ts is missing` });
        continue;
      }
      try {
        modules[file] = new vm.SourceTextModule(source, { context: this.context, identifier: `${file}.ts` });
      } catch (error) {
        errors.push({ file: `${file}.ts`, message: `it does not parse: ${describeThrown(error)}` });
      }
    }
    // Whatever form the import takes (./engine.ts, ./engine.js, ./engine), it is the other file.
    const link = (specifier: string) => {
      const name = /^\.\/(engine|nn)(\.ts|\.js)?$/.exec(specifier)?.[1] as 'engine' | 'nn' | undefined;
      const found = name && modules[name];
      if (found) return found;
      throw new Error(name ? `it imports ${specifier}, which could not be loaded` : `it imports '${specifier}', but an engine may import only ./engine and ./nn`);
    };
    for (const file of ['engine', 'nn'] as const) {
      const module = modules[file];
      if (!module) continue;
      try {
        if (module.status === 'unlinked') await module.link(link);
        await module.evaluate({ timeout: 5000 });
        if (file === 'engine') this.engine = module.namespace as Engine;
        else this.nn = module.namespace as NonNullable<Realm['nn']>;
      } catch (error) {
        const message = /timed out/.test(String((error as Error)?.message)) ? 'loading it never finished: code outside any method runs forever' : describeThrown(error);
        errors.push({ file: `${file}.ts`, message });
      }
    }
    return errors;
  }

  /** Puts the grader's own code in place of every TODO outside `own`. */
  isolate(own: string[]): void {
    const Value = this.engine?.Value;
    if (typeof Value !== 'function') return;
    const nn = this.nn ?? {};
    const proto = (cls: unknown) => (typeof cls === 'function' && cls.prototype && typeof cls.prototype === 'object' ? (cls.prototype as object) : undefined);
    const neuron = proto(nn.Neuron);
    const prototypes: Record<string, object | undefined> = {
      Value: proto(Value),
      Module: proto(nn.Module) ?? (neuron ? Object.getPrototypeOf(neuron) : undefined),
      Neuron: neuron,
      Layer: proto(nn.Layer),
      MLP: proto(nn.MLP),
    };
    for (const todo of TODOS.filter((t) => !own.includes(t))) {
      const [cls, method] = todo.split('.');
      if (prototypes[cls]) this.h.install(Value, prototypes[cls]!, method, todo);
    }
  }

  /** A Value as plain data; `index` maps the task's own nodes to their step. */
  node(v: any, index: Map<unknown, number>): NodeAnswer {
    if (v === null || (typeof v !== 'object' && typeof v !== 'function')) return { data: num(v), grad: 'undefined', op: 'undefined', isValue: false, same: -1, prev: null };
    const prev = v._prev;
    return {
      data: num(v.data),
      grad: num(v.grad),
      op: typeof v._op === 'string' ? v._op : num(v._op),
      isValue: v instanceof this.engine!.Value,
      same: -1,
      prev: prev && typeof prev === 'object' ? items(prev).map((p: any) => [index.get(p) ?? -1, num(p?.data), typeof p?._op === 'string' ? p._op : num(p?._op), num(p?.grad)]) : null,
    };
  }

  values(xs: number[]): unknown[] {
    return this.h.arr(...xs.map((x) => new this.engine!.Value(x)));
  }

  random(xs: number[]): (() => number) | undefined {
    return xs.length > 0 ? this.h.seq(this.h.arr(...xs) as number[]) : undefined;
  }
}

/** Every node below `root`, each after the nodes it was computed from: the child's own walk. */
function topo(root: any): any[] {
  const order: any[] = [];
  const seen = new Set([root]);
  const stack: [any, unknown[]][] = [[root, items(root?._prev)]];
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    if (top[1].length === 0) {
      stack.pop();
      order.push(top[0]);
      continue;
    }
    const child = top[1].shift();
    if (!seen.has(child)) {
      seen.add(child);
      stack.push([child, items((child as any)?._prev)]);
    }
  }
  return order;
}

/** How many nodes at each end of a long program have their operands read. */
const STRUCTURE = 100;

function runOps(realm: Realm, task: Extract<Task, { kind: 'ops' }>): Answer {
  const Value = realm.engine!.Value;
  const made: any[] = [];
  const index = new Map<unknown, number>();
  /** For each step, the earlier step whose very object it returned (-1: a new object). */
  const same: number[] = [];
  for (const [i, [op, a, b]] of task.steps.entries()) {
    let v: any;
    if (op === 'value') v = new Value(a);
    else if (op === 'relu' || op === 'neg' || op === 'tanh' || op === 'exp') v = made[a][op]();
    else if (op === 'pow') v = made[a].pow(b);
    else v = made[a][op](typeof b === 'number' ? made[b] : b!.n);
    same.push(index.get(v) ?? -1);
    made.push(v);
    if (!index.has(v)) index.set(v, i);
  }
  for (const [i, g] of task.grads) made[i].grad = g;
  const out = made[task.out ?? made.length - 1];
  if (task.pass === 'local') out._backward();
  if (task.pass === 'chain') for (const v of topo(out).reverse()) v._backward();
  for (let t = 0; task.pass === 'backward' && t < (task.times ?? 1); t++) out.backward();
  // After the pass: each node's data, grad and operands as they are now. A long program's operands
  // are read at its ends only: its structure is the same all through.
  const full = (i: number) => i < STRUCTURE || i >= made.length - STRUCTURE;
  return { nodes: made.map((v, i) => (full(i) ? { ...realm.node(v, index), same: same[i] } : { data: num(v?.data), grad: num(v?.grad) })) as NodeAnswer[] };
}

function runThrows(realm: Realm, task: Extract<Task, { kind: 'throws' }>): Answer {
  const Value = realm.engine!.Value;
  const a = new Value(task.base);
  const exponent = task.exponent === 'value' ? new Value(3) : '2';
  try {
    a.pow(exponent);
  } catch (error) {
    return { thrown: realm.h.isTypeError(error) ? 'TypeError' : describeThrown(error) };
  }
  return { thrown: 'nothing' };
}

function runNeuron(realm: Realm, task: Extract<Task, { kind: 'neuron' }>): Answer {
  const { Neuron } = realm.nn!;
  const n = new Neuron(task.nin, realm.h.options(task.nonlin, realm.random(task.random)));
  const w = items(n.w);
  const twin = new Neuron(task.nin, realm.h.options(task.nonlin, realm.random(task.random)));
  const inputs = task.inputs === 'values' ? realm.values(task.x) : realm.h.arr(...task.x);
  const out = n.forward(inputs);
  const index = new Map<unknown, number>();
  const answer: NeuronAnswer = {
    w: w.map((x: any) => num(x?.data)),
    b: num(n.b?.data),
    nonlin: n.nonlin,
    distinct: new Set(w).size,
    biasIsWeight: w.includes(n.b),
    shares: twin.b === n.b || items(twin.w).some((x) => w.includes(x)),
    out: realm.node(out, index),
    gw: [],
    gb: undefined,
    gx: [],
    which: [],
    fresh: false,
    wLength: undefined,
    zeroed: [],
    dataKept: false,
  };
  if (n.nonlin === false && w.length >= 2) {
    let node = out;
    let last = true;
    for (let i = w.length - 1; i >= 1 && node; i--) {
      last &&= node?._prev?.[1]?._prev?.[0] === w[i];
      node = node?._prev?.[0];
    }
    answer.order = [node?._prev?.[0] === n.b, last];
  }
  out.backward();
  answer.gw = w.map((x: any) => num(x?.grad));
  answer.gb = num(n.b?.grad);
  answer.gx = task.inputs === 'values' ? items(inputs).map((x: any) => num(x.grad)) : [];
  const first = n.parameters();
  const second = n.parameters();
  const own = [...w, n.b];
  const listed = items(second);
  answer.which = listed.map((p) => own.indexOf(p));
  answer.fresh = first !== second;
  answer.wLength = num(n.w?.length);
  const data = listed.map((p: any) => p?.data);
  for (const p of listed as any[]) p.grad = 5;
  n.zeroGrad();
  answer.zeroed = listed.map((p: any) => num(p?.grad));
  answer.dataKept = listed.every((p: any, i) => Object.is(p?.data, data[i]));
  return { neuron: answer };
}

function runLayer(realm: Realm, task: Extract<Task, { kind: 'layer' }>): Answer {
  const layer = new realm.nn!.Layer(task.nin, task.nout, realm.h.options(task.nonlin, realm.random(task.random)));
  const neurons = items(layer.neurons) as any[];
  const weights = neurons.map((n) => items(n?.w));
  const outs = layer.forward(realm.h.arr(...task.x));
  const first = layer.parameters();
  const second = layer.parameters();
  const where = new Map<unknown, [number, number]>();
  neurons.forEach((n, i) => [...weights[i], n?.b].forEach((p, j) => where.has(p) || where.set(p, [i, j])));
  const answer: LayerAnswer = {
    neurons: neurons.map((n, i) => ({ nin: num(weights[i].length), nonlin: n?.nonlin, w: weights[i].map((x: any) => num(x?.data)) })),
    distinct: new Set(neurons).size === neurons.length && new Set(weights.flat()).size === weights.flat().length,
    outs: items(outs).map((o: any) => num(o?.data)),
    each: neurons.map((n) => num(n?.forward(realm.h.arr(...task.x))?.data)),
    isArray: isArray(outs),
    which: items(second).map((p) => where.get(p) ?? [-1, -1]),
    fresh: first !== second,
  };
  return { layer: answer };
}

/** MLPs with at most this many parameters get their gradients checked against a central difference. */
const NUMERIC = 60;

function runMlp(realm: Realm, task: Extract<Task, { kind: 'mlp' }>): Answer {
  const mlp = new realm.nn!.MLP(task.nin, realm.h.arr(...task.nouts), realm.h.options(undefined, realm.random(task.random)));
  const layers = items(mlp.layers) as any[];
  const neurons = layers.map((l) => items(l?.neurons) as any[]);
  const expected = neurons.flat().flatMap((n) => [...items(n?.w), n?.b]);
  const forward = () => mlp.forward(realm.values(task.x));
  const outs = forward();
  const list = items(outs) as any[];
  let chained: unknown = realm.values(task.x);
  for (const layer of layers) chained = layer.forward(chained);
  list[0]?.backward();
  const first = mlp.parameters();
  const second = mlp.parameters();
  const params = items(second) as any[];
  const graph = new Set(list[0] ? topo(list[0]) : []);
  // As the suite does: the gradients must agree with the MLP's own forward, nudged one parameter at a time.
  const at = () => Number((items(forward())[0] as any)?.data);
  const base = params.length > NUMERIC ? 0 : at();
  const numeric =
    params.length > NUMERIC
      ? null
      : params.map((p): [unknown, number, number] => {
          const grad = num(p?.grad);
          const data = p.data;
          p.data = data + 1e-6;
          const up = at();
          p.data = data - 1e-6;
          const down = at();
          p.data = data;
          return [grad, (base - down) / 1e-6, (up - base) / 1e-6];
        });
  const answer: MlpAnswer = {
    layers: neurons.map((ns) => ({ nin: num(items(ns[0]?.w).length), nout: num(ns.length), nonlin: ns[0]?.nonlin })),
    w: neurons.flat().flatMap((n) => items(n?.w).map((x: any) => num(x?.data))),
    isArray: isArray(outs),
    outs: list.map((o) => num(o?.data)),
    chained: items(chained).map((o: any) => num(o?.data)),
    count: params.length,
    numeric,
    inOrder: params.length === expected.length && params.every((p, i) => p === expected[i]),
    fresh: first !== second,
    inGraph: expected.every((p) => graph.has(p)),
    leftAfterZero: 0,
  };
  mlp.zeroGrad();
  answer.leftAfterZero = params.filter((p) => p?.grad !== 0).length;
  return { mlp: answer };
}

function runChain(realm: Realm, task: Extract<Task, { kind: 'chain' }>): Answer {
  const Value = realm.engine!.Value;
  const x = new Value(1);
  const step = new Value(0.5);
  let y = x;
  for (let i = 0; i < task.length; i++) y = y.add(step);
  try {
    y.backward();
  } catch (error) {
    const thrown = describeThrown(error);
    return { error: thrown.startsWith('RangeError') ? `ran out of call stack (${thrown})` : `threw ${thrown}` };
  }
  return { chain: { x: num(x.grad), step: num(step.grad) } };
}

/** The notebook's loop (grader/notebook/train.ts), operation for operation, on the submission's classes. */
function runTrain(realm: Realm, task: Extract<Task, { kind: 'train' }>): Answer {
  const Value = realm.engine!.Value;
  const model = new realm.nn!.MLP(2, realm.h.arr(16, 16, 1), realm.h.options(undefined, realm.random(task.random)));
  const losses: unknown[] = [];
  const accuracies: number[] = [];
  for (let k = 0; k < task.steps; k++) {
    const scores = task.X.map((row) => items(model.forward(realm.values(row)))[0] as any);
    const terms = scores.map((score, i) => score.mul(-task.y[i]).add(1).relu());
    let sum = new Value(0);
    for (const term of terms) sum = sum.add(term);
    const dataLoss = sum.mul(1.0 / terms.length);
    let squares = new Value(0);
    for (const p of items(model.parameters()) as any[]) squares = squares.add(p.mul(p));
    const total = dataLoss.add(squares.mul(1e-4));
    accuracies.push(scores.filter((s, i) => task.y[i] > 0 === s?.data > 0).length / scores.length);
    losses.push(num(total.data));
    model.zeroGrad();
    total.backward();
    const lr = 1.0 - (0.9 * k) / task.steps;
    for (const p of items(model.parameters()) as any[]) p.data -= lr * p.grad;
  }
  return { train: { losses, accuracies } };
}

const runners = { ops: runOps, throws: runThrows, neuron: runNeuron, layer: runLayer, mlp: runMlp, chain: runChain, train: runTrain } as const;
/** Every TODO a group's realm may replace. */
const TODOS = ['Value.add', 'Value.mul', 'Value.pow', 'Value.relu', 'Value.tanh', 'Value.exp', 'Value.neg', 'Value.sub', 'Value.div', 'Value.backward', 'Module.zeroGrad', 'Neuron.forward', 'Neuron.parameters', 'Layer.forward', 'Layer.parameters', 'MLP.forward', 'MLP.parameters'];

let task = 0;
const realms = new Map<string, { realm: Realm; errors: { file: 'engine.ts' | 'nn.ts'; message: string }[] }>();
for (const [g, group] of (request.groups as Group[]).entries()) {
  if (!realms.has(group.realm)) {
    const fresh = new Realm();
    realms.set(group.realm, { realm: fresh, errors: await fresh.load(request.sources) });
    if (group.own) fresh.isolate(group.own);
  }
  const { realm, errors } = realms.get(group.realm)!;
  emit({ kind: 'load', group: g, errors });
  for (const t of group.tasks) {
    emit({ kind: 'start', task });
    let answer: Answer;
    const usesNn = t.kind === 'neuron' || t.kind === 'layer' || t.kind === 'mlp' || t.kind === 'train';
    if (typeof realm.engine?.Value !== 'function') answer = { error: realm.engine ? 'engine.ts does not export a class Value' : 'could not load engine.ts' };
    else if (usesNn && !realm.nn) answer = { error: 'could not load nn.ts' };
    else {
      try {
        answer = (runners[t.kind] as (realm: Realm, task: Task) => Answer)(realm, t);
      } catch (error) {
        answer = { error: `threw ${describeThrown(error)}` };
      }
    }
    emit({ kind: 'answer', task, answer });
    task++;
  }
}
emit({ kind: 'done' });
process.exit(0);
