/**
 * The engine's speed on solutions/: micrograd's 100-step moons training (total,
 * per step, forward and backward) and backward() on long chains, to show it scales
 * linearly. Python figures for comparison come from the micrograd facts sheet,
 * measured on this machine kind.
 * Run: npm run bench:train
 */
import { join } from 'node:path';
import { loadTarget } from '../examples/load.ts';
import { train } from '../examples/train.ts';
import { kitRoot } from '../grader/target.ts';

const PYTHON_DEMO_S = 179.5; // the 100-step demo in CPython 3.11, garbage collector on
const PYTHON_TAMED_S = 25.8; // the same with the collector tamed

const { Value, MLP } = await loadTarget(join(kitRoot, 'solutions'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const started = performance.now();
const { steps } = train({ Value, MLP });
const total = (performance.now() - started) / 1000;
console.log(`moons training, 100 steps, 65,818 nodes a step: ${total.toFixed(2)} s`);
console.log(`  per step (median): ${median(steps.map((s) => s.forwardMs + s.backwardMs)).toFixed(1)} ms = forward ${median(steps.map((s) => s.forwardMs)).toFixed(1)} ms + zeroGrad/backward/update ${median(steps.map((s) => s.backwardMs)).toFixed(1)} ms`);
console.log(`  final loss ${steps[99].loss}, accuracy ${steps[99].accuracy * 100}%`);
console.log(`  vs Python's micrograd: ${(PYTHON_DEMO_S / total).toFixed(0)}× faster (${PYTHON_DEMO_S} s), ${(PYTHON_TAMED_S / total).toFixed(1)}× with its GC tamed (${PYTHON_TAMED_S} s)`);

console.log('backward() on a chain x → x + 0.5 → …:');
let perNode = 0;
for (const n of [1e4, 1e5, 1e6]) {
  const times: number[] = [];
  for (let round = 0; round < 3; round++) {
    const x = new Value(1);
    const half = new Value(0.5);
    let y = x;
    for (let i = 0; i < n; i++) y = y.add(half);
    const t = performance.now();
    y.backward();
    times.push(performance.now() - t);
    if (x.grad !== 1) throw new Error('wrong gradient');
  }
  const ms = median(times);
  perNode = (ms * 1e6) / n;
  console.log(`  ${n.toExponential(0).padStart(5)} nodes: ${ms.toFixed(1).padStart(7)} ms  (${perNode.toFixed(0)} ns a node)`);
}
