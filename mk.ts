import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { spliceBodies } from '/work/main/grader/source.ts';
const [dir, todos, from, to] = process.argv.slice(2);
mkdirSync(dir, { recursive: true });
for (const f of ['engine.ts', 'nn.ts']) {
  let t = spliceBodies(readFileSync(`/work/main/exercises/${f}`, 'utf8'), readFileSync(`/work/main/solutions/${f}`, 'utf8'), todos ? todos.split(',') : []);
  if (from && t.includes(from)) t = t.replace(from, to);
  writeFileSync(`${dir}/${f}`, t);
}
