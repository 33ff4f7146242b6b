/**
 * `npm run demo`: trains micrograd's moons classifier with your engine, draws the
 * decision boundary in the terminal and to an SVG, as the demo notebook does.
 *   npm run demo -- --target solutions --steps 100 --seed 1337 --rng python --out moons.svg
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { noColor, ui } from '../grader/ui.ts';
import { loadTarget } from './load.ts';
import { svgPlot, terminalPlot } from './plot.ts';
import { readyOrExplain } from './ready.ts';
import { train, type Step } from '../grader/notebook/train.ts';

const whole = (name: string) => (text: string) => {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number, got '${text}'.`);
  return n;
};

const cli = new Command('demo')
  .description('Train the two-moons classifier with your engine and draw its decision boundary.')
  .option('-t, --target <dir>', "the folder holding engine.ts and nn.ts (default: this kit's exercises/)")
  .option('--steps <n>', 'training steps', whole('--steps'), 100)
  .option('--seed <n>', 'random seed', whole('--seed'), 1337)
  .addOption(new Option('--rng <kind>', "'python': the notebook's generators, for its exact numbers; 'plain': a small seeded one").choices(['python', 'plain']).default('python'))
  .option('-o, --out <file>', 'where to write the SVG', 'moons.svg')
  .option('--json', 'print a JSON summary only')
  .option('--no-color', 'turn colour off')
  .parse();
const opts = cli.opts<{ target?: string; steps: number; seed: number; rng: 'python' | 'plain'; out: string; json?: boolean; color: boolean }>();
if (!opts.color) noColor();

const dir = await readyOrExplain(opts.target, 'mlp');
if (!dir) process.exit(process.exitCode ?? 1);
const kit = await loadTarget(dir);
const live = !opts.json && process.stdout.isTTY;

function progress(s: Step): string {
  const width = 24;
  const done = Math.round(((s.step + 1) / opts.steps) * width);
  const bar = ui.success('█'.repeat(done)) + ui.dim('░'.repeat(width - done));
  return ` step ${String(s.step + 1).padStart(String(opts.steps).length)}/${opts.steps} ${bar} loss ${s.loss.toFixed(4)}  accuracy ${(s.accuracy * 100).toFixed(0)}%`;
}

const started = performance.now();
let result: ReturnType<typeof train>;
try {
  result = train(kit, {
    steps: opts.steps,
    seed: opts.seed,
    rng: opts.rng,
    onStep: (s) => {
      if (live) process.stdout.write(`\r${progress(s)}`);
      else if (!opts.json && (s.step % 10 === 0 || s.step === opts.steps - 1)) console.log(progress(s));
    },
  });
} catch (error) {
  console.error(`\n${ui.error('Training stopped:')} your engine threw ${String(error)}.\nThe stages pass, so this is something they don't check yet; tell your instructor about it.`);
  process.exit(1);
}
const seconds = (performance.now() - started) / 1000;
const { steps, model, data } = result;
const score = (x: number, y: number) => model.forward([x, y])[0].data;
writeFileSync(opts.out, svgPlot(data, score, steps));
const first = steps[0];
const last = steps.at(-1);

if (opts.json) {
  const summary = { target: dir, steps: steps.length, firstLoss: first?.loss ?? null, finalLoss: last?.loss ?? null, accuracy: last?.accuracy ?? null, seconds, svg: resolve(opts.out) };
  console.log(JSON.stringify(summary, null, 2));
} else {
  if (live) process.stdout.write('\n');
  console.log(`\n${terminalPlot(data, score)}\n`);
  console.log(`  ${ui.positive(' o ')} inner moon (+1)   ${ui.negative(' x ')} outer moon (-1)   background: the model's sign\n`);
  if (first && last) {
    console.log(` Loss ${first.loss.toFixed(4)} → ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(0)}% after ${steps.length} steps in ${seconds.toFixed(1)} s.`);
  }
  console.log(` Picture: ${ui.info(resolve(opts.out))}`);
}
