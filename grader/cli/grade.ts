/** `grade [stage]`: the verdict and the next TODO. */
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { changedSince, fingerprint, tamperedSuites } from '../instructor/integrity.ts';
import { loadState, locateTarget, saveState, scratchFolder } from '../kit.ts';
import { graderFailure, gradescopeResults } from '../report/gradescope.ts';
import { toJson } from '../report/json.ts';
import type { StageReport } from '../report/report.ts';
import { toGithub } from '../report/github.ts';
import { renderFailures, renderLesson, renderReport, renderTypeErrors } from '../report/render.ts';
import { grade, hasTrustedCheck, HiddenChecksBroken, type Warm } from '../run/grade.ts';
import { MalformedSubmission, UsageError, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export interface GradeOptions {
  target?: string;
  gradescope?: string;
  all?: boolean;
  verbose?: boolean;
  json?: boolean;
  /** Seconds one grading may take in all, whatever the code writes to the progress file. */
  timeLimit?: number;
  /** A user to run the student's code as (the grader itself running as root). */
  runAs?: string;
  /** The trusted check's seed, to replay an earlier grading. */
  seed?: number;
  /** Exit 0 when the stage earns its points (Classroom 50), rather than when it passes. */
  scored?: boolean;
}

/** The uid and gid of a user, for running the student's code as them. */
function userNamed(name: string): { uid: number; gid: number } {
  if (process.getuid?.() !== 0) throw new UsageError('--run-as needs the grader to run as root, so that it can switch users.');
  try {
    const id = (flag: string) => Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
    const user = { uid: id('-u'), gid: id('-g') };
    if (user.uid === 0) throw new UsageError(`--run-as ${name} would run the student's code as root: name an unprivileged user.`);
    return user;
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`There is no user ${name} to run the student's code as.`);
  }
}

/**
 * A one-shot run waits for the type check after its verdict as long as the suites took, and at
 * least this long: on a busy machine both slow down alike. Unchanged files were checked already
 * (cached) and cost no wait.
 */
const TYPECHECK_WAIT_MS = 1500;
/** Past that, it says so and waits this much longer (a starved machine), then leaves the warnings to the next run. */
const TYPECHECK_MORE_MS = 30_000;

function tamperWarning(files: string[]): string {
  return [
    ui.warn(` ⚠ The grader's suites were changed: ${files.join(', ')}.`),
    ui.warn('   Your grade comes from the original suites, so results here may be wrong.'),
    ui.warn(`   Restore them with: ${ui.info('git checkout -- grader/suites grader/run/progress.ts')}`),
    '',
  ].join('\n');
}

/** The promise's value, or undefined if it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

export async function gradeCommand(stage: string | undefined, opts: GradeOptions, io: Io, warm: Warm = {}): Promise<Outcome> {
  const results = opts.gradescope ? resolve(opts.gradescope) : undefined;
  /** No grade: says why, and on Gradescope still writes results.json, which then says so too. */
  const noGrade = (message: string, detail = ''): Outcome => {
    io.err(`${ui.error(`✗ ${message}`)}${detail ? `\n${detail}` : ''}\n`);
    if (results) write(results, graderFailure(message));
    return { code: 2 };
  };
  try {
    return await gradeOrFail(stage, opts, io, warm, results, noGrade);
  } catch (error) {
    if (error instanceof UsageError || !results) throw error;
    return noGrade('The grader itself failed, so no grade was given. This is not your fault: please submit again.', String((error as Error)?.stack ?? error));
  }
}

