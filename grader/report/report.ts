/**
 * The one step from a grading's outcomes to its verdict: each stage passed, failed or blocked,
 * how it did on its own work, its points under the manifest's policy, each failure in plain words,
 * the next thing to do, and a note for the gradebook. Its inputs are what the suites reported, the
 * source analysis and, in instructors' grading, the trusted check. Every view (the terminal,
 * --json, results.json, the gradebook, the class report) only formats what this returns.
 */
import { relative } from 'node:path';
import { codeFrameColumns } from '@babel/code-frame';
import type { TestError } from '@vitest/utils';
import type { Submission, Target } from '../kit.ts';
import type { RunResult, Stop } from '../run/runner.ts';
import type { Analysis, Problem, ProblemKind } from '../source/analyze.ts';
import { dependsOn, fileOf, filesOf, required, stages, type Stage } from '../stages.ts';
import type { Verdicts } from '../verify/verify.ts';
import { explain, type Explained, type GraphRecord } from '../explain/explain.ts';
import { lessonFor } from './lessons.ts';
import { inFolder } from '../shared.ts';

export type Status = 'passed' | 'failed' | 'blocked';
export type FailureKind = 'not-started' | 'wrong' | 'error' | 'timeout' | 'source' | 'trusted';

export interface Failure {
  test: string;
  message: string;
  todo: string;
  kind: FailureKind;
  /** file:line:col in the student's code, for errors their code threw and problems in the source. */
  at?: string;
  /** A code frame or source line to show under the message. */
  frame?: string;
  /** For a wrong value: what the check expected and what came back, as the check printed them. */
  expected?: string;
  actual?: string;
  /** For a check about values or gradients: its graph, what each grad should be, and the node that holds the mistake. */
  graph?: Explained;
  /** For kind 'error': the name of what the code threw ('TypeError'), when it was an Error. */
  thrown?: string;
  /** For kind 'source': what is wrong with the file; for kind 'timeout': why the run was stopped. */
  cause?: ProblemKind | Stop['reason'];
  /** It happened while the suite loaded the student's files, outside any check. */
  loading?: boolean;
}

/**
 * How a stage did on its own work, for the gradebook: it passed; it is not started (only its own
 * stubs fail); it failed on its own; or it fails only because a stage it needs fails.
 */
export type Outcome = 'passed' | 'not-started' | 'failed' | 'earlier';

export interface StageReport {
  id: string;
  title: string;
  /** What the student sees: a stage is blocked while a stage it needs fails, whatever its own result. */
  status: Status;
  optional: boolean;
  todos: string[];
  failures: Failure[];
  /** For a blocked stage: the stages it waits for. */
  blockedBy?: string[];
  /** This stage's own result, even when blocked: its suite (and, in instructors' grading, the trusted check). */
  own: 'passed' | 'failed' | 'not run';
  outcome: Outcome;
  /** For outcome 'earlier': the stages it fails because of, each with its first failing check. */
  because?: { stage: string; test: string }[];
  /** Whether it earns its points under the manifest's scoring ('own' or 'cascade'). */
  scored: boolean;
  points: number;
  max: number;
  /** The instructor's hidden checks of this stage, when the grading ran them. */
  hidden?: { passed: number; total: number; failed: string[]; points: number; max: number };
  /** For a stage whose own checks pass: its lesson, from the numbers the student's code gave (lessons.ts). */
  lesson?: string[];
}

export type NextKind = 'todo' | 'syntax' | 'loading' | 'import' | 'missing';

export interface Next {
  /** What to do: write or fix a TODO, or first fix the file (a syntax error, code that runs on load, an import, a missing file). */
  kind: NextKind;
  stage: string;
  todo: string;
  file: string;
  line: number | null;
  /** For a syntax error or an import: file:line(:col). */
  at?: string;
  hint: string;
}

export interface Score {
  /** The stages' points (required stages, and bonus stages the manifest counts in the total). */
  points: number;
  max: number;
  /** The hidden checks' points, when this grading ran them (instructors' grading); null otherwise. */
  hidden: { points: number; max: number } | null;
  /** The hidden checks' points of the stages that ran, when this grading left them out (a student's own grading has none to run). */
  unseen: number;
  /** Bonus stages outside the total, when they ran. */
  bonus: { points: number; max: number } | null;
  total: number;
  totalMax: number;
}

