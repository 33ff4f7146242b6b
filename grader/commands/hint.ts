/** `grade hint [stage]`: one more hint each time you ask. */
import type { Io, Outcome } from '../cli.ts';
import { grade, stagesUpTo } from '../grade.ts';
import { loadState, saveState } from '../state.ts';
import { ui } from '../ui.ts';

export async function hintCommand(id: string | undefined, opts: { target: string }, io: Io): Promise<Outcome> {
  let stageId = id?.toLowerCase();
  if (!stageId) {
    stageId = loadState().next ?? (await grade(opts.target)).report.next?.stage;
    if (!stageId) {
      io.out(ui.success('Every stage passes: no hints needed. Name a stage to read its hints anyway: npx grade hint mul\n'));
      return { code: 0 };
    }
  }
  const stage = stagesUpTo(stageId).at(-1)!;
  const state = loadState();
  const shown = Math.min((state.hintsShown[stage.id] ?? 0) + 1, stage.hints.length);
  saveState({ hintsShown: { ...state.hintsShown, [stage.id]: shown } });
  const out = ['', ui.strong(` Hints for ${stage.id}: ${stage.title}`)];
  stage.hints.slice(0, shown).forEach((h, i) => out.push(` ${ui.warn(`${i + 1}.`)} ${h}`));
  out.push(
    '',
    shown < stage.hints.length
      ? ui.dim(` ${stage.hints.length - shown} more: run ${ui.info(`npx grade hint ${stage.id}`)} again.`)
      : ui.dim(` That is every hint for ${stage.id}. The failing checks say exactly what was expected: npx grade ${stage.id} --verbose`),
    '',
  );
  io.out(out.join('\n'));
  return { code: 0 };
}
