/**
 * drawDot: the computation graph below a Value as Graphviz DOT text, like
 * micrograd's trace_graph notebook. Each Value is a record { label | data | grad };
 * each op is its own small node between its operands and its result.
 */
import type { Value } from '../grader/api.ts';

export interface DotOptions {
  /** LR (left to right, the default) or TB (top to bottom). */
  rankdir?: 'LR' | 'TB';
}

/** Escapes text for a record label, where braces, bars, angle brackets and quotes mean something. */
function escape(text: string): string {
  return text.replace(/[\\{}|<>"]/g, (c) => `\\${c}`);
}

export function drawDot(root: Value, { rankdir = 'LR' }: DotOptions = {}): string {
  const ids = new Map<Value, string>();
  const edges = new Set<string>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (ids.has(v)) continue;
    ids.set(v, `n${ids.size}`);
    stack.push(...v._prev);
  }
  const lines = [`digraph G {`, `  graph [rankdir=${rankdir}];`, `  node [fontname="Helvetica"];`];
  for (const [v, id] of ids) {
    const label = `{ ${escape(v.label)} | data ${v.data.toFixed(4)} | grad ${v.grad.toFixed(4)} }`;
    lines.push(`  ${id} [label="${label}", shape=record];`);
    if (v._op) {
      lines.push(`  ${id}_op [label="${escape(v._op)}"];`);
      lines.push(`  ${id}_op -> ${id};`);
      for (const child of v._prev) edges.add(`  ${ids.get(child)} -> ${id}_op;`);
    }
  }
  lines.push(...edges, '}');
  return `${lines.join('\n')}\n`;
}

/** Renders DOT to SVG with Graphviz compiled to WebAssembly: no system install needed. */
export async function renderSvg(dot: string): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  return (await instance()).renderString(dot, { format: 'svg' });
}