export interface Report {
  target: string;
  passed: number;
  total: number;
  stages: StageReport[];
  next: Next | null;
  /** Whether every required stage ran: only then can a report say the whole engine works. */
  complete: boolean;
  score: Score;
  /** For the gradebook, when not everything passed: what went wrong first. */
  note: string;
  /** The trusted check's seed, when it ran: `grade --target … --seed N` replays it. */
  seed?: number;
  /** When the grader itself failed (after a retry): there is no grade, and it is not the student's doing. */
  infra?: string;
}

const NOT_IMPLEMENTED = /^(\S+) is not implemented yet/;

/** The "test" of a failure that came before any check of its stage began: while its suite loaded the student's files. */
export const LOADING = 'loading the suite';
/** The "test" of a failure from the trusted check. */
export const TRUSTED = "the grader's own check";
/** The "test" of a problem found in the source. */
export const READING = 'reading your code';

/** Where the suites ran the target's code from, and the target itself: for pointing into the student's files. */
interface Where {
  ranFrom: string;
  target: Target;
  files?: Submission;
}

/**
 * Text that came from running the student's code, made safe for a terminal, a spreadsheet or a
 * page: escape sequences go, and any other control character but a newline (and the line
 * separators and bidirectional overrides that could disguise text) shows as its escape, \u009b.
 */
