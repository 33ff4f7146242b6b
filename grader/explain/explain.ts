/**
 * The explainer: from the graph a failing check recorded (its Values, their grads before and after
 * its backward pass, and the order of the student's _backward calls), what every grad should have
 * been, and which node holds the mistake: the one whose _backward put wrong numbers into its
 * operands, or ran before it had all of its own grad. What each grad should be comes from the
 * grader's own arithmetic for the ops (grader/tape.ts) and, where it is defined (away from a relu's
 * kink), a central difference of the graph's own forward. Plain data in, plain data out: the
 * terminal, --json and the page of `grade explain` only show it.
 */
import { derivatives, forward } from '../tape.ts';

/** What a check recorded (see grader/suites/helpers.ts). */
export interface GraphRecord {
  pass: 'local' | 'backward' | 'none';
  /** The node the pass started from (for 'none': the last Value the check looked at). */
  root: number;
  times: number;
  /** Each node after the nodes it was computed from; `prev` by index (-1: a Value outside the record). */
  nodes: { op: string; name: string; data: number | string; grad: number | string; before: number | string; prev: number[] }[];
  /** The student's _backward calls, in order: the node, the grad it passed on, its operands' grads after. */
  steps?: { node: number; grad: number | string; after: (number | string)[] }[];
}

export interface ExplainedNode {
  name: string;
  op: string;
  data: number | string;
  /** The grad before the pass, and the student's after it. */
  before: number | string;
  yours: number | string;
  /** What it should be; undefined where an op's label is one the grader doesn't know. */
  expected?: number;
  /** A central difference of the graph's forward, for a leaf, where it is defined. */
  numeric?: number;
  wrong: boolean;
  prev: number[];
}

export interface Explained {
  pass: GraphRecord['pass'];
  root: number;
  nodes: ExplainedNode[];
  /** The nodes the pass reaches, from the root back: the order backward() should run them in. */
  order: number[];
  /**
   * The node that holds the mistake: 'arithmetic' when its _backward put wrong numbers into its
   * operands (with that arithmetic, in numbers), else what went wrong in the walk: it ran before
   * it had all of its grad ('order'), more than once ('repeated'), never ('missing'); the output
   * did not start at 1 ('start'), or backward() zeroed the grads ('zeroed').
   */
  culprit?: { node: number; kind: 'arithmetic' | 'order' | 'repeated' | 'missing' | 'start' | 'zeroed'; text: string; diagnosis: string };
  /** Each node as an expression of its operands' names ('a·b'), where it has operands. */
  expressions: string[];
  /**
   * The student's _backward calls replayed, in their order (for a local check: the one step): the
   * grad each passed on, what each operand went from and to, and what it should have got; `early`
   * when the node's grad grew after it had passed it on.
   */
  walk: { node: number; grad: number | string; changes: { operand: number; from: unknown; to: unknown; should?: number }[]; early: boolean }[];
}

const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const close = (a: unknown, b: number | undefined) => b === undefined || (isNum(a) && Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b)));
export const fmt = (x: unknown) => (isNum(x) ? String(Math.round(x * 1e4) / 1e4) : String(x));
const symbol: Record<string, string> = { '+': ' + ', '*': '·' };

/** How nodes read: each by its own name, or by its expression when that is short; and each expression. */
function namer(record: GraphRecord): { name: (i: number) => string; expression: (i: number) => string } {
  const names = new Map<number, string>();
  const expression = (i: number): string => {
    const node = record.nodes[i];
    if (!node || node.prev.length === 0) return '';
    // Parentheses only where an infix op meets another: relu(a + b), not relu((a + b)).
    const infix = !!symbol[node.op] || node.op.startsWith('**');
    const parts = node.prev.map((p) => (p < 0 ? '?' : infix && record.nodes[p].prev.length > 1 && !record.nodes[p].name ? `(${name(p)})` : name(p)));
    if (symbol[node.op]) return parts.join(symbol[node.op]);
    if (node.op.startsWith('**')) return `${parts[0]}${node.op}`;
    return `${node.op.toLowerCase()}(${parts.join(', ')})`;
  };
  const name = (i: number): string => {
    if (!names.has(i)) {
      const node = record.nodes[i];
      // A Value nobody named reads as its expression, or (a leaf) as its number.
      let text = node?.name || expression(i) || fmt(node?.data);
      if (text.length > 40) text = `#${i}`;
      names.set(i, text);
    }
    return names.get(i)!;
  };
  return { name, expression };
}