async function gradeOrFail(stage: string | undefined, opts: GradeOptions, io: Io, warm: Warm, results: string | undefined, noGrade: (message: string, detail?: string) => Outcome): Promise<Outcome> {
  const located = locateTarget(opts.target);
  // Grading someone's files (--target, Gradescope) in a kit that has the trusted check is an
  // instructor's grade: the suites must be the recorded ones, the code runs sandboxed, each passing
  // stage is checked outside the test runner too, and the kit must be unchanged after. The grader's
  // state goes to a scratch folder, never into the submission.
  const instructor = (opts.target !== undefined || !!opts.gradescope) && hasTrustedCheck();
  const target = instructor ? { ...located, home: scratchFolder('grade-home-') } : located;
  // A submission's own exercises/ folder must be one, not a link to somewhere else.
  if (instructor && located.dir !== resolve(opts.target ?? located.dir) && lstatSync(located.dir).isSymbolicLink()) return malformed('its exercises/ is a symbolic link, not a folder', opts, io, results);
  const before = instructor ? fingerprint() : undefined;
  const edited = instructor ? tamperedSuites() : [];
  if (edited.length > 0) {
    return noGrade(`The suites differ from their recorded checksums, so no grade was given: ${edited.join(', ')}`, '  Restore them (git checkout -- grader), or record your changes with npm run checksums.');
  }
  const user = opts.runAs ? userNamed(opts.runAs) : undefined;
  // Type warnings are for a reader of the report: not for --json, nor for Gradescope, whose students
  // see results.json.
  const typecheck = !opts.json && !opts.gradescope;
  let graded;
  try {
    graded = await grade(target, stage, { ...warm, typecheck, instructor, timeLimitMs: opts.timeLimit && opts.timeLimit * 1000, user, seed: opts.seed });
  } catch (error) {
    if (error instanceof HiddenChecksBroken) return noGrade('A hidden check failed to load, so its points could not be given:', `  ${error.message}`);
    if (error instanceof MalformedSubmission) return malformed(error.message, opts, io, results);
    throw error;
  }
  const { report, run, tampered, types, ms } = graded;
  const changed = before ? changedSince(before) : [];
  if (changed.length > 0) {
    return noGrade(`The kit changed while ${target.shown} was graded, so no grade was given: ${changed.slice(0, 10).join(', ')}`, '  Restore the kit (git checkout -- . && npm run build) before grading anything else.');
  }
  if (report.infra) {
    if (results) write(results, gradescopeResults(report));
    io.err(`${ui.error(`✗ ${report.infra}`)}\n`);
    if (opts.json) io.out(`${JSON.stringify(toJson(report), null, 2)}\n`);
    return { code: 2 };
  }
  // `grade mul` succeeds when mul passes; `grade` when every required stage does. With --scored,
  // when they earn their points: a blocked stage whose own checks pass does, under 'own' scoring.
  const ok = (s: StageReport) => (opts.scored ? s.scored : s.status === 'passed');
  const asked = stage ? !!report.stages.at(-1) && ok(report.stages.at(-1)!) : report.stages.every((s) => s.optional || ok(s));
  const code = asked ? 0 : 1;
  // A stage's lesson shows once, the first time it passes (`grade why <stage>` shows it again).
  const state = instructor ? { hintsShown: {} } : loadState(target.home);
  const shown = state.lessonsShown ?? [];
  const lessons = instructor || opts.json ? [] : report.stages.filter((s) => s.status === 'passed' && s.lesson && !shown.includes(s.id));
  const bonusPassed = [...new Set([...(state.bonusPassed ?? []), ...report.stages.filter((s) => s.optional && s.status === 'passed').map((s) => s.id)])];
  if (!instructor) saveState(target.home, { next: report.next?.stage, lessonsShown: [...shown, ...lessons.map((s) => s.id)], bonusPassed });
  if (results) write(results, gradescopeResults(report));
  // In GitHub Actions, a whole grading (the release's grade.yml) writes the job summary; a run of one
  // stage (a Classroom 50 test) leaves its runner's report alone.
  if (!stage) toGithub(report, process.env, io.err);
  if (opts.json) {
    io.out(`${JSON.stringify(toJson(report), null, 2)}\n`);
    if (tampered.length > 0) io.err(tamperWarning(tampered));
    return { code };
  }
  if (tampered.length > 0) io.out(`\n${tamperWarning(tampered)}`);
  io.out(renderReport(report, { all: opts.all, asked: stage ? report.stages.at(-1)?.id : undefined, run, verbose: opts.verbose, bonusPassed }));
  for (const lesson of lessons) io.out(renderLesson(lesson));
  if (opts.verbose) io.out(`${renderFailures(report)}\n`);
  // Type errors only repeat a syntax error in other words. Otherwise they follow the verdict.
  const unparsable = report.next?.kind === 'syntax';
  let errors = unparsable ? [] : await within(types, Math.max(ms, TYPECHECK_WAIT_MS));
  if (errors === undefined) {
    // The verdict is out; on a starved machine the type check may take a while longer (it is cached once done).
    io.out(ui.dim(' The type check is still running (a busy machine?): its warnings follow when it is done.\n'));
    errors = await within(types, TYPECHECK_MORE_MS);
    if (errors === undefined) io.out(ui.dim(' It is taking too long: its warnings come with your next npx grade.\n\n'));
    else if (errors.length === 0) io.out(ui.dim(' No type errors.\n\n'));
  }
  if (errors) io.out(renderTypeErrors(errors));
  return { code };
}

/** A submission with a link or a device where a file should be: graded as nothing, with the reason. */
function malformed(why: string, opts: GradeOptions, io: Io, results: string | undefined): Outcome {
  const message = `The submission is malformed, so nothing in it was graded: ${why}.`;
  io.err(`${ui.error(`✗ ${message}`)}\n`);
  if (results) write(results, graderFailure(message, false));
  if (opts.json) io.out(`${JSON.stringify({ target: opts.target, malformed: why }, null, 2)}\n`);
  return { code: 1 };
}

function write(file: string, results: object): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
