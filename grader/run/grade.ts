/**
 * Grading a target once: the suites run in a runner while the source check
 * (TypeScript: where each TODO is, syntax, types) runs beside them; then the
 * report. The command line, `grade list`, `grade hint` and the examples use it.
 */
import { buildReport, type Report } from '../report/report.ts';
import type { Target } from '../kit.ts';
import { tamperedSuites } from '../instructor/integrity.ts';
import { checkSource } from '../source/check.ts';
import { stagesUpTo } from '../stages.ts';
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

export async function grade(target: Target, stageId?: string, options: { typecheck?: boolean; runner?: Runner } = {}): Promise<Graded> {
  const selected = stagesUpTo(stageId);
  const check = checkSource(target, options.typecheck ?? true);
  const runner = options.runner ?? new Runner();
  const started = performance.now();
  let run: RunResult;
  try {
    run = await runner.run(target.dir, selected);
  } finally {
    if (!options.runner) await runner.close();
  }
  const ms = performance.now() - started;
  // Without the analysis a report only loses line numbers and source problems: not worth failing for.
  const analysis = await check.analysis.catch(() => undefined);
  const report = buildReport(selected, run, target, analysis);
  const types = check.types.finally(check.stop);
  return { report, run, tampered: tamperedSuites(), types, ms };
}
