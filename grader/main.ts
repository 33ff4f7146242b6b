/** The process entry point: runs `grade` and exits with its code. */
import { main } from './cli.ts';

const outcome = await main(process.argv.slice(2));
// A test thread stuck in a student's infinite loop only stops when the process does.
if (outcome.mustExit) process.stdout.write('', () => process.exit(outcome.code));
else process.exitCode = outcome.code;
