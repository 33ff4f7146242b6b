/** The `grade` command: assembles the subcommands, each loaded only when it runs. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { kitRoot } from '../kit.ts';
import type { Warm } from '../run/grade.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { noColor, ui } from '../ui.ts';

/** For options that take a count or seconds: a number above 0, else a usage error that says so. */
function positive(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('It must be a number above 0.');
  return n;
}

/** An instructor's kit (the one with solutions/) lists the instructors' commands and options in a group of their own; a student's doesn't list them. */
const instructorKit = () => existsSync(join(kitRoot, 'solutions'));

export function program(io: Io, outcome: Outcome, warm: Warm = {}): Command {
  const record = (result: Outcome) => void Object.assign(outcome, result);
  const forInstructors = (option: Option) => (instructorKit() ? option.helpGroup('Instructor options:') : option.hideHelp());
  const instructors = (name: string) => cmd.command(name, { hidden: !instructorKit() }).helpGroup('Instructor commands:');
  const cmd = new Command('grade')
    .description('Runs the micrograd stages in order and tells you what to do next.')
    .argument('[stage]', 'run the stages up to this one (add, mul, pow, relu, backward, neuron, mlp)')
    .option('-t, --target <dir>', "the folder holding engine.ts and nn.ts, or a student's kit (default: this kit's exercises/)")
    .option('-a, --all', "show every stage's own result, even when it is blocked")
    .option('-v, --verbose', 'show every failing check, not just the first')
    .option('--json', 'print one JSON document on stdout (see the README)')
    .addOption(new Option('--no-color', 'turn colour off (NO_COLOR works too)'))
    .addOption(forInstructors(new Option('--gradescope <file>', "also write Gradescope's results.json there")))
    .addOption(forInstructors(new Option('--time-limit <seconds>', 'the longest one grading may take in all (grade play: the longest a file may run without printing)').argParser(positive)))
    .addOption(forInstructors(new Option('--run-as <user>', "as root: run the student's code as this unprivileged user (Gradescope)")))
    .addOption(forInstructors(new Option('--scored', 'exit 0 when the stage earns its points under the manifest, not only when it passes (Classroom 50)')))
    .addOption(
      forInstructors(
        new Option('--seed <n>', "the seed of the grader's own check, to replay an earlier grading exactly").argParser((n) => {
          const seed = Number(n);
          if (!Number.isInteger(seed) || seed < 0) throw new InvalidArgumentError('It must be a whole number (the seed a report printed).');
          return seed;
        }),
      ),
    )
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .hook('preAction', (self) => {
      if (self.opts().color === false) noColor();
    })
    .action(async (stage: string | undefined, opts) => record(await (await import('./grade.ts')).gradeCommand(stage, opts, io, warm)));
  cmd.command('list').description('list the stages and their status')
    .action(async () => record(await (await import('./list.ts')).listCommand(cmd.opts(), io)));
  cmd.command('hint').argument('[stage|todo]').description('a hint for the next stage, or for the stage of a TODO; ask again for more')
    .action(async (stage?: string) => record(await (await import('./hint.ts')).hintCommand(stage, cmd.opts(), io)));
  cmd.command('explain').argument('[stage]').description("draw the failing check's graph as a page, and step through your backward pass")
    .action(async (stage?: string) => record(await (await import('./explain.ts')).explainCommand(stage, cmd.opts(), io)));
  cmd.command('play').argument('[file.ts]').description("run a scratch TypeScript file with your engine (without one: play.ts, micrograd's example session)")
    .action(async (file?: string) => record(await (await import('./play.ts')).playCommand(file, cmd.opts(), io)));
  cmd.command('why').argument('<stage>').description("a passing stage's lesson again, from your own code's numbers")
    .action(async (stage: string) => record(await (await import('./why.ts')).whyCommand(stage, cmd.opts(), io)));
  cmd.command('watch').description('re-run the stages every time you save')
    .action(async () => record(await (await import('./watch.ts')).watchCommand(cmd.opts(), io)));
  cmd.command('reset').argument('<todo|stage>').description('put back the stub of a TODO or a stage (your version is saved first)')
    .action(async (name: string) => record(await (await import('./reset.ts')).resetCommand(name, cmd.opts(), io)));
  instructors('release').argument('[dir]').description('write the student kit (no solutions, no hidden checks) to a folder')
    .option('--force', 'write into a folder that is not empty (changed files are backed up first)')
    .option('--git', 'make the folder a git repository with one commit')
    .option('--branch <name>', 'also (or instead) write it as a branch of this repository, leaving your working tree alone')
    .action(async (dir: string | undefined, opts) => record(await (await import('./release.ts')).releaseCommand(dir, opts, io)));
  instructors('gradescope-bundle').argument('<zip>').description('build the Gradescope autograder zip, hidden checks included')
    .action(async (zip: string) => record(await (await import('./bundle.ts')).bundleCommand(zip, io)));
  instructors('classroom50').argument('<dir>').description("write Classroom 50's tests.json (one test per stage, the manifest's points) and runtime block to a folder")
    .action(async (dir: string) => record(await (await import('./classroom50.ts')).classroom50Command(dir, io)));
  instructors('class').argument('<folder>').description('grade every submission in a folder (one subfolder or .zip each)')
    .option('--jobs <n>', 'how many at a time (default: the number of cores)', (n) => Math.floor(positive(n)) || 1)
    .option('--csv <file>', 'write the gradebook: one row per submission, one column per stage')
    .option('--report <file>', 'write the class report (Markdown): pass rates and the most common failing checks')
    .option('--json', 'print the rows and the summary as JSON')
    .option('--roster <csv>', "join the submissions to a roster (an ID or email column; a name or GitHub username column helps): the gradebook gets each student's ID and email, and lists who is missing")
    .option('--excel', 'write the gradebook with a byte order mark and CRLF, as Excel wants UTF-8')
    .option('--bonus', 'grade the bonus stages too, each in a column of its own (outside the total unless the manifest counts it)')
    .option('--feedback <dir>', 'write one Markdown file per submission: its report as the student sees it, the hidden checks as points only')
    .option('--time-limit <seconds>', 'the longest one submission may take', positive)
    // --json and --time-limit are the main command's options too, and it may take them first.
    .action(async (folder: string, opts) => record(await (await import('./class.ts')).classCommand(folder, { ...cmd.opts(), ...opts }, io)));
  instructors('diff').argument('[todo|stage]').description('each TODO of --target against the reference solution')
    .action(async (name?: string) => record(await (await import('./diff.ts')).diffCommand(name, cmd.opts(), io)));
  return cmd;
}

/**
 * Runs `grade` with these arguments; returns the exit code instead of exiting. A caller that
 * grades many times in one process (the kit's tests) passes a warm runner and checker.
 */
export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), live: process.stderr.isTTY }, warm: Warm = {}): Promise<Outcome> {
  const outcome: Outcome = { code: 0 };
  try {
    await program(io, outcome, warm).parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return { code: error.exitCode === 0 ? 0 : 2 };
    if (error instanceof UsageError) {
      io.err(`${ui.error('✗')} ${error.message}\n`);
      return { code: 2 };
    }
    io.err(`${ui.error('✗ The grader itself failed.')} This is not your fault; please tell your instructor.\n${(error as Error)?.stack ?? error}\n`);
    return { code: 2 };
  }
  return outcome;
}
