/**
 * `npm run trace`: draws the computation graph of a small neuron, computed by your
 * engine, to an SVG file: micrograd's trace_graph example.
 *   npm run trace -- --target solutions --out neuron.svg --rankdir TB
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import { drawDot, renderSvg } from './graph.ts';
import { loadTarget } from './load.ts';
import { mulberry32 } from '../grader/notebook/random.ts';
import { readyOrExplain } from './ready.ts';

const cli = new Command('trace')
  .description('Draw the computation graph of a neuron computed by your engine.')
  .option('-t, --target <dir>', "the folder holding engine.ts and nn.ts (default: this kit's exercises/)")
  .option('-o, --out <file>', 'where to write the SVG', 'neuron.svg')
  .addOption(new Option('--rankdir <dir>', 'graph direction').choices(['LR', 'TB']).default('LR'))
  .option('--dot', 'print the DOT text instead of writing SVG')
  .parse();
const opts = cli.opts<{ target?: string; out: string; rankdir: 'LR' | 'TB'; dot?: boolean }>();

const dir = await readyOrExplain(opts.target, 'neuron');
if (!dir) process.exit(process.exitCode ?? 1);
const { Neuron, Value } = await loadTarget(dir);
// The README's example: a 2-input ReLU neuron with seeded weights, at x = [1, -2].
const n = new Neuron(2, { random: mulberry32(3) });
const x = [new Value(1), new Value(-2)];
x[0].label = 'x1';
x[1].label = 'x2';
n.w.forEach((w, i) => (w.label = `w${i + 1}`));
n.b.label = 'b';
const y = n.forward(x);
y.label = 'y';
y.backward();
const dot = drawDot(y, { rankdir: opts.rankdir });
if (opts.dot) {
  process.stdout.write(dot);
} else {
  writeFileSync(opts.out, await renderSvg(dot));
  console.log(`Drew ${y.toString()} and the graph below it to ${resolve(opts.out)}`);
}
