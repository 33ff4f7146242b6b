/** A submission's engine.ts and nn.ts as plain JavaScript, for running them outside vitest (the examples, the trusted check). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Submission } from '../kit.ts';

/** The files as JavaScript ES modules (their imports of each other kept as written); null where a file is missing. */
export function transpileWith(ts: typeof import('typescript'), files: Submission): { engine: string | null; nn: string | null } {
  const js = (text: string | null) =>
    text === null ? null : ts.transpileModule(text, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, verbatimModuleSyntax: false } }).outputText;
  return { engine: js(files['engine.ts']), nn: js(files['nn.ts']) };
}

export async function transpile(files: Submission): Promise<{ engine: string | null; nn: string | null }> {
  return transpileWith((await import('./typescript.ts')).ts, files);
}

/**
 * Writes engine.js and nn.js (nn importing engine, whatever form its import takes) into `out`,
 * with a package.json that makes them ES modules: for importing a target in this process (the examples).
 */
export async function transpileTarget(files: Submission, out: string): Promise<void> {
  const sources = await transpile(files);
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
  const relink = (js: string) => js.replace(/(from\s*|import\s*\(\s*)(['"])\.\/(engine|nn)(\.ts|\.js)?\2/g, '$1$2./$3.js$2');
  writeFileSync(join(out, 'engine.js'), relink(sources.engine ?? ''));
  writeFileSync(join(out, 'nn.js'), relink(sources.nn ?? ''));
}
