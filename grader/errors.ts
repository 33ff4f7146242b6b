/** A mistake in how a command was called: shown as one line, exit code 2. */
export class UsageError extends Error {}

export const studentEdition = 'This is the student edition of the kit: it has no solutions/.';
