/**
 * micrograd's demo notebook: train MLP(2, [16, 16, 1]) on the two moons with an
 * SVM max-margin loss plus L2 regularisation, full batch, 100 steps of SGD.
 * The loss is built in the notebook's order, so the floating-point results match
 * Python's bit for bit when the data and weights come from the same generators.
 */
import type { Engine, MLP, Value } from '../api.ts';
import { makeMoons, numpyMoonsRandom, plainMoonsRandom, type Moons } from './moons.ts';
import { mulberry32, PythonRandom } from './random.ts';

/** The loss at step 0 that the notebook printed; the same generators and order give it exactly. */
export const FIRST_LOSS = 0.8958441028683222;

/** The engine and nn modules to train with: the student's or the reference. */
export type Kit = Pick<Engine, 'Value' | 'MLP'>;

export interface Step {
  step: number;
  loss: number;
  accuracy: number;
  forwardMs: number;
  backwardMs: number;
}

export interface TrainOptions {
  steps?: number;
  seed?: number;
  /** 'python': numpy's and Python's generators, as the notebook; 'plain': a small seeded generator. */
  rng?: 'python' | 'plain';
  onStep?: (step: Step) => void;
}

/** The notebook's setup: the moons data (labels ±1) and the initial model. */
export function setup(kit: Kit, seed = 1337, rng: 'python' | 'plain' = 'python'): { data: Moons; model: MLP } {
  // The notebook seeds both generators, draws the data, then builds the model.
  const python = new PythonRandom(seed);
  const data = makeMoons(100, 0.1, rng === 'python' ? numpyMoonsRandom(seed) : plainMoonsRandom(seed));
  const random = rng === 'python' ? () => python.random() : mulberry32(seed + 1);
  return { data, model: new kit.MLP(2, [16, 16, 1], { random }) };
}

/** The notebook's loss(): SVM max-margin mean plus 1e-4·Σp², and the accuracy. */
export function loss(kit: Kit, model: MLP, { X, y }: Moons): { total: Value; accuracy: number; scores: number[] } {
  const scores = X.map((row) => model.forward(row.map((x) => new kit.Value(x)))[0]);
  // Python evaluates (1 + -yi*score).relu() as (score * -yi + 1).relu(), and sum() starts from 0.
  const losses = scores.map((score, i) => score.mul(-y[i]).add(1).relu());
  const dataLoss = losses.reduce((sum: Value, l) => sum.add(l), new kit.Value(0)).mul(1.0 / losses.length);
  const params = model.parameters();
  const squares = params.reduce((sum: Value, p) => sum.add(p.mul(p)), new kit.Value(0));
  const total = dataLoss.add(squares.mul(1e-4));
  const correct = scores.filter((s, i) => y[i] > 0 === s.data > 0).length;
  return { total, accuracy: correct / scores.length, scores: scores.map((s) => s.data) };
}

/** Trains as the notebook does and returns every step's loss and accuracy. */
export function train(kit: Kit, options: TrainOptions = {}): { steps: Step[]; model: MLP; data: Moons } {
  const { steps = 100, seed = 1337, rng = 'python', onStep } = options;
  const { data, model } = setup(kit, seed, rng);
  const history: Step[] = [];
  for (let k = 0; k < steps; k++) {
    const t0 = performance.now();
    const { total, accuracy } = loss(kit, model, data);
    const t1 = performance.now();
    model.zeroGrad();
    total.backward();
    // The notebook's schedule, 1.0 down to 0.1 over its 100 steps, stretched to any number of steps.
    const lr = 1.0 - (0.9 * k) / steps;
    for (const p of model.parameters()) p.data -= lr * p.grad;
    const step = { step: k, loss: total.data, accuracy, forwardMs: t1 - t0, backwardMs: performance.now() - t1 };
    history.push(step);
    onStep?.(step);
  }
  return { steps: history, model, data };
}
