// Releases from a kit whose exercises are solved: to a folder, then installed with `npm ci` and
// used as a student would; to a branch; and refused when the stubs hold an answer.
import { cpSync, existsSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { methodsOf, spliceBodies } from '../grader/source/source.ts';
import { allTodos, fileOf, required } from '../grader/stages.ts';
import { read, run, solution, stub, temp } from './helpers.ts';
import { forgetNpx, freshCopy, git, npm, npx, typeError } from './paths.ts';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (['.git', 'node_modules', '.grade'].includes(entry)) return [];
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('grade release', () => {
  const kit = freshCopy();
  symlinkSync(join(kitRoot, 'node_modules'), join(kit, 'node_modules'));
  cpSync(join(kitRoot, 'dist'), join(kit, 'dist'), { recursive: true });
  // The instructor tried the exercises before releasing.
  for (const file of ['engine.ts', 'nn.ts']) writeFileSync(join(kit, 'exercises', file), solution(file));
  const grade = (args: string[], cwd = kit, from = kit) => run(process.execPath, [join(from, 'bin', 'grade.js'), ...args], { cwd });
  const out = join(temp('release'), 'student-kit');
  afterAll(() => forgetNpx(out));

  it('ships the pristine stubs, never the instructor’s solved exercises/', async () => {
    const { code, stdout } = await grade(['release', out, '--git']);
    expect(stdout).toContain('Wrote the student kit');
    expect(code).toBe(0);
    for (const file of ['engine.ts', 'nn.ts']) {
      expect(read(join(out, 'exercises', file))).toBe(stub(file));
      expect(read(join(out, 'grader', 'stubs', file))).toBe(stub(file));
    }
    for (const part of ['solutions', 'test', 'bench', 'grader/hidden', 'grader/verify', 'dist/grader/hidden', 'dist/grader/verify', 'dist/bench']) expect(existsSync(join(out, part)), part).toBe(false);
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

  it('works from a clean install: npm ci, a type error, then a first npx grade, reset, and npm test', async () => {
    expect((await npm(out, ['ci'])).code).toBe(0);
    const engine = join(out, 'exercises', 'engine.ts');
    writeFileSync(engine, typeError(read(engine)));
    const graded = await npx(out, ['grade']);
    expect(graded.code).toBe(1);
    expect(graded.stdout).toContain('Next: Value.add in exercises/engine.ts');
    // On a busy machine the type check may still run when the verdict is ready: its warnings come with a later run.
    let warned = graded.stdout;
    for (let tries = 0; tries < 3 && warned.includes('come with your next npx grade'); tries++) warned = (await npx(out, ['grade'])).stdout;
    expect(warned).toMatch(/⚠ \d+ type errors?/);
    // The hidden checks are named as left out, never shown.
    expect(graded.stdout).toContain("Your instructor's grading adds hidden checks, worth 10 more points.");
    expect(graded.stdout).not.toContain('Hidden checks (instructors only)');
    const reset = await npx(out, ['grade', 'reset', 'add']);
    expect(reset.code).toBe(0);
    expect(read(engine)).toBe(stub('engine.ts'));
    // The student's own type check covers their files and the examples, not the grader's left-out parts.
    const typecheck = await npm(out, ['run', 'typecheck']);
    expect(typecheck.code, typecheck.stdout).toBe(0);
    // The instructor's commands, by the same bin/grade.js that npx ran, and through `npm test`,
    // which the student README gives as the same as npx grade.
    const asInstructor = [run('npm', ['test', '--', '--target', 'solutions'], { cwd: out }), grade(['diff'], out, out), grade(['release', 'out'], out, out)];
    for (const ran of await Promise.all(asInstructor)) {
      expect(ran.code, ran.stderr).not.toBe(0);
      expect(ran.stderr).toContain('This is the student edition of the kit: it has no solutions/.');
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

  it('refuses, whatever the flags, when the stubs themselves hold an answer', async () => {
    const stubs = join(kit, 'grader', 'stubs', 'engine.ts');
    const branch = git(kit, ['rev-parse', 'student']);
    writeFileSync(stubs, spliceBodies(stub('engine.ts'), solution('engine.ts'), ['Value.mul']));
    for (const args of [['release', join(temp('refused'), 'a')], ['release', join(temp('refused'), 'b'), '--force'], ['release', '--branch', 'student', '--force']]) {
      const refused = await grade(args);
      expect(refused.code, args.join(' ')).toBe(2);
      expect(refused.stderr, args.join(' ')).toContain('The release would hold answers, so nothing was written');
      expect(refused.stderr).toContain('grader/stubs/engine.ts: Value.mul');
    }
    expect(git(kit, ['rev-parse', 'student'])).toBe(branch);
    writeFileSync(stubs, stub('engine.ts'));
  });

  it('writes a GitHub Actions workflow on current actions and Node 24 that installs and runs npx grade --json, and no retired Classroom action', () => {
    const yml = read(join(out, '.github/workflows/grade.yml'));
    for (const line of ['uses: actions/checkout@v7', 'uses: actions/setup-node@v7', 'node-version: 24', 'run: npm ci', 'run: npx grade --json']) expect(yml).toContain(line);
    expect(yml).not.toMatch(/classroom-resources|@v4\b/);
    expect(existsSync(join(out, '.github/workflows/classroom.yml'))).toBe(false);
  });

  it('in GitHub Actions, the grading step writes the job summary and an annotation at the next TODO, and fails the job', async () => {
    // The workflow's own command, run as its step runs it: in the kit, with Actions' environment.
    const step = /- name: Grade\n\s+run: (.+)/.exec(read(join(out, '.github/workflows/grade.yml')))![1];
    const summary = join(temp('actions'), 'summary.md');
    const env = { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_WORKSPACE: out, CI: 'true' };
    const ran = await run('sh', ['-c', step], { cwd: out, env });
    expect(ran.code).toBe(1);
    expect(JSON.parse(ran.stdout).next.todo).toBe('Value.add');
    const line = methodsOf(stub('engine.ts')).get('Value.add')!.line;
    expect(ran.stderr).toContain(`::error file=exercises/engine.ts,line=${line},title=Next%3A Value.add (stage add)::returns a new Value holding the sum%0AValue.add is not started yet`);
    const page = read(summary);
    expect(page).toContain('| add | ✗ not started | 0/10 |');
    expect(page).toContain('### Next: `Value.add` in `exercises/engine.ts:');
    expect(page).toMatch(/\*\*Hint:\*\* \S/);
    expect(page).toContain('Hidden checks: 10 more points, in your instructor\'s grading only');
    expect(page).toContain('not a grade');
  }, 120_000);

  it("gives Classroom 50 tests that exit 0 exactly when the stage scores, with the manifest's points", async () => {
    const dir = temp('classroom50');
    expect((await grade(['classroom50', dir])).code).toBe(0);
    const { tests } = JSON.parse(read(join(dir, 'tests.json')));
    // One bug: mul with = instead of +=. pow, neuron and mlp are blocked by it, yet score on their own.
    writeFileSync(join(out, 'exercises', 'engine.ts'), solution('engine.ts').replace(/(grad) \+= (o\.data \* out\.grad)/, '$1 = $2'));
    writeFileSync(join(out, 'exercises', 'nn.ts'), solution('nn.ts'));
    const json = JSON.parse((await npx(out, ['grade', '--json'])).stdout);
    const scored = Object.fromEntries(json.stages.map((s: { id: string; scored: boolean }) => [s.id, s.scored]));
    expect(scored).toEqual({ add: true, mul: false, pow: true, relu: true, backward: false, neuron: true, mlp: true });
    for (const test of tests.filter((t: { name: string }) => t.name !== 'install' && !t.name.startsWith('bonus'))) {
      const id = test.run.split(' ')[2];
      const ran = await run('sh', ['-c', test.run], { cwd: out });
      expect(ran.code === 0, `${test.run} exited ${ran.code}`).toBe(scored[id]);
      expect(test.points).toBe(required.find((s) => s.id === id)!.points);
    }
    const earned = tests.filter((t: { run: string }) => scored[t.run.split(' ')[2]]).reduce((sum: number, t: { points: number }) => sum + t.points, 0);
    expect(earned).toBe(json.score.points);
    for (const file of ['engine.ts', 'nn.ts']) writeFileSync(join(out, 'exercises', file), stub(file));
  }, 240_000);

  it('uses a hint edited in the manifest at once: the instructor’s grade builds the grader again first', async () => {
    const manifest = join(kit, 'grader', 'stages.ts');
    const before = read(manifest);
    writeFileSync(manifest, before.replace("'Build `out` from the sum", "'Edited: build `out` from the sum"));
    const hint = await grade(['hint', 'add']);
    expect(hint.stderr).toBe('Rebuilt the grader: grader/stages.ts changed since its last build.\n');
    expect(hint.stdout).toContain('1. Edited: build `out` from the sum');
    expect((await grade(['hint', 'add'])).stderr).toBe('');
    writeFileSync(manifest, before);
  });
});
