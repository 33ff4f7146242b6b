/** The worker behind checkSource: analysis first, then the type check. */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { kitRoot } from './target.ts';
import ts from 'typescript';
import { analyze } from './analyze.ts';

const { dir, shown, cwd, typecheck } = workerData as { dir: string; shown: string; cwd: string; typecheck: boolean };

const analysis = analyze(dir, shown);
parentPort!.postMessage({ kind: 'analysis', value: { ...analysis, methods: [...analysis.methods] } });

if (typecheck) parentPort!.postMessage({ kind: 'types', value: typeErrors() });

/** tsc's strict-mode errors in engine.ts and nn.ts. */
function typeErrors(): string[] {
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: ['lib.es2023.d.ts'],
    types: ['node'],
    typeRoots: [join(kitRoot, 'node_modules', '@types')],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  };
  const files = ['engine.ts', 'nn.ts'].map((f) => join(dir, f)).filter((f) => existsSync(f));
  return ts.getPreEmitDiagnostics(ts.createProgram(files, options)).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(cwd, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
  });
}
