/**
 * Looks at the target's source before blaming the tests: does each file
 * exist and parse, does it still export the pinned API, and where is each
 * TODO now (lines move as the student edits).
 */
import { codeFrameColumns } from '@babel/code-frame';
import { pinnedApi, pinnedMethods } from '../api.ts';
import type { Submission } from '../kit.ts';
import { exportsOf, importsOf, methodsOf, syntaxProblems, type Method } from './source.ts';
import { allTodos, stageOf } from '../stages.ts';
import { inFolder } from '../shared.ts';

export type TargetFile = 'engine.ts' | 'nn.ts';

/** A file that is missing or does not parse, an import the grader can't follow, or a class or method that is gone. */
export type ProblemKind = 'missing-file' | 'syntax' | 'import' | 'lost';

export interface Problem {
  kind: ProblemKind;
  /** The stage it stops: a missing method's own stage, else the first stage using the file. */
  stage: string;
  todo: string;
  file: TargetFile;
  message: string;
  /**
   * It fails every stage that uses the file, whatever the suites say: an import the grader's own
   * check can't follow, so that the student's grade and the instructor's agree.
   */
  blocks?: boolean;
  /** For syntax errors: file:line:col and a code frame. */
  at?: string;
  frame?: string;
}

export interface Analysis {
  methods: Map<string, Method & { file: TargetFile }>;
  problems: Problem[];
}

const firstStage: Record<TargetFile, string> = { 'engine.ts': 'add', 'nn.ts': 'neuron' };

/** `shown` is how to name the folder to the student, e.g. 'exercises'. */
export function analyze(files: Submission, shown: string): Analysis {
  const analysis: Analysis = { methods: new Map(), problems: [] };
  for (const file of ['engine.ts', 'nn.ts'] as const) {
    const where = inFolder(shown, file);
    const stage = firstStage[file];
    const text = files[file];
    if (text === null) {
      analysis.problems.push({ kind: 'missing-file', stage, todo: '', file, message: `${where} is missing. Put it back (git checkout -- ${where}).` });
      continue;
    }
    const syntax = syntaxProblems(text);
    if (syntax.length > 0) {
      const { line, column, message } = syntax[0];
      const frame = codeFrameColumns(text, { start: { line, column } }, { highlightCode: false, linesAbove: 2, linesBelow: 1 });
      analysis.problems.push({ kind: 'syntax', stage, todo: '', file, message: `Syntax error: ${message}`, at: `${where}:${line}:${column}`, frame });
      continue;
    }
    for (const { specifier, line } of importsOf(text)) {
      if (/^\.\/(engine|nn)(\.ts|\.js)?$/.test(specifier)) continue;
      const message = `${where} imports '${specifier}', but an engine may import only ./engine and ./nn: the grader runs engine.ts and nn.ts with nothing else. Take the import out.`;
      analysis.problems.push({ kind: 'import', stage, todo: '', file, message, at: `${where}:${line}`, blocks: true });
    }
    const methods = methodsOf(text);
    for (const [name, method] of methods) analysis.methods.set(name, { ...method, file });
    const exported = exportsOf(text);
    // Only the classes that hold TODOs: a helper such as NotImplementedError may go once its stubs have.
    for (const cls of Object.keys(pinnedApi[file]).filter((c) => allTodos.some((t) => t.startsWith(`${c}.`)))) {
      if (exported.named.has(cls)) continue;
      const message = exported.byDefault === cls
        ? `${where} exports ${cls} as its default export, but the suites import it by name: write export class ${cls}.`
        : `${where} no longer exports ${cls}; restore the class and its export.`;
      // The stage of the class's first TODO: MLP's missing export is mlp's problem, not neuron's.
      const first = allTodos.find((t) => t.startsWith(`${cls}.`));
      analysis.problems.push({ kind: 'lost', stage: (first && stageOf(first)?.id) || stage, todo: first ?? '', file, message });
    }
    for (const [name, signature] of pinnedMethods(file)) {
      const cls = name.slice(0, name.indexOf('.'));
      if (!exported.named.has(cls) || methods.has(name) || cls === 'NotImplementedError') continue;
      analysis.problems.push({
        kind: 'lost',
        stage: stageOf(name)?.id ?? stage,
        todo: name,
        file,
        message: `${where} no longer exports ${name}; restore its signature: ${signature}`,
      });
    }
  }
  return analysis;
}
