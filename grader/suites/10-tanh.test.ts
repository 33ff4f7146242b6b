// Bonus stage tanh: the lecture's activation, checked against values computed here once, by hand.
import { describe, it } from 'vitest';
import { Value, accumulated, backwardOf, localBackward, named, near, note, operands, value, is } from './helpers.ts';

describe('Value.tanh', () => {
  it("returns a new Value with the op 'tanh' and a as its only operand", () => {
    const a = new Value(0.5);
    const out = value('Value(0.5).tanh()', a.tanh());
    operands('Value(0.5).tanh()', out, [a], ['a']);
    is('Value(0.5).tanh()._op', out._op, 'tanh');
  });

  it.each([
    // tanh(x), and 1 - tanh(x)² times out.grad = 2
    [0.5, 0.46211715726000974, 1.5728954659318548],
    [0, 0, 2],
    [-2, -0.9640275800758169, 0.14130164970632886],
  ])('at %d gives %d, and a.grad %d when out.grad is 2', (x, y, grad) => {
    const a = new Value(x);
    const out = value(`Value(${x}).tanh()`, a.tanh());
    named({ a, out });
    near(`Value(${x}).tanh().data`, out.data, y, 1e-12);
    localBackward(out, 2);
    near(`with out = Value(${x}).tanh(), out.grad = 2, after out._backward(), a.grad`, a.grad, grad, 1e-12, 'd(tanh a)/da = 1 - tanh(a)², times out.grad');
  });

  it('adds into the grad a already has', () => {
    const a = new Value(0);
    a.grad = 1;
    const out = value('Value(0).tanh()', a.tanh());
    named({ a, out });
    localBackward(out, 1);
    accumulated('with a.grad = 1 before, out = Value(0).tanh(), after out._backward(), a.grad', a.grad, 1, 1);
  });

  it('gives the lecture’s neuron its gradients: o = tanh(x1·w1 + x2·w2 + b)', () => {
    const [x1, x2, w1, w2, b] = [2, 0, -3, 1, 6.881373587019543].map((x) => new Value(x));
    const n = x1.mul(w1).add(x2.mul(w2)).add(b);
    const o = value('n.tanh()', n.tanh());
    named({ x1, x2, w1, w2, b, n, o });
    backwardOf(o);
    near('the lecture’s o', o.data, 0.7071067811865477, 1e-12);
    near('after o.backward(), x1.grad', x1.grad, -1.5, 1e-9);
    near('… w1.grad', w1.grad, 1, 1e-9);
    near('… x2.grad', x2.grad, 0.5, 1e-9);
    near('… w2.grad', w2.grad, 0, 1e-9);
    note({ o: o.data, x1: x1.grad });
  });
});
