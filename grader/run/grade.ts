/**
 * Grading a target once: its two files are read once; the suites run in a runner while the source
 * check (TypeScript: where each TODO is, syntax, imports, types) runs beside them; in instructors'
 * grading the trusted check follows; then the one report. The command line, `grade class`,
 * `grade list`, `grade hint` and the examples use it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compiled, kitRoot, readSubmission, type Submission, type Target } from '../kit.ts';
import { tamperedSuites } from '../instructor/integrity.ts';
import { buildReport, type Report } from '../report/report.ts';
import { SourceChecker } from '../source/check.ts';
import { dependsOn, stages, stagesUpTo, type Stage } from '../stages.ts';
import type { HiddenChecks } from '../verify/hidden.ts';
import type { Verdicts, VerifyOptions } from '../verify/verify.ts';
import { Runner, type RunResult } from './runner.ts';

export interface Graded {
  report: Report;
  run: RunResult;
  /** The submission's files, as read once. */
  files: Submission;
  /** Suite files that were edited or deleted. */
  tampered: string[];
  /** Type errors in the target; they may still be coming when the report is ready. */
  types: Promise<string[]>;
  /** How long the suites took, in ms. */
  ms: number;
}

/**
 * What a caller that grades many times may keep between gradings. Whoever passes a runner answers
 * for keeping submissions apart: an instructor's grading otherwise gets a fresh, sandboxed one.
 */
export interface Warm {
  /** A runner to use (and keep); otherwise one is made and closed. */
  runner?: Runner;
  /** A source checker to use (and keep); otherwise one is made and closed once the type check is done. */
  checker?: SourceChecker;
}

export interface GradeOptions extends Warm {
  typecheck?: boolean;
  /**
   * Someone else's submission (--target, grade class, Gradescope): its files are read strictly,
   * its code runs sandboxed, and every stage that passes its suite must pass the trusted check too.
   */
  instructor?: boolean;
  /** The trusted check's seed (a replay); otherwise a new one. */
  seed?: number;
  /** The longest the whole grading may take, re-runs included, whatever the code under test does. */
  timeLimitMs?: number;
  /** Run the student's code (tests and verification) as this user. */
  user?: { uid: number; gid: number };
  /** The files, when the caller has read them already. */
  files?: Submission;
  /** Every stage, the bonus stages too (grade class --bonus). */
  bonus?: boolean;
}

/** An instructor's grading may take this long in all, unless --time-limit says otherwise (bonus stages: more). */
export const TIME_LIMIT_S = 60;
const BONUS_TIME_S = 240;

/** Whether this kit can check a submission outside the test runner (an instructor's kit, or a Gradescope bundle). */
export const hasTrustedCheck = () => existsSync(compiled(import.meta.url, '../verify/verify.js'));
/** Whether this kit has hidden checks: then they count in every instructor's grade. */
export const hasHiddenChecks = () => existsSync(join(kitRoot, 'grader', 'hidden'));

/** A hidden-check file that fails to load: the instructor's to fix, never a student's grade. */
export class HiddenChecksBroken extends Error {}

