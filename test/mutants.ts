// The catalog of realistic mistakes (one bug in one method each) and of correct but unusual
// implementations, shared by the catalog test and the class-grading test.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spliceBodies } from '../grader/source/source.ts';
import { allTodos, fileOf } from '../grader/stages.ts';
import { studentFolder } from './helpers.ts';

/** Every TODO solved, then these methods' bodies replaced: `{ 'Value.add': '{ … }' }`. */
export function solvedWith(bodies: Record<string, string>): string {
  const dir = studentFolder(allTodos);
  for (const file of ['engine.ts', 'nn.ts'] as const) {
    const mine = Object.entries(bodies).filter(([todo]) => fileOf(todo) === file);
    if (mine.length === 0) continue;
    // A source with only these methods, for spliceBodies to take their bodies from.
    const classes = new Map<string, string[]>();
    for (const [todo, body] of mine) {
      const [cls, method] = todo.split('.');
      classes.set(cls, [...(classes.get(cls) ?? []), `  ${method}() ${body}`]);
    }
    const source = [...classes].map(([cls, methods]) => `class ${cls} {\n${methods.join('\n')}\n}`).join('\n');
    const path = join(dir, file);
    writeFileSync(path, spliceBodies(readFileSync(path, 'utf8'), source, mine.map(([todo]) => todo)));
  }
  return dir;
}

export interface Mutant {
  kind: string;
  todo: string;
  body: string;
  /** Words the failure must say, or must not; and the explainer, under it. */
  says?: RegExp;
  never?: RegExp;
  explains?: RegExp;
}

const mulBody = (grads: string, wrap = 'other instanceof Value ? other : new Value(other)') => `{
    const o = ${wrap};
    const out = new Value(this.data * o.data, [this, o], '*');
    out._backward = () => {
      ${grads}
    };
    return out;
  }`;
const powBody = (check: string, grad: string, forward = 'this.data ** exponent') => `{
    ${check}
    const out = new Value(${forward}, [this], \`**\${exponent}\`);
    out._backward = () => {
      this.grad += ${grad};
    };
    return out;
  }`;
const addBody = (grads: string, children = '[this, o]') => `{
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data + o.data, ${children}, '+');
    out._backward = () => {
      ${grads}
    };
    return out;
  }`;
const backwardBody = (before: string, visited: string, start = 'this.grad = 1;') => `{
    const topo: Value[] = [];
    ${visited}
    const stack: [Value, number][] = [[this, 0]];
    seen.add(this);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, i] = top;
      if (i < v._prev.length) {
        top[1]++;
        const child = v._prev[i];
        if (!seen.has(child)) {
          seen.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        topo.push(v);
      }
    }
    ${before}
    ${start}
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }`;
const freshSet = 'const seen = new Set<Value>();';

