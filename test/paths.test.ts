// The paths people really take, with the real commands: a fresh copy of the kit at a new path
// installed with a type error already in it, a first `npx grade` there, reset in a clone,
// releases from a kit whose exercises are solved, and Gradescope's run_autograder where
// Gradescope runs it.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { methodsOf, spliceBodies } from '../grader/source/source.ts';
import { allTodos, fileOf, required, stages } from '../grader/stages.ts';
import { read, run, solution, stub, studentFolder, temp, upTo } from './helpers.ts';

const npm = (cwd: string, args: string[]) => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd, timeout: 180_000 });
const npx = (cwd: string, args: string[]) => run('npx', args, { cwd });
const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** This kit's files as a fresh clone would hold them (what git tracks or would add), at a new path. */
function freshCopy(): string {
  const dir = join(temp('clone'), 'kit');
  for (const file of git(kitRoot, ['ls-files', '-co', '--exclude-standard']).split('\n').filter((f) => existsSync(join(kitRoot, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(kitRoot, file), join(dir, file));
  }
  return dir;
}

/** The issue's own example: `other.data` where other may be a number, a type error. */
const typeError = (text: string) => text.replace("throw new NotImplementedError('Value.add');", "return new Value(this.data + other.data, [this, other], '+');");

/** Whether the user exists, after trying to create it (as root, with useradd). */
function userExists(name: string): boolean {
  try {
    execFileSync('bash', ['-c', `id ${name} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (['.git', 'node_modules', '.grade'].includes(entry)) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('a new copy of the kit, with a broken exercise before anything ran', () => {
  const kit = freshCopy();
  writeFileSync(join(kit, 'exercises', 'engine.ts'), typeError(stub('engine.ts')));
  rmSync(join(kit, 'exercises', 'nn.ts'));

  it('installs: npm install never type-checks the student’s files', async () => {
    const installed = await npm(kit, ['install']);
    expect(installed.stderr + installed.stdout).not.toMatch(/error TS/);
    expect(installed.code).toBe(0);
  }, 240_000);

  it('answers the first npx grade there with the normal report and the type error as a warning', async () => {
    const { code, stdout, stderr } = await npx(kit, ['grade']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: Value\.add in exercises\/engine\.ts:\d+/);
    // The type check may take as long as the suites took; on a starved machine it says it is still
    // running, and the next run shows its warnings.
    const warnings = stdout.includes('The type check is still running') ? (await npx(kit, ['grade'])).stdout : stdout;
    expect(warnings).toMatch(/⚠ \d+ type errors? \(tsc, strict mode\)[^]*exercises\/engine\.ts:\d+:\d+ Property 'data' does not exist on type 'number \| Value'/);
    // npx keeps what it installed for this path: the next run works the same.
    expect((await npx(join(kit, 'exercises'), ['grade', 'add'])).stdout).toContain('Next: Value.add');
  }, 120_000);

  it('resets a TODO in the clone’s exercises/, keeping the student’s version in the clone', async () => {
    const mine = read(join(kit, 'exercises', 'engine.ts'));
    const { code, stdout } = await npx(kit, ['grade', 'reset', 'Value.add']);
    expect(code).toBe(0);
    expect(read(join(kit, 'exercises', 'engine.ts'))).toBe(stub('engine.ts'));
    const saved = stdout.match(/saved in (\S+)\//)![1];
    expect(read(join(kit, saved, 'engine.ts'))).toBe(mine);
    expect(saved.startsWith('.grade/backups/')).toBe(true);
  });
});

describe('grade release', () => {
  const kit = freshCopy();
  symlinkSync(join(kitRoot, 'node_modules'), join(kit, 'node_modules'));
  cpSync(join(kitRoot, 'dist'), join(kit, 'dist'), { recursive: true });
  // The instructor tried the exercises before releasing.
  for (const file of ['engine.ts', 'nn.ts']) writeFileSync(join(kit, 'exercises', file), solution(file));
  const grade = (args: string[], cwd = kit) => run(process.execPath, [join(kit, 'bin', 'grade.js'), ...args], { cwd });
  const out = join(temp('release'), 'student-kit');

  it('ships the pristine stubs, never the instructor’s solved exercises/', async () => {
    const { code, stdout } = await grade(['release', out, '--git']);
    expect(stdout).toContain('Wrote the student kit');
    expect(code).toBe(0);
    for (const file of ['engine.ts', 'nn.ts']) {
      expect(read(join(out, 'exercises', file))).toBe(stub(file));
      expect(read(join(out, 'grader', 'stubs', file))).toBe(stub(file));
    }
    for (const part of ['solutions', 'test', 'bench', 'grader/hidden']) expect(existsSync(join(out, part)), part).toBe(false);
    expect(existsSync(join(out, 'dist', 'grader', 'cli', 'main.js'))).toBe(true);
    expect(JSON.parse(read(join(out, 'package.json'))).scripts.prepare).toBeUndefined();
    expect(git(out, ['ls-files'])).toContain('dist/grader/cli/main.js');
  });

  it('holds no solution method body in any file', () => {
    const squash = (s: string) => s.replace(/\s+/g, ' ').trim();
    const bodies = allTodos.map((todo) => [todo, squash(methodsOf(solution(fileOf(todo))).get(todo)!.body.slice(1, -1))] as const);
    const found = filesUnder(out).flatMap((f) => bodies.filter(([, body]) => squash(read(f)).includes(body)).map(([todo]) => `${relative(out, f)}: ${todo}`));
    expect(found).toEqual([]);
    // The scan does find bodies where they are.
    expect(bodies.filter(([, body]) => squash(solution('engine.ts')).includes(body)).length).toBeGreaterThan(5);
  });

  it('refuses, whatever the flags, when the stubs themselves hold an answer', async () => {
    const stubs = join(kit, 'grader', 'stubs', 'engine.ts');
    writeFileSync(stubs, spliceBodies(stub('engine.ts'), solution('engine.ts'), ['Value.mul']));
    for (const args of [['release', join(temp('refused'), 'a')], ['release', join(temp('refused'), 'b'), '--force'], ['release', '--branch', 'student', '--force']]) {
      const refused = await grade(args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toContain('The release would hold answers, so nothing was written');
      expect(refused.stderr).toContain('grader/stubs/engine.ts: Value.mul');
    }
    expect(() => git(kit, ['rev-parse', '--verify', '-q', 'refs/heads/student'])).toThrow();
    writeFileSync(stubs, stub('engine.ts'));
  });

  it('works from a clean install: npm ci, a type error, then a first npx grade, npm test and reset', async () => {
    expect((await npm(out, ['ci'])).code).toBe(0);
    const engine = join(out, 'exercises', 'engine.ts');
    writeFileSync(engine, typeError(read(engine)));
    const graded = await npx(out, ['grade']);
    expect(graded.code).toBe(1);
    expect(graded.stdout).toContain('Next: Value.add in exercises/engine.ts');
    const warned = graded.stdout.includes('The type check is still running') ? (await npx(out, ['grade'])).stdout : graded.stdout;
    expect(warned).toMatch(/⚠ \d+ type errors?/);
    expect(graded.stdout).not.toMatch(/hidden/i);
    expect((await npm(out, ['test'])).stdout).toContain('Next: Value.add');
    const reset = await npx(out, ['grade', 'reset', 'add']);
    expect(reset.code).toBe(0);
    expect(read(engine)).toBe(stub('engine.ts'));
    for (const args of [['grade', '--target', 'solutions'], ['grade', 'diff'], ['grade', 'release', 'out']]) {
      const ran = await npx(out, args);
      expect(ran.code, args.join(' ')).toBe(2);
      expect(ran.stderr, args.join(' ')).toContain('This is the student edition of the kit: it has no solutions/.');
    }
  }, 240_000);

  it('writes the same tree to a branch, leaving the working tree and the current branch alone', async () => {
    git(kit, ['init', '-q', '-b', 'main']);
    git(kit, ['add', '-A']);
    git(kit, ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'kit']);
    const before = git(kit, ['status', '--porcelain']);
    const { stdout } = await grade(['release', '--branch', 'student']);
    expect(stdout).toContain('branch student');
    expect(git(kit, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(git(kit, ['status', '--porcelain'])).toBe(before);
    const onBranch = git(kit, ['ls-tree', '-r', '--name-only', 'student']).split('\n').sort();
    const inFolder = filesUnder(out).map((f) => relative(out, f)).sort();
    expect(onBranch).toEqual(inFolder.filter((f) => !f.startsWith('.grade/')));
    expect(git(kit, ['show', 'student:exercises/engine.ts'])).toBe(stub('engine.ts').trimEnd());
    expect((await grade(['release', '--branch', 'student'])).stderr).toContain('already exists');
  }, 120_000);

  it('writes a GitHub Classroom workflow on current Node, one grader step per stage, from the manifest', () => {
    const yml = read(join(out, '.github/workflows/classroom.yml'));
    expect(yml).toContain('node-version: 24');
    for (const stage of required) {
      expect(yml).toContain(`test-name: ${stage.id}\n          setup-command: ''\n          command: npx grade ${stage.id} --no-color\n          timeout: ${stage.timeout ?? 2}\n          max-score: ${stage.points}`);
    }
  });
});

describe('the Gradescope bundle', () => {
  // As on Gradescope: run_autograder runs as root and the student's code as another user, when the
  // tests run as root; otherwise everything runs as this user.
  const user = 'grade-student';
  const asRoot = process.getuid?.() === 0 && userExists(user);

  it('grades where Gradescope runs it: /autograder/run_autograder, started from /autograder', async () => {
    const root = temp('autograder');
    chmodSync(root, 0o755);
    const zip = join(root, 'autograder.zip');
    expect((await run(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'gradescope-bundle', zip])).code).toBe(0);
    const source = join(root, 'source');
    for (const [path, data] of Object.entries(unzipSync(readFileSync(zip)))) {
      mkdirSync(dirname(join(source, path)), { recursive: true });
      writeFileSync(join(source, path), data);
    }
    expect(read(join(source, 'setup.sh'))).toContain('setup_24.x');
    expect(read(join(source, 'setup.sh'))).toContain('useradd');
    expect(existsSync(join(source, 'solutions'))).toBe(false);
    expect(readdirSync(join(source, 'grader', 'hidden')).length).toBeGreaterThan(0);
    // setup.sh would run npm ci; the kit's installed packages stand in for it. Nothing is built.
    symlinkSync(join(kitRoot, 'node_modules'), join(source, 'node_modules'));
    cpSync(join(source, 'run_autograder'), join(root, 'run_autograder'));
    chmodSync(join(root, 'run_autograder'), 0o755);
    const results = join(root, 'results', 'results.json');
    const score = async (submission: string) => {
      rmSync(join(root, 'submission'), { recursive: true, force: true });
      cpSync(submission, join(root, 'submission'), { recursive: true });
      rmSync(results, { force: true });
      const ran = await run(join(root, 'run_autograder'), [], { cwd: root, env: { AUTOGRADER_ROOT: root, GRADE_RUN_AS: user } });
      expect(ran.code, ran.stderr).toBe(0);
      return JSON.parse(read(results));
    };
    const full = stages.filter((s) => !s.optional).reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
    expect((await score(join(kitRoot, 'solutions'))).score).toBe(full);
    const stubs = await score(studentFolder([]));
    expect(stubs.score).toBe(0);
    expect(stubs.tests.reduce((sum: number, t: { max_score: number }) => sum + t.max_score, 0)).toBe(full);
    const partial = await score(studentFolder(upTo('backward')));
    const byName = Object.fromEntries(partial.tests.map((t: { name: string }) => [t.name.split(':')[0] + (t.name.includes('hidden') ? ' hidden' : ''), t]));
    expect(byName.add).toMatchObject({ score: 10, max_score: 10, status: 'passed', visibility: 'visible' });
    expect(byName['mul hidden']).toMatchObject({ score: 5, max_score: 5, visibility: 'after_published' });
    expect(byName['backward hidden']).toMatchObject({ max_score: 5, visibility: 'after_due_date' });
    expect(byName.neuron).toMatchObject({ score: 0, status: 'failed' });
    expect(partial.output).toContain('5/7 stages pass');
    if (!asRoot) return;
    // As the other user, the student's code can neither write results.json later nor touch the kit.
    const late = studentFolder([], (t, file) =>
      file === 'engine.ts'
        ? `import { spawn } from 'node:child_process';\nimport { writeFileSync } from 'node:fs';\ntry { writeFileSync('${join(source, 'grader', 'suites', '01-add.test.ts')}', ''); } catch {}\nspawn('sh', ['-c', 'sleep 2; echo {\\"score\\":110} > ${results}'], { detached: true, stdio: 'ignore' }).unref();\n${t}`
        : t,
    );
    expect((await score(late)).score).toBe(0);
    await new Promise((r) => setTimeout(r, 3000));
    expect(JSON.parse(read(results)).score).toBe(0);
    expect(read(join(source, 'grader', 'suites', '01-add.test.ts')).length).toBeGreaterThan(100);
  }, 180_000);
});
