/**
 * Turns a run of the suites into the verdict: each stage passed, failed or
 * blocked, each failure in plain words, and the next TODO to write.
 */
import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { codeFrameColumns } from '@babel/code-frame';
import type { TestError } from '@vitest/utils';
import type { Target } from '../kit.ts';
import type { RunResult, Stop } from '../run/runner.ts';
import type { Analysis } from '../source/analyze.ts';
import { fileOf, required, stages, type Stage } from '../stages.ts';

export type Status = 'passed' | 'failed' | 'blocked';
export type FailureKind = 'not-started' | 'wrong' | 'error' | 'timeout' | 'source';

export interface Failure {
  test: string;
  message: string;
  todo: string;
  kind: FailureKind;
  /** file:line:col in the student's code, for errors their code threw. */
  at?: string;
  /** A code frame or source line to show under the message. */
  frame?: string;
}

export interface StageReport {
  id: string;
  title: string;
  status: Status;
  optional: boolean;
  todos: string[];
  failures: Failure[];
  /** For a blocked stage: the stages it waits for. */
  blockedBy?: string[];
  /** This stage's own result, even when blocked (shown with --all). */
  own: 'passed' | 'failed' | 'not run';
  /** The instructor's hidden checks of this stage, when the kit has them and they ran. */
  hidden?: { passed: number; total: number; failures: Failure[] };
}

export interface Next {
  stage: string;
  todo: string;
  file: string;
  line: number | null;
  hint: string;
}

export interface Report {
  target: string;
  passed: number;
  total: number;
  stages: StageReport[];
  next: Next | null;
  /** Whether every required stage ran: only then can a report say the whole engine works. */
  complete: boolean;
}

const NOT_IMPLEMENTED = /^(\S+) is not implemented yet/;

/** The "test" of a failure that came before any check of its stage began: while its suite loaded the student's files. */
export const LOADING = 'loading the suite';

/** Where the suites ran the target's code from, and the target itself: for pointing into the student's files. */
interface Where {
  ranFrom: string;
  target: Target;
}

/** Says what went wrong in one failed test, in a student's terms. */
export function describeFailure(error: TestError | undefined, todo: string, test: string, where: Where): Failure {
  if (!error) return { test, todo, kind: 'error', message: 'failed without an error message' };
  const stub = NOT_IMPLEMENTED.exec(error.message ?? '');
  if (error.name === 'NotImplementedError' && stub) {
    return { test, todo: stub[1], kind: 'not-started', message: `${stub[1]} is not started yet: it still throws NotImplementedError.` };
  }
  if (error.name === 'AssertionError') return { test, todo, kind: 'wrong', message: error.message };
  // The suites ran copies of the student's files: name them where the student has them.
  const text = (error.message ?? '').replaceAll(`${where.ranFrom}/`, `${where.target.shown}/`);
  const thrown = error.name ? `${error.name}: ${text}` : `a value that is not an Error: ${text}`;
  const failure: Failure = { test, todo, kind: 'error', message: `Your code threw ${thrown}` };
  const frame = error.stacks?.find((s) => s.file.startsWith(`${where.ranFrom}/`));
  if (frame) {
    const file = relative(where.ranFrom, frame.file);
    failure.at = `${where.target.shown}/${file}:${frame.line}:${frame.column}`;
    failure.frame = sourceFrame(join(where.target.dir, file), frame.line, frame.column);
  }
  return failure;
}

