/**
 * Reading the student's source with the TypeScript compiler API: where each
 * method is, what its body is, and whether the file parses at all.
 */
import type { Identifier, Node, SourceFile } from 'typescript';
import { ts } from './typescript.ts';

export interface Method {
  /** 'Value.mul', 'Neuron.constructor' */
  name: string;
  /** 1-based line of the method's name. */
  line: number;
  /** Everything before the body: 'mul(other: Value | number): Value', whitespace folded. */
  signature: string;
  /** The body, braces included, and where it sits in the text. */
  body: string;
  start: number;
  end: number;
}

export interface SyntaxProblem {
  line: number;
  column: number;
  message: string;
}

function parse(text: string, fileName = 'file.ts'): SourceFile {
  return ts.createSourceFile(fileName, text, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
}

/** Every method and constructor with a body, of every class in the file, by 'Class.method'. */
export function methodsOf(text: string): Map<string, Method> {
  const file = parse(text);
  const found = new Map<string, Method>();
  for (const statement of file.statements) {
    if (!ts.isClassDeclaration(statement) || !statement.name) continue;
    for (const member of statement.members) {
      if (!(ts.isMethodDeclaration(member) || ts.isConstructorDeclaration(member)) || !member.body) continue;
      const short = ts.isConstructorDeclaration(member) ? 'constructor' : member.name.getText(file);
      const at = ts.isConstructorDeclaration(member) ? member.getStart(file) : member.name.getStart(file);
      found.set(`${statement.name.text}.${short}`, {
        name: `${statement.name.text}.${short}`,
        line: file.getLineAndCharacterOfPosition(at).line + 1,
        signature: text.slice(member.getStart(file), member.body.getStart(file)).replace(/\s+/g, ' ').trim(),
        body: member.body.getText(file),
        start: member.body.getStart(file),
        end: member.body.getEnd(),
      });
    }
  }
  return found;
}

/** What the file exports: the names it exports by name, and what it exports as its default. */
export function exportsOf(text: string): { named: Set<string>; byDefault?: string } {
  const file = parse(text);
  const named = new Set<string>();
  let byDefault: string | undefined;
  for (const statement of file.statements) {
    const modifiers = ts.canHaveModifiers(statement) ? (ts.getModifiers(statement) ?? []) : [];
    if (modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword) && 'name' in statement && statement.name && ts.isIdentifier(statement.name as Node)) {
      const name = (statement.name as Identifier).text;
      if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) byDefault = name;
      else named.add(name);
    }
    if (ts.isExportAssignment(statement) && !statement.isExportEquals && ts.isIdentifier(statement.expression)) byDefault = statement.expression.text;
    if (ts.isExportDeclaration(statement) && statement.exportClause && ts.isNamedExports(statement.exportClause)) {
      for (const e of statement.exportClause.elements) {
        if (e.name.text === 'default') byDefault = (e.propertyName ?? e.name).text;
        else named.add(e.name.text);
      }
    }
  }
  return { named, byDefault };
}

/**
 * The modules the file imports at run time, with the line of each: import and export-from
 * declarations (not type-only ones) and import() calls.
 */
export function importsOf(text: string): { specifier: string; line: number }[] {
  const file = parse(text);
  const found: { specifier: string; line: number }[] = [];
  const add = (node: Node, specifier: Node | undefined) => {
    if (!specifier) return;
    // A computed import() names no module: its expression stands for it.
    const text = ts.isStringLiteral(specifier) ? specifier.text : specifier.getText(file);
    found.push({ specifier: text, line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1 });
  };
  const visit = (node: Node): void => {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly) add(node, node.moduleSpecifier);
    else if (ts.isExportDeclaration(node) && !node.isTypeOnly) add(node, node.moduleSpecifier);
    else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) add(node, node.arguments[0] ?? node);
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/**
 * Syntax errors only (no type checking), as a bundler would report them: a program of this one
 * file, without its libraries. (ts.transpileModule says the same, but emits the JavaScript too,
 * ten times the work.)
 */
export function syntaxProblems(text: string): SyntaxProblem[] {
  const file = parse(text);
  const options = { noLib: true, noResolve: true, target: ts.ScriptTarget.ES2022 };
  const host = ts.createCompilerHost(options);
  host.getSourceFile = (name) => (name === file.fileName ? file : undefined);
  return ts.createProgram([file.fileName], options, host).getSyntacticDiagnostics(file).map((d) => {
    const at = d.file && d.start !== undefined ? d.file.getLineAndCharacterOfPosition(d.start) : { line: 0, character: 0 };
    return { line: at.line + 1, column: at.character + 1, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') };
  });
}

/** `target` with the bodies of the named methods taken from `source`. */
export function spliceBodies(target: string, source: string, names: Iterable<string>): string {
  const from = methodsOf(source);
  const into = methodsOf(target);
  const edits = [...names]
    .filter((name) => from.has(name) && into.has(name))
    .map((name) => ({ at: into.get(name)!, body: from.get(name)!.body }))
    .sort((a, b) => b.at.start - a.at.start);
  let out = target;
  for (const { at, body } of edits) out = out.slice(0, at.start) + body + out.slice(at.end);
  return out;
}
