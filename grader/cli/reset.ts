/**
 * `grade reset <todo|stage>`: puts the stub back for one TODO or a whole stage,
 * after saving the current files under .grade/backups/ of the target's kit.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { backUp, locateTarget, shownAs, stubsDir } from '../kit.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { spliceBodies } from '../source/source.ts';
import { fileOf, todosNamed } from '../stages.ts';
import { ui } from '../ui.ts';

export async function resetCommand(name: string, opts: { target?: string }, io: Io): Promise<Outcome> {
  const todos = todosNamed(name);
  const target = locateTarget(opts.target);
  if (resolve(stubsDir) === target.dir) throw new UsageError(`${target.shown}/ holds the kit's pristine stubs: there is nothing to reset.`);
  const names = [...new Set(todos.map(fileOf))];
  const saved = backUp(target.home, names.map((f) => join(target.dir, f)), target.dir);
  for (const file of names) {
    const stub = readFileSync(join(stubsDir, file), 'utf8');
    const path = join(target.dir, file);
    const current = existsSync(path) ? readFileSync(path, 'utf8') : stub;
    writeFileSync(path, spliceBodies(current, stub, todos.filter((t) => fileOf(t) === file)));
  }
  io.out(`${ui.success('✓')} Put back the stub${todos.length === 1 ? '' : 's'} of ${todos.join(', ')} in ${target.shown}/.\n`);
  if (saved) io.out(`  Your previous version is saved in ${ui.info(shownAs(saved))}/.\n`);
  return { code: 0 };
}
