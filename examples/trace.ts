/**
 * `npm run trace`: draws a computation graph computed by your engine to an SVG file, as micrograd's
 * trace_graph example does: a small neuron by default; an expression of your own; or a play file.
 *   npm run trace                                   # the neuron: y = relu(w1·x1 + w2·x2 + b)
 *   npm run trace -- "Value(2).mul(3).add(1).relu()" # any expression over Value (and Neuron, Layer, MLP)
 *   npm run trace -- play.ts                        # a play file, which draws with draw(v)
 *   npm run trace -- --target solutions --out neuron.svg --rankdir TB
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { drawDot, drawText, renderSvg } from '../grader/draw.ts';
import { mulberry32 } from '../grader/notebook/random.ts';
import type { Value } from '../grader/api.ts';
import { loadTarget } from './load.ts';
import { readyOrExplain } from './ready.ts';

const cli = new Command('trace')
  .description('Draw a computation graph computed by your engine: the neuron, an expression, or a play file.')
  .argument('[expression|file.ts]', 'an expression over Value (e.g. "Value(2).mul(3).add(1).relu()"), or a play file to run')
  .option('-t, --target <dir>', "the folder holding engine.ts and nn.ts (default: this kit's exercises/)")
  .option('-o, --out <file>', 'where to write the SVG (default: neuron.svg, or graph.svg for an expression)')
  .addOption(new Option('--rankdir <dir>', 'graph direction').choices(['LR', 'TB']).default('LR'))
  .option('--dot', 'print the DOT text instead of writing SVG')
  .parse();
const [what] = cli.args as [string | undefined];
const opts = cli.opts<{ target?: string; out?: string; rankdir: 'LR' | 'TB'; dot?: boolean }>();
const out = opts.out ?? (what ? 'graph.svg' : 'neuron.svg');

if (what?.endsWith('.ts')) {
  // A play file draws what it wants itself.
  const { main } = await import('../grader/cli/program.ts');
  process.exit((await main(['play', what, ...(opts.target ? ['--target', opts.target] : [])])).code);
}
const dir = await readyOrExplain(opts.target, what ? 'backward' : 'neuron');
if (!dir) process.exit(process.exitCode ?? 1);
const { Neuron, Layer, MLP, Value: Made } = await loadTarget(dir);
let y: Value;
if (what) {
  // Value(2) and new Value(2) both make a Value here.
  const V = function (data: number) {
    return new Made(data);
  };
  try {
    y = new Function('Value', 'Neuron', 'Layer', 'MLP', `return (${what});`)(V, Neuron, Layer, MLP);
  } catch (error) {
    console.error(`The expression ${what} threw ${error}`);
    process.exit(1);
  }
  if (!(y instanceof Made)) {
    console.error(`The expression ${what} gives ${String(y)}, not a Value: end it with a Value, e.g. Value(2).mul(3).add(1).relu()`);
    process.exit(1);
  }
  if (!y.label) y.label = 'y';
} else {
  // A 2-input ReLU neuron with seeded weights, at x = [1, -2].
  const n = new Neuron(2, { random: mulberry32(3) });
  const x = [new Made(1), new Made(-2)];
  x.forEach((v, i) => (v.label = `x${i + 1}`));
  n.w.forEach((w, i) => (w.label = `w${i + 1}`));
  n.b.label = 'b';
  y = n.forward(x);
  y.label = 'y';
}
y.backward();
const dot = drawDot(y, { rankdir: opts.rankdir });
if (opts.dot) {
  process.stdout.write(dot);
} else {
  writeFileSync(out, await renderSvg(dot));
  console.log(drawText(y).join('\n'));
  console.log(`Drew ${y.toString()} and the graph below it to ${resolve(out)}`);
}
