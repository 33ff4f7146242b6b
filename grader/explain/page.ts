/**
 * `grade explain`'s page: a failing check's graph, drawn with the kit's Graphviz (compiled to
 * WebAssembly: no system install), one picture for each step of the student's own backward pass,
 * and a stepper (buttons, or the arrow keys) between them. Each node shows its data, its grad at
 * that step and what its grad should be in the end; each step says what that _backward did, in
 * numbers. One self-contained file: it works offline, from .grade/.
 */
import { fmt, type Explained } from './explain.ts';

const esc = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Text in a Graphviz record label, where braces, bars, angle brackets and quotes mean something. */
const label = (text: string) => text.replace(/[\\{}|<>"]/g, (c) => `\\${c}`);

/** The grads after each step of the walk, from before the pass (state 0) to its end. */
function states(graph: Explained): unknown[][] {
  const grads: unknown[] = graph.nodes.map((n) => n.before);
  const out = [[...grads]];
  for (const step of graph.walk) {
    grads[step.node] = step.grad;
    for (const c of step.changes) grads[c.operand] = c.to;
    out.push([...grads]);
  }
  return out;
}

/** One state of the graph as DOT: the step's node in blue, the operands it changed in green, wrong grads in red. */
function dot(graph: Explained, grads: unknown[], step: Explained['walk'][number] | undefined, done: boolean): string {
  const lines = ['digraph G {', '  graph [rankdir=LR, bgcolor="transparent"];', '  node [fontname="Helvetica", fontsize=11];'];
  for (const [i, n] of graph.nodes.entries()) {
    const should = n.expected === undefined ? '' : ` | should be ${fmt(n.expected)}`;
    const wrong = done && n.wrong;
    const colour = step?.node === i ? 'fillcolor="#cfe3ff", style=filled' : step?.changes.some((c) => c.operand === i) ? 'fillcolor="#d8f5d0", style=filled' : '';
    const border = i === graph.culprit?.node ? 'color="#c62828", penwidth=3' : wrong ? 'color="#c62828", penwidth=2' : '';
    lines.push(`  n${i} [id="n${i}", shape=record, label="{ ${label(n.name)} | data ${fmt(n.data)} | grad ${fmt(grads[i])}${should} }", ${[colour, border].filter(Boolean).join(', ')}];`);
    if (n.prev.length > 0) {
      lines.push(`  n${i}_op [label="${label(n.op)}", shape=circle, width=0.3, fixedsize=false];`, `  n${i}_op -> n${i};`);
      for (const p of new Set(n.prev)) if (p >= 0) lines.push(`  n${p} -> n${i}_op;`);
    }
  }
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** What one step did, in words and numbers. */
function said(graph: Explained, step: Explained['walk'][number]): string {
  const n = graph.nodes[step.node];
  const changes = step.changes.map((c) => {
    const off = c.should !== undefined && (typeof c.to !== 'number' || Math.abs(c.to - c.should) > 1e-6 * Math.max(1, Math.abs(c.should)));
    return `${graph.nodes[c.operand].name}.grad ${fmt(c.from)} → ${fmt(c.to)}${off ? ` (should be ${fmt(c.should)})` : ''}`;
  });
  const early = step.early ? ` It passed on ${fmt(step.grad)}, but ${n.name}.grad is ${fmt(n.yours)} in the end: it ran before every node that uses it had passed its grad on.` : '';
  return `${n.name}'s _backward (${n.op}) with ${n.name}.grad = ${fmt(step.grad)}: ${changes.join(', ') || 'nothing to pass on'}.${early}`;
}

/** Above this many boxes in all the pictures, the page shows the end of the pass only. */
const PICTURE_LIMIT = 4000;

export async function explainPage(heading: { stage: string; test: string; message: string }, graph: Explained): Promise<string> {
  const { instance } = await import('@viz-js/viz');
  const viz = await instance();
  const stepped = graph.nodes.length * (graph.walk.length + 1) <= PICTURE_LIMIT;
  const all = stepped ? states(graph) : [graph.nodes.map((n) => n.yours)];
  const last = all.length - 1;
  const pictures = all.map((grads, k) => viz.renderString(dot(graph, grads, k === 0 ? undefined : graph.walk[k - 1], k === last), { format: 'svg' }));
  const captions = all.map((_, k) =>
    !stepped
      ? `The end of the pass: ${graph.nodes.length} nodes and ${graph.walk.length} _backward calls are too many to step through.`
      : k === 0
        ? `Before: the grads as the check set them. ${graph.walk.length} _backward call${graph.walk.length === 1 ? '' : 's'} follow, in your code's order.`
        : `Step ${k} of ${graph.walk.length}: ${said(graph, graph.walk[k - 1])}`,
  );
  const culprit = graph.culprit ? [graph.culprit.text, graph.culprit.diagnosis].filter(Boolean).join(': ') : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${esc(`${heading.stage}: ${heading.test}`)}</title>
<style>
  body { font: 15px/1.45 system-ui, Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 70rem; padding: 0 1rem; color: #222; }
  h1 { font-size: 1.2rem; } .message { background: #fff4f4; border-left: 4px solid #c62828; padding: .6rem .9rem; }
  .culprit { background: #fff8e1; border-left: 4px solid #f9a825; padding: .6rem .9rem; }
  .step { display: none; } .step.shown { display: block; }
  .controls { display: flex; gap: .6rem; align-items: center; margin: 1rem 0 .5rem; }
  button { font: inherit; padding: .3rem .9rem; } #caption { min-height: 3em; }
  svg { max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>Stage ${esc(heading.stage)}: ${esc(heading.test)}</h1>
<p class="message">${esc(heading.message)}</p>
${culprit ? `<p class="culprit">${esc(culprit)}</p>` : ''}
<div class="controls"><button id="prev">◀ Back</button><button id="next">Next ▶</button><span id="where"></span></div>
<p id="caption"></p>
${pictures.map((svg, k) => `<div class="step${k === 0 ? ' shown' : ''}" data-caption="${esc(captions[k])}">${svg}</div>`).join('\n')}
<p>Each box: the Value's name, its data, its grad at this step, and what its grad should be once backward() is done. Blue: the node whose _backward runs; green: the grads it changes; red: a grad that ends wrong, and (thick) the node that holds the mistake. Arrow keys step too.</p>
<script>
  const steps = [...document.querySelectorAll('.step')];
  let at = 0;
  const show = (k) => {
    at = Math.max(0, Math.min(steps.length - 1, k));
    steps.forEach((s, i) => s.classList.toggle('shown', i === at));
    document.getElementById('caption').textContent = steps[at].dataset.caption;
    document.getElementById('where').textContent = at === 0 ? 'before the pass' : 'step ' + at + ' of ' + (steps.length - 1);
  };
  document.getElementById('prev').onclick = () => show(at - 1);
  document.getElementById('next').onclick = () => show(at + 1);
  document.addEventListener('keydown', (e) => { if (e.key === 'ArrowRight') show(at + 1); if (e.key === 'ArrowLeft') show(at - 1); });
  show(0);
</script>
</body>
</html>
`;
}
