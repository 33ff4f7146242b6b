/** `grade [stage]`: the verdict and the next TODO. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Io, Outcome } from '../cli.ts';
import { gradescopeResults } from '../gradescope.ts';
import { grade } from '../grade.ts';
import { renderFailures, renderReport } from '../render.ts';
import type { Report } from '../report.ts';
import { saveState } from '../state.ts';
import { ui } from '../ui.ts';

export interface GradeOptions {
  target: string;
  gradescope?: string;
  all?: boolean;
  verbose?: boolean;
  json?: boolean;
}

const TYPECHECK_WAIT_MS = 3000;

/** The documented --json shape. */
export function toJson(report: Report) {
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

export function tamperWarning(files: string[]): string {
  return [
    ui.warn(` ⚠ The stage suites were changed: ${files.join(', ')}.`),
    ui.warn('   Your grade comes from the original suites, so results here may be wrong.'),
    ui.warn(`   Restore them with: ${ui.info('git checkout -- grader/suites')}`),
    '',
  ].join('\n');
}

/** The promise's value, or undefined if it takes longer than `ms`. */
function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => (timer = setTimeout(resolve, ms, undefined)));
  return Promise.race([promise.catch(() => undefined), late]).finally(() => clearTimeout(timer));
}

export async function gradeCommand(stage: string | undefined, opts: GradeOptions, io: Io): Promise<Outcome> {
  const { report, run, tampered, types } = await grade(opts.target, stage, !opts.json);
  // `grade mul` succeeds when mul passes; `grade` when every required stage does.
  const asked = stage ? report.stages.at(-1)?.status === 'passed' : !report.next && report.passed === report.total;
  const code = asked ? 0 : 1;
  saveState({ next: report.next?.stage });
  if (opts.gradescope) {
    mkdirSync(dirname(resolve(opts.gradescope)), { recursive: true });
    writeFileSync(opts.gradescope, `${JSON.stringify(gradescopeResults(report), null, 2)}\n`);
  }
  if (opts.json) {
    io.out(`${JSON.stringify(toJson(report), null, 2)}\n`);
    if (tampered.length > 0) io.err(tamperWarning(tampered));
    return { code, mustExit: !!run.stalled };
  }
  if (tampered.length > 0) io.out(`\n${tamperWarning(tampered)}`);
  io.out(renderReport(report, { all: opts.all, logs: run.logs }));
  if (opts.verbose) io.out(`${renderFailures(report)}\n`);
  // Type errors only repeat a syntax error in other words. When every stage passes, they are shown
  // if already known (the files were checked before), rather than keeping a happy student waiting.
  const unparsable = report.stages.some((s) => s.failures.some((f) => f.kind === 'source' && f.frame));
  const errors = unparsable ? [] : await within(types, report.next ? TYPECHECK_WAIT_MS : 0);
  if (errors && errors.length > 0) {
    io.out(`${ui.warn(` ⚠ ${errors.length} type error${errors.length === 1 ? '' : 's'} (tsc, strict mode). They don't change your grade, but fix them:`)}\n`);
    for (const e of errors.slice(0, 5)) io.out(`   ${e}\n`);
    if (errors.length > 5) io.out(ui.dim(`   … and ${errors.length - 5} more (npm run typecheck)\n`));
    io.out('\n');
  }
  return { code, mustExit: !!run.stalled };
}
