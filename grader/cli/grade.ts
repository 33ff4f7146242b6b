/** `grade [stage]`: the verdict and the next TODO. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { changedSince, fingerprint, tamperedSuites } from '../instructor/integrity.ts';
import { kitRoot, locateTarget, saveState } from '../kit.ts';
import { gradescopeResults } from '../report/gradescope.ts';
import { renderFailures, renderReport, renderTypeErrors } from '../report/render.ts';
import type { Report } from '../report/report.ts';
import { grade, type Warm } from '../run/grade.ts';
import type { RunResult } from '../run/runner.ts';
import { stages } from '../stages.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export interface GradeOptions {
  target?: string;
  gradescope?: string;
  all?: boolean;
  verbose?: boolean;
  json?: boolean;
  /** Seconds one run may take in all, whatever the code writes to the progress file. */
  timeLimit?: number;
  /** A user to run the student's code as (the grader itself running as root). */
  runAs?: string;
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

/** The documented --json shape. */
function toJson(report: Report) {
  return {
    target: report.target,
    passed: report.passed,
    total: report.total,
    stages: report.stages.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      optional: s.optional,
      todos: s.todos,
      failures: s.failures.map((f) => ({ test: f.test, message: f.message, todo: f.todo })),
    })),
    next: report.next,
  };
}

function tamperWarning(files: string[]): string {
  return [
    ui.warn(` ⚠ The grader's suites were changed: ${files.join(', ')}.`),
    ui.warn('   Your grade comes from the original suites, so results here may be wrong.'),
    ui.warn(`   Restore them with: ${ui.info('git checkout -- grader/suites grader/run/progress.ts')}`),
    '',
  ].join('\n');
}

/** Hidden suites that failed to load although their stage's own suite loaded: the instructor's to fix. */
function brokenHidden(run: RunResult): string[] {
  return [...run.hiddenErrors]
    .filter(([stage]) => !run.loadErrors.has(stage))
    .map(([stage, errors]) => `${relative(process.cwd(), join(kitRoot, 'grader', 'hidden', stages.find((s) => s.id === stage)!.hidden!.suite))}: ${errors[0]?.message}`);
}

/** The promise's value, or undefined if it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

export async function gradeCommand(stage: string | undefined, opts: GradeOptions, io: Io, warm: Warm = {}): Promise<Outcome> {
  const target = locateTarget(opts.target);
  // Grading someone's files (--target, Gradescope) is an instructor's grade: the suites must be the
  // recorded ones, each passing stage is checked outside vitest too, and the kit must be unchanged after.
  const instructor = opts.target !== undefined || !!opts.gradescope;
  const before = instructor ? fingerprint() : undefined;
  const edited = instructor ? tamperedSuites() : [];
  if (edited.length > 0) {
    io.err(`${ui.error('✗ The suites differ from their recorded checksums, so no grade was given:')} ${edited.join(', ')}\n  Restore them (git checkout -- grader), or record your changes with npm run checksums.\n`);
    return { code: 2 };
  }
  const limit = opts.timeLimit && opts.timeLimit * 1000;
  const user = opts.runAs ? userNamed(opts.runAs) : undefined;
  // Type warnings are for a reader of the report: not for --json, nor for Gradescope, whose students
  // see results.json.
  const typecheck = !opts.json && !opts.gradescope;
  const { report, run, tampered, types, ms } = await grade(target, stage, { ...warm, typecheck, verify: instructor, runLimitMs: limit, user });
  const changed = before ? changedSince(before) : [];
  if (changed.length > 0) {
    io.err(`${ui.error(`✗ The kit changed while ${target.shown} was graded, so no grade was given:`)} ${changed.slice(0, 10).join(', ')}\n  Restore the kit (git checkout -- grader && npm run build) before grading anything else.\n`);
    return { code: 2 };
  }
  const broken = brokenHidden(run);
  if (broken.length > 0) {
    io.err(`${ui.error('✗ A hidden suite failed to load, so its points could not be given:')}\n${broken.map((b) => `  ${b}`).join('\n')}\n`);
    return { code: 2 };
  }
  // `grade mul` succeeds when mul passes; `grade` when every required stage does.
  const asked = stage ? report.stages.at(-1)?.status === 'passed' : !report.next && report.passed === report.total;
  const code = asked ? 0 : 1;
  saveState(target.home, { next: report.next?.stage });
  if (opts.gradescope) {
    mkdirSync(dirname(resolve(opts.gradescope)), { recursive: true });
    const results = gradescopeResults(report, existsSync(join(kitRoot, 'grader', 'hidden')));
    writeFileSync(opts.gradescope, `${JSON.stringify(results, null, 2)}\n`);
  }
  if (opts.json) {
    io.out(`${JSON.stringify(toJson(report), null, 2)}\n`);
    if (tampered.length > 0) io.err(tamperWarning(tampered));
    return { code };
  }
  if (tampered.length > 0) io.out(`\n${tamperWarning(tampered)}`);
  io.out(renderReport(report, { all: opts.all, asked: stage ? report.stages.at(-1)?.id : undefined, run }));
  if (opts.verbose) io.out(`${renderFailures(report)}\n`);
  // Type errors only repeat a syntax error in other words. Otherwise they follow the verdict.
  const unparsable = report.stages.some((s) => s.failures.some((f) => f.kind === 'source' && f.frame));
  const errors = unparsable ? [] : await within(types, Math.max(ms, TYPECHECK_WAIT_MS));
  if (errors === undefined) io.out(ui.dim(' The type check is still running (a busy machine?): its warnings come with your next npx grade.\n\n'));
  if (errors) io.out(renderTypeErrors(errors));
  return { code };
}
