/**
 * The worker behind SourceChecker. For each request, in turn: the analysis, then (if asked) the
 * type check with the kit's tsconfig.json; or a transpile for the trusted check.
 */
import { dirname, join, relative } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { CompilerHost, CompilerOptions, SourceFile } from 'typescript';
import { ts } from './typescript.ts';
import { kitRoot, type Submission, type Target } from '../kit.ts';
import { analyze } from './analyze.ts';
import { transpileWith } from './transpile.ts';

type Request =
  | { id: number; kind: 'check'; target: Target; files: Submission; cwd: string; typecheck: boolean }
  | { id: number; kind: 'transpile'; files: Submission };

parentPort!.on('message', (request: Request) => {
  const { id } = request;
  answer(id, () => {
    if (request.kind === 'transpile') return parentPort!.postMessage({ id, kind: 'transpiled', value: transpileWith(ts, request.files) });
    const { target, files, cwd, typecheck } = request;
    const analysis = analyze(files, target.shown);
    parentPort!.postMessage({ id, kind: 'analysis', value: { ...analysis, methods: [...analysis.methods] } });
    // The type check waits for requests already sent (the trusted check's transpile): it is the slow part.
    if (typecheck) setImmediate(() => answer(id, () => parentPort!.postMessage({ id, kind: 'types', value: typeErrors(target, files, cwd) })));
  });
});

function answer(id: number, work: () => void): void {
  try {
    work();
  } catch (error) {
    parentPort!.postMessage({ id, kind: 'error', message: String((error as Error)?.stack ?? error) });
  }
}

/** The kit's tsconfig.json options (strict, with Node's types): what `npx tsc --noEmit` checks with. */
function kitOptions(): CompilerOptions {
  const { config } = ts.readConfigFile(join(kitRoot, 'tsconfig.json'), ts.sys.readFile);
  return ts.parseJsonConfigFileContent(config, ts.sys, kitRoot).options;
}

const options = kitOptions();
const host = ts.createCompilerHost(options);
// The standard library's declarations and Node's never change, so they are parsed once and shared
// by every check's program, as an editor's language service shares them: a check after the first
// takes about 100 ms instead of 800 ms with Node's types, and 30 ms instead of 170 ms without.
const unchanging = new Map<string, SourceFile | undefined>();
const libDir = dirname(ts.getDefaultLibFilePath(options));
const modules = join(kitRoot, 'node_modules');
const readSource = host.getSourceFile;
host.getSourceFile = (fileName, ...rest) => {
  if (!fileName.startsWith(libDir) && !fileName.startsWith(modules)) return readSource(fileName, ...rest);
  if (!unchanging.has(fileName)) unchanging.set(fileName, readSource(fileName, ...rest));
  return unchanging.get(fileName);
};

/**
 * Node's `console`, method for method as @types/node declares it. Most engine.ts and nn.ts files use
 * no other global, and a program without Node's types is checked in a fifth of the time. Code that
 * uses anything else (or anything wrongly) gets an error here, so it is checked again with Node's
 * types: the errors reported are always those of `npx tsc --noEmit`.
 */
const consoleOnly = {
  options: { ...options, types: [] },
  file: join(kitRoot, 'grader', 'source', 'console.d.ts'), // given to the program from memory: no such file
  text: `declare var console: {
  assert(value: any, message?: string, ...optionalParams: any[]): void;
  count(label?: string): void;
  debug(message?: any, ...optionalParams: any[]): void;
  error(message?: any, ...optionalParams: any[]): void;
  info(message?: any, ...optionalParams: any[]): void;
  log(message?: any, ...optionalParams: any[]): void;
  table(tabularData: any, properties?: readonly string[]): void;
  time(label?: string): void;
  timeEnd(label?: string): void;
  trace(message?: any, ...optionalParams: any[]): void;
  warn(message?: any, ...optionalParams: any[]): void;
};`,
};

/** tsc's errors in engine.ts and nn.ts (these texts, at the target's paths), under the kit's options. */
function typeErrors(target: Target, files: Submission, cwd: string): string[] {
  const texts = new Map(Object.entries(files).filter(([, text]) => text !== null).map(([f, text]) => [join(target.dir, f), text!]));
  const quick = diagnostics(target, new Map([...texts, [consoleOnly.file, consoleOnly.text]]), consoleOnly.options);
  const found = quick.length === 0 ? quick : diagnostics(target, texts, options);
  return found.map((d) => {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n').split('\n')[0];
    if (!d.file || d.start === undefined) return text;
    const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
    return `${relative(cwd, d.file.fileName)}:${line + 1}:${character + 1} ${text}`;
  });
}

/** The program of these texts (and what they import), with nothing else of the target's folder. */
function diagnostics(target: Target, texts: Map<string, string>, compilerOptions: CompilerOptions) {
  const own: CompilerHost = {
    ...host,
    fileExists: (name) => texts.has(name) || (!name.startsWith(`${target.dir}/`) && host.fileExists(name)),
    readFile: (name) => texts.get(name) ?? (name.startsWith(`${target.dir}/`) ? undefined : host.readFile(name)),
    getSourceFile: (name, ...rest) => (texts.has(name) ? ts.createSourceFile(name, texts.get(name)!, ts.ScriptTarget.ES2022, true) : host.getSourceFile(name, ...rest)),
  };
  return ts.getPreEmitDiagnostics(ts.createProgram([...texts.keys()], compilerOptions, own));
}
