/** The human view of a report: stages, progress, and what to do next. */
import { stripVTControlCharacters } from 'node:util';
import type { RunResult } from '../run/runner.ts';
import { required, stages } from '../stages.ts';
import { colourOn, ui } from '../ui.ts';
import { fmt, type Explained } from '../explain/explain.ts';
import type { Next, Report, StageReport } from './report.ts';

/** How many lines of what the student's code printed to show. */
const PRINTED_LINES = 12;

const mark: Record<StageReport['status'], string> = { passed: '✓', failed: '✗', blocked: '·' };

function colour(status: StageReport['status'], s: string): string {
  return status === 'passed' ? ui.success(s) : status === 'failed' ? ui.error(s) : ui.dim(s);
}

export function progressBar(passed: number, total: number, width = 21): string {
  const full = total === 0 ? 0 : Math.round((passed / total) * width);
  return `${ui.success('█'.repeat(full))}${ui.dim('░'.repeat(width - full))} ${passed}/${total}`;
}

/** The stages of a report that have hidden checks. */
const hiddenIn = (report: Report) => report.stages.filter((s) => !s.optional && stages.find((x) => x.id === s.id)?.hidden).map((s) => s.id);

/** One line per stage. With `all`, a blocked stage also shows its own result. */
export function stageLines(report: Report, all = false): string[] {
  const width = Math.max(...report.stages.map((s) => s.id.length));
  return report.stages.map((s) => {
    const id = s.id.padEnd(width);
    let detail = ui.dim(s.title);
    if (s.status === 'blocked') {
      detail = ui.dim(s.blockedBy?.length ? `blocked: needs ${s.blockedBy.join(', ')}` : 'blocked');
      if (all) detail += ui.dim(`; on its own: ${s.own}`);
    }
    return ` ${colour(s.status, mark[s.status])} ${colour(s.status, id)}  ${detail}`;
  });
}

/**
 * The full verdict, ending with the one thing to do next. `asked` is the stage named on the command
 * line: when it fails on its own but the next step is an earlier stage, its first failure shows too.
 */
export function renderReport(report: Report, options: { all?: boolean; asked?: string; run?: Pick<RunResult, 'logs' | 'printed'>; verbose?: boolean; bonusPassed?: string[] } = {}): string {
  const { score } = report;
  const bonus = score.bonus ? ` + ${score.bonus.points}/${score.bonus.max} bonus` : '';
  const points = report.complete ? ui.dim(` · ${score.points}/${score.max} points${bonus}`) : '';
  const out = ['', ...stageLines(report, options.all), '', ` Progress ${progressBar(report.passed, report.total)}${points}`, ''];
  const hidden = report.stages.filter((s) => s.hidden && s.hidden.total > 0);
  if (hidden.length > 0 && score.hidden) {
    const parts = hidden.map((s) => `${s.id} ${s.hidden!.passed}/${s.hidden!.total}`);
    out.splice(-1, 0, ui.dim(` Hidden checks (instructors only): ${parts.join(', ')}; ${score.hidden.points}/${score.hidden.max} points, ${score.total}/${score.totalMax} in all`));
  }
  if (score.unseen > 0) out.splice(-1, 0, ui.dim(` Your instructor's grading adds hidden checks${report.complete ? '' : ` to ${hiddenIn(report).join(', ')}`}, worth ${score.unseen} more points.`));
  if (report.seed !== undefined) out.splice(-1, 0, ui.dim(` The grader's own check used seed ${report.seed} (replay it with --seed ${report.seed})`));
  const next = report.next;
  if (!next && !report.complete) {
    const ran = report.stages.filter((s) => !s.optional).map((s) => s.id);
    const after = required.find((s) => !ran.includes(s.id));
    out.push(ui.success(` ${ran.length === 1 ? `Stage ${ran[0]} passes` : `Stages ${ran.join(', ')} pass`}.`));
    if (after) out.push(` ${ui.strong('Next:')} stage ${after.id} (${after.todos.join(', ')}): ${ui.info(`npx grade ${after.id}`)}, or ${ui.info('npx grade')} for every stage.`);
    out.push(...asideFailures(report), '');
    return out.join('\n');
  }
  if (!next && report.passed === report.total) {
    out.push(ui.success(` All ${report.total} stages pass. You built micrograd: an autograd engine and a neural net.`));
    out.push(` Next: train it on the two moons with ${ui.info('npm run demo')}, and draw a graph with ${ui.info('npm run trace')}.`);
    for (const s of report.stages.filter((x) => x.optional && x.status === 'passed')) out.push(ui.success(` Bonus stage ${s.id} passes too.`));
    const passed = new Set([...report.stages.filter((s) => s.status === 'passed').map((s) => s.id), ...(options.bonusPassed ?? [])]);
    const bonus = stages.filter((s) => s.optional && !passed.has(s.id));
    if (bonus.length > 0) {
      out.push(` Bonus stages: ${bonus.map((s) => `${ui.info(`npx grade ${s.id}`)} ${ui.dim(`(${s.title.replace(/^Bonus: /, '')})`)}`).join(', ')}.`);
    } else {
      out.push(ui.success(` Every bonus stage passes too: ${stages.filter((s) => s.optional).map((s) => s.id).join(', ')}.`));
    }
    out.push('');
    return out.join('\n');
  }
  if (!next) return [...out, ...asideFailures(report), ''].join('\n');
  const stage = report.stages.find((s) => s.id === next.stage)!;
  const failure = stage.failures[0];
  out.push(` ${ui.strong('Next:')} ${nextSays(next, ui.info, ui.dim)}`);
  if (failure) {
    out.push(`   ${ui.error('✗')} ${failure.test}`);
    for (const line of failure.message.split('\n')) out.push(`     ${line}`);
    if (failure.at) out.push(`     at ${ui.info(failure.at)}`);
    if (failure.frame) out.push(...failure.frame.split('\n').map((l) => `     ${l}`));
    if (failure.graph) out.push(...graphLines(failure.graph).map((l) => `     ${l}`));
    const more = stage.failures.length - 1;
    if (more > 0) out.push(ui.dim(`     (${more} more failing check${more === 1 ? '' : 's'} in this stage)`));
  }
  out.push(...asideFailures(report, next.stage, options.asked));
  if (options.run?.logs.length) out.push('', ...printed(options.run, failure?.test));
  out.push('', ` ${ui.warn('Hint:')} ${next.hint}`);
  const verbose = options.verbose ? '' : ` ${ui.dim('for more hints,')} ${ui.info(`npx grade ${next.stage} --verbose`)} ${ui.dim('for every failing check')}`;
  out.push(` ${ui.dim('More:')} ${ui.info(`npx grade hint ${next.stage}`)}${verbose || ui.dim(' for more hints')}`, '');
  return out.join('\n');
}

