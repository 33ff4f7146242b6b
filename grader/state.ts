/** What the grader remembers between runs, in .grade/state.json: the last next stage and the hints shown. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { kitRoot } from './target.ts';

export interface State {
  next?: string;
  hintsShown: Record<string, number>;
}

export const stateDir = join(kitRoot, '.grade');
const file = join(stateDir, 'state.json');

export function loadState(): State {
  try {
    return { hintsShown: {}, ...JSON.parse(readFileSync(file, 'utf8')) };
  } catch {
    return { hintsShown: {} };
  }
}

export function saveState(change: Partial<State>): void {
  const state = { ...loadState(), ...change };
  if (!existsSync(stateDir)) mkdirSync(stateDir, { recursive: true });
  writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
}
