/** `grade list`: every stage, its TODOs, points and status. */
import { locateTarget } from '../kit.ts';
import { progressBar, stageLines } from '../report/render.ts';
import { grade } from '../run/grade.ts';
import type { Io, Outcome } from '../shared.ts';
import { stages } from '../stages.ts';
import { ui } from '../ui.ts';

export async function listCommand(opts: { target?: string }, io: Io): Promise<Outcome> {
  const { report } = await grade(locateTarget(opts.target), undefined, { typecheck: false });
  const lines = stageLines(report, true);
  const out = [''];
  report.stages.forEach((s, i) => {
    const stage = stages.find((x) => x.id === s.id)!;
    out.push(`${lines[i]}  ${ui.dim(`${stage.points} pts`)}`, ui.dim(`     ${stage.todos.join(', ')}`));
  });
  const width = Math.max(...report.stages.map((s) => s.id.length));
  for (const stage of stages.filter((s) => s.optional)) {
    out.push(` ${ui.dim('+')} ${stage.id.padEnd(width)}  ${ui.dim(`${stage.title} · run it with`)} ${ui.info(`npx grade ${stage.id}`)}  ${ui.dim(`${stage.points} pts`)}`);
  }
  out.push('', ` Progress ${progressBar(report.passed, report.total)}`, '');
  io.out(out.join('\n'));
  return { code: 0 };
}
