/**
 * `grade diff [stage|todo]`: each TODO of a target next to the reference, method
 * by method, as a unified diff. For reviewing a submission, or for seeing what the
 * stubs took out.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { kitRoot, locateTarget, stubsDir } from '../kit.ts';
import { inFolder, UsageError, studentEdition, type Io, type Outcome } from '../shared.ts';
import { allTodos, fileOf, todosNamed } from '../stages.ts';
import { ui } from '../ui.ts';

const read = (dir: string, file: string) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8') : '');
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** A body without the comment lines its stub gave it (the TODO), which students usually keep. */
function withoutStubComments(body: string, stub: string | undefined): string {
  const given = new Set(stub?.split('\n').map((line) => line.trim()).filter((line) => line.startsWith('//')));
  return body.split('\n').filter((line) => !given.has(line.trim())).join('\n');
}

export async function diffCommand(name: string | undefined, opts: { target?: string }, io: Io): Promise<Outcome> {
  const reference = join(kitRoot, 'solutions');
  if (!existsSync(reference)) throw new UsageError(`${studentEdition} That command is for instructors.`);
  const { dir, shown } = locateTarget(opts.target);
  // Loaded only now: the compiler takes a while, which a usage error shouldn't wait for.
  const { methodsOf } = await import('../source/source.ts');
  const todos = name ? todosNamed(name) : allTodos;
  const out: string[] = [];
  for (const todo of todos) {
    const file = fileOf(todo);
    const body = methodsOf(read(dir, file)).get(todo)?.body;
    const ours = methodsOf(read(reference, file)).get(todo)?.body ?? '';
    const stub = methodsOf(read(stubsDir, file)).get(todo)?.body;
    const where = inFolder(shown, file);
    if (body === undefined) out.push(`${ui.error('✗')} ${ui.strong(todo)}: missing from ${where}`);
    else if (stub !== undefined && squash(body) === squash(stub)) out.push(`${ui.dim('·')} ${ui.strong(todo)}: not attempted`);
    else if (squash(withoutStubComments(body, stub)) === squash(ours)) out.push(`${ui.success('=')} ${ui.strong(todo)}: same as the reference`);
    else {
      out.push(`${ui.warn('≠')} ${ui.strong(todo)}:`);
      const theirs = withoutStubComments(body, stub);
      const patch = createTwoFilesPatch(`solutions/${file} ${todo}`, `${where} ${todo}`, `${ours}\n`, `${theirs}\n`, undefined, undefined, { context: 3 });
      for (const line of patch.split('\n').slice(1)) {
        out.push(line.startsWith('+') ? ui.success(line) : line.startsWith('-') ? ui.error(line) : line.startsWith('@@') ? ui.info(line) : line);
      }
    }
  }
  io.out(`${out.join('\n')}\n`);
  return { code: 0 };
}
