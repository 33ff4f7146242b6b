// Hidden checks for stage backward: instructors only. The student release leaves this folder out.
import { describe, it } from 'vitest';
import { Value, is } from '../suites/helpers.ts';

describe('Value.backward', () => {
  it('can be called on an intermediate node, leaving the nodes above it alone', () => {
    const a = new Value(3);
    const b = a.mul(a);
    const c = b.add(1);
    b.backward();
    is('with b = a·a at a = 3, after b.backward(), a.grad', a.grad, 6);
    is('… and c = b + 1, above b, keeps grad', c.grad, 0);
  });

  it('handles a wide graph: the sum of 10,000 terms', () => {
    const xs = Array.from({ length: 10_000 }, (_, i) => new Value(i));
    const total = xs.reduce((sum, x) => sum.add(x.mul(2)), new Value(0));
    total.backward();
    is('with y = Σ 2·x[i] over 10,000 terms, after y.backward(), the number of x with grad 2', xs.filter((x) => x.grad === 2).length, 10_000);
  });
});
