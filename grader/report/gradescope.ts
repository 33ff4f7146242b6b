/**
 * Gradescope's results.json from a report: one test per stage and one per stage's
 * hidden checks, with points and visibility from the manifest.
 * Format: https://gradescope-autograders.readthedocs.io/en/latest/specs/
 */
import { stripVTControlCharacters } from 'node:util';
import type { Report, StageReport } from './report.ts';
import { stages } from '../stages.ts';

/**
 * A message that came from a run of the student's code, made safe to show: its first line, at most
 * about 300 characters, without escape sequences or control characters.
 */
function safeLine(text: string): string {
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
  if (stage.status === 'passed') return 'All checks pass.';
  if (stage.status === 'blocked') return `Not graded: it needs ${stage.blockedBy?.join(', ') || 'an earlier stage'} to pass first.`;
  return stage.failures.slice(0, 3).map((f) => `✗ ${f.todo ? `${f.todo}: ` : ''}${safeLine(f.test)}\n  ${safeLine(f.message)}`).join('\n');
}

/** `withHidden`: the kit has hidden checks, so each stage's hidden test counts, whether or not it ran. */
export function gradescopeResults(report: Report, withHidden: boolean) {
  const tests: GradescopeTest[] = [];
  for (const stage of report.stages) {
    const manifest = stages.find((s) => s.id === stage.id)!;
    const passed = stage.status === 'passed';
    tests.push({
      name: `${stage.id}: ${stage.title}`,
      score: passed ? manifest.points : 0,
      max_score: manifest.points,
      status: passed ? 'passed' : 'failed',
      output: explain(stage),
      visibility: manifest.visibility ?? 'visible',
    });
    if (manifest.hidden && withHidden) {
      const ok = passed && !!stage.hidden && stage.hidden.total > 0 && stage.hidden.passed === stage.hidden.total;
      tests.push({
        name: `${stage.id}: hidden checks`,
        score: ok ? manifest.hidden.points : 0,
        max_score: manifest.hidden.points,
        status: ok ? 'passed' : 'failed',
        // Pass or fail and the points: nothing the student's code could have written.
        output: !passed || !stage.hidden ? 'Not graded: the stage itself does not pass.' : `${stage.hidden.passed} of ${stage.hidden.total} hidden checks pass.`,
        visibility: manifest.hidden.visibility ?? 'after_published',
      });
    }
  }
  const next = report.next ? ` Next: ${safeLine(report.next.todo)} (stage ${report.next.stage}).` : '';
  return {
    score: tests.reduce((sum, t) => sum + t.score, 0),
    output: `${report.passed}/${report.total} stages pass.${next}`,
    tests,
  };
}
