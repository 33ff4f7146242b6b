// Stage relu: Value.relu, which needs nothing else.
import { describe, it } from 'vitest';
import { Value, accumulated, is, localBackward, note, operands, value } from './helpers.ts';

describe('Value.relu', () => {
  it("returns a new Value with the op 'ReLU' and a as its only operand", () => {
    const a = new Value(3);
    const out = value('Value(3).relu()', a.relu());
    operands('Value(3).relu()', out, [a], ['a']);
    is('Value(3).relu()._op', out._op, 'ReLU');
  });

  it.each([
    [-2, 0, 0],
    [0, 0, 0],
    [3, 3, 2],
  ])('at %d gives %d, and a.grad %d when out.grad is 2', (x, y, grad) => {
    const a = new Value(x);
    const out = value(`Value(${x}).relu()`, a.relu());
    is(`Value(${x}).relu().data`, out.data, y);
    localBackward(out, 2);
    const why = x === 0 ? 'At exactly 0 the gradient is 0' : x < 0 ? 'A negative input gets no gradient' : '';
    is(`with out = Value(${x}).relu(), out.grad = 2, after out._backward(), a.grad`, a.grad, grad, why);
    if (x === 0) note({ atZero: a.grad, data: out.data });
  });

  it('adds into the grad a already has', () => {
    const a = new Value(3);
    a.grad = 1;
    localBackward(value('Value(3).relu()', a.relu()), 1);
    accumulated('with a.grad = 1 before, out = Value(3).relu(), after out._backward(), a.grad', a.grad, 1, 1);
  });
});
