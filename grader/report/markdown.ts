/**
 * A report as Markdown, for a page a student reads later: the Actions job summary (github.ts) and
 * the feedback files of `grade class --feedback`. The same verdict as the terminal: each stage with
 * its points, the hidden checks only as points (named where they are left out), the next TODO, its
 * first failing check and the hint. What came from running the student's code shows only inside
 * code fences, or escaped.
 */
import { stripVTControlCharacters } from 'node:util';
import { graphLines, nextSays } from './render.ts';
import { clean, md, type Report, type StageReport } from './report.ts';

/** Text in a fence longer than any run of backticks in it, so that nothing inside can close it. */
export function fenced(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${text}\n${fence}`;
}

/** Inline code, on one line, in backticks that nothing inside can close. */
function code(raw: string): string {
  const text = clean(raw).replace(/\s+/g, ' ');
  const tick = '`'.repeat(Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  const pad = /^`|`$/.test(text) ? ' ' : '';
  return `${tick}${pad}${text}${pad}${tick}`;
}

/** A stage's result in a word or two; a blocked stage's own result too, which its points come from. */
function result(s: StageReport): string {
  if (s.status === 'passed') return '✓ passes';
  if (s.status === 'failed') return s.outcome === 'not-started' ? '✗ not started' : '✗ fails';
  const own = s.outcome === 'not-started' ? 'not started' : s.own === 'passed' ? 'its own checks pass' : s.own === 'failed' ? 'its own checks fail' : 'not run';
  return `· blocked by ${s.blockedBy?.join(', ') || 'an earlier stage'} (${own})`;
}

/** What the hidden checks add, or that they are left out here and where they count. */
export function hiddenLine(report: Report): string | undefined {
  const { score } = report;
  if (score.hidden) return `Hidden checks: ${score.hidden.points}/${score.hidden.max} points (what they check stays with your instructor). In all: ${score.total}/${score.totalMax}.`;
  if (score.unseen > 0) return `Hidden checks: ${score.unseen} more points, in your instructor's grading only; they are not run here.`;
  return undefined;
}

export function markdownReport(report: Report, title: string): string {
  const { score } = report;
  const bonus = score.bonus ? ` + ${score.bonus.points}/${score.bonus.max} bonus` : '';
  const out = [`## ${title}`, '', `${report.passed} of ${report.total} stages pass · **${score.points}/${score.max} points**${bonus}`, ''];
  out.push('| Stage | Result | Points |', '|---|---|---|');
  for (const s of report.stages) out.push(`| ${s.optional ? 'bonus ' : ''}${s.id} | ${result(s)} | ${s.points}/${s.max} |`);
  const hidden = hiddenLine(report);
  if (hidden) out.push('', hidden);
  if (report.seed !== undefined) out.push('', `The grader's own check used seed ${report.seed}.`);
  const next = report.next;
  if (report.infra) {
    out.push('', `**Not graded:** ${md(report.infra, 500)}`);
  } else if (!next) {
    if (report.passed === report.total) out.push('', report.complete ? `**All ${report.total} stages pass.** You built micrograd: an autograd engine and a neural net.` : `**Every stage that ran passes.**`);
  } else {
    const stage = report.stages.find((s) => s.id === next.stage)!;
    const failure = stage.failures[0];
    out.push('', `### Next: ${nextSays(next, code)}`);
    if (failure) {
      const detail = [failure.message, ...(failure.at ? [`at ${failure.at}`] : []), ...(failure.frame ? [failure.frame] : []), ...(failure.graph ? graphLines(failure.graph) : [])];
      out.push('', `✗ ${md(failure.test, 300)}`, '', fenced(stripVTControlCharacters(detail.join('\n'))));
      const more = stage.failures.length - 1;
      if (more > 0) out.push('', `(${more} more failing check${more === 1 ? '' : 's'} in this stage: \`npx grade ${next.stage} --verbose\`)`);
    }
    out.push('', `**Hint:** ${next.hint}`, '', next.kind === 'todo' ? `More: \`npx grade hint ${next.stage}\`, and \`npx grade\` to check again.` : 'Then run `npx grade` again.');
  }
  return `${out.join('\n')}\n`;
}
