/** The hints of a stage, one more each time they are asked for; `grade hint` and `grade watch` show them. */
import { loadState, saveState } from './kit.ts';
import type { Stage } from './stages.ts';
import { ui } from './ui.ts';

/** Reveals one more hint of `stage` (remembered in <home>/.grade) and returns the text to show; `again` says how to ask for the next. */
export function revealHint(stage: Stage, home: string, again = `run ${ui.info(`npx grade hint ${stage.id}`)} again`): string {
  const state = loadState(home);
  const shown = Math.min((state.hintsShown[stage.id] ?? 0) + 1, stage.hints.length);
  saveState(home, { hintsShown: { ...state.hintsShown, [stage.id]: shown } });
  const out = ['', ui.strong(` Hints for ${stage.id}: ${stage.title}`)];
  stage.hints.slice(0, shown).forEach((h, i) => out.push(` ${ui.warn(`${i + 1}.`)} ${h}`));
  out.push(
    '',
    shown < stage.hints.length
      ? ui.dim(` ${stage.hints.length - shown} more: ${again}.`)
      : ui.dim(` That is every hint for ${stage.id}. The failing checks say exactly what was expected: npx grade ${stage.id} --verbose`),
    '',
  );
  return out.join('\n');
}
