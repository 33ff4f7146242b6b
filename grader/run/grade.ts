/**
 * Grading a target once: the suites run in a runner while the source check
 * (TypeScript: where each TODO is, syntax, types) runs beside them; then the
 * report. The command line, `grade list`, `grade hint` and the examples use it.
 */
import { buildReport, type Report } from '../report/report.ts';
import type { Target } from '../kit.ts';
import { tamperedSuites } from '../instructor/integrity.ts';
import { SourceChecker } from '../source/check.ts';
import { dependsOn, stages, stagesUpTo } from '../stages.ts';
import type { VerifyOptions } from '../verify/verify.ts';
import { Runner, type RunResult } from './runner.ts';

export interface Graded {
  report: Report;
  run: RunResult;
  /** Suite files that were edited or deleted. */
  tampered: string[];
  /** Type errors in the target; they may still be coming when the report is ready. */
  types: Promise<string[]>;
  /** How long the suites took, in ms. */
  ms: number;
}

/**
 * What a caller that grades many times may keep between gradings. Whoever passes a runner answers
 * for keeping submissions apart: an instructor's grading otherwise gets a fresh, isolated one.
 */
export interface Warm {
  /** A runner to use (and keep); otherwise one is made and closed. */
  runner?: Runner;
  /** A source checker to use (and keep); otherwise one is made and closed once the type check is done. */
  checker?: SourceChecker;
}

export interface GradeOptions extends Warm {
  typecheck?: boolean;
  /** Check each stage that passes its suite outside vitest too (verify/): instructors' grading. */
  verify?: boolean | VerifyOptions;
  /** The longest the whole run may take. */
  runLimitMs?: number;
  /** Run the student's code (tests and verification) as this user. */
  user?: { uid: number; gid: number };
}

export async function grade(target: Target, stageId?: string, options: GradeOptions = {}): Promise<Graded> {
  const selected = stagesUpTo(stageId);
  const checker = options.checker ?? new SourceChecker();
  const check = checker.check(target, options.typecheck ?? true);
  // Someone else's code is graded in a copy of what grading needs (verify implies an instructor).
  const runner = options.runner ?? new Runner({ runLimitMs: options.runLimitMs, user: options.user, isolated: !!options.verify });
  const started = performance.now();
  let run: RunResult;
  try {
    run = await runner.run(target.dir, selected);
    // A stopped stage took the run with it: the stages that don't need it still get their turn,
    // in a fresh test process, until one finishes.
    while (run.stops.length > 0) {
      const rest = selected.filter((s) => !run.finished.has(s.id) && !run.stops.some(({ stage }) => stage === s.id || dependsOn(s, stage)));
      if (rest.length === 0) break;
      const more = await runner.run(target.dir, rest);
      run = { ...run, tests: [...run.tests, ...more.tests], finished: new Set([...run.finished, ...more.finished]), stops: [...run.stops, ...more.stops], logs: run.logs + more.logs };
      for (const [id, errors] of more.loadErrors) run.loadErrors.set(id, errors);
      for (const [id, errors] of more.hiddenErrors) run.hiddenErrors.set(id, errors);
      if (more.stops.length === 0) break;
    }
  } finally {
    if (!options.runner) await runner.close();
  }
  const ms = performance.now() - started;
  // Without the analysis a report only loses line numbers and source problems: not worth failing for.
  const analysis = await check.analysis.catch(() => undefined);
  let report = buildReport(selected, run, target, analysis);
  if (options.verify) {
    const transpile = (dir: string, out: string) => checker.transpile(dir, out);
    await addVerification(run, report, target.dir, { user: options.user, transpile, ...(options.verify === true ? {} : options.verify) });
    report = buildReport(selected, run, target, analysis);
  }
  const types = options.checker ? check.types : check.types.finally(() => checker.close());
  return { report, run, tampered: tamperedSuites(), types, ms };
}

/**
 * The suites ran next to the student's code, which could have changed what they report. So a
 * stage that passed (by `report`) scores only if the trusted check agrees: a failing check becomes
 * a failed test of that stage.
 */
async function addVerification(run: RunResult, report: Report, dir: string, options: VerifyOptions): Promise<void> {
  const candidates = report.stages.filter((s) => s.status === 'passed' && !s.optional).map((s) => stages.find((x) => x.id === s.id)!);
  const { verify } = await import('../verify/verify.ts');
  const verdicts = await verify(dir, candidates.map((s) => s.id), options);
  for (const stage of candidates) {
    const wrong = verdicts.get(stage.id);
    if (!wrong) continue;
    const message = `The grader's own check of this stage, run outside the test runner, disagrees: ${wrong}`;
    run.tests.push({ stage: stage.id, hidden: false, todo: stage.todos[0], test: 'the trusted check', passed: false, error: { name: 'AssertionError', message } });
  }
}
