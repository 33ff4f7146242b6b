/**
 * Gradescope's results.json from a report: one test per stage and one per stage's hidden checks,
 * with the points the report gave them. Students see this file, so what came from a run of their
 * code reaches it only as short single lines without control characters, and a hidden check only
 * as a count. Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/
 */
import { stripVTControlCharacters } from 'node:util';
import { stages } from '../stages.ts';
import type { Report, StageReport } from './report.ts';

/** One line, at most about 300 characters, without escape sequences or control characters. */
export function safeLine(text: string): string {
  const line = stripVTControlCharacters(text).split(/\r?\n/)[0].replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  status: 'passed' | 'failed';
  output: string;
  visibility: string;
}

function explain(stage: StageReport): string {
  if (stage.own === 'passed' && stage.points === stage.max) return 'All checks pass.';
  if (stage.own === 'passed') return `Its own checks pass, but it scores only when ${stage.blockedBy?.join(', ') ?? 'the stages it needs'} pass${stage.blockedBy?.length === 1 ? 'es' : ''} too.`;
  const because = stage.outcome === 'earlier' && stage.because ? [`Fails because of an earlier stage: ${stage.because.map((b) => `${b.stage} (${safeLine(b.test)})`).join(', ')}.`] : [];
  return [...because, ...stage.failures.slice(0, 3).map((f) => `✗ ${f.todo ? `${f.todo}: ` : ''}${safeLine(f.test)}\n  ${safeLine(f.message)}`)].join('\n');
}

export function gradescopeResults(report: Report) {
  const tests: GradescopeTest[] = [];
  for (const stage of report.stages) {
    const manifest = stages.find((s) => s.id === stage.id)!;
    tests.push({
      name: `${stage.id}: ${stage.title}`,
      score: stage.points,
      max_score: stage.max,
      status: stage.points === stage.max ? 'passed' : 'failed',
      output: report.infra ? 'Not graded: the grader itself failed.' : explain(stage),
      visibility: manifest.visibility ?? 'visible',
    });
    if (stage.hidden) {
      tests.push({
        name: `${stage.id}: hidden checks`,
        score: stage.hidden.points,
        max_score: stage.hidden.max,
        status: stage.hidden.points === stage.hidden.max ? 'passed' : 'failed',
        // A count and the points: nothing the student's code could have written, nothing of the checks.
        output: stage.points === 0 ? 'Not graded: the stage itself does not score.' : `${stage.hidden.passed} of ${stage.hidden.total} hidden checks pass.`,
        visibility: manifest.hidden?.visibility ?? 'after_published',
      });
    }
  }
  const next = report.next ? ` Next: ${safeLine(report.next.todo)} (stage ${report.next.stage}).` : '';
  const seed = report.seed === undefined ? '' : ` (check seed ${report.seed})`;
  return {
    score: report.score.total,
    output: report.infra ? safeLine(report.infra) : `${report.passed}/${report.total} stages pass.${next}${seed}`,
    tests,
  };
}

/** results.json when no grade could be given: the reason, and a score of 0 that says it is not one. */
export function graderFailure(message: string, resubmit = true) {
  return { score: 0, output: `${safeLine(message)}${resubmit ? ' Nothing was graded: please submit again, and tell your instructor if this happens again.' : ''}`, tests: [] };
}
