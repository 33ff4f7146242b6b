/**
 * A class's results: one row per submission with the points of each stage,
 * the gradebook CSV, and a report of how the class did and the failing checks
 * that most students hit.
 */
import type { Report } from '../report/report.ts';
import { required } from '../stages.ts';

export interface Row {
  name: string;
  /** Why the submission could not be graded at all. */
  error?: string;
  /** Points per stage id, and the hidden checks' points together. */
  points: Record<string, number>;
  hidden: number;
  total: number;
  /** The first failing check of each stage that failed (not those merely blocked): what to fix there. */
  failures: { stage: string; test: string; message: string }[];
}

const maxPoints = required.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);

export function rowOf(name: string, report: Report, withHidden: boolean): Row {
  const points: Record<string, number> = {};
  let hidden = 0;
  for (const stage of required) {
    const r = report.stages.find((s) => s.id === stage.id);
    const passed = r?.status === 'passed';
    points[stage.id] = passed ? stage.points : 0;
    if (withHidden && stage.hidden && passed && r.hidden && r.hidden.total > 0 && r.hidden.passed === r.hidden.total) hidden += stage.hidden.points;
  }
  const failures = report.stages.filter((s) => s.status === 'failed' && s.failures[0]).map((s) => ({ stage: s.id, test: s.failures[0].test, message: s.failures[0].message.split('\n')[0] }));
  return { name, points, hidden, total: Object.values(points).reduce((a, b) => a + b, hidden), failures };
}

export function errorRow(name: string, error: string): Row {
  return { name, error, points: Object.fromEntries(required.map((s) => [s.id, 0])), hidden: 0, total: 0, failures: [] };
}

const cell = (value: string | number) => (/[",\n]/.test(String(value)) ? `"${String(value).replace(/"/g, '""')}"` : String(value));

export function csv(rows: Row[]): string {
  const header = ['submission', ...required.map((s) => s.id), 'hidden', 'total', 'max', 'note'];
  const lines = rows.map((r) => [r.name, ...required.map((s) => r.points[s.id]), r.hidden, r.total, maxPoints, r.error ?? ''].map(cell).join(','));
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export interface Summary {
  submissions: number;
  graded: number;
  passRate: Record<string, number>;
  /** The failing checks most students hit, most first: stage, test and how many students. */
  common: { stage: string; test: string; students: number; example: string }[];
}

export function summarize(rows: Row[]): Summary {
  const graded = rows.filter((r) => !r.error);
  const passRate = Object.fromEntries(required.map((s) => [s.id, graded.length ? graded.filter((r) => r.points[s.id] > 0).length / graded.length : 0]));
  const counts = new Map<string, { stage: string; test: string; students: number; example: string }>();
  for (const row of graded) {
    for (const f of row.failures) {
      const key = `${f.stage}\0${f.test}`;
      const entry = counts.get(key) ?? { stage: f.stage, test: f.test, students: 0, example: f.message };
      entry.students++;
      counts.set(key, entry);
    }
  }
  const common = [...counts.values()].sort((a, b) => b.students - a.students || a.stage.localeCompare(b.stage)).slice(0, 10);
  return { submissions: rows.length, graded: graded.length, passRate, common };
}

const escape = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').slice(0, 160);

export function markdown(rows: Row[], summary: Summary): string {
  const out = [
    '# Class report',
    '',
    `${summary.submissions} submissions, ${summary.graded} graded${summary.graded < summary.submissions ? `, ${summary.submissions - summary.graded} could not be graded` : ''}.`,
    '',
    '| stage | passed |',
    '| --- | --- |',
    ...required.map((s) => `| ${s.id} | ${Math.round(summary.passRate[s.id] * 100)}% |`),
    '',
    '## The failing checks most students hit',
    '',
    '| students | stage | check | for example |',
    '| --- | --- | --- | --- |',
    ...summary.common.map((c) => `| ${c.students} | ${c.stage} | ${escape(c.test)} | ${escape(c.example)} |`),
  ];
  const broken = rows.filter((r) => r.error);
  if (broken.length > 0) out.push('', '## Not graded', '', ...broken.map((r) => `- ${r.name}: ${escape(r.error!)}`));
  return `${out.join('\n')}\n`;
}