/** The nodes the pass from `root` reaches, in the record's order (a topological order). */
function reached(record: GraphRecord, root: number): Set<number> {
  const found = new Set([root]);
  for (let i = root; i >= 0; i--) if (found.has(i)) for (const p of record.nodes[i].prev) if (p >= 0) found.add(p);
  return found;
}

/** Each operand's local derivative at node i, from the grader's arithmetic; undefined when unknown. */
function local(record: GraphRecord, i: number): number[] | undefined {
  const node = record.nodes[i];
  const operands = node.prev.map((p) => (p >= 0 ? record.nodes[p].data : NaN));
  if (!isNum(node.data) || !operands.every(isNum)) return undefined;
  return derivatives(node.op, node.data, operands as number[]);
}

/** Every grad as it should be after the pass, from the grads before it. */
function expectedGrads(record: GraphRecord): (number | undefined)[] {
  const grads = record.nodes.map((n) => (isNum(n.before) ? n.before : undefined));
  const step = (i: number) => {
    const d = local(record, i);
    record.nodes[i].prev.forEach((p, k) => {
      if (p < 0) return;
      grads[p] = d === undefined || grads[i] === undefined || grads[p] === undefined ? undefined : grads[p]! + d[k] * grads[i]!;
    });
  };
  if (record.pass === 'local') step(record.root);
  if (record.pass === 'backward') {
    const order = [...reached(record, record.root)].sort((a, b) => b - a);
    for (let t = 0; t < record.times; t++) {
      grads[record.root] = 1;
      order.forEach(step);
    }
  }
  return grads;
}

/** d(root)/d(leaf) by a central difference of the graph's own forward; undefined at a kink or for an unknown op. */
function numericGrads(record: GraphRecord, expected: (number | undefined)[]): (number | undefined)[] {
  const out: (number | undefined)[] = [];
  if (record.pass !== 'backward' || record.times !== 1 || record.nodes.length > 200) return out;
  const inGraph = [...reached(record, record.root)].sort((a, b) => a - b);
  const evaluate = (leaf: number, value: number) => {
    const data = record.nodes.map((n) => n.data as number);
    data[leaf] = value;
    for (const i of inGraph) {
      const node = record.nodes[i];
      if (node.prev.length === 0) continue;
      const y = forward(node.op, node.prev.map((p) => data[p]));
      if (y === undefined) return undefined;
      data[i] = y;
    }
    return data[record.root];
  };
  for (const leaf of inGraph.filter((i) => record.nodes[i].prev.length === 0 && isNum(record.nodes[i].data))) {
    const x = record.nodes[leaf].data as number;
    const h = 1e-6 * Math.max(1, Math.abs(x));
    const [down, mid, up] = [evaluate(leaf, x - h), evaluate(leaf, x), evaluate(leaf, x + h)];
    if (down === undefined || mid === undefined || up === undefined || !close(mid, record.nodes[record.root].data as number)) continue;
    const [left, right] = [(mid - down) / h, (up - mid) / h];
    if (Math.abs(left - right) > 1e-4 * Math.max(1, Math.abs(left))) continue;
    const before = record.nodes[leaf].before;
    if (isNum(before) && expected[leaf] !== undefined) out[leaf] = before + (left + right) / 2;
  }
  return out;
}

/**
 * How a node's _backward should have filled one operand, with numbers: `a.grad = 1 + 3·out.grad =
 * 7; yours 3`, and what the difference looks like (an = for a +=, out.grad left out, …).
 */
