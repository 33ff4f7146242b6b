// Hostile submissions (test/attacks.ts), graded as an instructor grades: each alone with --target,
// then all together with honest classmates through grade class --jobs 2, in a copy of an
// instructor's kit (solutions/ and hidden checks included) that an attack could damage. Each must
// score at most what its honest part scores alone, stage by stage; the kit, the classmates and the
// files the grader was pointed at must be as they were; and what reaches a person (the report, the
// gradebook) must carry nothing the code under test wrote as control sequences, formulas or links.
// (The same attacks through run_autograder as a second user: gradescope.test.ts.)
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { scenarios } from '../grader/verify/scenarios.ts';
import { verify } from '../grader/verify/verify.ts';
import { transpile } from '../grader/source/transpile.ts';
import { readSubmission } from '../grader/kit.ts';
import { required } from '../grader/stages.ts';
import { attackFolder, attacks, honestFolder, snapshot } from './attacks.ts';
import { gradeCli, kitCopy, solution, studentFolder, temp } from './helpers.ts';

const kit = kitCopy();
const kitBefore = snapshot(kit);
const fullMarks = required.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
/** Lines of the reference and the hidden checks that no output may carry. */
const secrets = ['this._mark = pass', "check('keeps full precision for large and tiny operands'", 'const nextChild: number[] = [0];'];

type Graded = { score: { total: number }; stages: { id: string; points: number }[]; note: string };
const points = (report: Graded) => Object.fromEntries(report.stages.map((s) => [s.id, s.points]));

async function graded(dir: string, extra: string[] = []) {
  const ran = await gradeCli(['--target', dir, '--json', ...extra], { kit });
  expect(ran.code, ran.stderr).toBeLessThan(2);
  return { ran, report: JSON.parse(ran.stdout) as Graded };
}

describe.concurrent('an attack, graded with --target', () => {
  it.each(attacks.map((a) => [a.name, a] as const))('%s scores only what its honest part earns', async (_name, attack) => {
    const [{ ran, report }, honest] = await Promise.all([graded(attackFolder(attack, kit), ['--time-limit', '8']), graded(honestFolder(attack))]);
    for (const stage of required) expect(points(report)[stage.id], `${stage.id}: ${report.note}`).toBeLessThanOrEqual(points(honest.report)[stage.id]);
    expect(report.score.total).toBeLessThanOrEqual(honest.report.score.total);
    // Not a speed check: a loop that bumps the test counter, or a process holding a pipe, still ends.
    expect(ran.ms).toBeLessThan(60_000);
    for (const secret of secrets) expect(ran.stdout).not.toContain(secret);
  });

  it('shows a thrown error’s text without its escape sequences in the report a person reads', async () => {
    const attack = attacks.find((a) => a.name.startsWith('terminal escapes'))!;
    const ran = await gradeCli(['--target', attackFolder(attack, kit)], { kit, env: { FORCE_COLOR: '0' } });
    expect(ran.stdout).toContain('Your code threw Error:');
    expect(ran.stdout).not.toMatch(/[\u001b\u0007]/);
  });

  it('refuses a file that is a symbolic link: the submission is malformed, and nothing it points at is read', async () => {
    const dir = temp('linked');
    symlinkSync(join(kit, 'solutions', 'engine.ts'), join(dir, 'engine.ts'));
    writeFileSync(join(dir, 'nn.ts'), solution('nn.ts'));
    const ran = await gradeCli(['--target', dir, '--json'], { kit });
    expect(ran.code).toBe(1);
    expect(ran.stderr).toContain('The submission is malformed, so nothing in it was graded: engine.ts is a symbolic link');
    expect(ran.stdout).not.toContain('_mark');
  });
});

