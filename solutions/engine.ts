/**
 * The engine: a scalar Value that remembers how it was computed, so that
 * backward() can apply the chain rule through the whole graph.
 * A TypeScript port of micrograd's engine.py (github.com/karpathy/micrograd).
 */

/** Thrown by every method that is still waiting to be written. */
export class NotImplementedError extends Error {
  constructor(what: string) {
    super(`${what} is not implemented yet`);
    this.name = 'NotImplementedError';
  }
}

const leaf = () => {}; // the _backward of a Value that no op made: nothing to pass on

export class Value {
  data: number;
  grad = 0;
  /** An optional name, shown in drawings of the graph. */
  label = '';
  // The graph: the operands this Value was computed from, the op that combined
  // them, and the local chain-rule step that passes out.grad back to them.
  _backward: () => void = leaf;
  readonly _prev: readonly Value[];
  readonly _op: string;
  /**
   * The reference's own speed-up, not part of the API: backward() marks the nodes it has
   * visited with a token of its pass, which is cheaper than a Set. (Optional, so any Value
   * of the pinned API fits where this one is expected.)
   */
  _mark?: object = undefined;

  constructor(data: number, children: Iterable<Value> = [], op = '') {
    this.data = data;
    this._prev = Array.isArray(children) ? children : [...children];
    this._op = op;
  }

  add(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data + o.data, [this, o], '+');
    out._backward = () => {
      this.grad += out.grad;
      o.grad += out.grad;
    };
    return out;
  }

  mul(other: Value | number): Value {
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out._backward = () => {
      this.grad += o.data * out.grad;
      o.grad += this.data * out.grad;
    };
    return out;
  }

  pow(exponent: number): Value {
    if (typeof exponent !== 'number') {
      throw new TypeError('Value.pow takes a plain number as its exponent, not a Value');
    }
    const out = new Value(this.data ** exponent, [this], `**${exponent}`);
    out._backward = () => {
      this.grad += exponent * this.data ** (exponent - 1) * out.grad;
    };
    return out;
  }

  relu(): Value {
    const out = new Value(this.data < 0 ? 0 : this.data, [this], 'ReLU');
    out._backward = () => {
      this.grad += (out.data > 0 ? 1 : 0) * out.grad;
    };
    return out;
  }

  neg(): Value {
    return this.mul(-1); // -a
  }

  sub(other: Value | number): Value {
    return this.add(other instanceof Value ? other.neg() : -other); // a + (-b)
  }

  div(other: Value | number): Value {
    return this.mul(other instanceof Value ? other.pow(-1) : other ** -1); // a * b**-1
  }

  backward(): void {
    // Topological order: every node after the nodes it was computed from.
    // Depth-first with an explicit stack, so deep graphs cannot overflow the call stack.
    const topo: Value[] = [];
    const pass = {}; // a new token for this pass: nodes marked with it have been visited
    this._mark = pass;
    const stack: Value[] = [this];
    const nextChild: number[] = [0];
    while (stack.length > 0) {
      const top = stack.length - 1;
      const v = stack[top];
      const i = nextChild[top]++;
      if (i < v._prev.length) {
        const child = v._prev[i];
        if (child._mark !== pass) {
          child._mark = pass;
          stack.push(child);
          nextChild.push(0);
        }
      } else {
        stack.pop();
        nextChild.pop();
        topo.push(v);
      }
    }
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }

  tanh(): Value {
    const t = Math.tanh(this.data);
    const out = new Value(t, [this], 'tanh');
    out._backward = () => {
      this.grad += (1 - t * t) * out.grad;
    };
    return out;
  }

  exp(): Value {
    const out = new Value(Math.exp(this.data), [this], 'exp');
    out._backward = () => {
      this.grad += out.data * out.grad;
    };
    return out;
  }

  toString(): string {
    return `Value(data=${this.data}, grad=${this.grad})`;
  }
}