/** The next step in words, with `code` marking names and places (a colour, or backticks). */
export function nextSays(next: Next, code: (s: string) => string, aside: (s: string) => string = (s) => s): string {
  const where = next.line ? `${next.file}:${next.line}` : next.file;
  const says: Record<Next['kind'], string> = {
    syntax: `fix the syntax error at ${code(next.at ?? next.file)}. Nothing in that file can run until it parses.`,
    loading: `fix the code outside any method in ${code(next.file)}, which runs as the file loads.`,
    import: `take out the import at ${code(next.at ?? next.file)}.`,
    missing: `put back ${code(next.file)}.`,
    todo: `${code(next.todo)} in ${code(where)}  ${aside(`(stage ${next.stage})`)}`,
  };
  return says[next.kind];
}

/** Rows of a graph to show in the terminal; a larger one shows the path from the output to the mistake. */
const GRAPH_ROWS = 8;

/** The path of nodes from the root down to `to`, by a walk over the operands. */
function pathTo(graph: Explained, to: number): number[] {
  const from = new Map<number, number>();
  const queue = [graph.root];
  for (let i = 0; i < queue.length && !from.has(to); i++) {
    for (const p of graph.nodes[queue[i]].prev) if (p >= 0 && !from.has(p) && p !== graph.root) (from.set(p, queue[i]), queue.push(p));
  }
  const path = [to];
  while (path[0] !== graph.root && from.has(path[0])) path.unshift(from.get(path[0])!);
  return path[0] === graph.root ? path : [graph.root, to];
}

/**
 * A failing check's graph, compactly: each node from the output back with its data, your grad and
 * what it should be, the node that holds the mistake marked, and the arithmetic of its _backward.
 */
export function graphLines(graph: Explained): string[] {
  const wrong = graph.order.find((i) => graph.nodes[i].wrong);
  if (wrong === undefined && !graph.culprit) return [];
  const mark = graph.culprit?.node ?? wrong!;
  const small = graph.order.length <= GRAPH_ROWS;
  const rows = small ? graph.order : pathTo(graph, wrong ?? mark);
  const width = Math.min(40, Math.max(...rows.map((i) => graph.nodes[i].name.length)));
  const from = graph.nodes[graph.root].name;
  const out = [ui.dim(small ? `The graph of this check, from ${from} back:` : `The path from ${from} to the first wrong grad (${graph.order.length} nodes in all):`)];
  for (const i of rows) {
    const n = graph.nodes[i];
    const should = n.wrong ? ui.error(` should be ${fmt(n.expected)}`) : '';
    const numeric = n.numeric !== undefined && Math.abs(n.numeric - (n.expected ?? n.numeric)) > 1e-6 ? ui.dim(` (by a difference: ${fmt(n.numeric)})`) : '';
    const row = `${n.name.padEnd(width)}  data ${fmt(n.data).padStart(7)}  grad ${fmt(n.yours).padStart(7)}${should}${numeric}`;
    out.push(i === mark ? `${ui.error('✗')} ${row}` : `  ${row}`);
  }
  if (graph.culprit) {
    const { node, kind, text, diagnosis } = graph.culprit;
    const n = graph.nodes[node];
    const expression = graph.expressions[node] && graph.expressions[node] !== n.name ? ` = ${graph.expressions[node]}` : '';
    out.push(kind === 'arithmetic' ? `${ui.strong(`${n.name}${expression}`)}: ${text}${diagnosis ? ` (${diagnosis})` : ''}` : `${text}: ${diagnosis}`);
  }
  return out;
}

