/**
 * `grade reset <todo|stage>`: puts the stub back for one TODO or a whole stage,
 * after saving the current files under .grade/backups/.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import type { Io, Outcome } from '../cli.ts';
import { backUp } from '../backup.ts';
import { UsageError, shownAs, targetFolder } from '../grade.ts';
import { spliceBodies } from '../source.ts';
import { allTodos, fileOf, findStage } from '../stages.ts';
import { kitRoot } from '../target.ts';
import { ui } from '../ui.ts';

/** The TODOs a name stands for: a stage id, or one TODO such as Value.mul (any case). */
export function todosNamed(name: string): string[] {
  const stage = findStage(name);
  if (stage) return stage.todos;
  const todo = allTodos.find((t) => t.toLowerCase() === name.toLowerCase());
  if (todo) return [todo];
  throw new UsageError(`'${name}' is neither a stage nor a TODO. Try a stage (mul) or a TODO (Value.mul).`);
}

/** The untouched stubs: grader/stubs/ in a student release, else the kit's exercises/. */
export function stubsDir(): string {
  const released = join(kitRoot, 'grader', 'stubs');
  return existsSync(released) ? released : join(kitRoot, 'exercises');
}

export async function resetCommand(name: string, opts: { target: string }, io: Io): Promise<Outcome> {
  const todos = todosNamed(name);
  const dir = targetFolder(opts.target);
  const stubs = stubsDir();
  if (resolve(stubs) === dir) {
    throw new UsageError(`${shownAs(dir)}/ holds the kit's own stubs, so there is nothing to reset. Name a student folder with --target.`);
  }
  const files = [...new Set(todos.map(fileOf))].map((f) => join(dir, f));
  const saved = backUp(kitRoot, files, dir);
  for (const file of files) {
    const name = relative(dir, file) as 'engine.ts' | 'nn.ts';
    const stub = readFileSync(join(stubs, name), 'utf8');
    const current = existsSync(file) ? readFileSync(file, 'utf8') : stub;
    writeFileSync(file, spliceBodies(current, stub, todos.filter((t) => fileOf(t) === name)));
  }
  io.out(`${ui.success('✓')} Put back the stub${todos.length === 1 ? '' : 's'} of ${todos.join(', ')} in ${shownAs(dir)}/.\n`);
  if (saved) io.out(`  Your previous version is saved in ${ui.info(shownAs(saved))}/.\n`);
  return { code: 0 };
}
