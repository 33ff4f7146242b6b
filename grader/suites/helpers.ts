// Assertions that tell a student what was called, what was expected and what came back.
import { Value } from '@target/engine';
import { mulberry32 } from '../notebook/random.ts';

export { Value };

/** Shows a value the way a student would write it. */
export function show(x: unknown): string {
  if (x instanceof Value) return `Value(${x.data})`;
  if (Array.isArray(x)) return `[${x.map(show).join(', ')}]`;
  if (typeof x === 'string') return `'${x}'`;
  if (typeof x === 'function') return 'a function';
  return String(x);
}

export function fail(message: string, expected?: unknown, actual?: unknown): never {
  const error = new Error(message) as Error & { expected?: unknown; actual?: unknown };
  error.name = 'AssertionError';
  if (expected !== undefined) Object.assign(error, { expected, actual });
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
