// Stage add: Value.add, checked on its own (no backward() needed).
import { describe, it } from 'vitest';
import { Value, accumulated, check, is, localBackward, named, note, operands, value } from './helpers.ts';

describe('Value.add', () => {
  it('returns a new Value holding the sum', () => {
    const a = new Value(2);
    const b = new Value(3);
    const out = value('Value(2).add(Value(3))', a.add(b));
    is('Value(2).add(Value(3)).data', out.data, 5);
    check(out !== a && out !== b, 'Value(2).add(Value(3)) should return a new Value, got one of its operands back');
    is('after Value(2).add(Value(3)), a.data', a.data, 2, 'add must not change its operands');
  });

  it('adds negative and fractional numbers', () => {
    is('Value(-1.5).add(Value(0.25)).data', new Value(-1.5).add(new Value(0.25)).data, -1.25);
  });

  it("records its operands in order and the op '+'", () => {
    const a = new Value(2);
    const b = new Value(3);
    const out = value('a.add(b)', a.add(b));
    operands('a.add(b)', out, [a, b]);
    is('a.add(b)._op', out._op, '+');
  });

  it('wraps a plain number in a Value', () => {
    const a = new Value(2);
    const out = value('Value(2).add(3)', a.add(3));
    is('Value(2).add(3).data', out.data, 5);
    is('Value(2).add(3)._prev.length', out._prev.length, 2);
    value('Value(2).add(3)._prev[1] (the wrapped 3)', out._prev[1]);
    is('Value(2).add(3)._prev[1].data', out._prev[1].data, 3);
  });

  it('passes out.grad unchanged to both operands', () => {
    const a = new Value(2);
    const b = new Value(3);
    const out = value('a.add(b)', a.add(b));
    named({ a, b, out });
    localBackward(out, 2);
    is('with out = a.add(b) and out.grad = 2, after out._backward(), a.grad', a.grad, 2, 'd(a+b)/da = 1');
    is('with out = a.add(b) and out.grad = 2, after out._backward(), b.grad', b.grad, 2, 'd(a+b)/db = 1');
  });

  it('adds into the grads the operands already have', () => {
    const a = new Value(2);
    const b = new Value(3);
    a.grad = 1;
    b.grad = -1;
    const out = value('a.add(b)', a.add(b));
    named({ a, b, out });
    localBackward(out, 2);
    accumulated('with a.grad = 1 before, out.grad = 2, after out._backward(), a.grad', a.grad, 1, 2);
    accumulated('with b.grad = -1 before, out.grad = 2, after out._backward(), b.grad', b.grad, -1, 2);
  });

  it('counts a Value used twice twice: a.add(a)', () => {
    const a = new Value(3);
    const out = value('a.add(a)', a.add(a));
    named({ a, out });
    is('Value(3).add(itself).data', out.data, 6);
    operands('a.add(a)', out, [a, a]);
    localBackward(out, 1);
    // a gets out.grad once as the left operand, then once more as the right one.
    accumulated('with out = a.add(a), after out._backward(), a.grad (d(a+a)/da = 2)', a.grad, 1, 1);
    note({ twice: a.grad });
  });

  it('leaves its own data and grad alone in _backward', () => {
    const out = value('Value(1).add(2)', new Value(1).add(2));
    localBackward(out, 4);
    is('after out._backward(), out.data', out.data, 3);
    is('after out._backward(), out.grad', out.grad, 4);
  });
});
