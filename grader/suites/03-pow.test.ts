// Stage pow: Value.pow with a plain-number exponent, then div, built from mul and pow.
import { describe, it } from 'vitest';
import { Value, accumulated, fail, is, localBackward, near, note, operands, thrownBy, value } from './helpers.ts';

describe('Value.pow', () => {
  it("returns a new Value holding a ** n, with the exponent in the op: '**2'", () => {
    const a = new Value(3);
    const out = value('Value(3).pow(2)', a.pow(2));
    is('Value(3).pow(2).data', out.data, 9);
    operands('Value(3).pow(2)', out, [a], ['a']);
    is('Value(3).pow(2)._op', out._op, '**2');
  });

  it('gives a the gradient n · a^(n-1) times out.grad', () => {
    const a = new Value(3);
    localBackward(value('Value(3).pow(2)', a.pow(2)), 2);
    is('with out = Value(3).pow(2), out.grad = 2, after out._backward(), a.grad', a.grad, 12, 'd(a²)/da = 2a, times out.grad');
  });

  it('adds into the grad a already has', () => {
    const a = new Value(2);
    a.grad = 1;
    localBackward(value('Value(2).pow(3)', a.pow(3)), 1);
    accumulated('with a.grad = 1 before, out = Value(2).pow(3), after out._backward(), a.grad', a.grad, 1, 12);
  });

  it('handles a negative exponent', () => {
    const a = new Value(2);
    const out = value('Value(2).pow(-1)', a.pow(-1));
    is('Value(2).pow(-1).data', out.data, 0.5);
    is('Value(2).pow(-1)._op', out._op, '**-1');
    localBackward(out, 2);
    is('with out = Value(2).pow(-1), out.grad = 2, after out._backward(), a.grad', a.grad, -0.5, 'd(a⁻¹)/da = -a⁻², times out.grad');
  });

  it('handles a fractional exponent', () => {
    const a = new Value(4);
    const out = value('Value(4).pow(0.5)', a.pow(0.5));
    is('Value(4).pow(0.5).data', out.data, 2);
    is('Value(4).pow(0.5)._op', out._op, '**0.5');
    localBackward(out, 2);
    is('with out = Value(4).pow(0.5), out.grad = 2, after out._backward(), a.grad', a.grad, 0.5, 'd(√a)/da = 0.5·a^-0.5, times out.grad');
  });

  it('handles a negative base', () => {
    const a = new Value(-3);
    const out = value('Value(-3).pow(2)', a.pow(2));
    is('Value(-3).pow(2).data', out.data, 9);
    localBackward(out, 2);
    is('with out = Value(-3).pow(2), out.grad = 2, after out._backward(), a.grad', a.grad, -12, 'd(a²)/da = 2a, times out.grad');
  });

  it.each([
    [1, 0, 3],
    [2, 0, 0],
    [3, 0, 0],
  ])('handles a base of 0: Value(0).pow(%d) is %d, with gradient %d when out.grad is 3', (n, y, grad) => {
    const a = new Value(0);
    const out = value(`Value(0).pow(${n})`, a.pow(n));
    is(`Value(0).pow(${n}).data`, out.data, y);
    localBackward(out, 3);
    is(`with out = Value(0).pow(${n}), out.grad = 3, after out._backward(), a.grad`, a.grad, grad, `d(aⁿ)/da = n·aⁿ⁻¹ at a = 0: compute it from the exponent and a, not by dividing by a`);
    note({ [`zero${n}`]: a.grad });
  });

  it.each([
    ['Value(3)', () => new Value(3)],
    ["'2' (a string)", () => '2'],
  ])('rejects %s as the exponent with a TypeError', (shown, exponent) => {
    // Behaviour, not wording: any message will do, micrograd's own ('only supporting int/float powers for now') too.
    const thrown = thrownBy(() => new Value(2).pow(exponent() as unknown as number));
    if (!(thrown instanceof TypeError)) {
      fail(`Value(2).pow(${shown}) should throw a TypeError, got ${thrown === undefined ? 'no error' : String(thrown)}. Check that typeof exponent is 'number'`);
    }
  });
});

describe('Value.div', () => {
  it('divides by a Value, built as a · b⁻¹', () => {
    const a = new Value(6);
    const b = new Value(3);
    const out = value('Value(6).div(Value(3))', a.div(b));
    is('Value(6).div(Value(3)).data', out.data, 2);
    is("Value(6).div(Value(3))._op (div is a.mul(b.pow(-1)), so '*')", out._op, '*');
    const bInv = value('a.div(b)._prev[1] (that is b⁻¹)', out._prev[1]);
    is('a.div(b)._prev[1]._op', bInv._op, '**-1');
  });

  it('gives a the gradient 1/b and b the gradient -a/b², times out.grad', () => {
    const a = new Value(6);
    const b = new Value(3);
    const out = value('a.div(b)', a.div(b));
    localBackward(out, 2);
    out._prev[1]._backward();
    near('with out = Value(6).div(Value(3)), out.grad = 2, after the local steps of out and of b⁻¹, a.grad', a.grad, 2 / 3);
    near('with out = Value(6).div(Value(3)), out.grad = 2, after the local steps of out and of b⁻¹, b.grad', b.grad, (-6 / 9) * 2);
  });

  it('divides by a plain number', () => {
    const a = new Value(6);
    const out = value('Value(6).div(4)', a.div(4));
    is('Value(6).div(4).data', out.data, 1.5);
    is('Value(6).div(4)._op', out._op, '*');
    localBackward(out, 4);
    is('with out = Value(6).div(4), out.grad = 4, after out._backward(), a.grad', a.grad, 1);
  });
});
