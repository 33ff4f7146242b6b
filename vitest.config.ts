import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { targetDir } from './grader/target.ts';

/** Runs the stage files in their numbered order, so a hang in one stage leaves the earlier ones reported. */
class StageOrder extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    return [...files].sort((a, b) => a.moduleId.localeCompare(b.moduleId));
  }
}

// The staged suites import the student's code as '@target/engine' and '@target/nn'.
// '@target' is exercises/ unless GRADE_TARGET names another folder (solutions/, a submission).
export default defineConfig({
  resolve: { alias: { '@target': targetDir() } },
  test: {
    sequence: { sequencer: StageOrder },
    projects: [
      {
        extends: true,
        test: {
          name: 'stages',
          include: ['grader/suites/*.test.ts'],
          setupFiles: ['grader/progress.ts'],
          // One worker thread, files in order and no per-file isolation: the quickest way through
          // seven small files, and a stuck thread dies with the grader's process.
          pool: 'threads',
          isolate: false,
          fileParallelism: false,
        },
      },
      // The kit's own tests spawn the real grader, which is slow next to a unit test.
      { extends: true, test: { name: 'kit', include: ['test/**/*.test.ts'], testTimeout: 120_000, maxConcurrency: 2 } },
    ],
  },
});
