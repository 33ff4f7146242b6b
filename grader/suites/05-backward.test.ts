// Stage backward: Value.backward on whole graphs, built from every op so far.
import { describe, it } from 'vitest';
import { Value, backwardOf, fail, is, named, near, note, numericalGrad, seeded } from './helpers.ts';

describe('Value.backward', () => {
  it('sets the grad of the Value it is called on to 1', () => {
    const a = new Value(3);
    named({ a });
    backwardOf(a);
    is('after Value(3).backward(), its grad', a.grad, 1);
  });

  it('sets that grad to 1 even when it already has one', () => {
    const x = new Value(2);
    const y = x.mul(3);
    named({ x, y });
    y.grad = 7;
    backwardOf(y);
    is('with y = x·3 and y.grad = 7 before, after y.backward(), y.grad', y.grad, 1, 'backward() starts the chain rule from dy/dy = 1: set it, don’t add to it');
    is('… and x.grad', x.grad, 3);
  });

  it('runs the chain rule through two steps', () => {
    const x = new Value(2);
    const y = x.mul(3).add(1); // dy/dx = 3
    named({ x, y });
    backwardOf(y);
    is('with y = x·3 + 1, after y.backward(), x.grad', x.grad, 3);
  });

  it('handles a Value used twice: a·a at a = 3 has gradient 6', () => {
    const a = new Value(3);
    const y = a.mul(a);
    named({ a, y });
    backwardOf(y);
    is('after a.mul(a).backward() at a = 3, a.grad', a.grad, 6);
  });

  it('waits for every use of a reused node before passing its gradient on (topological order)', () => {
    const a = new Value(1);
    const b = a.add(a);
    const c = b.add(b); // c = 4a
    named({ a, b, c });
    backwardOf(c);
    is(
      'with b = a.add(a), c = b.add(b), after c.backward(), a.grad',
      a.grad,
      4,
      "Each node's _backward must run once, after every node that uses it has run. Sort the graph topologically first",
    );
    note({ reused: a.grad });
  });

  it("runs each node's _backward once in a diamond", () => {
    const a = new Value(2);
    const b = a.mul(3);
    const c = b.add(1);
    const d = b.mul(c); // d = 3a(3a + 1), dd/da = 18a + 3 = 39
    named({ a, b, c, d });
    backwardOf(d);
    is('with b = 3a, d = b·(b + 1) at a = 2, after d.backward(), a.grad', a.grad, 39);
    note({ diamond: a.grad });
  });

  it('adds to the grads the leaves already have, never zeroing them', () => {
    const a = new Value(2);
    const b = new Value(5);
    a.grad = 100;
    const y = a.mul(b);
    named({ a, b, y });
    backwardOf(y);
    const why = a.grad === 5 ? 'backward() set a.grad back to 0 first: it must never zero a grad' : '';
    is('with y = a·b at b = 5 and a.grad = 100 before, after y.backward(), a.grad', a.grad, 105, why);
  });

  it('passes gradients back again when called a second time', () => {
    const a = new Value(2);
    const b = new Value(5);
    const y = a.mul(b);
    named({ a, b, y });
    backwardOf(y, 2);
    const why = a.grad === 5 ? 'The second backward() passed nothing back: does it keep its visited set from the first call? Each call needs a new one' : '';
    is('with y = a·b at b = 5, after y.backward() twice, a.grad', a.grad, 10, why);
  });

  it('lets inner nodes keep their grads too, as micrograd does, when called a second time', () => {
    const a = new Value(2);
    const b = new Value(5);
    const c = new Value(1);
    const m = a.mul(b);
    const y = m.add(c);
    named({ a, b, c, m, y });
    backwardOf(y, 2);
    // The second pass adds 1 more to m.grad, which is then 2, and m passes 2·b on to a.
    is('with m = a·b, y = m + c, after y.backward() twice, m.grad', m.grad, 2, 'backward() never zeroes a grad, inner nodes’ included');
    const why =
      a.grad === 5
        ? ' The second backward() never reached a: does it keep its visited set from the first call? Each call needs a new one'
        : a.grad === 10
          ? ' The second pass started m from 0: backward() must not zero inner nodes’ grads'
          : '';
    if (a.grad !== 15) fail(`with m = a·b at b = 5, y = m + c, after y.backward() twice, a.grad should be 15 (5 from the first pass, then m.grad = 2 times b), got ${a.grad}.${why}`, 15, a.grad);
  });

  // The expected values were computed with PyTorch in float64 (micrograd's test/test_engine.py).
  it('matches PyTorch on micrograd’s sanity check: y = -20, dy/dx = 46', () => {
    const x = new Value(-4);
    const z = x.mul(2).add(2).add(x);
    const q = z.relu().add(z.mul(x));
    const h = z.mul(z).relu();
    const y = h.add(q).add(q.mul(x));
    named({ x, z, q, h, y });
    backwardOf(y);
    is('sanity check: z', z.data, -10);
    is('sanity check: q', q.data, 40);
    is('sanity check: h', h.data, 100);
    is('sanity check: y', y.data, -20);
    is('sanity check: after y.backward(), x.grad', x.grad, 46);
  });

  it('matches PyTorch on micrograd’s more_ops check within 1e-6', () => {
    const a = new Value(-4);
    const b = new Value(2);
    let c = a.add(b);
    let d = a.mul(b).add(b.pow(3));
    c = c.add(c.add(1));
    c = c.add(c.add(1).sub(a)); // c += 1 + c + (-a)
    d = d.add(d.mul(2).add(b.add(a).relu()));
    d = d.add(d.mul(3).add(b.sub(a).relu()));
    const e = c.sub(d);
    const f = e.pow(2);
    let g = f.div(2);
    g = g.add(new Value(10).div(f));
    named({ a, b, c, d, e, f, g });
    backwardOf(g);
    is('more_ops: c', c.data, -1);
    is('more_ops: d', d.data, 6);
    is('more_ops: e', e.data, -7);
    is('more_ops: f', f.data, 49);
    near('more_ops: g', g.data, 24.70408163265306, 1e-6);
    near('more_ops: after g.backward(), a.grad', a.grad, 138.83381924198252, 1e-6);
    near('more_ops: after g.backward(), b.grad', b.grad, 645.5772594752186, 1e-6);
  });

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('agrees with numerical gradients on random expression #%i', (seed) => {
    const { build, show } = randomExpression(seed);
    const xs = [0.7, -1.3, 2.1, -0.4];
    const leaves = xs.map((x) => new Value(x));
    const out = build(leaves);
    named({ ...Object.fromEntries(leaves.map((x, i) => [`x${i}`, x])), y: out });
    backwardOf(out);
    for (let i = 0; i < xs.length; i++) {
      const expected = numericalGrad((ys) => build(ys.map((y) => new Value(y))).data, xs, i);
      near(`with y = ${show}, after y.backward(), x${i}.grad`, leaves[i].grad, expected, 1e-5);
    }
  });
});

