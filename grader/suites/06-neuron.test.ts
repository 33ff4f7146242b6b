// Stage neuron: Module.zeroGrad and Neuron (constructor, forward, parameters).
import { describe, expect, it } from 'vitest';
import { Neuron } from '@target/nn';
import { Value, backwardOf, check, is, named, note, seeded, show, value } from './helpers.ts';

/** A random() that returns these numbers in turn. */
function sequence(...xs: number[]): () => number {
  let i = 0;
  return () => xs[i++ % xs.length];
}

describe('Neuron.constructor', () => {
  it('draws nin weights as -1 + 2·random(), in order, and a bias of 0', () => {
    const n = new Neuron(3, { random: sequence(0, 0.25, 0.75) });
    is('new Neuron(3).w.length', n.w?.length, 3);
    n.w.forEach((w, i) => value(`new Neuron(3).w[${i}]`, w));
    is('with random() giving 0, 0.25, 0.75, the weights of new Neuron(3)', n.w.map((w) => w.data), [-1, -0.5, 0.5]);
    value('new Neuron(3).b', n.b);
    is('new Neuron(3).b.data', n.b.data, 0);
  });

  it('is nonlinear by default, and linear with nonlin: false', () => {
    is('new Neuron(2).nonlin', new Neuron(2).nonlin, true);
    is('new Neuron(2).toString()', String(new Neuron(2)), 'ReLUNeuron(2)');
    const linear = new Neuron(2, { nonlin: false }).nonlin;
    is('new Neuron(2, { nonlin: false }).nonlin', linear, false, linear === true ? 'options.nonlin || true turns false into true: write options.nonlin ?? true, which keeps false and defaults only undefined' : '');
    is('new Neuron(16, { nonlin: false }).toString()', String(new Neuron(16, { nonlin: false })), 'LinearNeuron(16)');
  });

  it('uses Math.random by default, with weights in [-1, 1)', () => {
    const weights = new Neuron(50).w.map((w) => w.data);
    expect(weights.every((x) => x >= -1 && x < 1), `new Neuron(50).w should all be in [-1, 1), got ${weights}`).toBe(true);
    expect(new Set(weights).size, 'new Neuron(50) should draw 50 different weights').toBe(50);
  });

  it('is deterministic for a seeded random', () => {
    const a = new Neuron(4, { random: seeded(7) }).w.map((w) => w.data);
    const b = new Neuron(4, { random: seeded(7) }).w.map((w) => w.data);
    is('two Neurons built with the same seeded random: the second one’s weights', b, a);
  });

  it('gives every neuron its own weight and bias Values', () => {
    const n = new Neuron(3);
    check(new Set(n.w).size === 3, 'The 3 weights of new Neuron(3) should be 3 different Value objects, but some are the same object: make a new Value for each weight');
    check(!n.w.includes(n.b), 'The bias of new Neuron(3) should be a Value of its own, not one of the weights');
    const m = new Neuron(3);
    check(m.b !== n.b, 'Two Neurons share the same bias Value object: each new Neuron needs its own new Value(0)');
    check(m.w.every((w) => !n.w.includes(w)), 'Two Neurons share weight Values: each new Neuron needs its own weights');
  });
});

