/** `grade hint [stage]`: one more hint each time you ask. */
import { revealHint } from '../hints.ts';
import { loadState, locateTarget } from '../kit.ts';
import type { Io, Outcome } from '../shared.ts';
import { stagesUpTo } from '../stages.ts';
import { ui } from '../ui.ts';

export async function hintCommand(id: string | undefined, opts: { target?: string }, io: Io): Promise<Outcome> {
  const target = locateTarget(opts.target);
  let stageId = id?.toLowerCase() ?? loadState(target.home).next;
  if (!stageId) {
    const { grade } = await import('../run/grade.ts');
    stageId = (await grade(target, undefined, { typecheck: false })).report.next?.stage;
    if (!stageId) {
      io.out(ui.success('Every stage passes: no hints needed. Name a stage to read its hints anyway: npx grade hint mul\n'));
      return { code: 0 };
    }
  }
  io.out(revealHint(stagesUpTo(stageId).at(-1)!, target.home));
  return { code: 0 };
}
