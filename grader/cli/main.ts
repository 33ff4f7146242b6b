/** The process entry point: runs `grade` and exits with its code. */
import { main } from './program.ts';

// Ctrl-C and kill end the process through 'exit', whose handlers stop the test runner's processes.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => process.exit(130));
// A reader that stopped reading (grade … | head) ends the command quietly, as it would a shell tool.
for (const stream of [process.stdout, process.stderr]) stream.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 2));
process.exitCode = (await main(process.argv.slice(2))).code;
// Done: nothing left behind (a pipe a leftover process holds, a handle a library forgot) may keep
// the process alive past its answer. An empty event loop ends it sooner, and this timer is no reason to wait.
setTimeout(() => process.exit(), 2000).unref();
