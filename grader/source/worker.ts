/**
 * The worker behind SourceChecker. For each request, in turn: the analysis, then (if asked) the
 * type check with the kit's tsconfig.json; or a transpile for the trusted check.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { CompilerOptions, SourceFile } from 'typescript';
import { ts } from './typescript.ts';
import { kitRoot, type Target } from '../kit.ts';
import { analyze } from './analyze.ts';
import { transpileWith } from './transpile.ts';

type Request = { id: number; kind: 'check'; target: Target; cwd: string; typecheck: boolean } | { id: number; kind: 'transpile'; dir: string; out: string };

parentPort!.on('message', (request: Request) => {
  const { id } = request;
  try {
    if (request.kind === 'transpile') {
      transpileWith(ts, request.dir, request.out);
      return parentPort!.postMessage({ id, kind: 'transpiled', value: null });
    }
    const { target, cwd, typecheck } = request;
    const analysis = analyze(target.dir, target.shown);
    parentPort!.postMessage({ id, kind: 'analysis', value: { ...analysis, methods: [...analysis.methods] } });
    if (typecheck) parentPort!.postMessage({ id, kind: 'types', value: typeErrors(target, cwd) });
  } catch (error) {
    parentPort!.postMessage({ id, kind: 'error', message: String((error as Error)?.stack ?? error) });
  }
});

/** The kit's tsconfig.json options (strict), without Node's types: the student's files need only `console`. */
function kitOptions(): CompilerOptions {
  const { config } = ts.readConfigFile(join(kitRoot, 'tsconfig.json'), ts.sys.readFile);
  return { ...ts.parseJsonConfigFileContent(config, ts.sys, kitRoot).options, types: [] };
}

const options = kitOptions();
const globals = join(kitRoot, 'grader', 'source', 'globals.d.ts');
const host = ts.createCompilerHost(options);
// The standard library's declarations and globals.d.ts never change, so they are parsed and bound
// once and shared by every check's program, as an editor's language service shares them. A check
// after the first (with its analysis) takes about 70 ms instead of 170 ms.
const unchanging = new Map<string, SourceFile | undefined>();
const libDir = dirname(ts.getDefaultLibFilePath(options));
const readSource = host.getSourceFile;
host.getSourceFile = (fileName, ...rest) => {
  if (!fileName.startsWith(libDir) && fileName !== globals) return readSource(fileName, ...rest);
  if (!unchanging.has(fileName)) unchanging.set(fileName, readSource(fileName, ...rest));
  return unchanging.get(fileName);
};

/** tsc's errors in engine.ts and nn.ts, under the kit's options. */
function typeErrors(target: Target, cwd: string): string[] {
  const files = ['engine.ts', 'nn.ts'].map((f) => join(target.dir, f)).filter((f) => existsSync(f));
  return ts.getPreEmitDiagnostics(ts.createProgram([...files, globals], options, host)).map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(cwd, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
  });
}