describe('Neuron.forward', () => {
  it('computes b + Σ w[i]·x[i], then relu', () => {
    const n = new Neuron(2, { random: sequence(0.75, 0.25) }); // w = [0.5, -0.5]
    is('with w = [0.5, -0.5], b = 0, relu(b + w·[4, 2])', value('n.forward([4, 2])', n.forward([4, 2])).data, 1);
    is('with w = [0.5, -0.5], b = 0, relu(b + w·[2, 4])', value('n.forward([2, 4])', n.forward([2, 4])).data, 0);
    n.nonlin = false;
    is('with w = [0.5, -0.5], b = 0 and nonlin false, b + w·[2, 4]', n.forward([2, 4]).data, -1);
  });

  it('starts from b and adds the terms in order, like micrograd', () => {
    const n = new Neuron(2, { nonlin: false, random: sequence(0.75, 0.25) });
    const out = value('n.forward([4, 2])', n.forward([4, 2]));
    is('a linear neuron’s output op', out._op, '+');
    const [left, right] = out._prev;
    check(right?._prev?.[0] === n.w[1], 'The output of a linear Neuron(2) should be (b + w[0]·x[0]) + w[1]·x[1], so out._prev[1]._prev[0] should be w[1]');
    check(left?._prev?.[0] === n.b, 'The output of a linear Neuron(2) should be (b + w[0]·x[0]) + w[1]·x[1], so out._prev[0]._prev[0] should be the bias b');
  });

  it('applies relu once, to the whole sum, even when a partial sum is negative', () => {
    const n = new Neuron(2, { random: sequence(0, 0.75) }); // w = [-1, 0.5]
    const out = value('n.forward([1, 4])', n.forward([1, 4]));
    is('with w = [-1, 0.5], b = 0, relu(b + w[0]·1 + w[1]·4) = relu(-1 + 2)', out.data, 1, out.data === 2 ? 'relu was applied to a partial sum: add every term first, then apply relu once' : '');
  });

  it('ends with a relu node when nonlinear', () => {
    is('new Neuron(2).forward([1, 1])._op', new Neuron(2).forward([1, 1])._op, 'ReLU');
  });

  it('takes Values as inputs and passes gradients to them', () => {
    const n = new Neuron(2, { nonlin: false, random: sequence(0.75, 0.25) });
    const x = [new Value(4), new Value(2)];
    const out = value('n.forward(x)', n.forward(x));
    named({ x0: x[0], x1: x[1], w0: n.w[0], w1: n.w[1], b: n.b, out });
    backwardOf(out);
    is('with w = [0.5, -0.5], after n.forward(x).backward(), [x[0].grad, x[1].grad]', [x[0].grad, x[1].grad], [0.5, -0.5]);
  });

  it('sends gradients to every weight and the bias', () => {
    const n = new Neuron(3, { random: sequence(0.9) }); // every weight 0.8, so the relu is active
    const out = value('n.forward([1, 2, 3])', n.forward([1, 2, 3]));
    named({ w0: n.w[0], w1: n.w[1], w2: n.w[2], b: n.b, out });
    backwardOf(out);
    is('after n.forward([1, 2, 3]).backward(), the weights’ grads', n.w.map((w) => w.grad), [1, 2, 3]);
    is('after n.forward([1, 2, 3]).backward(), b.grad', n.b.grad, 1);
    note({ w2: n.w[2].grad });
  });

  it('passes no gradient back when its relu is off (a negative sum)', () => {
    const n = new Neuron(3, { random: sequence(0, 0.25, 0.75) }); // w = [-1, -0.5, 0.5]: the sum is -1
    const out = value('n.forward([1, 1, 1])', n.forward([1, 1, 1]));
    named({ w0: n.w[0], w1: n.w[1], w2: n.w[2], b: n.b, out });
    backwardOf(out);
    const why = n.b.grad !== 0 ? 'relu passed the gradient on although its input was negative: its local derivative there is 0 (out.data > 0 ? 1 : 0)' : '';
    is('with w = [-1, -0.5, 0.5], b = 0, after n.forward([1, 1, 1]).backward(), the weights’ grads', n.w.map((w) => w.grad), [0, 0, 0], why);
    is('… and b.grad', n.b.grad, 0, why);
  });
});

describe('Neuron.parameters', () => {
  it('returns the weights, then the bias', () => {
    const n = new Neuron(3);
    const ps = n.parameters();
    is('new Neuron(3).parameters().length', ps?.length, 4);
    check(ps.every((p, i) => p === [...n.w, n.b][i]), 'new Neuron(3).parameters() should be the Values [...w, b] themselves, in that order');
  });

  it('returns a new array each time, and leaves w alone', () => {
    const n = new Neuron(3);
    const first = n.parameters();
    const second = n.parameters();
    is('new Neuron(3): after parameters() twice, w.length', n.w.length, 3, 'parameters() must not change w: build a new array, e.g. [...w, b]');
    is('new Neuron(3): the second parameters().length', second?.length, 4);
    check(first !== second, 'new Neuron(3).parameters() returned the same array twice: return a new one each time, so a caller can’t change the neuron through it');
    check(second.every((p, i) => p === first[i]), 'new Neuron(3).parameters() called twice should list the same Values in the same order');
  });
});

describe('Module.zeroGrad', () => {
  it("sets every parameter's grad back to 0", () => {
    const n = new Neuron(3);
    n.forward([1, 2, 3]).backward();
    for (const p of n.parameters()) p.grad = 5;
    n.zeroGrad();
    is('after zeroGrad(), the grads of the parameters', n.parameters().map((p) => p.grad), [0, 0, 0, 0]);
  });

  it('leaves the weights themselves alone', () => {
    const n = new Neuron(2, { random: sequence(0.75, 0.25) });
    n.zeroGrad();
    is(`after zeroGrad(), the weights (were [0.5, -0.5]): ${show(n.w)}, so w.data`, n.w.map((w) => w.data), [0.5, -0.5]);
  });
});
