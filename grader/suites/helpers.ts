// Assertions that tell a student what was called, what was expected and what came back, and
// the graph of a failing check, for the explainer: its Values, its grads before and after the
// backward pass it ran, and the order in which the student's code called each _backward.
import { Value } from '@target/engine';
import { mulberry32 } from '../notebook/random.ts';

export { Value };

/**
 * What the current check did with the engine: the Values it looked at, the names it gave them, and
 * the backward pass it ran. progress.ts names the current test; a new test starts a new scene.
 */
interface Scene {
  test: unknown;
  roots: Set<Value>;
  names: Map<Value, string>;
  pass?: { kind: 'local' | 'backward'; root: Value; times: number; before: Map<Value, number>; steps: { node: Value; grad: unknown; after: unknown[] }[] };
}
let scene: Scene = { test: undefined, roots: new Set(), names: new Map() };
const current = () => {
  const test = (globalThis as Record<symbol, unknown>)[Symbol.for('grade.test')];
  if (scene.test !== test) scene = { test, roots: new Set(), names: new Map() };
  return scene;
};
/** Graphs larger than this are left out of a failure (a million-node chain is no picture). */
const GRAPH_LIMIT = 3000;

/** The Values below these roots, each after the ones it was computed from, up to the limit. */
function below(roots: Iterable<Value>, limit = GRAPH_LIMIT): Value[] {
  const order: Value[] = [];
  const seen = new Set<Value>();
  const visit = (root: Value) => {
    const stack: [Value, number][] = [[root, 0]];
    seen.add(root);
    while (stack.length > 0 && seen.size <= limit) {
      const top = stack[stack.length - 1];
      const prev = Array.isArray(top[0]?._prev) ? top[0]._prev : [];
      const child = prev[top[1]++];
      if (child === undefined) {
        stack.pop();
        order.push(top[0]);
      } else if (child instanceof Value && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    }
  };
  for (const root of roots) if (root instanceof Value && !seen.has(root)) visit(root);
  return order;
}

/**
 * Notes a number the student's code gave in a check, for the lesson its stage shows once it passes
 * (grader/report/lessons.ts): only numbers, kept only when the check passes.
 */
export function note(values: Record<string, number>): void {
  const test = current().test as { meta?: Record<string, unknown> } | undefined;
  if (!test?.meta) return;
  const notes = ((test.meta as Record<string, Record<string, number>>).notes ??= {});
  for (const [key, v] of Object.entries(values)) if (typeof v === 'number') notes[key] = v;
}

/** The check looks at these Values: they are in its graph, should it fail. */
export function track(...values: unknown[]): void {
  for (const v of values) if (v instanceof Value) current().roots.add(v);
}

/** Names for the Values of a check's graph, as the check calls them: named({ a, b, out }). */
export function named(values: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!(v instanceof Value)) continue;
    current().names.set(v, name);
    track(v);
  }
}

/** The graph of the current check, as plain data for the explainer (see grader/explain/). */
function graphOfScene(): string | undefined {
  const { roots, names, pass } = current();
  if (roots.size === 0 && !pass) return undefined;
  const nodes = below(pass ? [pass.root, ...roots] : roots);
  if (nodes.length === 0 || nodes.length >= GRAPH_LIMIT) return undefined;
  const id = new Map(nodes.map((v, i) => [v, i]));
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) ? x : String(x));
  return JSON.stringify({
    pass: pass?.kind ?? 'none',
    root: pass ? id.get(pass.root) : nodes.length - 1,
    times: pass?.times ?? 0,
    nodes: nodes.map((v) => ({
      op: String(v._op),
      name: names.get(v) ?? (typeof v.label === 'string' ? v.label : ''),
      data: num(v.data),
      grad: num(v.grad),
      before: num(pass?.before.get(v) ?? v.grad),
      prev: (Array.isArray(v._prev) ? v._prev : []).map((p) => id.get(p) ?? -1),
    })),
    steps: pass?.steps.filter((s) => id.has(s.node)).map((s) => ({ node: id.get(s.node), grad: num(s.grad), after: s.after.map(num) })),
  });
}
/** Shows a value the way a student would write it. */
export function show(x: unknown): string {
  if (x instanceof Value) return `Value(${x.data})`;
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'function') return 'a function';
  return String(x);
}

export function fail(message: string, expected?: unknown, actual?: unknown): never {
  const error = new Error(message) as Error & { expected?: unknown; actual?: unknown; graph?: string };
  error.name = 'AssertionError';
  if (expected !== undefined) Object.assign(error, { expected, actual });
  const graph = graphOfScene();
  if (graph) error.graph = graph;
  throw error;
}

/** Fails with `message` unless `condition` holds. */
export function check(condition: boolean, message: string): void {
  if (!condition) fail(message);
}

/** `what` should be exactly `expected` (Object.is; arrays element by element). */
export function is(what: string, got: unknown, expected: unknown, why = ''): void {
  const same = Array.isArray(expected)
    ? Array.isArray(got) && got.length === expected.length && got.every((g, i) => Object.is(g, expected[i]))
    : Object.is(got, expected);
  if (!same) fail(`${what} should be ${show(expected)}, got ${show(got)}${why && `. ${why}`}`, expected, got);
}