/** A stage's lesson, under the verdict. */
export function renderLesson(stage: StageReport): string {
  return ['', ` ${ui.success('✓')} ${ui.strong(`What stage ${stage.id} shows`)}`, ...stage.lesson!.map((l) => `   ${l}`), ''].join('\n');
}

/** Every failing check of every failed stage, for --verbose. */
export function renderFailures(report: Report): string {
  const out: string[] = [];
  for (const s of report.stages.filter((x) => x.status === 'failed')) {
    out.push('', ui.strong(` Stage ${s.id}:`));
    for (const f of s.failures) {
      out.push(`   ${ui.error('✗')} ${f.todo ? `${f.todo}: ` : ''}${f.test}`, ...f.message.split('\n').map((l) => `     ${l}`));
      if (f.at) out.push(`     at ${f.at}`);
    }
  }
  return out.join('\n');
}

/** The first failing check of a bonus stage, or of the stage asked for, when the report's next step is elsewhere. */
function asideFailures(report: Report, next?: string, asked?: string): string[] {
  return report.stages
    .filter((s) => (s.optional || s.id === asked) && s.status === 'failed' && s.id !== next && s.failures[0])
    .flatMap((s) => {
      const { test, message, at } = s.failures[0];
      return ['', ` ${ui.error('✗')} ${s.optional ? 'bonus ' : ''}${s.id}: ${test}`, ...message.split('\n').map((l) => `     ${l}`), ...(at ? [`     at ${ui.info(at)}`] : [])];
    });
}

/**
 * One line the student's code printed, as quoted text: colours stay when colour is on, and any
 * other control character (a cursor move, a cleared screen, a carriage return) shows as its escape.
 */
function quoted(line: string): string {
  const text = colourOn() ? line : stripVTControlCharacters(line);
  return text.replace(/\x1b\[[0-9;]*m|[\u0000-\u0008\u000b-\u001f\u007f]/g, (c) => (c.length > 1 && c.endsWith('m') ? c : JSON.stringify(c).slice(1, -1)));
}

/**
 * The start of what the student's code printed, marked as theirs, and how much more there was;
 * named by the check it printed in (the first, and how many more), where that is not the failing
 * check shown above.
 */
function printed(run: Pick<RunResult, 'logs' | 'printed'>, failing?: string): string[] {
  const tests = [...new Set(run.logs.map((l) => l.test))];
  const more = tests.length > 1 ? ` and ${tests.length - 1} more` : '';
  const where = !tests[0] ? '' : tests[0] === failing ? (more && `, in this check${more}`) : `, in the check “${tests[0]}”${more}`;
  const all = run.logs.flatMap((l) => l.text.trimEnd().split('\n'));
  const shown = all.slice(0, PRINTED_LINES);
  const left = Math.max(run.printed.lines, all.length) - shown.length;
  return [
    ui.dim(` Your code printed${where}:`),
    ...shown.map((l) => `   ${ui.dim('│')} ${quoted(l)}`),
    ...(left > 0 ? [ui.dim(`   … ${left.toLocaleString('en')} more line${left === 1 ? '' : 's'} left out`)] : []),
  ];
}

/** Type errors as warnings under the verdict: they never change it. `most` limits how many are listed. */
export function renderTypeErrors(errors: string[], most = 5): string {
  if (errors.length === 0) return '';
  const advice = errors.length === 1 ? "It doesn't change your grade, but fix it:" : "They don't change your grade, but fix them:";
  const out = [ui.warn(` ⚠ ${errors.length} type error${errors.length === 1 ? '' : 's'} (tsc, strict mode). ${advice}`)];
  out.push(...errors.slice(0, most).map((e) => `   ${e}`));
  if (errors.length > most) out.push(ui.dim(`   … and ${errors.length - most} more (npx tsc --noEmit)`));
  return `${out.join('\n')}\n\n`;
}