export const mutants: Mutant[] = [
  // Edge values
  { kind: 'edge', todo: 'Value.mul', body: mulBody('this.grad += (out.data / this.data) * out.grad;\n      o.grad += (out.data / o.data) * out.grad;') },
  { kind: 'edge', todo: 'Value.mul', body: mulBody('this.grad += o.data * out.grad;\n      o.grad += this.data * out.grad;', 'other instanceof Value ? other : new Value(other || 1)') },
  { kind: 'edge', todo: 'Value.pow', body: powBody("if (typeof exponent !== 'number') throw new TypeError('exponent must be a number');", '((exponent * out.data) / this.data) * out.grad') },
  { kind: 'edge', todo: 'Value.pow', body: powBody("if (typeof exponent !== 'number') throw new TypeError('exponent must be a number');", 'exponent * Math.exp((exponent - 1) * Math.log(this.data)) * out.grad', 'Math.exp(exponent * Math.log(this.data))') },
  { kind: 'edge', todo: 'Value.pow', body: powBody("if (exponent instanceof Value) throw new TypeError('exponent must be a number');", 'exponent * this.data ** (exponent - 1) * out.grad') },
  { kind: 'edge', todo: 'Value.pow', body: powBody("if (typeof exponent === 'object') throw new TypeError('exponent must be a number');", 'exponent * this.data ** (exponent - 1) * out.grad') },
  { kind: 'edge', todo: 'Neuron.forward', body: '{\n    let act = this.b;\n    for (let i = 0; i < this.w.length; i++) act = this.nonlin ? act.add(this.w[i].mul(x[i])).relu() : act.add(this.w[i].mul(x[i]));\n    return act;\n  }', says: /relu was applied to a partial sum/ },
  { kind: 'edge', todo: 'Neuron.forward', body: '{\n    let act = this.b;\n    for (let i = 0; i < this.w.length; i++) act = act.add(this.nonlin ? this.w[i].mul(x[i]).relu() : this.w[i].mul(x[i]));\n    return this.nonlin ? act.relu() : act;\n  }' },
  // out.grad other than 1
  { kind: 'out.grad', todo: 'Value.pow', body: powBody("if (typeof exponent !== 'number') throw new TypeError('exponent must be a number');", 'exponent * this.data ** (exponent - 1)') },
  { kind: 'out.grad', todo: 'Value.relu', body: "{\n    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');\n    out._backward = () => {\n      this.grad += out.data > 0 ? 1 : 0;\n    };\n    return out;\n  }" },
  // Right at every positive input; passes the grad on at 0 and below. Neuron's suite meets it too, in
  // a neuron whose relu is off, as the trusted check does: both fail neuron.
  { kind: 'edge', todo: 'Value.relu', body: "{\n    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');\n    out._backward = () => {\n      this.grad += (out.data >= 0 ? 1 : 0) * out.grad;\n    };\n    return out;\n  }" },
  { kind: 'out.grad', todo: 'Value.neg', body: "{\n    const out = new Value(-this.data, [this], '*');\n    out._backward = () => {\n      this.grad += -1;\n    };\n    return out;\n  }" },
  { kind: 'out.grad', todo: 'Value.add', body: addBody('this.grad += out.data;\n      o.grad += out.data;'), never: /\+=/ },
  // Repeated calls
  { kind: 'repeated', todo: 'Value.backward', body: backwardBody('', freshSet, 'this.grad += 1;') },
  { kind: 'repeated', todo: 'Value.backward', body: backwardBody('', 'const seen: Set<Value> = ((Value as any).visited ??= new Set());'), says: /visited set/ },
  { kind: 'repeated', todo: 'Value.backward', body: backwardBody('for (const v of topo) v.grad = 0;', freshSet), says: /never zero/ },
  { kind: 'repeated', todo: 'Neuron.parameters', body: '{\n    this.w.push(this.b);\n    return this.w;\n  }' },
  { kind: 'repeated', todo: 'Layer.parameters', body: '{\n    return ((this as any).cache ??= this.neurons.flatMap((n) => n.parameters()));\n  }' },
  { kind: 'repeated', todo: 'MLP.parameters', body: '{\n    return ((this as any).cache ??= this.layers.flatMap((l) => l.parameters()));\n  }' },
  // Identity
  { kind: 'identity', todo: 'Neuron.constructor', body: '{\n    super();\n    const random = options.random ?? Math.random;\n    this.w = Array.from({ length: nin }, () => new Value(-1 + 2 * random()));\n    this.b = ((Neuron as any).bias ??= new Value(0));\n    this.nonlin = options.nonlin ?? true;\n  }', says: /share the same bias/ },
  { kind: 'identity', todo: 'Layer.constructor', body: '{\n    super();\n    this.neurons = new Array(nout).fill(new Neuron(nin, options));\n  }', says: /Array\(n\)\.fill\(new Neuron\(…\)\) fills every place with one and the same object/ },
  { kind: 'identity', todo: 'Value.add', body: addBody('this.grad += out.grad;\n      o.grad += out.grad;', '[new Value(this.data), o]'), says: /a copy of a/ },
  { kind: 'identity', todo: 'Value.mul', body: mulBody('this.grad += o.data * out.grad;\n      o.grad += this.data * out.grad;').replace('[this, o]', '[this, new Value(o.data)]'), says: /a copy of b/ },
  // Shapes
  { kind: 'shape', todo: 'Layer.forward', body: '{\n    const outs = this.neurons.map((n) => n.forward(x));\n    return (outs.length === 1 ? outs[0] : outs) as Value[];\n  }' },
  { kind: 'shape', todo: 'MLP.forward', body: '{\n    let out = x;\n    for (const layer of this.layers) out = layer.forward(out);\n    return (out.length === 1 ? out[0] : out) as Value[];\n  }' },
  // Attribution
  { kind: 'attribution', todo: 'MLP.parameters', body: '{\n    return this.layers.map((l) => l.parameters()) as unknown as Value[];\n  }' },
  { kind: 'attribution', todo: 'Layer.parameters', body: '{\n    return this.neurons.map((n) => n.parameters()) as unknown as Value[];\n  }' },
  { kind: 'attribution', todo: 'Module.zeroGrad', body: '{\n    for (const p of this.parameters()) p.data = 0;\n  }' },
  { kind: 'attribution', todo: 'Value.add', body: addBody('this.grad = out.grad;\n      o.grad = out.grad;'), says: /\+=/ },
  // Python's closure as JavaScript's function () { … }, whose this is out when it is called.
  { kind: 'attribution', todo: 'Value.add', body: addBody('this.grad += out.grad;\n      o.grad += out.grad;').replace('() =>', 'function (this: Value)'), says: /arrow function/ },
  { kind: 'attribution', todo: 'Value.relu', body: "{\n    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');\n    out._backward = function (this: Value) {\n      this.grad += (out.data > 0 ? 1 : 0) * out.grad;\n    };\n    return out;\n  }", says: /arrow function/ },
];

