/** `grade hint [stage|todo]`: one more hint each time you ask. */
import { revealHint } from '../hints.ts';
import { loadState, locateTarget } from '../kit.ts';
import type { Io, Outcome } from '../shared.ts';
import { findStage, stageOf, todosNamed } from '../stages.ts';
import { ui } from '../ui.ts';

export async function hintCommand(name: string | undefined, opts: { target?: string }, io: Io): Promise<Outcome> {
  const target = locateTarget(opts.target);
  // A stage (mul), or a TODO (Value.neg) for its stage; else the stage the last run stopped at.
  let stage = name ? (findStage(name) ?? stageOf(todosNamed(name)[0])) : findStage(loadState(target.home).next ?? '');
  if (!stage) {
    const { grade } = await import('../run/grade.ts');
    stage = findStage((await grade(target, undefined, { typecheck: false })).report.next?.stage ?? '');
    if (!stage) {
      io.out(ui.success('Every stage passes: no hints needed. Name a stage to read its hints anyway: npx grade hint mul\n'));
      return { code: 0 };
    }
  }
  io.out(revealHint(stage, target.home));
  return { code: 0 };
}
