/** A target's engine.ts and nn.ts as plain JavaScript, for running them outside vitest (the examples, the trusted check). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Writes engine.js and nn.js (nn importing engine) into `out`, with a package.json that makes them
 * ES modules. A missing file becomes an empty module.
 */
export async function transpileTarget(dir: string, out: string): Promise<void> {
  transpileWith((await import('./typescript.ts')).ts, dir, out);
}

/** The same, with the compiler already loaded (the source worker has it). */
export function transpileWith(ts: typeof import('typescript'), dir: string, out: string): void {
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }');
  for (const file of ['engine', 'nn']) {
    const path = join(dir, `${file}.ts`);
    const { outputText } = ts.transpileModule(existsSync(path) ? readFileSync(path, 'utf8') : '', {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, rewriteRelativeImportExtensions: true },
    });
    writeFileSync(join(out, `${file}.js`), outputText);
  }
}
