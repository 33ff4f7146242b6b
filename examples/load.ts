/**
 * Loads a target's engine.ts and nn.ts (the student's or the reference) as
 * plain JavaScript: each file is transpiled by the TypeScript compiler into a
 * scratch folder, then imported, so nn's Value is engine's Value. The folder is
 * removed once both are loaded.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import type { Engine } from '../grader/api.ts';

export type Loaded = Engine;

export async function loadTarget(dir: string): Promise<Loaded> {
  const out = mkdtempSync(join(tmpdir(), 'micrograd-'));
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
  for (const file of ['engine', 'nn']) {
    const { outputText } = ts.transpileModule(readFileSync(resolve(dir, `${file}.ts`), 'utf8'), {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true },
    });
    writeFileSync(join(out, `${file}.js`), outputText);
  }
  try {
    const engine = await import(pathToFileURL(join(out, 'engine.js')).href);
    const nn = await import(pathToFileURL(join(out, 'nn.js')).href);
    return { ...engine, ...nn };
  } finally {
    rmSync(out, { recursive: true, force: true }); // imported modules no longer need their files
  }
}
