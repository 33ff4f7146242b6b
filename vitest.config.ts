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
      // The kit's own tests spawn the real grader, which is slow next to a unit test. The files
      // share one module graph per worker (the compiler and vitest load once); setup.ts cleans up
      // after each, and guard.ts checks that they left no process running and nothing in .grade/.
      // A larger young generation: with Node 20's 16 MB, the one training here spends half its time
      // in minor collections (npm run bench:train), and the in-process graders allocate alike. The
      // training takes about 4.1 s at 32 MB and 3.3 s at 128 MB, for about 300 MB more memory.
      {
        extends: true,
        test: { name: 'kit', include: ['test/**/*.test.ts'], testTimeout: 120_000, maxWorkers: 2, isolate: false, execArgv: ['--max-semi-space-size=128'], setupFiles: ['test/setup.ts'], globalSetup: ['test/guard.ts'] },
      },
    ],
  },
});