function arithmetic(record: GraphRecord, name: (i: number) => string, node: number, grad: number, operand: number, before: number, yours: unknown): { kind: 'arithmetic'; text: string; diagnosis: string } | undefined {
  const d = local(record, node);
  if (!d) return undefined;
  const uses = record.nodes[node].prev.map((p, k) => [p, d[k]] as const).filter(([p]) => p === operand);
  const terms = uses.map(([, dk]) => `${fmt(dk)}·${name(node)}.grad`);
  const added = uses.reduce((sum, [, dk]) => sum + dk * grad, 0);
  const should = before + added;
  const line = `${name(operand)}.grad = ${before === 0 ? '' : `${fmt(before)} + `}${terms.join(' + ')} = ${fmt(should)}, with ${name(node)}.grad = ${fmt(grad)}; yours ${fmt(yours)}`;
  const one = uses[uses.length - 1]?.[1] ?? 0;
  // The other operand's local derivative in place of this one's (this.grad += this.data * out.grad in mul).
  const other = record.nodes[node].prev.map((p, k) => [p, d[k]] as const).find(([p]) => p !== operand);
  const swapped = uses.length === 1 && other !== undefined && other[1] !== uses[0][1] && close(yours, before + other[1] * grad);
  let diagnosis = '';
  if (!isNum(yours)) diagnosis = 'not a number: an operand that was not a number (a Value where a number belongs, or undefined)?';
  else if (uses.length > 1 && close(yours, before + one * grad)) diagnosis = 'the second += was lost: was it =?';
  else if (swapped && before !== 0 && close(yours, added)) {
    // This operand's numbers fit both mistakes: the other operand's tell them apart.
    const [o, theirs] = other!;
    const { grad: got, before: had } = record.nodes[o];
    if (isNum(had) && had !== 0 && close(got, theirs * grad)) diagnosis = 'it was overwritten, not added to: += where = is';
    else if (isNum(had) && close(got, had + uses[0][1] * grad)) diagnosis = `it got ${name(o)}'s local derivative: the two operands' derivatives are swapped`;
    else diagnosis = `either it was overwritten (= where += is) or it got ${name(o)}'s local derivative: check both`;
  } else if (swapped) diagnosis = `it got ${name(other![0])}'s local derivative: the two operands' derivatives are swapped`;
  else if (before !== 0 && close(yours, added)) diagnosis = 'it was overwritten, not added to: += where = is';
  else if (grad !== 1 && close(yours, before + uses.reduce((sum, [, dk]) => sum + dk, 0))) diagnosis = `times ${name(node)}.grad was left out`;
  else if (close(yours, before + uses.length * grad) && uses.some(([, dk]) => dk !== 1)) diagnosis = `the local derivative was left out: ${name(node)} passed its grad on unchanged`;
  else if (close(yours, before)) diagnosis = `nothing was added: ${name(node)}'s _backward did not reach ${name(operand)}`;
  return { kind: 'arithmetic', text: line, diagnosis };
}

/** The node that holds the mistake, from the student's own _backward calls (or, without them, the grads alone). */
function findCulprit(record: GraphRecord, name: (i: number) => string, expected: (number | undefined)[]): Explained['culprit'] {
  const nodes = record.nodes;
  if (record.pass === 'local') {
    const r = record.root;
    const grad = nodes[r].before;
    if (!isNum(grad)) return undefined;
    for (const p of new Set(nodes[r].prev)) {
      if (p < 0 || close(nodes[p].grad, expected[p])) continue;
      const said = arithmetic(record, name, r, grad, p, nodes[p].before as number, nodes[p].grad);
      if (said) return { node: r, ...said };
    }
    return undefined;
  }
  if (record.pass !== 'backward') return undefined;
  const steps = record.steps ?? [];
  // Replay the student's calls: each must add its local derivatives times the grad it passed on.
  const current = nodes.map((n) => n.before);
  const calls = new Map<number, number>();
  for (const step of steps) {
    calls.set(step.node, (calls.get(step.node) ?? 0) + 1);
    if (step.node === record.root && calls.get(step.node) === 1 && !close(step.grad, 1) && record.times === 1) {
      return { node: record.root, kind: 'start', text: `${name(record.root)}.grad should be 1 when its _backward runs; yours ${fmt(step.grad)}`, diagnosis: 'backward() starts from this.grad = 1: set it, don’t add to it' };
    }
    current[step.node] = step.grad;
    const d = local(record, step.node);
    if (!d || !isNum(step.grad)) continue;
    const sums = new Map<number, number>();
    nodes[step.node].prev.forEach((p, k) => p >= 0 && sums.set(p, (sums.get(p) ?? 0) + d[k] * (step.grad as number)));
    for (const [k, p] of nodes[step.node].prev.entries()) {
      if (p < 0) continue;
      const was = current[p];
      const should = isNum(was) ? was + sums.get(p)! : undefined;
      if (!close(step.after[k], should)) {
        const said = arithmetic(record, name, step.node, step.grad, p, isNum(was) ? was : 0, step.after[k]);
        if (said) return { node: step.node, ...said };
      }
    }
    nodes[step.node].prev.forEach((p, k) => p >= 0 && (current[p] = step.after[k]));
  }
  const inGraph = reached(record, record.root);
  // Each node's _backward, run too early: it passed on less than it had in the end.
  for (const step of steps) {
    const final = nodes[step.node].grad;
    if (nodes[step.node].prev.length > 0 && isNum(final) && !close(step.grad, final) && close(final, expected[step.node])) {
      return {
        node: step.node,
        kind: 'order',
        text: `${name(step.node)} passed its grad on when it was ${fmt(step.grad)}, and was ${fmt(final)} in the end`,
        // The output's _backward comes first in a pre-order walk, and last in a list walked from its start.
        diagnosis: `its _backward ran before every node that uses it had passed its grad on. ${steps[0]?.node === record.root ? 'A pre-order walk (each node before its children) does this wherever a node is shared' : `The list was walked from its start, so ${name(record.root)}'s own _backward ran last`}: list each node after all of its children (post-order), then call _backward from the end of the list`,
      };
    }
  }
  for (const [node, count] of calls) {
    if (count > record.times && nodes[node].prev.length > 0) {
      return { node, kind: 'repeated', text: `${name(node)}'s _backward ran ${count} times in ${record.times === 1 ? 'one backward()' : `${record.times} calls of backward()`}`, diagnosis: 'a node used twice must be listed once: keep a visited set' };
    }
  }
  for (const node of [...inGraph].sort((a, b) => b - a)) {
    if (nodes[node].prev.length > 0 && !calls.has(node) && steps.length > 0 && nodes[node].prev.some((p) => p >= 0 && !close(nodes[p].grad, expected[p]))) {
      return { node, kind: 'missing', text: `${name(node)}'s _backward never ran`, diagnosis: 'the walk never reached it: every node below the output must be visited' };
    }
  }
  const zeroed = [...inGraph].find((i) => isNum(nodes[i].before) && nodes[i].before !== 0 && close(nodes[i].grad, (expected[i] ?? 0) - (nodes[i].before as number)));
  if (zeroed !== undefined) return { node: zeroed, kind: 'zeroed', text: `${name(zeroed)}.grad was ${fmt(nodes[zeroed].before)} before backward(); it should be ${fmt(expected[zeroed])} after, yours ${fmt(nodes[zeroed].grad)}`, diagnosis: 'backward() set the grads back to 0 first: it must never zero a grad' };
  return undefined;
}

