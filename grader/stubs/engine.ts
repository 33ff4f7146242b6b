/**
 * The engine: a scalar Value that remembers how it was computed, so that
 * backward() can apply the chain rule through the whole graph.
 *
 * Your job: replace every `throw new NotImplementedError(...)` in this file
 * and in nn.ts, one TODO at a time, in this order:
 *   add → mul (then neg, sub) → pow (then div) → relu → backward → Neuron → MLP
 * Check your work with `npx grade`: it runs the stages in order and tells you
 * which TODO to do next. You'll know you've succeeded when every stage passes.
 */

/** Thrown by every method that is still waiting to be written. */
export class NotImplementedError extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

export class Value {
  data: number;
  grad = 0;
  /** An optional name, shown in drawings of the graph. */
  label = '';
  // The graph: the operands this Value was computed from, the op that combined
  // them, and the local chain-rule step that passes out.grad back to them
  // (a Value that no op made has nothing to pass on).
  _backward: () => void = () => {};
  readonly _prev: readonly Value[];
  readonly _op: string;

  constructor(data: number, children: Iterable<Value> = [], op = '') {
    this.data = data;
    this._prev = [...children];
    this._op = op;
  }

  add(other: Value | number): Value {
    // TODO(add): Return a new Value holding this + other, made from [this, other] with op '+'.
    // Wrap a plain number in a Value first. Give the result a _backward that adds
    // out.grad into both operands' grad (d(a+b)/da = d(a+b)/db = 1). Always +=, never =.
    throw new NotImplementedError('Value.add');
  }

  mul(other: Value | number): Value {
    // TODO(mul): Return a new Value holding this · other, made from [this, other] with op '*'.
    // Its _backward adds into each operand's grad: d(a·b)/da = b and d(a·b)/db = a, times out.grad.
    throw new NotImplementedError('Value.mul');
  }

  pow(exponent: number): Value {
    // TODO(pow): Return a new Value holding this ** exponent, made from [this] with op '**<exponent>'
    // (so '**2' for squares). d(aⁿ)/da = n·aⁿ⁻¹. Only plain numbers are allowed as the
    // exponent: for anything else throw a TypeError (with any message you like).
    throw new NotImplementedError('Value.pow');
  }

  relu(): Value {
    // TODO(relu): Return a new Value holding max(0, this), made from [this] with op 'ReLU'.
    // Its gradient is 1 where the output is positive and 0 elsewhere (including at exactly 0).
    throw new NotImplementedError('Value.relu');
  }

  neg(): Value {
    // TODO(mul): Return -this, built from mul, so that its gradient comes for free.
    throw new NotImplementedError('Value.neg');
  }

  sub(other: Value | number): Value {
    // TODO(mul): Return this - other, built as this + (-other) from add and neg.
    throw new NotImplementedError('Value.sub');
  }

  div(other: Value | number): Value {
    // TODO(pow): Return this / other, built as this · other⁻¹ from mul and pow.
    throw new NotImplementedError('Value.div');
  }

  backward(): void {
    // TODO(backward): Order the graph topologically (each node after every node it was computed
    // from, each node once even when it is used twice), set this.grad = 1, then call each
    // node's _backward from the output back to the leaves. Don't reset any grads.
    // Deep graphs (a million nodes) should work too, so think about the call stack.
    throw new NotImplementedError('Value.backward');
  }

  // Bonus, from the lecture (npx grade tanh, npx grade exp): they never block "done".

  tanh(): Value {
    // TODO(tanh): Return a new Value holding tanh(this), made from [this] with op 'tanh'.
    // d(tanh a)/da = 1 - tanh(a)², which is 1 - out.data² : no need to compute tanh twice.
    throw new NotImplementedError('Value.tanh');
  }

  exp(): Value {
    // TODO(exp): Return a new Value holding e^this, made from [this] with op 'exp'.
    // d(eᵃ)/da = eᵃ, which is out.data. Add it, times out.grad, as every _backward does.
    throw new NotImplementedError('Value.exp');
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}
