/**
 * What a student kit holds: the stubs (never the working exercises/), the
 * suites and the grader with its build, the examples, a student README and a
 * workflow that grades each push. No solutions/, kit tests, benchmarks, hidden
 * checks, or the trusted check (whose own code for every TODO would be an answer key).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { kitRoot, stubsDir } from '../kit.ts';
import { methodsOf } from '../source/source.ts';
import { ts } from '../source/typescript.ts';
import { allTodos, fileOf } from '../stages.ts';
import { gradeWorkflow } from './workflow.ts';

/** What a student gets, as paths in the kit; what is left out of those folders, and of the build. */
const shipped = ['grader', 'bin', 'examples', 'docs', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vitest.config.ts'];
export const instructorOnly = ['grader/hidden', 'grader/verify', 'dist/grader/hidden', 'dist/grader/verify', 'dist/bench'];
const leftOut = new Set(instructorOnly);
/** Scripts that need what a release leaves out, or a build it doesn't need. */
const instructorScripts = ['prepare', 'pretest', 'checksums', 'bench:grade', 'bench:train', 'bench:class', 'bench:stress'];

/** Every file of the student kit, by its path in the kit, with its content. */
export function releaseFiles(): Map<string, string | Buffer> {
  const files = new Map<string, string | Buffer>();
  const walk = (root: string, path: string, as = path) => {
    if (leftOut.has(path) || !existsSync(join(root, path))) return;
    if (statSync(join(root, path)).isDirectory()) {
      for (const entry of readdirSync(join(root, path)).sort()) walk(root, `${path}/${entry}`, `${as}/${entry}`);
    } else {
      files.set(as, readFileSync(join(root, path)));
    }
  };
  shipped.forEach((path) => walk(kitRoot, path));
  // The student starts from the pristine stubs, whatever the instructor's exercises/ holds now.
  for (const file of ['engine.ts', 'nn.ts']) files.set(`exercises/${file}`, readFileSync(join(stubsDir, file)));
  // The compiled grader: a student's kit needs no build, so nothing they write can break its install.
  execFileSync(process.execPath, [join(kitRoot, 'bin', 'build.js')], { stdio: 'pipe' });
  walk(kitRoot, 'dist');
  const pkg = JSON.parse(readFileSync(join(kitRoot, 'package.json'), 'utf8'));
  for (const script of instructorScripts) delete pkg.scripts[script];
  pkg.scripts.test = 'node bin/grade.js';
  files.set('package.json', `${JSON.stringify(pkg, null, 2)}\n`);
  // `npm run typecheck` checks the student's files and their play files, not a grader whose trusted check was left out.
  const tsconfig = JSON.parse(readFileSync(join(kitRoot, 'tsconfig.json'), 'utf8'));
  files.set('tsconfig.json', `${JSON.stringify({ ...tsconfig, include: ['exercises', '*.ts'] }, null, 2)}\n`);
  files.set('.gitignore', 'node_modules/\n.grade/\n*.svg\n!docs/*.svg\n');
  files.set('README.md', studentReadme(readFileSync(join(kitRoot, 'README.md'), 'utf8')));
  files.set('.github/workflows/grade.yml', gradeWorkflow());
  return files;
}

/** The README's title and introduction, then every part marked <!-- student --> … <!-- /student -->. */
function studentReadme(readme: string): string {
  const intro = readme.slice(0, readme.indexOf('\n<!-- student -->')).replace(/^npm test .*$/m, 'npm test           # the same, as CI runs it');
  const parts = [...readme.matchAll(/<!-- student -->\n([^]*?)<!-- \/student -->/g)].map((m) => m[1].trim());
  return `${intro.trim()}\n\n${parts.join('\n\n')}\n`;
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
const withoutComments = (s: string) => s.replace(/\/\*[^]*?\*\//g, '').replace(/\/\/.*$/gm, '');
/** Below this many tokens, a body is looked for as text only: short code is common code. */
const SHAPED = 25;

/**
 * A text's tokens as JavaScript, with every name and string made anonymous: the same code renamed,
 * reformatted, commented or with its types stripped gives the same tokens. Joined, for searching.
 */
function shape(code: string, typescript = true): string {
  const js = typescript ? ts.transpileModule(code, { compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext } }).outputText : code;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, js);
  const out: string[] = [];
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.Identifier || kind === ts.SyntaxKind.PrivateIdentifier) out.push('$');
    else if (kind === ts.SyntaxKind.StringLiteral || kind === ts.SyntaxKind.NoSubstitutionTemplateLiteral) out.push('"');
    else out.push(ts.tokenToString(kind) ?? scanner.getTokenText());
  }
  return ` ${out.join(' ')} `;
}

/**
 * Answers in files meant for students: a TODO in the stubs whose body is more than its
 * NotImplementedError, or a solution method's body anywhere. Each as 'path: Class.method'.
 */
export function answersIn(files: Map<string, string | Buffer>): string[] {
  const found: string[] = [];
  for (const [path, content] of files) {
    const match = /^(?:exercises|grader\/stubs)\/(engine|nn)\.ts$/.exec(path);
    if (!match) continue;
    const methods = methodsOf(String(content));
    for (const todo of allTodos.filter((t) => fileOf(t) === `${match[1]}.ts`)) {
      const body = methods.get(todo)?.body;
      const stubbed = squash(withoutComments(body ?? '')).replace('{ super(); ', '{ ');
      if (body !== undefined && stubbed !== `{ throw new NotImplementedError('${todo}'); }`) found.push(`${path}: ${todo}`);
    }
  }
  const solutions = join(kitRoot, 'solutions');
  if (!existsSync(solutions)) return found;
  const bodies = allTodos.map((todo) => {
    const body = methodsOf(readFileSync(join(solutions, fileOf(todo)), 'utf8')).get(todo)?.body.slice(1, -1) ?? '';
    const shaped = shape(body);
    return { todo, text: squash(body), shaped: shaped.split(' ').length - 2 >= SHAPED ? shaped : undefined };
  });
  for (const [path, content] of files) {
    if (!/\.(ts|js|md|json|yml)$/.test(path)) continue;
    const text = squash(String(content));
    // Code is compared as tokens too, so that a renamed or reformatted copy is found.
    const shaped = /\.(ts|js)$/.test(path) ? shape(String(content), path.endsWith('.ts')) : undefined;
    for (const { todo, text: body, shaped: tokens } of bodies) {
      const copied = (body && text.includes(body)) || (tokens && shaped?.includes(tokens));
      if (copied && !found.includes(`${path}: ${todo}`)) found.push(`${path}: ${todo}`);
    }
  }
  return found;
}