type Op = (a: Value, b: Value) => Value;
const ops: [string, Op][] = [
  ['(A + B)', (a, b) => a.add(b)],
  ['(A · B)', (a, b) => a.mul(b)],
  ['(A - B)', (a, b) => a.sub(b)],
  ['A / (B² + 1)', (a, b) => a.div(b.pow(2).add(1))],
  ['relu(A + 0.5) · B', (a, b) => a.add(0.5).relu().mul(b)],
  ['(A · A + B)', (a, b) => a.mul(a).add(b)],
];

/** A seeded random expression over four inputs, reusing intermediate results, plus its formula. */
function randomExpression(seed: number): { build: (xs: Value[]) => Value; show: string } {
  const random = seeded(seed);
  const steps = Array.from({ length: 6 }, () => [
    Math.floor(random() * ops.length),
    Math.floor(random() * 4),
    Math.floor(random() * 4),
  ]);
  const build = (xs: Value[]) => {
    const pool = [...xs];
    for (const [op, i, j] of steps) pool.push(ops[op][1](pool[pool.length - 1 - i], pool[j]));
    return pool[pool.length - 1];
  };
  const names = ['x0', 'x1', 'x2', 'x3'];
  for (const [op, i, j] of steps) {
    names.push(ops[op][0].replaceAll('A', names[names.length - 1 - i]).replaceAll('B', names[j]));
  }
  return { build, show: names[names.length - 1] };
}
