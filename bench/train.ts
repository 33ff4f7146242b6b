/**
 * The engine's speed on solutions/: micrograd's 100-step moons training (total,
 * per step, forward and backward, and what the garbage collector took) and
 * backward() on long chains, to show it scales linearly. Python figures for
 * comparison come from the micrograd facts sheet, measured on this machine kind.
 * Run: npm run bench:train
 */
import { join } from 'node:path';
import { constants, PerformanceObserver, type NodeGCPerformanceDetail } from 'node:perf_hooks';
import { loadTarget } from '../examples/load.ts';
import { train } from '../grader/notebook/train.ts';
import { kitRoot } from '../grader/kit.ts';

const PYTHON_DEMO_S = 179.5; // the 100-step demo in CPython 3.11, garbage collector on
const PYTHON_TAMED_S = 25.8; // the same with the collector tamed

const { Value, MLP } = await loadTarget(join(kitRoot, 'solutions'));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

// GC pauses arrive asynchronously, so the observer's entries are read after the run.
const pauses: { kind: number; ms: number }[] = [];
const observer = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    pauses.push({ kind: (entry as unknown as { detail: NodeGCPerformanceDetail }).detail.kind, ms: entry.duration });
  }
});
observer.observe({ entryTypes: ['gc'] });
const usage = process.resourceUsage();
const started = performance.now();
const { steps } = train({ Value, MLP });
const total = (performance.now() - started) / 1000;
const after = process.resourceUsage();
await new Promise((resolve) => setTimeout(resolve, 100));
observer.disconnect();

const gcSeconds = (kind: number) => {
  const of = pauses.filter((p) => p.kind === kind);
  return `${of.length} (${(of.reduce((sum, p) => sum + p.ms, 0) / 1000).toFixed(1)} s)`;
};
console.log(`node ${process.version} (V8 ${process.versions.v8})`);
console.log(`moons training, 100 steps, 65,818 nodes a step: ${total.toFixed(2)} s (goal: under 3 s)`);
console.log(`  per step (median): ${median(steps.map((s) => s.forwardMs + s.backwardMs)).toFixed(1)} ms = forward ${median(steps.map((s) => s.forwardMs)).toFixed(1)} ms + zeroGrad/backward/update ${median(steps.map((s) => s.backwardMs)).toFixed(1)} ms`);
console.log(`  garbage collection pauses: minor ${gcSeconds(constants.NODE_PERFORMANCE_GC_MINOR)}, major ${gcSeconds(constants.NODE_PERFORMANCE_GC_MAJOR)}`);
console.log(`  page faults ${(after.minorPageFault - usage.minorPageFault).toLocaleString('en')}, CPU user ${((after.userCPUTime - usage.userCPUTime) / 1e6).toFixed(1)} s + system ${((after.systemCPUTime - usage.systemCPUTime) / 1e6).toFixed(1)} s`);
console.log(`  final loss ${steps[99].loss}, accuracy ${steps[99].accuracy * 100}%`);
console.log(`  vs Python's micrograd: ${(PYTHON_DEMO_S / total).toFixed(0)}× faster (${PYTHON_DEMO_S} s), ${(PYTHON_TAMED_S / total).toFixed(1)}× with its GC tamed (${PYTHON_TAMED_S} s)`);

console.log('backward() on a chain x → x + 0.5 → … (goal: 1e6 nodes in under 0.5 s):');
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
  const perNode = (ms * 1e6) / n;
  console.log(`  ${n.toExponential(0).padStart(5)} nodes: ${ms.toFixed(1).padStart(7)} ms  (${perNode.toFixed(0)} ns a node)`);
}
