import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// The grader runs the stage suites through its own runner (grader/run/), with its own settings.
// This file is for the kit's tests (`npm test`) and for running the suites from an editor:
// there '@target' is exercises/, or the folder in GRADE_TARGET.
export default defineConfig({
  resolve: { alias: { '@target': resolve(process.env.GRADE_TARGET ?? 'exercises') } },
  test: {
    projects: [
      { extends: true, test: { name: 'stages', include: ['grader/suites/*.test.ts'] } },
      // The kit's own tests spawn the real grader, which is slow next to a unit test. guard.ts
      // checks afterwards that they left no process running and nothing in the kit's .grade/.
      { extends: true, test: { name: 'kit', include: ['test/**/*.test.ts'], testTimeout: 120_000, maxWorkers: 2, globalSetup: ['test/guard.ts'] } },
    ],
  },
});
