// Bonus stage exp: e to the a, then the lecture's tanh built from it, against values computed here once.
import { describe, it } from 'vitest';
import { Value, accumulated, backwardOf, is, localBackward, named, near, note, operands, value } from './helpers.ts';

describe('Value.exp', () => {
  it("returns a new Value with the op 'exp' and a as its only operand", () => {
    const a = new Value(1);
    const out = value('Value(1).exp()', a.exp());
    operands('Value(1).exp()', out, [a], ['a']);
    is('Value(1).exp()._op', out._op, 'exp');
  });

  it.each([
    // e^x, and e^x times out.grad = 2
    [1, 2.718281828459045, 5.43656365691809],
    [0, 1, 2],
    [-1.5, 0.22313016014842982, 0.44626032029685964],
  ])('at %d gives %d, and a.grad %d when out.grad is 2', (x, y, grad) => {
    const a = new Value(x);
    const out = value(`Value(${x}).exp()`, a.exp());
    named({ a, out });
    near(`Value(${x}).exp().data`, out.data, y, 1e-12);
    localBackward(out, 2);
    near(`with out = Value(${x}).exp(), out.grad = 2, after out._backward(), a.grad`, a.grad, grad, 1e-12, 'd(eᵃ)/da = eᵃ, times out.grad');
  });

  it('adds into the grad a already has', () => {
    const a = new Value(0);
    a.grad = 1;
    const out = value('Value(0).exp()', a.exp());
    named({ a, out });
    localBackward(out, 1);
    accumulated('with a.grad = 1 before, out = Value(0).exp(), after out._backward(), a.grad', a.grad, 1, 1);
  });

  it('builds the lecture’s tanh from exp, with the same gradients: o = (e²ⁿ - 1) / (e²ⁿ + 1)', () => {
    const [x1, x2, w1, w2, b] = [2, 0, -3, 1, 6.881373587019543].map((x) => new Value(x));
    const n = x1.mul(w1).add(x2.mul(w2)).add(b);
    const e = value('n.mul(2).exp()', n.mul(2).exp());
    const o = e.sub(1).div(e.add(1));
    named({ x1, x2, w1, w2, b, n, e, o });
    backwardOf(o);
    near('the lecture’s o', o.data, 0.7071067811865477, 1e-12);
    near('after o.backward(), x1.grad', x1.grad, -1.5, 1e-9);
    near('… w1.grad', w1.grad, 1, 1e-9);
    near('… x2.grad', x2.grad, 0.5, 1e-9);
    note({ e: e.data, x1: x1.grad });
  });
});