export function clean(text: string): string {
  return text
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)?/g, '')
    .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => (c < '\u0020' ? JSON.stringify(c).slice(1, -1) : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

/** Text that came from running the student's code as one line of Markdown: no HTML, link, table cell or code span of its own. */
export function md(text: string, max = 160): string {
  const whole = clean(text).replace(/\s+/g, ' ');
  // Cut at a word, where it must be cut.
  const flat = whole.length <= max ? whole : `${whole.slice(0, max).replace(/\s+\S*$/, '')} …`;
  // Entities where GitHub would make a link of bare text (https://…, www.…).
  return flat.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!).replace(/[\\[\]|`*_]/g, (c) => `\\${c}`).replace(/:\/\//g, ':&#47;&#47;').replace(/\bwww\./gi, (w) => `${w.slice(0, 3)}&#46;`);
}

/** Says what went wrong in one failed test, in a student's terms. */
export function describeFailure(error: TestError | undefined, todo: string, test: string, where: Where): Failure {
  if (!error) return { test, todo, kind: 'error', message: 'failed without an error message' };
  // The grader's own error (a suite that is gone): not the student's code.
  if (error.name === 'GraderError') return { test, todo, kind: 'error', message: error.message ?? '' };
  const stub = NOT_IMPLEMENTED.exec(error.message ?? '');
  if (error.name === 'NotImplementedError' && stub) {
    return { test, todo: stub[1], kind: 'not-started', message: `${stub[1]} is not started yet: it still throws NotImplementedError.` };
  }
  if (error.name === 'AssertionError') {
    const failure: Failure = { test, todo, kind: 'wrong', message: clean(error.message ?? '') };
    if (typeof error.expected === 'string') Object.assign(failure, { expected: clean(error.expected).slice(0, 200), actual: clean(String(error.actual)).slice(0, 200) });
    const graph = graphOf(error);
    if (graph) failure.graph = graph;
    return failure;
  }
  // The suites ran copies of the student's files: name them where the student has them.
  const text = clean(error.message ?? '').replaceAll(`${where.ranFrom}/`, inFolder(where.target.shown, ''));
  const thrown = error.name ? `${clean(String(error.name))}: ${text}` : `a value that is not an Error: ${text}`;
  const failure: Failure = { test, todo, kind: 'error', message: `Your code threw ${thrown}`, ...(error.name ? { thrown: clean(String(error.name)).slice(0, 60) } : {}) };
  const frame = error.stacks?.find((s) => s.file.startsWith(`${where.ranFrom}/`));
  if (frame) {
    const file = relative(where.ranFrom, frame.file);
    failure.at = `${inFolder(where.target.shown, file)}:${frame.line}:${frame.column}`;
    failure.frame = sourceFrame(where.files?.[file as keyof Submission], frame.line, frame.column);
  }
  return failure;
}

/** The explainer's account of the graph a failing check recorded, when it recorded one. */
function graphOf(error: TestError): Explained | undefined {
  const record = (error as { graph?: unknown }).graph;
  if (typeof record !== 'string') return undefined;
  try {
    const explained = explain(JSON.parse(record) as GraphRecord);
    // Names come from the student's labels: shown as text, never as terminal codes.
    for (const node of explained.nodes) node.name = clean(node.name);
    return explained;
  } catch {
    return undefined;
  }
}

function sourceFrame(text: string | null | undefined, line: number, column: number): string | undefined {
  if (typeof text !== 'string') return undefined;
  return codeFrameColumns(text, { start: { line, column } }, { highlightCode: false, linesAbove: 1, linesBelow: 1 });
}

/** What a grading produced, for buildReport. `source` is needed only when something failed; `trusted` only in instructors' grading. */
export interface Outcomes {
  selected: Stage[];
  run: RunResult;
  target: Target;
  files?: Submission;
  source?: Analysis;
  trusted?: Verdicts;
  /** Whether the kit has hidden checks: then they count in the maximum, run or not. */
  withHidden?: boolean;
}

export function buildReport({ selected, run, target, files, source, trusted, withHidden = false }: Outcomes): Report {
  const where = { ranFrom: run.ranFrom, target, files };
  const reports = new Map(selected.map((stage) => [stage.id, stageReport(stage, run, where, source, trusted)]));
  markBlocked(selected, reports, run);
  for (const stage of selected) attribute(stage, reports, trusted);
  const infra = run.infra ?? trusted?.failed;
  for (const stage of selected) score(stage, reports.get(stage.id)!, trusted, withHidden, !!infra);
  const list = [...reports.values()];
  // A bonus stage never blocks "done": it is next only when it was the stage asked for.
  const first = list.find((s) => s.status === 'failed' && (!s.optional || s === list.at(-1)));
  const ranRequired = list.filter((s) => !s.optional);
  const report: Report = {
    target: target.shown,
    passed: ranRequired.filter((s) => s.status === 'passed').length,
    total: ranRequired.length,
    stages: list,
    next: first ? nextStep(first, source, target.shown) : null,
    complete: required.every((r) => reports.has(r.id)),
    score: totals(list, selected, trusted, withHidden),
    note: '',
    seed: trusted?.seed,
    infra: infra ? `The grader itself failed on this submission (${infra}). It is not the student's doing: grade it again.` : undefined,
  };
  report.note = noteOf(report);
  return report;
}

/** One stage on its own: its failures (a stop, then problems in the source, first), and what the trusted check found. */
function stageReport(stage: Stage, run: RunResult, where: Where, source?: Analysis, trusted?: Verdicts): StageReport {
  const tests = run.tests.filter((t) => t.stage === stage.id);
  const failures = tests.filter((t) => !t.passed).map((t) => describeFailure(t.error, t.todo, t.test, where));
  for (const error of run.loadErrors.get(stage.id) ?? []) failures.push(describeFailure(error, stage.todos[0], LOADING, where));
  const stop = run.stops.find((s) => s.stage === stage.id);
  if (stop) {
    const todo = stop.todo ?? stage.todos[0];
    failures.unshift({ test: stop.test ?? LOADING, todo, kind: 'timeout', message: stopMessage(stop, todo, run.printed), cause: stop.reason, ...(stop.test ? {} : { loading: true }) });
  }
  const ran = run.finished.has(stage.id) || !!stop;
  // The trusted check may only take a pass away: it speaks where the suite found nothing wrong. A
  // stage it does not cover can't score in an instructor's grading.
  if (trusted && ran && failures.length === 0) {
    const wrong = trusted.stages.get(stage.id);
    const message = !trusted.stages.has(stage.id)
      ? "The grader's own check does not cover this stage, so it can't score in an instructor's grading."
      : wrong && `The grader's own check of this stage, on numbers of its own, found a mistake: ${clean(wrong)}`;
    if (message) failures.push({ test: TRUSTED, todo: stage.todos[0], kind: 'trusted', message });
  }
  // A file that does not load (missing, or a syntax error) fails every stage that loads it: said so in each, in place of the loader's own error.
  const unloadable = (p: Problem) => (p.kind === 'syntax' || p.kind === 'missing-file') && filesOf(stage).includes(p.file);
  const problems = (source?.problems ?? []).filter((p) => (p.blocks ? filesOf(stage).includes(p.file) : (p.stage === stage.id || unloadable(p)) && failures.length > 0));
  const explained = problems.some(unloadable) ? failures.filter((f) => f.test !== LOADING || f.kind === 'timeout') : failures;
  // A broken file, a lost method or an import the grader can't follow explains every other failure: it comes first.
  const all = [...problems.map((p) => problemFailure(p)), ...explained];
  const own = !ran ? 'not run' : all.length > 0 || tests.length === 0 ? 'failed' : 'passed';
  const manifest = stages.find((s) => s.id === stage.id)!;
  const report: StageReport = { id: stage.id, title: stage.title, status: own === 'passed' ? 'passed' : 'failed', optional: !!stage.optional, todos: stage.todos, failures: all, own, outcome: own === 'passed' ? 'passed' : 'failed', scored: false, points: 0, max: manifest.points };
  const lesson = own === 'passed' ? lessonFor(stage.id, Object.assign({}, ...tests.map((t) => t.notes ?? {}))) : undefined;
  if (lesson) report.lesson = lesson;
  return report;
}

function problemFailure(p: Problem): Failure {
  return { test: READING, todo: p.todo, kind: 'source', message: p.message, at: p.at, frame: p.frame, cause: p.kind };
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

/**
 * How the stage did on its own work. Not started: every failure is one of its own stubs. Failing
 * because of an earlier stage: a stage it needs fails, and either the trusted check (which runs
 * this stage's code with the grader's own code for every other TODO) finds its own work right, or
 * every failure is another stage's stub or never ran.
 */
function attribute(stage: Stage, reports: Map<string, StageReport>, trusted?: Verdicts): void {
  const report = reports.get(stage.id)!;
  if (report.own === 'passed') return;
  const own = (f: Failure) => f.kind === 'not-started' && stage.todos.includes(f.todo);
  const foreign = (f: Failure) => f.kind === 'not-started' && !stage.todos.includes(f.todo);
  if (report.failures.length > 0 && report.failures.some(own) && report.failures.every((f) => own(f) || foreign(f))) {
    report.outcome = 'not-started';
    return;
  }
  const failing = [...reports.values()].filter((r) => r.own !== 'passed' && dependsOn(stage, r.id));
  // The trusted check of its own work alone (the grader's code for the stages it needs) passes; or
  // a file failed to load that holds none of this stage's TODOs, which says nothing of its own work.
  const unloaded = trusted?.unloaded.get(stage.id) ?? [];
  const ownWorkRight = !!trusted && ((trusted.alone.has(stage.id) && trusted.alone.get(stage.id) === undefined) || (unloaded.length > 0 && unloaded.every((file) => !stage.todos.some((t) => fileOf(t) === file))));
  if (failing.length > 0 && (report.own === 'not run' || ownWorkRight || (report.failures.length > 0 && report.failures.every(foreign)))) {
    report.outcome = 'earlier';
    // The stages whose own work is wrong (or missing): not those that only fail because of them in turn.
    const causes = failing.filter((r) => r.outcome !== 'earlier');
    report.because = (causes.length > 0 ? causes : failing).map((r) => ({ stage: r.id, test: r.failures[0]?.test ?? 'it did not run' }));
  }
}

/**
 * The points of one stage, and of its hidden checks: the one place where the scoring rule lives.
 * 'own': the stage's own result; 'cascade': its status (it and every stage it needs pass). The
 * hidden checks' points come with the stage's when every hidden check passes.
 */
function score(stage: Stage, report: StageReport, trusted: Verdicts | undefined, withHidden: boolean, infra: boolean): void {
  const earned = !infra && ((stage.scoring ?? 'own') === 'cascade' ? report.status === 'passed' : report.own === 'passed');
  report.scored = earned;
  report.points = earned ? stage.points : 0;
  if (!stage.hidden || !withHidden) return;
  const checks = trusted?.hidden.get(stage.id) ?? [];
  const failed = checks.filter((c) => c.wrong).map((c) => c.name);
  const all = checks.length > 0 && failed.length === 0;
  report.hidden = { passed: checks.length - failed.length, total: checks.length, failed, points: earned && all ? stage.hidden.points : 0, max: stage.hidden.points };
}

function totals(list: StageReport[], selected: Stage[], trusted: Verdicts | undefined, withHidden: boolean): Score {
  const manifest = (id: string) => selected.find((s) => s.id === id)!;
  const counted = list.filter((s) => !s.optional || manifest(s.id).inTotal);
  const bonus = list.filter((s) => s.optional && !manifest(s.id).inTotal);
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  // The maximum counts every required stage, ran or not: a grade is out of the whole assignment.
  const max = sum(required.map((s) => s.points)) + sum(counted.filter((s) => s.optional).map((s) => s.max));
  const hidden = withHidden && trusted ? { points: sum(list.map((s) => s.hidden?.points ?? 0)), max: sum(required.map((s) => s.hidden?.points ?? 0)) } : null;
  const points = sum(counted.map((s) => s.points));
  const extra = bonus.length > 0 ? { points: sum(bonus.map((s) => s.points)), max: sum(bonus.map((s) => s.max)) } : null;
  const unseen = hidden ? 0 : sum(list.filter((s) => !s.optional).map((s) => manifest(s.id).hidden?.points ?? 0));
  return { points, max, hidden, unseen, bonus: extra, total: points + (hidden?.points ?? 0), totalMax: max + (hidden?.max ?? 0) };
}

/** What went wrong first, in a line: for a gradebook row that isn't full marks. */
function noteOf(report: Report): string {
  if (report.infra) return report.infra;
  const stage = report.stages.find((s) => s.own !== 'passed' && !s.optional) ?? report.stages.find((s) => s.own !== 'passed');
  const failure = stage?.failures[0];
  if (stage && failure) {
    const line = failure.message.split('\n')[0];
    if (failure.kind === 'source' && failure.frame) return `syntax error at ${failure.at}: ${line.replace(/^Syntax error: /, '')}`;
    if (failure.kind === 'source') return line;
    return `${stage.id}: ${failure.test === TRUSTED ? '' : `${failure.test}: `}${line}`;
  }
  const hidden = report.stages.find((s) => s.hidden && s.hidden.failed.length > 0);
  if (hidden) return `${hidden.id}, hidden check: ${hidden.hidden!.failed[0]}`;
  return '';
}

function nextStep(stage: StageReport, source: Analysis | undefined, shown: string): Next {
  const failure = stage.failures[0];
  const todo = failure?.todo || stage.todos[0];
  const manifest = stages.find((s) => s.id === stage.id)!;
  const problem = failure?.kind === 'source' ? source?.problems.find((p) => p.message === failure.message) : undefined;
  const file = inFolder(shown, problem?.file ?? fileOf(todo));
  const line = source?.methods.get(todo)?.line ?? null;
  if (problem?.kind === 'syntax') return { kind: 'syntax', stage: stage.id, todo, file, line, at: failure.at, hint: 'The mistake is often a little above the mark: a brace, bracket or parenthesis left open.' };
  if (problem?.kind === 'import') return { kind: 'import', stage: stage.id, todo, file, line, at: failure.at, hint: 'engine.ts and nn.ts may import each other and nothing else: everything an engine needs is in the language itself.' };
  if (problem?.kind === 'missing-file') return { kind: 'missing', stage: stage.id, todo, file, line: null, hint: `Restore it from git, or put back the stubs with npx grade reset ${stage.id}.` };
  if (failure?.kind === 'timeout' && failure.loading) {
    return { kind: 'loading', stage: stage.id, todo, file, line, hint: 'Declarations (import, class, const) belong outside the methods; a loop or a call there runs every time the file is loaded.' };
  }
  return { kind: 'todo', stage: stage.id, todo, file, line, hint: hintFor(todo, manifest.hints) };
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
    const how = stop.exit?.startsWith('process.') ? `it called ${clean(stop.exit)}` : `${stop.exit}: something in your code called process.exit or process.kill`;
    return `The test process ended while ${stop.test ? `${todo} was running` : 'it loaded your engine.ts and nn.ts'}: ${how}. Take that call out; return or throw instead.`;
  }
  const ran = `${stop.seconds} s`;
  if (printed.chars > MB) {
    const size = `${(printed.chars / MB).toFixed(0)} MB in ${printed.lines.toLocaleString('en')} lines`;
    const what = stop.reason === 'printed' ? `was stopped: it printed ${size}, more than any check needs` : `never finished: it ran for ${ran} and printed ${size}`;
    return `${who} ${what}. Printing that much is slow by itself: take out the console.log calls in loops. If it still never finishes, look for a loop whose condition never becomes false.`;
  }
  if (stop.reason === 'limit') return `${who} was still running after ${ran}, the longest one check may take. ${cause}`;
  if (stop.reason === 'run-limit') return `${who} was still running when the grading reached its time limit, after ${ran}. ${cause}`;
  return `${who} never finished: it ran for ${ran} without returning. ${cause}`;
}

function likelyLoop(todo: string): string {
  if (todo === 'Value.backward') {
    return 'Likely cause: a loop over the graph that never ends (visiting nodes again and again without a visited set, or a stack that is never popped), or a visited check that gets slower as the graph grows: an array\'s includes() looks at every node, a Set finds one at once.';
  }
  return 'Likely cause: a loop whose condition never becomes false, or a method that calls itself forever.';
}