/** The instructor's hidden checks of these stages, from their build. */
export async function hiddenChecks(selected: Stage[]): Promise<HiddenChecks[]> {
  const out: HiddenChecks[] = [];
  for (const stage of selected.filter((s) => s.hidden)) {
    const file = stage.hidden!.file;
    try {
      const module = await import(compiled(import.meta.url, `../hidden/${file.replace(/\.ts$/, '.js')}`));
      const checks = module.default as HiddenChecks;
      if (!Array.isArray(checks?.checks) || checks.stage !== stage.id) throw new Error(`its default export should be hiddenChecks('${stage.id}', …)`);
      out.push(checks);
    } catch (error) {
      throw new HiddenChecksBroken(`grader/hidden/${file}: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  return out;
}

export async function grade(target: Target, stageId?: string, options: GradeOptions = {}): Promise<Graded> {
  const selected = options.bonus && !stageId ? stages : stagesUpTo(stageId);
  const instructor = !!options.instructor;
  const files = options.files ?? readSubmission(target.dir, instructor);
  const hidden = instructor && hasHiddenChecks() ? await hiddenChecks(selected) : [];
  const checker = options.checker ?? new SourceChecker();
  const check = checker.check(target, files, options.typecheck ?? true);
  const transpiled = instructor && hasTrustedCheck() ? checker.transpile(files) : undefined;
  transpiled?.catch(() => {});
  const limit = options.timeLimitMs ?? (instructor ? 1000 * (TIME_LIMIT_S + (selected.some((s) => s.optional) ? BONUS_TIME_S : 0)) : undefined);
  const deadline = limit === undefined ? undefined : Date.now() + limit;
  const runner = options.runner ?? new Runner({ user: options.user, sandbox: instructor });
  // The trusted check needs nothing from the suites: it runs beside them.
  const trusted = transpiled && verifyIn(transpiled, selected, { user: options.user, seed: options.seed, hidden });
  trusted?.catch(() => {});
  const started = performance.now();
  let run: RunResult;
  try {
    run = await runOnce(runner, files, selected, deadline);
    // A stopped stage took the run with it: the stages that don't need it still get their turn,
    // in a fresh test process, until one finishes.
    while (run.stops.length > 0 && !run.infra) {
      const rest = selected.filter((s) => !run.finished.has(s.id) && !run.stops.some(({ stage }) => stage === s.id || dependsOn(s, stage)));
      if (rest.length === 0 || (deadline && Date.now() > deadline)) break;
      const more = await runOnce(runner, files, rest, deadline);
      run = { ...run, tests: [...run.tests, ...more.tests], finished: new Set([...run.finished, ...more.finished]), stops: [...run.stops, ...more.stops], logs: [...run.logs, ...more.logs], infra: more.infra };
      for (const [id, errors] of more.loadErrors) run.loadErrors.set(id, errors);
      if (more.stops.length === 0) break;
    }
  } finally {
    if (!options.runner) await runner.close();
  }
  const ms = performance.now() - started;
  // Without the analysis a report only loses line numbers and source problems: not worth failing for.
  const source = await check.analysis.catch(() => undefined);
  const outcomes = { selected, run, target, files, source, trusted: await trusted, withHidden: instructor && hasHiddenChecks() };
  let report = buildReport(outcomes);
  // A stage that fails while a stage it needs fails: is its own work right? Its own code alone tells.
  const alone = report.stages.filter((s) => s.outcome === 'failed' && s.own === 'failed' && selected.some((x) => x.id === s.id && x.needs.length > 0) && report.stages.some((n) => n.own !== 'passed' && dependsOn(selected.find((x) => x.id === s.id)!, n.id)));
  if (outcomes.trusted && !outcomes.trusted.failed && alone.length > 0) {
    const { verify } = await import('../verify/verify.ts');
    const own = await verify(await transpiled!, [], { user: options.user, seed: outcomes.trusted.seed, alone: alone.map((s) => s.id) });
    if (!own.failed) report = buildReport({ ...outcomes, trusted: { ...outcomes.trusted, alone: own.alone } });
  }
  const types = options.checker ? check.types : check.types.finally(() => checker.close());
  return { report, run, files, tampered: tamperedSuites(), types, ms };
}

async function verifyIn(transpiled: ReturnType<SourceChecker['transpile']>, selected: Stage[], options: VerifyOptions): Promise<Verdicts> {
  const { verify } = await import('../verify/verify.ts');
  return verify(await transpiled, selected.map((s) => s.id), options);
}

/** One run; a run that says nothing about the submission (its test process killed from outside, or unable to start) once more. */
async function runOnce(runner: Runner, files: Submission, selected: Stage[], deadline?: number): Promise<RunResult> {
  const run = await runner.run(files, selected, deadline);
  return run.infra ? runner.run(files, selected, deadline) : run;
}

