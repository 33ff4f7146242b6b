// Stage mul: Value.mul, then neg and sub, which are built from mul and add.
import { describe, it } from 'vitest';
import { Value, accumulated, check, is, localBackward, named, note, operands, value } from './helpers.ts';

describe('Value.mul', () => {
  it("returns a new Value holding the product, with its operands and the op '*'", () => {
    const a = new Value(2);
    const b = new Value(3);
    const out = value('Value(2).mul(Value(3))', a.mul(b));
    is('Value(2).mul(Value(3)).data', out.data, 6);
    operands('a.mul(b)', out, [a, b]);
    is('a.mul(b)._op', out._op, '*');
  });

  it('wraps a plain number, negative ones and 0 too', () => {
    is('Value(2).mul(0).data', value('Value(2).mul(0)', new Value(2).mul(0)).data, 0);
    const out = value('Value(2).mul(-4)', new Value(2).mul(-4));
    is('Value(2).mul(-4).data', out.data, -8);
    value('Value(2).mul(-4)._prev[1] (the wrapped -4)', out._prev[1]);
    is('Value(2).mul(-4)._prev[1].data', out._prev[1].data, -4);
  });

  it("gives each operand the other's data times out.grad", () => {
    const a = new Value(2);
    const b = new Value(3);
    const out = value('a.mul(b)', a.mul(b));
    named({ a, b, out });
    localBackward(out, 2);
    is('with a = 2, b = 3, out.grad = 2, after out._backward(), a.grad', a.grad, 6, 'd(a·b)/da = b, times out.grad');
    is('with a = 2, b = 3, out.grad = 2, after out._backward(), b.grad', b.grad, 4, 'd(a·b)/db = a, times out.grad');
    note({ a: a.grad, b: b.grad });
  });

  it('adds into the grads the operands already have', () => {
    const a = new Value(2);
    const b = new Value(3);
    a.grad = 1;
    b.grad = 1;
    const out = value('a.mul(b)', a.mul(b));
    named({ a, b, out });
    localBackward(out, 1);
    accumulated('with a = 2, b = 3, a.grad = 1 before, out.grad = 1, after out._backward(), a.grad', a.grad, 1, 3);
    accumulated('with a = 2, b = 3, b.grad = 1 before, out.grad = 1, after out._backward(), b.grad', b.grad, 1, 2);
  });

  it('counts a Value used twice twice: a.mul(a) at a = 3 has gradient 6', () => {
    const a = new Value(3);
    const out = value('a.mul(a)', a.mul(a));
    named({ a, out });
    is('Value(3).mul(itself).data', out.data, 9);
    operands('a.mul(a)', out, [a, a]);
    localBackward(out, 1);
    // a gets b·out.grad = 3 as the left operand, then a·out.grad = 3 more as the right one.
    accumulated('with out = a.mul(a) at a = 3, after out._backward(), a.grad (d(a·a)/da = 2a)', a.grad, 3, 3);
  });

  it('handles an operand of 0: it still passes the other operand’s data back', () => {
    const a = new Value(0);
    const b = new Value(5);
    const out = value('Value(0).mul(Value(5))', a.mul(b));
    named({ a, b, out });
    is('Value(0).mul(Value(5)).data', out.data, 0);
    localBackward(out, 3);
    is('with a = 0, b = 5, out.grad = 3, after out._backward(), a.grad', a.grad, 15, 'd(a·b)/da = b, times out.grad, even when a is 0');
    is('with a = 0, b = 5, out.grad = 3, after out._backward(), b.grad', b.grad, 0, 'd(a·b)/db = a = 0');
  });

  it('passes gradient to a wrapped number too', () => {
    const a = new Value(5);
    const out = value('Value(5).mul(2)', a.mul(2));
    localBackward(out, 1);
    is('with out = Value(5).mul(2), after out._backward(), a.grad', a.grad, 2);
    is('with out = Value(5).mul(2), after out._backward(), the wrapped 2 has grad', out._prev[1].grad, 5);
  });
});

describe('Value.neg', () => {
  it('returns -a, built from mul', () => {
    const a = new Value(3);
    const out = value('Value(3).neg()', a.neg());
    named({ a, out });
    check(out !== a, 'Value(3).neg() returned the Value it was called on: neg must leave a alone and return a new Value. Build it from mul, return this.mul(-1), and its gradient comes for free');
    is('after Value(3).neg(), a.data', a.data, 3, 'neg must not change the Value it is called on');
    is('Value(3).neg().data', out.data, -3);
    is("Value(3).neg()._op (neg is a.mul(-1), so '*')", out._op, '*');
    localBackward(out, 3);
    is('with out = Value(3).neg(), out.grad = 3, after out._backward(), a.grad', a.grad, -3, 'd(-a)/da = -1, times out.grad');
  });
});

describe('Value.sub', () => {
  it('returns a - b, built as a + (-b)', () => {
    const a = new Value(5);
    const b = new Value(3);
    const out = value('Value(5).sub(Value(3))', a.sub(b));
    is('Value(5).sub(Value(3)).data', out.data, 2, Number.isNaN(out.data) ? 'NaN: -b on a Value is NaN, as JavaScript has no operator overloading (-other turns a Value into a number, NaN). Write b.neg() for a Value' : '');
    is("Value(5).sub(Value(3))._op (sub is a.add(b.neg()), so '+')", out._op, '+');
    check(out._prev[0] === a, 'Value(5).sub(Value(3))._prev[0] should be the same Value object as a (a + (-b)), not a copy');
  });

  it('subtracts a plain number', () => {
    const out = value('Value(2).sub(1)', new Value(2).sub(1));
    is('Value(2).sub(1).data', out.data, 1);
    is("Value(2).sub(1)._op", out._op, '+');
  });

  it('gives a the gradient out.grad and b the gradient -out.grad', () => {
    // out.grad = 3 is not out.data = 2: a step that passed on the data instead would show.
    const a = new Value(5);
    const b = new Value(3);
    const out = value('a.sub(b)', a.sub(b));
    named({ a, b, out });
    localBackward(out, 3);
    const negB = value('a.sub(b)._prev[1] (that is -b)', out._prev[1]);
    negB._backward();
    is('with out = a.sub(b), out.grad = 3, after the local steps of out and of -b, a.grad', a.grad, 3);
    is('with out = a.sub(b), out.grad = 3, after the local steps of out and of -b, b.grad', b.grad, -3, 'd(a-b)/db = -1, times out.grad');
  });
});
