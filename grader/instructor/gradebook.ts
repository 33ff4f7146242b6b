/**
 * A class's results: one row per submission, formatted from its report (points, outcome and first
 * mistake of each stage, the hidden checks, the seed, a note), the gradebook CSV, and a class
 * report that says what to reteach. Nothing here decides a point: the report did.
 */
import { md, type Failure, type Outcome, type Report } from '../report/report.ts';
import type { ProblemKind } from '../source/analyze.ts';
import { required, stages as manifest } from '../stages.ts';
import type { Student } from './roster.ts';

export interface StageCell {
  points: number;
  max: number;
  outcome: Outcome;
  /** Its status with its needs (what the student saw first): passed, failed or blocked. */
  status: 'passed' | 'failed' | 'blocked';
  /** For 'earlier': the stages it fails because of. */
  because?: string[];
}

/** A student's own first mistake in a stage they started: the check, and what kind of wrong it was. */
export interface Mistake {
  stage: string;
  test: string;
  kind: string;
  message: string;
}

export interface Row {
  name: string;
  /** Why the submission could not be graded at all: malformed, or the grader failed on it. */
  error?: string;
  stages: Record<string, StageCell>;
  /** The bonus stages it was graded on: in the total only where the manifest says so. */
  bonus: Record<string, StageCell>;
  /** The roster's student this submission is, when a roster was given and one matched; else why not. */
  student?: Student;
  unmatched?: string;
  hidden: number;
  hiddenMax: number;
  total: number;
  max: number;
  seed?: number;
  /** What went wrong first, for every row that isn't full marks. */
  note: string;
  mistakes: Mistake[];
}

/** The kind of a wrong value, so that the same mistake groups across students whatever its numbers. */
export function kindOf(failure: Failure): string {
  if (failure.kind === 'not-started') return 'not started';
  if (failure.kind === 'timeout') return failure.cause === 'printed' ? 'printed too much' : failure.cause === 'exited' ? 'ended the process' : 'never finished';
  if (failure.kind === 'source') return { syntax: 'syntax error', import: 'an import', 'missing-file': 'a missing file', lost: 'a lost method or export' }[failure.cause as ProblemKind] ?? 'a lost method or export';
  if (failure.kind === 'trusted') return "wrong on the grader's own numbers";
  if (failure.kind === 'error') return `threw ${failure.thrown ?? 'a value that is not an Error'}`;
  const got = Number(failure.actual);
  const want = Number(failure.expected);
  if (failure.actual === undefined || failure.expected === undefined || Number.isNaN(want)) return 'wrong';
  if (failure.actual === 'NaN') return 'got NaN';
  if (failure.actual === 'undefined') return 'got undefined';
  if (Number.isNaN(got)) return 'not a number';
  if (got === 0) return 'got 0';
  if (got === -want) return 'sign flipped';
  if (got === 2 * want) return 'twice too big';
  if (2 * got === want) return 'half what it should be';
  return 'a wrong value';
}

export function rowOf(name: string, report: Report): Row {
  const stages: Record<string, StageCell> = {};
  const mistakes: Mistake[] = [];
  const bonus: Record<string, StageCell> = {};
  for (const s of report.stages) {
    (s.optional ? bonus : stages)[s.id] = { points: s.points, max: s.max, outcome: s.outcome, status: s.status, because: s.because?.map((b) => b.stage) };
    if (s.optional) continue;
    // The student's own first mistake in every stage they started, blocked or not; not a stage
    // that fails only because of an earlier one, whose failures are that stage's mistake.
    const first = s.failures[0];
    if (first && s.outcome === 'failed') {
      mistakes.push({ stage: s.id, test: first.test, kind: kindOf(first), message: first.message.split('\n')[0] });
    }
  }
  const { score } = report;
  return {
    name,
    error: report.infra,
    stages,
    bonus,
    hidden: score.hidden?.points ?? 0,
    hiddenMax: score.hidden?.max ?? 0,
    total: score.total,
    max: score.totalMax,
    seed: report.seed,
    note: report.note,
    mistakes,
  };
}

export function errorRow(name: string, error: string): Row {
  const stages = Object.fromEntries(required.map((s) => [s.id, { points: 0, max: s.points, outcome: 'failed' as const, status: 'failed' as const }]));
  const max = required.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
  return { name, error, stages, bonus: {}, hidden: 0, hiddenMax: 0, total: 0, max, note: error, mistakes: [] };
}

const outcomeText = (cell: StageCell) =>
  ({ passed: 'passed', 'not-started': 'not started', failed: 'failed', earlier: `failed because of ${cell.because?.join(', ') ?? 'an earlier stage'}` })[cell.outcome];

/**
 * A CSV cell: control characters out, quoted when it holds a comma, quote or line break, and (OWASP's
 * rule against formula injection) a text starting with = + - @, a tab or a carriage return prefixed
 * with a quote, so that a spreadsheet shows it as text.
 */
export function cell(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let text = value.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '');
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvOptions {
  /** Roster students with no submission, as rows of their own (their points left blank). */
  missing?: Student[];
  /** For Excel: a byte order mark, so that it reads UTF-8, and CRLF line ends. */
  excel?: boolean;
}

/**
 * The gradebook: one row per submission, one column per stage, the hidden checks and the total; the
 * roster's ID and email when a roster was given; a column per bonus stage any row was graded on.
 */