/** The student's calls, step by step, against what each should have added. */
function replayWalk(record: GraphRecord, expected: (number | undefined)[]): Explained['walk'] {
  const nodes = record.nodes;
  const calls = record.pass === 'local' ? [{ node: record.root, grad: nodes[record.root].before, after: nodes[record.root].prev.map((p) => (p >= 0 ? nodes[p].grad : NaN)) }] : (record.steps ?? []);
  const current: unknown[] = nodes.map((n) => n.before);
  // A leaf's _backward has nothing to pass on: its calls are left out.
  return calls.filter((step) => nodes[step.node].prev.length > 0).map((step) => {
    const d = local(record, step.node);
    const prev = nodes[step.node].prev;
    // An operand used twice (a + a) changes once: its change counts both uses.
    const changes = prev.map((operand, k) => {
      const from = current[operand];
      const added = d && isNum(step.grad) ? prev.reduce((sum, p, j) => (p === operand ? sum + d[j] * (step.grad as number) : sum), 0) : undefined;
      return { operand, from, to: step.after[k], should: isNum(from) && added !== undefined ? from + added : undefined };
    });
    prev.forEach((p, k) => p >= 0 && (current[p] = step.after[k]));
    current[step.node] = step.grad;
    const final = nodes[step.node].grad;
    return { node: step.node, grad: step.grad, changes: changes.filter((c, k) => c.operand >= 0 && prev.indexOf(c.operand) === k), early: prev.length > 0 && isNum(final) && !close(step.grad, final) && close(final, expected[step.node]) };
  });
}

export function explain(record: GraphRecord): Explained {
  const expected = expectedGrads(record);
  const numeric = numericGrads(record, expected);
  const { name, expression } = namer(record);
  const nodes = record.nodes.map((n, i) => ({
    name: name(i),
    op: n.op,
    data: n.data,
    before: n.before,
    yours: n.grad,
    expected: expected[i],
    numeric: numeric[i],
    wrong: record.pass !== 'none' && !close(n.grad, expected[i]),
    prev: n.prev,
  }));
  const order = [...reached(record, record.root)].sort((a, b) => b - a);
  const culprit = nodes.some((n) => n.wrong) ? findCulprit(record, name, expected) : undefined;
  return { pass: record.pass, root: record.root, nodes, order, culprit, expressions: record.nodes.map((_, i) => expression(i)), walk: replayWalk(record, expected) };
}
