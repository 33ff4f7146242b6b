// Bonus stage deep: backward() through a chain of a million nodes, with no stack overflow.
import { describe, it } from 'vitest';
import { Value, heartbeat, is, note } from './helpers.ts';

describe('Value.backward', () => {
  it('handles a chain of 1,000,000 nodes without overflowing the call stack', () => {
    const x = new Value(1);
    const step = new Value(0.5);
    let y = x;
    for (let i = 0; i < 1_000_000; i++) {
      y = y.add(step);
      if (i % 100_000 === 0) heartbeat();
    }
    try {
      y.backward();
    } catch (error) {
      if (error instanceof RangeError) {
        throw new Error(`backward() on a 1,000,000-node chain ran out of call stack (${error.message}). Replace the recursion by a loop with your own stack.`);
      }
      throw error;
    }
    is('with y = x + 0.5 + 0.5 + … (a million times), after y.backward(), x.grad', x.grad, 1);
    is('… and the shared 0.5 was used a million times, so its grad', step.grad, 1_000_000);
    note({ step: step.grad });
  }, 60_000);
});
