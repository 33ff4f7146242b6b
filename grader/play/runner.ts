// Runs a play file (the URL in argv[2]) for `grade play`: an error it throws goes to the grader as
// plain data, with its stack (source-mapped to the .ts files), then the process ends with 1.
const report = (error: unknown) => {
  const e = error as { name?: unknown; message?: unknown; stack?: unknown };
  process.send?.({ name: String(e?.name ?? 'a value that is not an Error'), message: String(e?.message ?? error), stack: String(e?.stack ?? '') }, () => process.exit(1));
};
process.on('uncaughtException', report);
process.on('unhandledRejection', report);
await import(process.argv[2]).catch(report);
export {};
