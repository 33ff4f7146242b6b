// The instructor's workflow, tried as a new instructor would: release, grade a submission,
// Gradescope, diff and reset, and no solution in anything a student gets.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { methodsOf } from '../grader/source.ts';
import { allTodos, fileOf, required, stages } from '../grader/stages.ts';
import { kitRoot } from '../grader/target.ts';
import { grade, gradeJson, solution, studentFolder } from './helpers.ts';

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
/** Every solution body of a TODO, without its braces, whitespace folded. */
const solutionBodies = allTodos.map((todo) => [todo, squash(methodsOf(solution(fileOf(todo))).get(todo)!.body.slice(1, -1))] as const);

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (entry === '.git' || entry === 'node_modules' || entry === 'dist') return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** The solution bodies that `text` contains: none, for anything a student gets. */
const leaks = (text: string) => solutionBodies.filter(([, body]) => squash(text).includes(body)).map(([todo]) => todo);
const inFolder = (cwd: string, cmd: string, args: string[]) =>
  spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
const temp = (name: string) => mkdtempSync(join(tmpdir(), `${name}-`));
const sh = (cwd: string, cmd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });

describe('grade release <dir>', () => {
  const dir = join(temp('release'), 'student-kit');

  it('writes the student kit, without solutions, kit tests, benchmarks or hidden checks', async () => {
    const { code, stdout } = await grade(['release', dir, '--git']);
    expect(code).toBe(0);
    expect(stdout).toContain('Wrote the student kit');
    for (const part of ['exercises/engine.ts', 'exercises/nn.ts', 'grader/stages.ts', 'grader/suites/01-add.test.ts', 'bin/grade.js', 'package.json', 'package-lock.json', 'tsconfig.json', 'README.md', '.github/workflows/classroom.yml']) {
      expect(existsSync(join(dir, part)), part).toBe(true);
    }
    for (const part of ['solutions', 'test', 'bench', 'grader/hidden']) expect(existsSync(join(dir, part)), part).toBe(false);
    expect(sh(dir, 'git', ['log', '--oneline'])).toContain('Student kit');
  });

  it('holds no solution method body in any file', () => {
    const found = filesUnder(dir).flatMap((f) => leaks(readFileSync(f, 'utf8')).map((todo) => `${relative(dir, f)}: ${todo}`));
    expect(found).toEqual([]);
    expect(leaks(solution('engine.ts')).length).toBeGreaterThan(5); // the scan does find bodies where they are
  });

  it('writes a GitHub Classroom workflow with one grader step per stage, from the manifest', () => {
    const yml = readFileSync(join(dir, '.github/workflows/classroom.yml'), 'utf8');
    for (const stage of required) {
      expect(yml).toContain(`test-name: ${stage.id}\n          setup-command: ''\n          command: npx grade ${stage.id} --no-color\n          timeout: ${stage.timeout ?? 2}\n          max-score: ${stage.points}`);
    }
    expect(yml).toContain('classroom-resources/autograding-grading-reporter@v1');
    expect(yml).toContain(`runners: ${required.map((s) => s.id).join(',')}`);
  });

  it('works from a clean install: npm ci, then npx grade and npm test report the first TODO', () => {
    sh(dir, 'npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund']);
    const graded = inFolder(dir, 'npx', ['grade']);
    expect(graded.status).toBe(1);
    expect(graded.stdout).toContain('Next: Value.add in exercises/engine.ts');
    expect(graded.stdout).not.toMatch(/hidden/i);
    expect(inFolder(dir, 'npm', ['test']).stdout).toContain('Next: Value.add');
    // A student's reset restores the released stub and keeps their attempt.
    const engine = join(dir, 'exercises', 'engine.ts');
    const attempt = readFileSync(engine, 'utf8').replace("throw new NotImplementedError('Value.add');", 'return this; // my attempt');
    writeFileSync(engine, attempt);
    const reset = inFolder(dir, 'npx', ['grade', 'reset', 'add']);
    expect(reset.status).toBe(0);
    expect(readFileSync(engine, 'utf8')).toContain("throw new NotImplementedError('Value.add');");
    const saved = reset.stdout.match(/saved in (\S+)\//)![1];
    expect(readFileSync(join(dir, saved, 'engine.ts'), 'utf8')).toBe(attempt);
  }, 240_000);

  it('says plainly that the student edition has no solutions', () => {
    for (const args of [['grade', '--target', 'solutions'], ['grade', 'diff'], ['grade', 'release', 'out']]) {
      const ran = inFolder(dir, 'npx', args);
      expect(ran.status, args.join(' ')).toBe(2);
      expect(ran.stderr, args.join(' ')).toContain('This is the student edition of the kit: it has no solutions/.');
    }
  }, 60_000);

  it('refuses a folder that is not empty, and with --force backs up what it replaces', async () => {
    const target = temp('busy');
    writeFileSync(join(target, 'notes.txt'), 'mine');
    mkdirSync(join(target, 'exercises'));
    writeFileSync(join(target, 'exercises', 'engine.ts'), '// my work');
    const refused = await grade(['release', target]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('is not empty');
    const forced = await grade(['release', target, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(join(target, 'notes.txt'), 'utf8')).toBe('mine');
    const backups = join(target, '.grade', 'backups');
    const [stamp] = readdirSync(backups);
    expect(readFileSync(join(backups, stamp, 'exercises', 'engine.ts'), 'utf8')).toBe('// my work');
    expect(forced.stdout).toContain('.grade/backups');
  });
});

describe('grade release --branch', () => {
  it('writes the kit to a branch, leaving the working tree and the current branch alone, with no solution in it', () => {
    const clone = join(temp('clone'), 'kit');
    sh(kitRoot, 'git', ['clone', '-q', kitRoot, clone]);
    symlinkSync(join(kitRoot, 'node_modules'), join(clone, 'node_modules'));
    cpSync(join(kitRoot, 'dist'), join(clone, 'dist'), { recursive: true });
    const head = sh(clone, 'git', ['rev-parse', '--abbrev-ref', 'HEAD']);
    const before = sh(clone, 'git', ['status', '--porcelain']);
    const out = sh(clone, process.execPath, ['bin/grade.js', 'release', '--branch', 'student']);
    expect(out).toContain('branch student');
    expect(sh(clone, 'git', ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe(head);
    expect(sh(clone, 'git', ['status', '--porcelain'])).toBe(before);
    const files = sh(clone, 'git', ['ls-tree', '-r', '--name-only', 'student']).split('\n');
    expect(files).toContain('exercises/engine.ts');
    expect(files.filter((f) => /^(solutions|test|bench|grader\/hidden)\//.test(f))).toEqual([]);
    const found = files.flatMap((f) => leaks(sh(clone, 'git', ['show', `student:${f}`])).map((t) => `${f}: ${t}`));
    expect(found).toEqual([]);
    expect(() => sh(clone, process.execPath, ['bin/grade.js', 'release', '--branch', 'student'])).toThrow(/already exists/);
    // The branch holds exactly the folder release, which the tests above install and run.
    const folder = join(temp('same'), 'kit');
    sh(clone, process.execPath, ['bin/grade.js', 'release', folder]);
    const released = filesUnder(folder).map((f) => relative(folder, f)).sort();
    expect(files.filter(Boolean).sort()).toEqual(released);
    for (const f of released) expect(sh(clone, 'git', ['show', `student:${f}`]), f).toBe(readFileSync(join(folder, f), 'utf8'));
  }, 60_000);
});

describe('grading a submission', () => {
  it('reads only engine.ts and nn.ts from a whole student kit, so edited tests change nothing', async () => {
    const submission = temp('submission');
    cpSync(studentFolder(required.slice(0, 2).flatMap((s) => s.todos)), join(submission, 'exercises'), { recursive: true });
    mkdirSync(join(submission, 'grader', 'suites'), { recursive: true });
    writeFileSync(join(submission, 'grader', 'suites', '03-pow.test.ts'), "import { it } from 'vitest'; it('passes', () => {});");
    const { report } = await gradeJson(['--target', submission]);
    expect(report.passed).toBe(2);
    expect(report.next).toMatchObject({ stage: 'pow', todo: 'Value.pow' });
  });

  it('shows hidden checks to the instructor, apart from the stages', async () => {
    const { stdout } = await grade(['--target', 'solutions']);
    expect(stdout).toContain('Hidden checks (instructors only): mul 2/2, backward 2/2');
  });

  it('builds a Gradescope bundle whose run_autograder grades a submission with hidden checks', () => {
    const root = temp('autograder');
    const zip = join(root, 'autograder.zip');
    sh(kitRoot, process.execPath, ['bin/grade.js', 'gradescope-bundle', zip]);
    const source = join(root, 'source');
    for (const [path, data] of Object.entries(unzipSync(readFileSync(zip)))) {
      mkdirSync(join(source, path, '..'), { recursive: true });
      writeFileSync(join(source, path), data, { mode: path === 'run_autograder' || path.startsWith('bin/') ? 0o755 : 0o644 });
    }
    expect(existsSync(join(source, 'setup.sh'))).toBe(true);
    expect(existsSync(join(source, 'solutions'))).toBe(false);
    expect(readdirSync(join(source, 'grader', 'hidden')).length).toBeGreaterThan(0);
    // setup.sh would run npm ci; here the kit's installed packages stand in for it.
    symlinkSync(join(kitRoot, 'node_modules'), join(source, 'node_modules'));
    sh(source, process.execPath, [join(kitRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json']);
    // A submission as Gradescope lays it out: the student's files at the top of /autograder/submission.
    const solved = studentFolder(required.slice(0, 5).flatMap((s) => s.todos), (t) => t.replace('this.grad += out.grad;\n      o.grad += out.grad;', 'this.grad += out.grad;\n      o.grad += out.grad;'));
    cpSync(solved, join(root, 'submission'), { recursive: true });
    sh(source, 'bash', ['run_autograder'], { AUTOGRADER_ROOT: root });
    const results = JSON.parse(readFileSync(join(root, 'results', 'results.json'), 'utf8'));
    const byName = Object.fromEntries(results.tests.map((t: { name: string }) => [t.name.split(':')[0] + (t.name.includes('hidden') ? ' hidden' : ''), t]));
    expect(byName.add).toMatchObject({ score: 10, max_score: 10, status: 'passed', visibility: 'visible' });
    expect(byName['mul hidden']).toMatchObject({ score: 5, max_score: 5, status: 'passed', visibility: 'after_published' });
    expect(byName['backward hidden']).toMatchObject({ max_score: 5, visibility: 'after_due_date' });
    expect(byName.neuron).toMatchObject({ score: 0, status: 'failed' });
    const visible = stages.filter((s) => !s.optional).slice(0, 5).reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
    expect(results.score).toBe(visible);
    expect(results.output).toContain('5/7 stages pass');
  }, 120_000);
});

describe('grade diff and grade reset', () => {
  it('diffs each TODO of a submission against the reference, naming the untouched ones', async () => {
    const dir = studentFolder(['Value.add', 'Value.mul'], (t) => t.replace('this.grad += o.data * out.grad', 'this.grad = o.data * out.grad'));
    const { stdout } = await grade(['diff', 'mul', '--target', dir]);
    expect(stdout).toContain('≠ Value.mul:');
    expect(stdout).toContain('-      this.grad += o.data * out.grad;');
    expect(stdout).toContain('+      this.grad = o.data * out.grad;');
    expect(stdout).toContain('· Value.neg: not attempted');
    expect((await grade(['diff', 'add', '--target', dir])).stdout).toContain('= Value.add: same as the reference');
  });

  it('puts a stub back after saving the student’s version, for one TODO or a whole stage', async () => {
    const dir = studentFolder(['Value.add', 'Value.mul', 'Value.neg']);
    const mine = readFileSync(join(dir, 'engine.ts'), 'utf8');
    const { code, stdout } = await grade(['reset', 'Value.mul', '--target', dir]);
    expect(code).toBe(0);
    const now = readFileSync(join(dir, 'engine.ts'), 'utf8');
    expect(methodsOf(now).get('Value.mul')!.body).toContain("throw new NotImplementedError('Value.mul')");
    expect(methodsOf(now).get('Value.add')!.body).not.toContain('NotImplementedError');
    const saved = stdout.match(/saved in (\S+)\//)![1];
    expect(readFileSync(join(kitRoot, saved, 'engine.ts'), 'utf8')).toBe(mine);
    await grade(['reset', 'mul', '--target', dir]);
    expect(methodsOf(readFileSync(join(dir, 'engine.ts'), 'utf8')).get('Value.neg')!.body).toContain('NotImplementedError');
  });

  it('refuses to reset the kit’s own stubs, and names unknown TODOs', async () => {
    expect((await grade(['reset', 'add'])).stderr).toContain('nothing to reset');
    expect((await grade(['reset', 'Value.tanh', '--target', 'solutions'])).stderr).toContain("'Value.tanh' is neither a stage nor a TODO");
  });
});

