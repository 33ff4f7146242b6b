/**
 * Plain numbers with their local derivatives, in the order they were made (which is a topological
 * order): the grader's own arithmetic for what a graph's values and gradients must be. It knows
 * only what the TODOs say of each op (d(a+b)/da = 1, d(a·b)/da = b, d(aⁿ)/da = n·aⁿ⁻¹, relu's slope)
 * and that the chain rule runs from the output back. The trusted check and the explainer use it.
 */
export class Tape {
  data: number[] = [];
  grad: number[] = [];
  /** Each node's operands, with the local derivative of the node by each. */
  parents: [number, number][][] = [];

  node(data: number, parents: [number, number][] = []): number {
    this.data.push(data);
    this.grad.push(0);
    this.parents.push(parents);
    return this.data.length - 1;
  }

  add(a: number, b: number): number {
    return this.node(this.data[a] + this.data[b], [[a, 1], [b, 1]]);
  }

  mul(a: number, b: number): number {
    return this.node(this.data[a] * this.data[b], [[a, this.data[b]], [b, this.data[a]]]);
  }

  pow(a: number, n: number): number {
    return this.node(this.data[a] ** n, [[a, n * this.data[a] ** (n - 1)]]);
  }

  relu(a: number): number {
    const y = this.data[a] < 0 ? 0 : this.data[a];
    return this.node(y, [[a, y > 0 ? 1 : 0]]);
  }

  /** The local step of one node: its grad, times each local derivative, added to its operands. */
  step(i: number): void {
    for (const [p, d] of this.parents[i]) this.grad[p] += d * this.grad[i];
  }

  /** The chain rule from `out` down: every node at or below it passes its grad on, last made first. */
  pass(out: number): void {
    const reached = new Set([out]);
    for (let i = out; i >= 0; i--) {
      if (!reached.has(i)) continue;
      this.step(i);
      for (const [p] of this.parents[i]) reached.add(p);
    }
  }
}
