/** `grade watch`: placeholder until the watch loop lands. */
import type { Io, Outcome } from '../cli.ts';
export async function watchCommand(_opts: { target: string }, _io: Io): Promise<Outcome> {
  return { code: 2 };
}
