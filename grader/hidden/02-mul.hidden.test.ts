// Hidden checks for stage mul: instructors only. The student release leaves this folder out.
import { describe, it } from 'vitest';
import { Value, is, localBackward } from '../suites/helpers.ts';

describe('Value.sub', () => {
  it('gives a - a the value 0 and a total gradient of 0 on a', () => {
    const a = new Value(7);
    const out = a.sub(a);
    is('Value(7).sub(itself).data', out.data, 0);
    localBackward(out, 1);
    out._prev[1]._backward();
    is('with out = a.sub(a), after the local steps of out and of -a, a.grad', a.grad, 0, 'd(a - a)/da = 1 - 1');
  });
});

describe('Value.mul', () => {
  it('keeps full precision for large and tiny operands', () => {
    is('Value(1e200).mul(Value(1e-200)).data', new Value(1e200).mul(new Value(1e-200)).data, 1e200 * 1e-200);
  });
});
