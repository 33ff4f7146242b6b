import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { targetDir } from './grader/target.ts';

/**
 * Runs the stage files in their numbered order, so a hang in one stage leaves the earlier ones
 * reported; a stage's hidden checks (02-mul.hidden.test.ts) run right after its public suite.
 */
class StageOrder extends BaseSequencer {
  async sort(files: TestSpecification[]) {
    const key = (f: TestSpecification) => f.moduleId.slice(f.moduleId.lastIndexOf('/') + 1).replace('.hidden.test.ts', '.test.ts~');
    return [...files].sort((a, b) => key(a).localeCompare(key(b)));
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
          // grader/hidden/ holds instructors' hidden checks; student releases leave it out.
          include: ['grader/suites/*.test.ts', 'grader/hidden/*.test.ts'],
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