// Habits from other languages and from JavaScript itself: the message names the habit and the fix.
mutants.push(
  { kind: 'habit', todo: 'Value.neg', body: '{\n    this.data = -this.data;\n    return this;\n  }', says: /returned the Value it was called on: neg must leave a alone and return a new Value/ },
  { kind: 'habit', todo: 'Value.sub', body: '{\n    return this.add(-(other as number));\n  }', says: /no operator overloading/ },
  {
    kind: 'habit',
    todo: 'Neuron.constructor',
    body: '{\n    super();\n    const random = options.random ?? Math.random;\n    this.w = Array.from({ length: nin }, () => new Value(-1 + 2 * random()));\n    this.b = new Value(0);\n    this.nonlin = options.nonlin || true;\n  }',
    says: /options\.nonlin \?\? true/,
  },
  {
    kind: 'habit',
    todo: 'Value.backward',
    body: '{\n    const order: Value[] = [];\n    const visited = new Set<Value>();\n    const visit = (v: Value) => {\n      if (visited.has(v)) return;\n      visited.add(v);\n      order.push(v);\n      for (const child of v._prev) visit(child);\n    };\n    visit(this);\n    this.grad = 1;\n    for (const v of order) v._backward();\n  }',
    explains: /pre-order walk/,
  },
);

export const unusual: [string, Record<string, string>][] = [
  ['a Set and recursion in backward', { 'Value.backward': '{\n    const topo: Value[] = [];\n    const visited = new Set<Value>();\n    const build = (v: Value) => {\n      if (visited.has(v)) return;\n      visited.add(v);\n      for (const c of v._prev) build(c);\n      topo.push(v);\n    };\n    build(this);\n    this.grad = 1;\n    for (const v of topo.reverse()) v._backward();\n  }' }],
  ["Kahn's algorithm in backward", { 'Value.backward': '{\n    const users = new Map<Value, number>();\n    const all: Value[] = [this];\n    const seen = new Set<Value>([this]);\n    for (let i = 0; i < all.length; i++) {\n      for (const c of all[i]._prev) {\n        users.set(c, (users.get(c) ?? 0) + 1);\n        if (!seen.has(c)) {\n          seen.add(c);\n          all.push(c);\n        }\n      }\n    }\n    this.grad = 1;\n    const ready = [this as Value];\n    while (ready.length > 0) {\n      const v = ready.pop()!;\n      v._backward();\n      for (const c of v._prev) {\n        const left = users.get(c)! - 1;\n        users.set(c, left);\n        if (left === 0) ready.push(c);\n      }\n    }\n  }' }],
  ['map-and-reduce forwards, concat and spread for parameters', {
    'Neuron.forward': '{\n    const act = this.w.reduce((sum, wi, i) => sum.add(wi.mul(x[i])), this.b);\n    return this.nonlin ? act.relu() : act;\n  }',
    'Neuron.parameters': '{\n    return this.w.concat([this.b]);\n  }',
    'Layer.parameters': '{\n    const ps: Value[] = [];\n    for (const n of this.neurons) ps.push(...n.parameters());\n    return ps;\n  }',
    'MLP.forward': '{\n    return this.layers.reduce((out: (Value | number)[], layer) => layer.forward(out), x) as Value[];\n  }',
    'MLP.parameters': '{\n    return ([] as Value[]).concat(...this.layers.map((l) => l.parameters()));\n  }',
  }],
  ["relu's gradient from the input's sign, neg and sub through explicit Values", {
    'Value.relu': "{\n    const out = new Value(Math.max(0, this.data), [this], 'ReLU');\n    out._backward = () => {\n      this.grad += (this.data > 0 ? 1 : 0) * out.grad;\n    };\n    return out;\n  }",
    'Value.neg': '{\n    return this.mul(new Value(-1));\n  }',
    'Value.sub': '{\n    return this.add(typeof other === "number" ? new Value(-other) : other.neg());\n  }',
  }],
  ['a zeroGrad over forEach', { 'Module.zeroGrad': '{\n    this.parameters().forEach((p) => (p.grad = 0));\n  }' }],
  ['a bound function () as _backward', { 'Value.mul': mulBody('this.grad += o.data * out.grad;\n      o.grad += this.data * out.grad;').replace('() => {', 'function (this: Value) {').replace('    };\n    return out;', '    }.bind(this);\n    return out;') }],
];

