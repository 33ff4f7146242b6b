/** `grade why <stage>`: the stage's lesson again, from your own code's numbers. */
import { locateTarget } from '../kit.ts';
import { renderLesson } from '../report/render.ts';
import { grade } from '../run/grade.ts';
import type { Io, Outcome } from '../shared.ts';
import { findStage, stagesUpTo } from '../stages.ts';
import { ui } from '../ui.ts';

export async function whyCommand(name: string, opts: { target?: string }, io: Io): Promise<Outcome> {
  const stage = stagesUpTo(name).at(-1)!;
  const { report } = await grade(locateTarget(opts.target), stage.id, { typecheck: false });
  const own = report.stages.find((s) => s.id === stage.id)!;
  if (!own.lesson) {
    io.out(` Stage ${stage.id} doesn't pass yet: its lesson comes when it does. ${ui.info(`npx grade ${stage.id}`)} says what to do.\n`);
    return { code: 1 };
  }
  io.out(renderLesson(own));
  return { code: findStage(stage.id) ? 0 : 1 };
}
