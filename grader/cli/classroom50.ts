/**
 * `grade classroom50 <dir>`: what a Classroom 50 assignment needs, from the manifest: tests.json
 * for `gh teacher assignment test set --tests`, and the runtime block. A file there that differs
 * is copied to <dir>/.grade/backups/ first.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { classroom50Runtime, classroom50Tests } from '../instructor/classroom50.ts';
import { backUp, shownAs } from '../kit.ts';
import { required, stages } from '../stages.ts';
import type { Io, Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export async function classroom50Command(dir: string, io: Io): Promise<Outcome> {
  const tests = classroom50Tests();
  const files = new Map([
    ['tests.json', `${JSON.stringify(tests, null, 2)}\n`],
    ['runtime.json', `${JSON.stringify(classroom50Runtime, null, 2)}\n`],
  ]);
  mkdirSync(dir, { recursive: true });
  const changed = [...files].filter(([name, text]) => existsSync(join(dir, name)) && readFileSync(join(dir, name), 'utf8') !== text).map(([name]) => join(dir, name));
  const saved = backUp(dir, changed, dir);
  for (const [name, text] of files) writeFileSync(join(dir, name), text);
  const points = tests.tests.reduce((sum, t) => sum + t.points, 0);
  const hidden = required.filter((s) => s.hidden).reduce((sum, s) => sum + s.hidden!.points, 0);
  const shown = shownAs(dir);
  io.out(
    [
      ui.success(`✓ Wrote ${shown}/tests.json: an install test and ${stages.length} stage tests, ${points} points in all, and ${shown}/runtime.json (Node ${classroom50Runtime.node}).`),
      ...(saved ? [ui.dim(`  The files it replaced are in ${shownAs(saved)}.`)] : []),
      '',
      ` Add the tests to the assignment:  ${ui.info(`gh teacher assignment test set ORG CLASSROOM ASSIGNMENT --tests ${shown}/tests.json`)}`,
      ` Set its runtime to Node ${classroom50Runtime.node}: Advanced settings, Language versions (or "runtime": ${JSON.stringify(classroom50Runtime)} in assignments.json).`,
      ...(hidden > 0
        ? [ui.dim(` The hidden checks (${hidden} points) are not among them: Classroom 50 would run them in the student's own job, from files anyone can read. Grade them with the Gradescope bundle or grade class.`)]
        : []),
      '',
    ].join('\n'),
  );
  return { code: 0 };
}
