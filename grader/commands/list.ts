/** `grade list`: every stage, its TODOs, points and status. */
import type { Io, Outcome } from '../cli.ts';
import { grade } from '../grade.ts';
import { progressBar, stageLines } from '../render.ts';
import { stages } from '../stages.ts';
import { ui } from '../ui.ts';

export async function listCommand(opts: { target: string }, io: Io): Promise<Outcome> {
  const { report, run } = await grade(opts.target);
  const lines = stageLines(report, true);
  const out = [''];
  stages.forEach((stage, i) => {
    out.push(`${lines[i]}  ${ui.dim(`${stage.points} pts`)}`);
    out.push(ui.dim(`     ${stage.todos.join(', ')}`));
  });
  out.push('', ` Progress ${progressBar(report.passed, report.total)}`, '');
  io.out(out.join('\n'));
  return { code: 0, mustExit: !!run.stalled };
}
