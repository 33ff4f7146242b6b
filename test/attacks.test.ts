// Hostile submissions, graded the way an instructor grades (--target with --gradescope): none may
// score beyond what it honestly computes, none may leak the hidden checks, and one that reaches
// into the kit stops the grading instead of changing later grades. Each grading gets a runner of
// its own; the command runs in this process, except where the attack is on the grader's process
// or the kit's files: then it runs as a process of its own in a copy of the kit.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSince, fingerprint } from '../grader/instructor/integrity.ts';
import { kitRoot, readSubmission } from '../grader/kit.ts';
import { transpile } from '../grader/source/transpile.ts';
import { required } from '../grader/stages.ts';
import { scenarios } from '../grader/verify/scenarios.ts';
import { verify } from '../grader/verify/verify.ts';
import { gradeCli, gradeIn, kitCopy, stub, studentFolder, temp, upTo } from './helpers.ts';

const before = fingerprint();
const kit = kitCopy();
const hiddenSuite = readFileSync(join(kit, 'grader', 'hidden', '02-mul.hidden.test.ts'), 'utf8');

/** A submission: the stubs (or these TODOs solved), with code added to engine.ts. */
function submission(code: string, solved: string[] = [], edit = (t: string) => t): string {
  return studentFolder(solved, (text, file) => (file === 'engine.ts' ? `${edit(text)}\n${code}\n` : text));
}

/** Grades as an instructor does; returns the Gradescope results (or undefined) and the run. */
async function gradescope(dir: string, extra: string[] = [], spawned?: { kit: string; env?: NodeJS.ProcessEnv }) {
  const results = join(temp('results'), 'results.json');
  const args = ['--target', dir, '--gradescope', results, ...extra];
  const ran = spawned ? await gradeCli(args, spawned) : await gradeIn(args, { fresh: true });
  const json = existsSync(results) ? JSON.parse(readFileSync(results, 'utf8')) : undefined;
  return { ran, json, score: json?.score as number | undefined };
}

/** The stages that need no other: a submission that fools vitest everywhere is caught at these. */
const roots = required.filter((s) => s.needs.length === 0).map((s) => s.id);
/**
 * The stages that vitest passed and the trusted check then failed: the attack must fool vitest, or
 * its test proves nothing. (The grader checks a stage outside vitest only once its suite passes;
 * a stage whose needs then fail shows that instead.)
 */
const fooled = (json: { tests: { name: string; output: string }[] }) =>
  json.tests.filter((t) => t.output.includes("The grader's own check of this stage, run outside the test runner, disagrees")).map((t) => t.name.split(':')[0]);

describe.concurrent('a submission that forges its results', () => {
  it('scores 0 when it patches Object.is and Math.abs, and add computes nothing', async () => {
    const hollowAdd = (t: string) => t.replace("throw new NotImplementedError('Value.add');", "return new Value(0, [this, other instanceof Value ? other : new Value(other)], '+');");
    const dir = submission('Object.is = () => true;\nMath.abs = () => 0;', [], hollowAdd);
    const { json, score } = await gradescope(dir);
    expect(score).toBe(0);
    expect(fooled(json)).toContain('add');
  });

  it('scores 0 when it flips failed tests to passed from an afterEach hook', async () => {
    const code = "import { afterEach } from 'vitest';\nafterEach(({ task }) => { if (task.result) { task.result.state = 'pass'; task.result.errors = []; } });";
    const { json, score } = await gradescope(submission(code));
    expect(score).toBe(0);
    expect(fooled(json)).toContain('add');
  });

  it("scores 0 when it rewrites what vitest's test thread reports", async () => {
    const code = `const state = (globalThis as any).__vitest_worker__;
const real = state.rpc;
state.rpc = new Proxy(real, {
  get: (target, key) =>
    key === 'onTaskUpdate'
      ? (packs: any[], events: any) => target.onTaskUpdate(packs.map(([id, result, meta]: any[]) => [id, result && { ...result, state: 'pass', errors: undefined }, meta]), events)
      : target[key],
});`;
    const { json, score } = await gradescope(submission(code));
    expect(score).toBe(0);
    expect(fooled(json)).toEqual(roots);
  });

  it('scores 0 when it imports the reference solution, by absolute or relative path', async () => {
    const absolute = temp('absolute');
    writeFileSync(join(absolute, 'engine.ts'), `export * from '${join(kit, 'solutions', 'engine.ts')}';\n`);
    writeFileSync(join(absolute, 'nn.ts'), `export * from '${join(kit, 'solutions', 'nn.ts')}';\n`);
    const relative = join(kit, 'submissions', 'eve');
    mkdirSync(relative, { recursive: true });
    writeFileSync(join(relative, 'engine.ts'), "export * from '../../solutions/engine.ts';\n");
    writeFileSync(join(relative, 'nn.ts'), "export * from '../../solutions/nn.ts';\n");
    const [a, r] = await Promise.all([gradescope(absolute), gradescope(relative)]);
    expect(a.score).toBe(0);
    expect(fooled(a.json)).toEqual(roots);
    expect(r.score).toBe(0);
  });

  it('passes the visible suites by special-casing their inputs, and still scores nothing for that stage', async () => {
    // Right for the whole numbers the visible checks use, wrong for any other.
    const dir = studentFolder(upTo('mul'), (t, file) => (file === 'engine.ts' ? t.replace('this.grad += o.data * out.grad;', 'this.grad += Number.isInteger(o.data) ? o.data * out.grad : 0;') : t));
    const { json } = await gradescope(dir);
    const mul = json.tests.find((t: { name: string }) => t.name.startsWith('mul:'));
    expect(mul).toMatchObject({ score: 0, status: 'failed' });
    expect(fooled(json), JSON.stringify(json.tests.map((t: { output: string }) => t.output))).toEqual(['mul']);
    expect(json.tests.find((t: { name: string }) => t.name.startsWith('add:')).score).toBe(10);
  });

  it('scores 0 when it ends the test process with process.reallyExit(0)', async () => {
    expect((await gradescope(submission('(process as any).reallyExit(0);'))).score).toBe(0);
  });

  it('is stopped at the time limit when a loop keeps writing to the progress file', async () => {
    const loop = "{\n    const file = inject('gradeProgress');\n    for (let n = 1; ; n++) writeFileSync(file, JSON.stringify({ n, suite: '01-add.test.ts', todo: 'Value.add', test: 'x', beat: n, printed: 0, lines: 0 }));\n  }";
    const dir = submission("import { inject } from 'vitest';\nimport { writeFileSync } from 'node:fs';", [], (t) => t.replace(/add\(other: Value \| number\): Value \{[^]*?\n {2}\}/, `add(other: Value | number): Value ${loop}`));
    const { ran, score } = await gradescope(dir, ['--time-limit', '3']);
    expect(ran.ms).toBeLessThan(40_000);
    expect(score).toBe(0);
  });

  it('cannot show the hidden checks: a thrown file reaches results.json as one short line', async () => {
    const code = "import { readFileSync } from 'node:fs';";
    const leak = `throw new Error(readFileSync('${join(kit, 'grader', 'hidden', '02-mul.hidden.test.ts')}', 'utf8'));`;
    const { json } = await gradescope(submission(code, [], (t) => t.replace("throw new NotImplementedError('Value.add');", leak)));
    const outputs = json.tests.map((t: { output: string }) => t.output).join('\n');
    expect(outputs).not.toContain(hiddenSuite.split('\n')[2]);
    for (const t of json.tests) for (const line of t.output.split('\n')) expect(line.length).toBeLessThanOrEqual(320);
    expect(json.score).toBe(0);
  });

  it('gets no grade when it kills the grader', async () => {
    // A grader killed outright can't remove its scratch folder: give it one that the test removes.
    const { score } = await gradescope(submission('process.kill(process.ppid, "SIGKILL");'), [], { kit, env: { TMPDIR: temp('tmp') } });
    expect(score ?? 0).toBe(0);
  });
});

