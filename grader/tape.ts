/**
 * The grader's own arithmetic for the ops, by their labels: what a node's data is, and its local
 * derivatives by each operand. It knows only what the TODOs say of each op (d(a+b)/da = 1,
 * d(a·b)/da = b, d(aⁿ)/da = n·aⁿ⁻¹, relu's slope, tanh's and exp's) and that the chain rule runs
 * from the output back. The Tape is plain numbers in the order they were made (a topological
 * order). The trusted check and the explainer both use it.
 */

/** A node's data from its op's label and its operands' data; undefined for a label it doesn't know. */
export function forward(op: string, operands: number[]): number | undefined {
  const [a, b] = operands;
  if (op === '+') return operands.reduce((sum, x) => sum + x, 0);
  if (op === '*') return operands.length === 2 ? a * b : undefined;
  if (op.startsWith('**')) return a ** Number(op.slice(2));
  if (op === 'ReLU') return a < 0 ? 0 : a;
  if (op === 'tanh') return Math.tanh(a);
  if (op === 'exp') return Math.exp(a);
  return undefined;
}

/** The local derivative of a node by each of its operands, given its data and theirs; undefined for a label it doesn't know. */
export function derivatives(op: string, data: number, operands: number[]): number[] | undefined {
  const [a, b] = operands;
  if (op === '+') return operands.map(() => 1);
  if (op === '*') return operands.length === 2 ? [b, a] : undefined;
  if (op.startsWith('**')) {
    const n = Number(op.slice(2));
    return Number.isNaN(n) ? undefined : [n * a ** (n - 1)];
  }
  if (op === 'ReLU') return [data > 0 ? 1 : 0];
  if (op === 'tanh') return [1 - data ** 2];
  if (op === 'exp') return [data];
  return undefined;
}

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

  /** A node made by `op` from these nodes. */
  apply(op: string, operands: number[]): number {
    const values = operands.map((i) => this.data[i]);
    const data = forward(op, values)!;
    const local = derivatives(op, data, values)!;
    return this.node(data, operands.map((p, k) => [p, local[k]]));
  }

  add(a: number, b: number): number {
    return this.apply('+', [a, b]);
  }

  mul(a: number, b: number): number {
    return this.apply('*', [a, b]);
  }

  pow(a: number, n: number): number {
    return this.apply(`**${n}`, [a]);
  }

  relu(a: number): number {
    return this.apply('ReLU', [a]);
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
