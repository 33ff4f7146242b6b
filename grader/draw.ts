/**
 * Drawing a computation graph, like micrograd's trace_graph notebook: as text for the terminal, and
 * as Graphviz DOT rendered to SVG (Graphviz compiled to WebAssembly, no system install). Each Value
 * is a record { name | data | grad }, named by its label or, without one, by its expression; each
 * op is a small node between its operands and its result.
 */
import type { Value } from './api.ts';
import { explain, fmt, type Explained, type GraphRecord } from './explain/explain.ts';

export interface DotOptions {
  /** LR (left to right, the default) or TB (top to bottom). */
  rankdir?: 'LR' | 'TB';
}

/** Nodes below this many are drawn; a larger graph is cut there. */
const LIMIT = 2000;

/** The graph below `root` as the explainer reads graphs: names, data, grads and operands. */
export function graphOf(root: Value): Explained {
  const order: Value[] = [];
  const seen = new Set<Value>([root]);
  const stack: [Value, number][] = [[root, 0]];
  while (stack.length > 0 && seen.size <= LIMIT) {
    const top = stack[stack.length - 1];
    const child = top[0]._prev[top[1]++];
    if (child === undefined) {
      stack.pop();
      order.push(top[0]);
    } else if (!seen.has(child)) {
      seen.add(child);
      stack.push([child, 0]);
    }
  }
  const id = new Map(order.map((v, i) => [v, i]));
  const record: GraphRecord = {
    pass: 'none',
    root: order.length - 1,
    times: 0,
    nodes: order.map((v) => ({ op: v._op, name: v.label, data: v.data, grad: v.grad, before: v.grad, prev: v._prev.map((p) => id.get(p) ?? -1) })),
  };
  return explain(record);
}

/** Escapes text for a record label, where braces, bars, angle brackets and quotes mean something. */
function escape(text: string): string {
  return text.replace(/[\\{}|<>"]/g, (c) => `\\${c}`);
}

/** micrograd's draw_dot prints data and grad with %.4f. */
const four = (x: number | string) => escape(typeof x === 'number' ? x.toFixed(4) : x);

export function drawDot(root: Value, { rankdir = 'LR' }: DotOptions = {}): string {
  const graph = graphOf(root);
  const lines = [`digraph G {`, `  graph [rankdir=${rankdir}];`, `  node [fontname="Helvetica"];`];
  const edges = new Set<string>();
  graph.nodes.forEach((n, i) => {
    lines.push(`  n${i} [label="{ ${escape(n.name)} | data ${four(n.data)} | grad ${four(n.yours)} }", shape=record];`);
    if (n.prev.length === 0) return;
    lines.push(`  n${i}_op [label="${escape(n.op)}"];`, `  n${i}_op -> n${i};`);
    for (const p of n.prev) if (p >= 0) edges.add(`  n${p} -> n${i}_op;`);
  });
  lines.push(...edges, '}');
  return `${lines.join('\n')}\n`;
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: no system install needed. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  return (await instance()).renderString(dot, { format: 'svg' });
}

/** The graph as lines of text: each node from the root back, with what it is, its data and its grad. */
export function drawText(root: Value, most = 40): string[] {
  const graph = graphOf(root);
  const shown = graph.order.slice(0, most);
  const width = Math.min(24, Math.max(...shown.map((i) => graph.nodes[i].name.length)));
  const [data, grad] = [(i: number) => fmt(graph.nodes[i].data), (i: number) => fmt(graph.nodes[i].yours)];
  const [dw, gw] = [Math.max(...shown.map((i) => data(i).length)), Math.max(...shown.map((i) => grad(i).length))];
  const lines = shown.map((i) => {
    const n = graph.nodes[i];
    const made = graph.expressions[i] && graph.expressions[i] !== n.name ? ` = ${graph.expressions[i]}` : '';
    return `${n.name.padEnd(width)}  data ${data(i).padStart(dw)}  grad ${grad(i).padStart(gw)}${made}`;
  });
  if (graph.order.length > most) lines.push(`… and ${graph.order.length - most} more`);
  return lines;
}