/** `what` should be within `tol` of `expected`, relative to its size when that is above 1. */
export function near(what: string, got: unknown, expected: number, tol = 1e-9, why = ''): void {
  const ok = typeof got === 'number' && Math.abs(got - expected) <= tol * Math.max(1, Math.abs(expected));
  if (!ok) fail(`${what} should be ${expected} (±${tol}), got ${show(got)}${why && `. ${why}`}`, expected, got);
}

/** `what` should be a Value; returns it typed. */
export function value(what: string, got: unknown): Value {
  if (!(got instanceof Value)) fail(`${what} should return a new Value, got ${show(got)}`);
  track(got);
  return got;
}

/**
 * The operands of `out` should be exactly these objects, in this order. `names` are how the
 * caller calls them ('a', 'b'), so that a copy is told apart from the object itself.
 */
export function operands(what: string, out: Value, expected: Value[], names = ['a', 'b']): void {
  const prev = out._prev as unknown;
  if (!Array.isArray(prev) || prev.length !== expected.length) {
    fail(`${what}._prev should hold its ${expected.length} operand${expected.length === 1 ? '' : 's'} [${names.slice(0, expected.length).join(', ')}], got ${show(prev)}`);
  }
  expected.forEach((v, i) => {
    const got = prev[i];
    if (got === v) return;
    const other = expected.findIndex((e) => e === got);
    const which =
      other >= 0 ? `the same Value object as ${names[other]}` : got instanceof Value && got.data === v.data ? `a copy of ${names[i]} (a new Value(${got.data}), not ${names[i]} itself)` : show(got);
    fail(`${what}._prev[${i}] should be the same Value object as ${names[i]}, got ${which}. The graph must link to the operands themselves, so that backward() reaches them`);
  });
}

/**
 * After a local step, a grad that was `before` should be `before + added`. Advises += only when
 * the numbers show that the step overwrote the grad.
 */
export function accumulated(what: string, got: number, before: number, added: number): void {
  const expected = before + added;
  if (Object.is(got, expected)) return;
  fail(`${what} should be ${expected}, got ${show(got)}${Object.is(got, added) && before !== 0 ? `. ${ACCUMULATE}` : ''}`, expected, got);
}

/** What `call` threw; a stub's NotImplementedError passes straight through, so it reads as "not started". */
export function thrownBy(call: () => unknown): unknown {
  try {
    call();
  } catch (error) {
    if ((error as Error)?.name === 'NotImplementedError') throw error;
    return error;
  }
  return undefined;
}

/** Sets out.grad and runs out's local chain-rule step, as backward() would. */
export function localBackward(out: Value, grad: number): void {
  out.grad = grad;
  const before = new Map([out, ...(Array.isArray(out._prev) ? out._prev : [])].map((v) => [v, v.grad]));
  current().pass = { kind: 'local', root: out, times: 1, before, steps: [] };
  out._backward();
  // Python's closures have no `this`; JavaScript's function () { … } has one: the object it is
  // called on. Only an arrow function (or a bound one) has no prototype of its own.
  if (out.grad !== grad && Object.hasOwn(out._backward, 'prototype')) {
    fail(
      `with out.grad = ${grad}, after out._backward(), out.grad is ${show(out.grad)}: inside _backward = function () { … }, this is out itself, ` +
        'not the Value that made it. Write it as an arrow function, _backward = () => { … }, which keeps the this of the method around it',
    );
  }
}

const ACCUMULATE = 'Gradients accumulate: add into .grad with +=, never overwrite it with =';

/**
 * y.backward(), `times` times, watched: the grads before, and each _backward the student's code
 * calls, in its order, with the grad it passed on and what its operands held after. (Only for the
 * explainer, should the check fail; the calls themselves are the student's.)
 */
export function backwardOf(y: Value, times = 1): void {
  const nodes = below([y]);
  const s = current();
  track(y);
  if (nodes.length >= GRAPH_LIMIT) {
    for (let t = 0; t < times; t++) y.backward();
    return;
  }
  const steps: NonNullable<Scene['pass']>['steps'] = [];
  s.pass = { kind: 'backward', root: y, times, before: new Map(nodes.map((v) => [v, v.grad])), steps };
  const own = nodes.map((v) => [v, v._backward] as const);
  for (const [v, step] of own) {
    if (typeof step !== 'function') continue;
    try {
      v._backward = function (this: unknown, ...args: unknown[]) {
        const grad = v.grad;
        const result = Reflect.apply(step, this, args);
        steps.push({ node: v, grad, after: Array.isArray(v._prev) ? v._prev.map((p) => p?.grad) : [] });
        return result;
      };
    } catch {
      // a frozen Value keeps its own _backward: its calls go unseen, and that is all
    }
  }
  try {
    for (let t = 0; t < times; t++) y.backward();
  } finally {
    for (const [v, step] of own) {
      try {
        v._backward = step;
      } catch {
        // frozen: never wrapped
      }
    }
  }
}

export { heartbeat } from '../run/progress.ts';

/** A small seeded generator, so random checks are the same on every run. */
export const seeded = mulberry32;

/** Walks the graph below `root` and returns every node in it. */
export function nodesOf(root: Value): Set<Value> {
  const seen = new Set<Value>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...v._prev);
  }
  return seen;
}

/** Central-difference derivative of f at xs[i], in float64. */
export function numericalGrad(f: (xs: number[]) => number, xs: number[], i: number, h = 1e-6): number {
  const up = [...xs];
  const down = [...xs];
  up[i] += h;
  down[i] -= h;
  return (f(up) - f(down)) / (2 * h);
}
