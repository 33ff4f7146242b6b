/**
 * What a play file (`npx grade play`) may import beside your engine: draw(v) prints v's graph in
 * the terminal and writes it as an SVG picture.
 *
 *   import { Value } from './exercises/engine.ts';
 *   import { draw } from './grader/play.ts';
 *   const x = new Value(1);
 *   x.label = 'x';
 *   const y = x.mul(2).add(1).relu();
 *   y.backward();
 *   await draw(y); // y's graph, and y.svg (or 'graph.svg' when y has no label)
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Value } from './api.ts';
import { drawDot, drawText, renderSvg, type DotOptions } from './draw.ts';

export async function draw(v: Value, options: DotOptions & { file?: string } = {}): Promise<string> {
  const file = resolve(options.file ?? `${(v.label || 'graph').replace(/[^\w.-]+/g, '_')}.svg`);
  console.log(drawText(v).join('\n'));
  writeFileSync(file, await renderSvg(drawDot(v, options)));
  console.log(`(drawn to ${file})`);
  return file;
}