function sourceFrame(file: string, line: number, column: number): string | undefined {
  try {
    return codeFrameColumns(readFileSync(file, 'utf8'), { start: { line, column } }, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
  } catch {
    return undefined;
  }
}

/** Whether any test in the run failed, in which case buildReport needs the source analysis. */
export function anyFailed(run: RunResult): boolean {
  return run.stops.length > 0 || run.loadErrors.size > 0 || run.tests.some((t) => !t.passed);
}

/** `selected` are the stages that ran; `source` is needed only when something failed. */
export function buildReport(selected: Stage[], run: RunResult, target: Target, source?: Analysis): Report {
  const where = { ranFrom: run.ranFrom, target };
  const reports = new Map(selected.map((stage) => [stage.id, stageReport(stage, run, where, source)]));
  markBlocked(selected, reports, run);
  const list = [...reports.values()];
  // A bonus stage never blocks "done": it is next only when it was the stage asked for.
  const first = list.find((s) => s.status === 'failed' && (!s.optional || s === list.at(-1)));
  const ranRequired = list.filter((s) => !s.optional);
  return {
    target: target.shown,
    passed: ranRequired.filter((s) => s.status === 'passed').length,
    total: ranRequired.length,
    stages: list,
    next: first ? nextStep(first, source, target.shown) : null,
    complete: required.every((r) => reports.has(r.id)),
  };
}

/** One stage on its own: its failures (a stop, then problems in the source, first) and its hidden checks. */
function stageReport(stage: Stage, run: RunResult, where: Where, source?: Analysis): StageReport {
  const tests = run.tests.filter((t) => t.stage === stage.id && !t.hidden);
  const failures = tests.filter((t) => !t.passed).map((t) => describeFailure(t.error, t.todo, t.test, where));
  for (const error of run.loadErrors.get(stage.id) ?? []) failures.push(describeFailure(error, stage.todos[0], LOADING, where));
  const stop = run.stops.find((s) => s.stage === stage.id);
  if (stop) {
    const todo = stop.todo ?? stage.todos[0];
    failures.unshift({ test: stop.test ?? LOADING, todo, kind: 'timeout', message: stopMessage(stop, todo, run.printed) });
  }
  if (failures.length > 0 && source) {
    // A broken file or a lost method explains every other failure: show that first.
    const problems = source.problems.filter((p) => p.stage === stage.id);
    failures.unshift(...problems.map((p) => ({ test: 'reading your code', todo: p.todo, kind: 'source' as const, message: p.message, at: p.at, frame: p.frame })));
  }
  const ran = run.finished.has(stage.id) || !!stop;
  const own = !ran ? 'not run' : failures.length > 0 || tests.length === 0 ? 'failed' : 'passed';
  const report: StageReport = { id: stage.id, title: stage.title, status: own === 'passed' ? 'passed' : 'failed', optional: !!stage.optional, todos: stage.todos, failures, own };
  const hidden = run.tests.filter((t) => t.stage === stage.id && t.hidden);
  if (hidden.length > 0) {
    const failed = hidden.filter((t) => !t.passed);
    report.hidden = { passed: hidden.length - failed.length, total: hidden.length, failures: failed.map((t) => describeFailure(t.error, t.todo, t.test, where)) };
  }
  return report;
}

/**
 * A stage waits for every stage it needs that did not pass, directly or not (stages come in order,
 * so a blocked one blocks those after it); one that never ran waits for the stop that kept it.
 */
function markBlocked(selected: Stage[], reports: Map<string, StageReport>, run: RunResult): void {
  for (const stage of selected) {
    const report = reports.get(stage.id)!;
    const waiting = stage.needs.filter((id) => reports.get(id)?.status !== 'passed' && reports.has(id));
    if (waiting.length > 0 || report.own === 'not run') {
      report.status = 'blocked';
      report.blockedBy = waiting.length > 0 ? waiting : run.stops.slice(0, 1).map((s) => s.stage);
    }
  }
}

function nextStep(stage: StageReport, source: Analysis | undefined, shown: string): Next {
  const failure = stage.failures[0];
  const todo = failure?.todo || stage.todos[0];
  const method = source?.methods.get(todo);
  const manifest = stages.find((s) => s.id === stage.id)!;
  return { stage: stage.id, todo, file: `${shown}/${fileOf(todo)}`, line: method?.line ?? null, hint: hintFor(todo, manifest.hints) };
}

/**
 * The stage's hint about the failing method: one that starts with its name ("neg is …") or names
 * it ("parameters() is …", "The constructor …"), else one that is about its class ("A Layer is …",
 * not one that merely mentions "a Value"), else the stage's first.
 */
function hintFor(todo: string, hints: string[]): string {
  const [cls, method] = todo.split('.');
  const about = (pattern: RegExp) => hints.find((h) => pattern.test(h));
  // Method names are English words too ("to add into"): only these forms name the method.
  const patterns = [`^${method}\\b`, `\\b${method}\\(\\)`, `^The ${method}\\b`, `^An? ${cls}\\b`];
  return patterns.map((p) => about(new RegExp(p))).find(Boolean) ?? hints[0] ?? '';
}

const MB = 1 << 20;

/**
 * Why a check was stopped: how long it ran, and the likeliest reason. A stop before any check of
 * the stage began came while the suite loaded the student's files: from code outside any method.
 */
function stopMessage(stop: Stop, todo: string, printed: RunResult['printed']): string {
  const who = stop.test ? todo : 'Loading your engine.ts and nn.ts';
  const cause = stop.test ? likelyLoop(todo) : 'Code outside any method runs as the file loads: look there for a loop that never ends.';
  if (stop.reason === 'exited') {
    return `The test process ended while ${stop.test ? `${todo} was running` : 'it loaded your engine.ts and nn.ts'} (${stop.exit}): something in your code called process.exit or process.kill. Take that call out; return or throw instead.`;
  }
  const ran = `${stop.seconds} s`;
  if (printed.chars > MB) {
    const size = `${(printed.chars / MB).toFixed(0)} MB in ${printed.lines.toLocaleString('en')} lines`;
    const what = stop.reason === 'printed' ? `was stopped: it printed ${size}, more than any check needs` : `never finished: it ran for ${ran} and printed ${size}`;
    return `${who} ${what}. Printing that much is slow by itself: take out the console.log calls in loops.`;
  }
  if (stop.reason === 'limit') return `${who} was still running after ${ran}, the longest one check may take. ${cause}`;
  if (stop.reason === 'run-limit') return `${who} was still running when the run reached its time limit, after ${ran}. ${cause}`;
  return `${who} never finished: it ran for ${ran} without returning. ${cause}`;
}

function likelyLoop(todo: string): string {
  if (todo === 'Value.backward') {
    return 'Likely cause: a loop over the graph that never ends (visiting nodes again and again without a visited set, or a stack that is never popped), or a visited check that gets slower as the graph grows: an array\'s includes() looks at every node, a Set finds one at once.';
  }
  return 'Likely cause: a loop whose condition never becomes false, or a method that calls itself forever.';
}