export function csv(rows: Row[], { missing, excel }: CsvOptions = {}): string {
  const ids = required.map((s) => s.id);
  const bonus = manifest.filter((s) => s.optional && rows.some((r) => r.bonus[s.id])).map((s) => s.id);
  const roster = missing !== undefined;
  const who = (r: Row) => (roster ? [r.student?.id ?? '', r.student?.email ?? '', r.student?.name ?? ''] : []);
  const header = ['submission', ...(roster ? ['student id', 'email', 'name'] : []), ...ids, 'hidden', 'total', 'max', ...bonus.map((id) => `${id} (bonus)`), ...ids.map((id) => `${id} outcome`), 'seed', 'note'];
  const lines = rows.map((r) =>
    [r.name, ...who(r), ...ids.map((id) => r.stages[id]?.points ?? 0), r.hidden, r.total, r.max, ...bonus.map((id) => r.bonus[id]?.points ?? ''), ...ids.map((id) => (r.error ? 'not graded' : outcomeText(r.stages[id]))), r.seed ?? '', r.error ?? (r.unmatched ? `${r.unmatched}${r.note ? `; ${r.note}` : ''}` : r.note)]
      .map(cell)
      .join(','),
  );
  const absent = (missing ?? []).map((s) => ['', s.id, s.email, s.name, ...ids.map(() => ''), '', '', '', ...bonus.map(() => ''), ...ids.map(() => ''), '', 'no submission'].map(cell).join(','));
  const eol = excel ? '\r\n' : '\n';
  return `${excel ? '\uFEFF' : ''}${[header.join(','), ...lines, ...absent].join(eol)}${eol}`;
}

export interface Summary {
  submissions: number;
  graded: number;
  /** Per stage: the share that passed with their needs (as students see it), on their own, not started, and failing only because of an earlier stage. */
  stages: Record<string, { chained: number; own: number; notStarted: number; earlier: number }>;
  /** The same mistake across students: by stage, check and kind of wrong value, most first. */
  common: { stage: string; test: string; kind: string; students: number; example: string }[];
}

export function summarize(rows: Row[]): Summary {
  const graded = rows.filter((r) => !r.error);
  const share = (count: (r: Row) => boolean) => (graded.length ? graded.filter(count).length / graded.length : 0);
  const stages = Object.fromEntries(
    required.map((s) => [
      s.id,
      {
        chained: share((r) => r.stages[s.id].status === 'passed'),
        own: share((r) => r.stages[s.id].outcome === 'passed'),
        notStarted: share((r) => r.stages[s.id].outcome === 'not-started'),
        earlier: share((r) => r.stages[s.id].outcome === 'earlier'),
      },
    ]),
  );
  const groups = new Map<string, Summary['common'][number]>();
  for (const row of graded) {
    for (const m of row.mistakes) {
      const key = `${m.stage}\0${m.test}\0${m.kind}`;
      const entry = groups.get(key) ?? { stage: m.stage, test: m.test, kind: m.kind, students: 0, example: m.message };
      entry.students++;
      groups.set(key, entry);
    }
  }
  const order = (id: string) => required.findIndex((s) => s.id === id);
  const common = [...groups.values()].sort((a, b) => b.students - a.students || order(a.stage) - order(b.stage)).slice(0, 15);
  return { submissions: rows.length, graded: graded.length, stages, common };
}

const percent = (x: number) => `${Math.round(x * 100)}%`;
const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

export function markdown(rows: Row[], summary: Summary, missing?: Student[]): string {
  const out = [
    '# Class report',
    '',
    `${count(summary.submissions, 'submission')}, ${summary.graded} graded${summary.graded < summary.submissions ? `, ${summary.submissions - summary.graded} could not be graded` : ''}.`,
    '',
    '## Each stage',
    '',
    'Passed: with every stage it needs, as students see it; on its own: its own checks, whatever the stages before it. Not started: only its stubs fail. Because of an earlier stage: its own work is right, a stage it needs is not.',
    '',
    '| stage | passed | on its own | not started | because of an earlier stage |',
    '| --- | --- | --- | --- | --- |',
    ...required.map((s) => {
      const x = summary.stages[s.id];
      return `| ${s.id} | ${percent(x.chained)} | ${percent(x.own)} | ${percent(x.notStarted)} | ${percent(x.earlier)} |`;
    }),
    '',
    '## The mistakes to take up',
    '',
    "Each student's own first mistake in every stage they started, blocked or not, grouped by check and by the kind of wrong value.",
    '',
    '| students | stage | check | kind | for example |',
    '| --- | --- | --- | --- | --- |',
    ...summary.common.map((c) => `| ${c.students} | ${c.stage} | ${md(c.test)} | ${md(c.kind)} | ${md(c.example)} |`),
  ];
  if (summary.common.length === 0) out.splice(-2, 2, 'None: every stage a student started passes.');
  const bonus = manifest.filter((s) => s.optional && rows.some((r) => r.bonus[s.id]));
  if (bonus.length > 0) {
    const passed = (id: string) => rows.filter((r) => r.bonus[id]?.outcome === 'passed').length;
    out.push('', '## Bonus stages', '', ...bonus.map((s) => `- ${s.id}: ${passed(s.id)} of ${summary.graded} pass${s.inTotal ? ' (in the total)' : ''}`));
  }
  if (missing) {
    const unmatched = rows.filter((r) => !r.student);
    out.push('', '## Roster', '', `${count(rows.length - unmatched.length, 'submission')} matched to the roster.`);
    if (missing.length > 0) out.push('', `${missing.length} on the roster with no submission:`, '', ...missing.map((s) => `- ${md([s.name, s.id, s.email].filter(Boolean).join(', '), 120)}`));
    if (unmatched.length > 0) out.push('', `${count(unmatched.length, 'submission')} not matched to one student:`, '', ...unmatched.map((r) => `- ${md(r.name, 80)}: ${md(r.unmatched ?? '', 200)}`));
  }
  const broken = rows.filter((r) => r.error);
  if (broken.length > 0) out.push('', '## Not graded', '', ...broken.map((r) => `- ${md(r.name, 80)}: ${md(r.error!)}`));
  return `${out.join('\n')}\n`;
}
