// The payoff: the notebook's generators, data and training reproduced exactly, and the pictures.
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { beforeAll, describe, expect, it } from 'vitest';
import { drawDot, renderSvg } from '../examples/graph.ts';
import { makeMoons, numpyMoonsRandom } from '../grader/notebook/moons.ts';
import { svgPlot } from '../examples/plot.ts';
import { MT19937, NumpyRandomState, PythonRandom } from '../grader/notebook/random.ts';
import { train } from '../grader/notebook/train.ts';
import { kitRoot } from '../grader/kit.ts';
import { Value } from '../solutions/engine.ts';
import { MLP } from '../solutions/nn.ts';
import { run as runCommand, studentFolder, temp } from './helpers.ts';

const example = (script: string, args: string[]) => runCommand(process.execPath, [join(kitRoot, 'dist', 'examples', script), ...args]);
/** A copy of the reference, so that grading it writes nothing into the kit; made once, so the demo and the trace share its cached analysis. */
let copy: string | undefined;
function reference(): string {
  if (!copy) cpSync(join(kitRoot, 'solutions'), (copy = temp('reference')), { recursive: true });
  return copy;
}

describe('the generator ports', () => {
  it('match MT19937’s reference outputs for init_genrand(5489) and init_by_array', () => {
    const g = MT19937.fromSeed(5489);
    expect([g.next(), g.next(), g.next()]).toEqual([3499211612, 581869302, 3890346734]);
    expect(MT19937.fromArray([0x123, 0x234, 0x345, 0x456]).next()).toBe(1067595299);
  });

  it("match Python's random.seed(42); random.random()", () => {
    const r = new PythonRandom(42);
    expect([r.random(), r.random(), r.random()]).toEqual([0.6394267984578837, 0.025010755222666936, 0.27502931836911926]);
  });

  it("match numpy's legacy seed: rand(), randn() (polar Box-Muller) and permutation()", () => {
    expect(new NumpyRandomState(42).random()).toBe(0.3745401188473625);
    const g = new NumpyRandomState(0);
    expect([g.gauss(), g.gauss()]).toEqual([1.764052345967664, 0.4001572083672233]);
    const order = [...Array(10).keys()];
    new NumpyRandomState(0).shuffle(order);
    expect(order).toEqual([2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
  });
});

describe('makeMoons', () => {
  it('puts two half circles of 50 points each, labelled -1 and +1, ends exactly at π', () => {
    const identity = { shuffle: () => {}, normal: () => 0 };
    const { X, y } = makeMoons(100, 0, identity);
    expect(X).toHaveLength(100);
    expect(y.filter((v) => v === -1)).toHaveLength(50);
    expect(X[49]).toEqual([Math.cos(Math.PI), Math.sin(Math.PI)]);
    expect(X[50]).toEqual([0, 0.5]);
    for (const [i, [a, b]] of X.entries()) {
      const r = i < 50 ? Math.hypot(a, b) : Math.hypot(a - 1, b - 0.5);
      expect(r).toBeCloseTo(1, 12);
    }
  });

  it('shuffles and adds noise with numpy’s generator, as sklearn does', () => {
    const { X, y } = makeMoons(100, 0.1, numpyMoonsRandom(1337));
    expect(new Set(y)).toEqual(new Set([-1, 1]));
    expect(X.every(([a, b]) => a > -1.5 && a < 2.5 && b > -1 && b < 1.5)).toBe(true);
  });
});

describe('training on the moons with the reference engine', () => {
  // In a hook, not at collection: then it counts in the file's time, which orders the files.
  let steps: ReturnType<typeof train>['steps'];
  beforeAll(() => void ({ steps } = train({ Value, MLP })), 60_000);

  it('reproduces the notebook’s first loss exactly', () => {
    expect(steps[0].loss).toBe(0.8958441028683222);
    expect(steps[0].accuracy).toBe(0.5);
  });

  it('reaches 100% accuracy with the notebook’s final loss', () => {
    expect(steps[99].accuracy).toBe(1);
    expect(Math.abs(steps[99].loss - 0.010978370135492717)).toBeLessThan(1e-12);
    expect(steps.findIndex((s) => s.accuracy === 1)).toBe(40);
    expect(steps.slice(70).every((s) => s.accuracy === 1)).toBe(true);
  });

  it('stretches the learning-rate schedule to the number of steps, as `npm run demo -- --steps N` does', () => {
    const short = train({ Value, MLP }, { steps: 3 }).steps;
    expect(short[0].loss).toBe(steps[0].loss);
    expect(short[1].loss).toBe(steps[1].loss); // lr is 1.0 at k = 0 whatever the length
    expect(short[2].loss).not.toBe(steps[2].loss); // at k = 1: 0.7 over 3 steps, 0.991 over 100
  });
});

describe('the pictures', () => {
  it('writes well-formed SVG with regions, points, axes and a loss curve', () => {
    const data = makeMoons(100, 0.1, numpyMoonsRandom(1337));
    const svg = svgPlot(data, (x, y) => x - y, [{ step: 0, loss: 1, accuracy: 0.5, forwardMs: 0, backwardMs: 0 }, { step: 1, loss: 0.5, accuracy: 1, forwardMs: 0, backwardMs: 0 }], 20);
    const png = new Resvg(svg).render(); // resvg parses the XML and throws on malformed input
    expect(png.width).toBe(920);
    expect(svg.match(/<g class="regions"[^>]*>(.*?)<\/g>/)![1].match(/<rect /g)).toHaveLength(400);
    expect(svg.match(/<circle /g)).toHaveLength(100);
    expect(svg.match(/class="axes"/g)).toHaveLength(2);
    expect(svg).toContain('<polyline');
  });

  it('draws (x*2 + 1).relu() at x = 1 as DOT, with y = 3 and dx = 2, and Graphviz renders it', async () => {
    const x = new Value(1);
    x.label = 'x';
    const y = x.mul(2).add(1).relu();
    y.backward();
    const dot = drawDot(y, { rankdir: 'TB' });
    expect(dot).toContain('rankdir=TB');
    expect(dot).toContain('label="{ x | data 1.0000 | grad 2.0000 }", shape=record');
    expect(dot).toContain('data 3.0000 | grad 1.0000');
    expect(dot.match(/shape=record/g)).toHaveLength(6); // x, 2, x·2, 1, x·2 + 1 and the relu
    for (const op of ['*', '+', 'ReLU']) expect(dot).toContain(`_op [label="${op}"]`);
    expect(dot.match(/->/g)).toHaveLength(3 + 5); // op -> result, operand -> op
    const svg = await renderSvg(dot);
    expect(svg).toMatch(/^<\?xml|<svg/);
    expect(svg).toContain('ReLU');
  });
});

describe('npm run demo and npm run trace', () => {
  it('names the stage to finish, on fresh stubs, without a stack trace', async () => {
    const { code, stderr } = await example('demo.js', ['--target', studentFolder([])]);
    expect(code).toBe(1);
    expect(stderr).toContain('npx grade add');
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('trains on solutions and prints a JSON summary', async () => {
    const out = join(temp('demo'), 'moons.svg');
    const { code, stdout } = await example('demo.js', ['--target', reference(), '--steps', '3', '--json', '--out', out]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ steps: 3, firstLoss: 0.8958441028683222, svg: out });
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });

  it('rejects a step count that is not a whole number', async () => {
    const { code, stderr } = await example('demo.js', ['--steps', 'many']);
    expect(code).not.toBe(0);
    expect(stderr).toContain('--steps must be a whole number');
  });

  it('draws the neuron example to an SVG file', async () => {
    const out = join(temp('trace'), 'neuron.svg');
    const { code, stdout } = await example('trace.js', ['--target', reference(), '--out', out]);
    expect(code).toBe(0);
    expect(stdout).toContain(out);
    expect(readFileSync(out, 'utf8')).toContain('<svg');
  });
});
