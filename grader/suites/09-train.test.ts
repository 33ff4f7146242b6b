// Bonus stage train: your engine trains micrograd's demo classifier to 100% on the two moons.
import { describe, it } from 'vitest';
import * as engine from '@target/engine';
import * as nn from '@target/nn';
import { FIRST_LOSS, train } from '../notebook/train.ts';
import { check, heartbeat, near, note } from './helpers.ts';

describe('MLP.forward', () => {
  it('trains MLP(2, [16, 16, 1]) on the moons to 100% accuracy, as the demo notebook does', () => {
    const { steps } = train({ Value: engine.Value, MLP: nn.MLP }, { onStep: heartbeat });
    near('the loss at step 0', steps[0].loss, FIRST_LOSS, 1e-9, 'Build the loss in the notebook’s order: see grader/notebook/train.ts');
    const last = steps.at(-1)!;
    check(last.accuracy === 1, `After 100 steps the accuracy should be 100%, got ${(last.accuracy * 100).toFixed(0)}% (loss ${last.loss})`);
    note({ first: steps[0].loss, last: last.loss, at: steps.findIndex((s) => s.accuracy === 1) });
  }, 120_000);
});
