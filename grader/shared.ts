/** Types and errors every layer uses. This module imports nothing, so anything may import it. */

/** Where a command writes: the real stdout and stderr, or a test's buffers. */
export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  /** Whether `err` is a terminal, where progress may redraw its line. */
  live?: boolean;
}

/** What a command ends with: the process's exit code. */
export interface Outcome {
  code: number;
}

/** A mistake in how a command was called: shown as one line, exit code 2. */
export class UsageError extends Error {}

/** A submission the grader will not read: a link, a FIFO or a device where a file should be. */
export class MalformedSubmission extends Error {}

export const studentEdition = 'This is the student edition of the kit: it has no solutions/.';

/** A file of the target as the student names it: `exercises/engine.ts`, or `engine.ts` where the folder is `.`. */
export const inFolder = (shown: string, file: string) => (shown === '.' ? file : `${shown}/${file}`);