describe('after every attack', () => {
  // (The reference's full marks through the same command are in class.test.ts and gradescope.test.ts.)
  it('the kit is as it was: every file that grading runs', () => {
    expect(changedSince(before)).toEqual([]);
  });
});

describe('a submission that reaches into the kit', () => {
  it('stops the grading: no grade for it, and grade class writes no results', async () => {
    const target = kitCopy();
    const suite = join(target, 'grader', 'suites', '01-add.test.ts');
    const code = `import { writeFileSync } from 'node:fs';\nwriteFileSync('${suite}', "import { it } from 'vitest';\\nit('passes', () => {});\\n");`;
    const { ran, json } = await gradescope(submission(code), [], { kit: target });
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain('The kit changed while');
    expect(ran.stderr).toContain('grader/suites/01-add.test.ts');
    expect(json).toBeUndefined();
    // The same in a class: the grading stops at that submission.
    const fresh = kitCopy();
    const classroom = temp('class');
    cpSync(submission(code.replace(suite, join(fresh, 'grader', 'suites', '01-add.test.ts'))), join(classroom, 'mallory'), { recursive: true });
    cpSync(join(fresh, 'solutions'), join(classroom, 'alice'), { recursive: true });
    const csvFile = join(temp('out'), 'grades.csv');
    const graded = await gradeCli(['class', classroom, '--csv', csvFile, '--jobs', '1'], { kit: fresh });
    expect(graded.code).toBe(2);
    expect(graded.stderr).toContain('mallory changed the kit');
    expect(existsSync(csvFile)).toBe(false);
    expect(stub('engine.ts')).toContain('NotImplementedError');
  });
});

describe('the trusted check', () => {
  const ids = required.map((s) => s.id);

  it('passes the reference, and fails every stage of the stubs', async () => {
    const reference = await verify(await transpile(readSubmission(join(kitRoot, 'solutions'))), ids);
    expect(ids.map((id) => [id, reference.stages.get(id)])).toEqual(ids.map((id) => [id, undefined]));
    const stubs = await verify(await transpile(readSubmission(join(kitRoot, 'grader', 'stubs'))), ids);
    for (const id of ids) expect(stubs.stages.get(id), id).toMatch(/NotImplementedError/);
  });

  it('draws new scenarios for every seed, and the child never sees the seed', () => {
    const tasks = (seed: number) => JSON.stringify([...scenarios(ids, seed).values()].flat().map((s) => s.task));
    expect(tasks(1)).toBe(tasks(1));
    expect(tasks(1)).not.toBe(tasks(2));
    expect(tasks(1)).not.toContain('seed');
  });
});
