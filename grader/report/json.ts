/** The --json view of a report: the documented shape (README), for scripts and CI. */
import type { Report } from './report.ts';

export function toJson(report: Report) {
  return {
    target: report.target,
    passed: report.passed,
    total: report.total,
    score: report.score,
    stages: report.stages.map((s) => ({
      id: s.id,
      title: s.title,
      status: s.status,
      optional: s.optional,
      todos: s.todos,
      own: s.own,
      outcome: s.outcome,
      ...(s.because ? { because: s.because } : {}),
      scored: s.scored,
      points: s.points,
      max: s.max,
      ...(s.hidden ? { hidden: s.hidden } : {}),
      failures: s.failures.map((f) => ({ test: f.test, message: f.message, todo: f.todo, kind: f.kind, ...(f.at ? { at: f.at } : {}), ...(f.graph ? { graph: f.graph } : {}) })),
    })),
    next: report.next,
    note: report.note,
    ...(report.seed === undefined ? {} : { seed: report.seed }),
    ...(report.infra ? { infra: report.infra } : {}),
  };
}
