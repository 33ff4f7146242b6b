/**
 * The report in GitHub Actions (the release's grade.yml): the Markdown view as the job's summary,
 * and an error annotation at the next TODO, or at the syntax error or import to fix first. Only
 * formats the report. Workflow commands: docs.github.com/actions/reference/workflow-commands-for-github-actions
 */
import { appendFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { hiddenLine, markdownReport } from './markdown.ts';
import type { Next, Report } from './report.ts';

/** A workflow command's message: `%`, CR and LF escaped. */
const data = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
/** A workflow command's property: also `:` and `,`, which end one. */
const property = (s: string) => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function jobSummary(report: Report): string {
  return `${markdownReport(report, 'npx grade')}\n---\n\n_This ran in your own repository, as \`npx grade\` runs at home: it is feedback for you, not a grade. Your instructor grades your code on their side${hiddenLine(report) ? ', hidden checks included' : ''}._\n`;
}

/** The annotation's title for a next step that comes before any TODO. */
const FIRST: Partial<Record<Next['kind'], string>> = { syntax: 'fix this syntax error', import: 'take out this import', missing: 'put back this file', loading: 'fix the code that runs as this file loads' };

/**
 * `::error file=…,line=…::…` at the next step, with the first failing check as its message. Paths
 * are relative to the repository (`workspace`), as GitHub wants them.
 */
export function annotation(report: Report, workspace: string): string | undefined {
  const next = report.next;
  if (!next) return undefined;
  const place = /^(.*?):(\d+)(?::(\d+))?$/.exec(next.at ?? '') ?? [undefined, next.file, next.line === null ? undefined : String(next.line), undefined];
  const [, file, line, col] = place;
  const where = [`file=${property(relative(workspace, resolve(file!)))}`, ...(line ? [`line=${line}`] : []), ...(col ? [`col=${col}`] : [])];
  const failure = report.stages.find((s) => s.id === next.stage)?.failures[0];
  const message = failure ? `${failure.test}\n${failure.message}` : next.hint;
  return `::error ${where.join(',')},title=${property(`Next: ${FIRST[next.kind] ?? next.todo} (stage ${next.stage})`)}::${data(message)}\n`;
}

/** In GitHub Actions: the summary appended to $GITHUB_STEP_SUMMARY, the annotation to stderr (where the runner reads it too). */
export function toGithub(report: Report, env: NodeJS.ProcessEnv, err: (s: string) => void): void {
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, jobSummary(report));
  const note = env.GITHUB_ACTIONS === 'true' ? annotation(report, env.GITHUB_WORKSPACE ?? process.cwd()) : undefined;
  if (note) err(note);
}
