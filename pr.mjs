import { register } from 'tsx/esm/api'; register();
const E = await import('/work/main/solutions/engine.ts');
const N = await import('/work/main/solutions/nn.ts');
const { train } = await import('/work/main/examples/train.ts');
const t = performance.now();
const r = train({ Value: E.Value, MLP: N.MLP }, { steps: 30 });
const s = r.steps.slice(5);
console.log('fwd', s.reduce((a, x) => a + x.forwardMs, 0) / s.length, 'bwd', s.reduce((a, x) => a + x.backwardMs, 0) / s.length, performance.now() - t);
