/** `grade [stage]`: run the stages up to `stage` on a target and report. */
import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { UsageError, studentEdition } from './errors.ts';
import { tamperedSuites } from './integrity.ts';
import { anyFailed, buildReport, type Report } from './report.ts';
import { runSuites, type RunResult } from './run.ts';
import { findStage, required, stages, type Stage } from './stages.ts';
import { checkCachedTypes, checkSource, type SourceCheck } from './source-check.ts';
import { kitRoot } from './target.ts';

export { UsageError, studentEdition };

/**
 * The stages to run for `grade [stage]`: the required stages up to it, in order, and it
 * (every required stage without one). Bonus stages run only when named.
 */
export function stagesUpTo(id?: string): Stage[] {
  if (!id) return required;
  const stage = findStage(id);
  if (!stage) {
    throw new UsageError(`There is no stage '${id}'. The stages are: ${stages.map((s) => s.id).join(', ')}.`);
  }
  const before = stages.slice(0, stages.indexOf(stage)).filter((s) => !s.optional);
  return [...before, stage];
}

/** How to name a folder to the student: relative to where they stand. */
export function shownAs(dir: string): string {
  return relative(process.cwd(), dir) || '.';
}

/**
 * The folder holding engine.ts and nn.ts: `target` itself, or its exercises/ when it is a whole
 * student kit (a submission). Only those two files are ever read from it.
 */
export function targetFolder(target: string): string {
  const dir = resolve(target);
  if (!existsSync(dir)) {
    const solutions = basename(dir) === 'solutions' && !existsSync(join(kitRoot, 'solutions'));
    throw new UsageError(solutions ? studentEdition : `The target folder ${target} does not exist.`);
  }
  if (!existsSync(join(dir, 'engine.ts')) && existsSync(join(dir, 'exercises', 'engine.ts'))) return join(dir, 'exercises');
  return dir;
}

export interface Graded {
  report: Report;
  run: RunResult;
  /** Suite files that were edited or deleted. */
  tampered: string[];
  /** Type errors in the target, once the worker has them. */
  types: Promise<string[]>;
}

export async function grade(target: string, stageId?: string, typecheck = true): Promise<Graded> {
  const selected = stagesUpTo(stageId);
  const dir = targetFolder(target);
  const shown = shownAs(dir);
  // Reading the source is only needed to explain failures: start it at the first one.
  let check: SourceCheck | undefined;
  const startCheck = () => (check ??= checkSource(dir, shown, typecheck));
  const run = await runSuites(dir, selected, startCheck);
  // Without the analysis a report only loses line numbers and source problems: not worth failing for.
  const analysis = anyFailed(run) ? await startCheck().analysis.catch(() => undefined) : undefined;
  const report = buildReport(selected, run, dir, shown, analysis);
  const types = check ? check.types.finally(check.stop) : checkCachedTypes(dir, shown);
  return { report, run, tampered: tamperedSuites(), types };
}
