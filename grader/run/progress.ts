/**
 * A setup file that runs in the test thread: before each test it writes which
 * test is starting to the progress file, synchronously. If the student's code
 * then loops forever, the thread can send nothing more, but the runner can
 * still read where it stopped.
 */
import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { beforeEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    gradeProgress: string;
  }
}

const file = inject('gradeProgress');

if (file) {
  beforeEach(({ task }) => {
    writeFileSync(file, JSON.stringify({ suite: basename(task.file.filepath), todo: task.suite?.name ?? '', test: task.name }));
  });
}
