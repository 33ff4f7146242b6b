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

/** The operands of `out` should be exactly these objects, in this order. */
export function operands(what: string, out: Value, expected: Value[]): void {
  const prev = out._prev;
  const same = Array.isArray(prev) && prev.length === expected.length && expected.every((v, i) => prev[i] === v);
  if (!same) {
    fail(`${what}._prev should hold its operands [${expected.map(show).join(', ')}] in order, got ${show(prev)}`);
  }
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
}

export const ACCUMULATE = 'Gradients accumulate: add into .grad with +=, never overwrite it with =';

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