describe('attacks in a class, graded together with honest classmates (grade class --jobs 2)', () => {
  it('score only what they earn, and leave the kit, the classmates and the files they point at as they were', async () => {
    const folder = temp('class');
    attacks.forEach((attack, i) => {
      cpSync(attackFolder(attack, kit), join(folder, `attack-${i}`), { recursive: true });
      cpSync(honestFolder(attack), join(folder, `honest-${i}`), { recursive: true });
    });
    // Honest classmates, some with names a spreadsheet would take for formulas.
    const reference = studentFolder(required.flatMap((s) => s.todos));
    for (const name of ['ref', '=1+1', '+SUM(A1)', '@cmd', '-2']) cpSync(reference, join(folder, name), { recursive: true });
    // A .grade/ of its own, with links to the kit: the grader never reads or writes a submission's .grade/.
    const dotted = join(folder, 'dotted');
    cpSync(reference, dotted, { recursive: true });
    mkdirSync(join(dotted, '.grade'));
    symlinkSync(join(kit, 'dist', 'grader', 'kit.js'), join(dotted, '.grade', 'state.json'));
    symlinkSync(join(kit, 'dist'), join(dotted, '.grade', 'cache'));
    symlinkSync(join(kit, 'dist'), join(dotted, '.grade', 'backups'));
    const folderBefore = snapshot(folder);

    const out = temp('out');
    const files = { csv: join(out, 'grades.csv'), report: join(out, 'report.md') };
    const ran = await gradeCli(['class', folder, '--jobs', '2', '--csv', files.csv, '--report', files.report, '--json', '--time-limit', '8'], { kit });
    expect(ran.code, ran.stderr).toBe(0);
    const { rows } = JSON.parse(ran.stdout) as { rows: (Graded & { name: string; total: number; stages: Record<string, { points: number }> })[] };
    const row = (name: string) => rows.find((r) => r.name === name)!;
    attacks.forEach((attack, i) => {
      const [attacked, honest] = [row(`attack-${i}`), row(`honest-${i}`)];
      for (const stage of required) expect(attacked.stages[stage.id].points, `${attack.name}: ${stage.id}`).toBeLessThanOrEqual(honest.stages[stage.id].points);
    });
    for (const name of ['ref', '=1+1', '+SUM(A1)', '@cmd', '-2', 'dotted']) expect(row(name).total, `${name}: ${row(name).note}`).toBe(fullMarks);
    expect(snapshot(kit)).toEqual(kitBefore);
    expect(snapshot(folder)).toEqual(folderBefore);

    // What reaches a person: no formula, no control sequence, no HTML or link from a submission.
    const csv = readFileSync(files.csv, 'utf8');
    for (const name of ['=1+1', '+SUM(A1)', '@cmd', '-2']) expect(csv).toContain(`\n'${name},`);
    expect(csv).not.toMatch(/[\u001b\u0007]/);
    const report = readFileSync(files.report, 'utf8');
    expect(report).not.toMatch(/[\u001b\u0007]|<img|\]\(javascript:/);
    for (const secret of secrets) expect(ran.stdout + csv + report).not.toContain(secret);
  }, 300_000);
});

describe('the trusted check', () => {
  const ids = required.map((s) => s.id);

  it('passes the reference, and fails every stage of the stubs', async () => {
    const reference = await verify(await transpile(readSubmission(join(kitRoot, 'solutions'))), ids);
    expect(ids.map((id) => [id, reference.stages.get(id)])).toEqual(ids.map((id) => [id, undefined]));
    const stubs = await verify(await transpile(readSubmission(join(kitRoot, 'grader', 'stubs'))), ids);
    for (const id of ids) expect(stubs.stages.get(id), id).toMatch(/NotImplementedError/);
  });

  it('draws new scenarios for every seed, the same for the same seed, and the child never sees the seed', () => {
    const tasks = (seed: number) => JSON.stringify([...scenarios(ids, seed).values()].flat().map((s) => s.task));
    expect(tasks(1)).toBe(tasks(1));
    expect(tasks(1)).not.toBe(tasks(2));
    expect(tasks(1)).not.toContain('seed');
  });

  it('catches code that is right only on the suites’ own numbers, and replays that verdict exactly from its seed', async () => {
    // Right for the whole numbers the visible checks use, wrong for any other.
    const dir = studentFolder(required.slice(0, 4).flatMap((s) => s.todos), (t) => t.replace('this.grad += o.data * out.grad;', 'this.grad += Number.isInteger(o.data) ? o.data * out.grad : 0;'));
    const first = await graded(dir);
    const mul = first.report.stages.find((s) => s.id === 'mul') as unknown as { points: number; failures: { message: string }[] };
    expect(mul.points).toBe(0);
    expect(mul.failures[0].message).toMatch(/^The grader's own check of this stage, on numbers of its own, found a mistake: x0 = Value\(-?\d/);
    const seed = (first.report as unknown as { seed: number }).seed;
    const again = await graded(dir, ['--seed', String(seed)]);
    expect(again.ran.stdout).toBe(first.ran.stdout);
  });
});
