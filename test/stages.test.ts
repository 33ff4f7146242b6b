// The stages are real: the solutions pass them all, the stubs fail them all, and each stage
// passes once exactly the earlier stages are solved, and no sooner. One warm runner grades
// every folder here, in this process.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitRoot, locateTarget } from '../grader/kit.ts';
import { buildReport, type Report } from '../grader/report/report.ts';
import { methodsOf } from '../grader/source/source.ts';
import { required } from '../grader/stages.ts';
import { gradedHere, gradeHere, gradeIn, read, studentFolder, temp, upTo } from './helpers.ts';

const statuses = (report: Report) => Object.fromEntries(report.stages.map((s) => [s.id, s.status]));
const first = (report: Report) => report.stages.find((s) => s.id === report.next?.stage)!.failures[0];
// A copy, so that grading the reference writes nothing into the kit.
const solutions = temp('reference');
cpSync(join(kitRoot, 'solutions'), solutions, { recursive: true });
const all = required.flatMap((s) => s.todos);

describe('the staged suites', () => {
  it('all pass on solutions/', async () => {
    const report = await gradeHere(solutions);
    expect(report.stages.map((s) => [s.id, s.status, s.failures.length])).toEqual(required.map((s) => [s.id, 'passed', 0]));
    expect(report.next).toBeNull();
  });

  it('all fail on the untouched stubs, with NotImplementedError of a TODO they cover', async () => {
    const report = await gradeHere(studentFolder([]));
    for (const stage of required) {
      const { failures, own } = report.stages.find((s) => s.id === stage.id)!;
      expect(own, stage.id).toBe('failed');
      for (const f of failures) expect(f.message, `${stage.id}: ${f.message}`).toMatch(/is not started yet: it still throws NotImplementedError/);
      expect(failures.some((f) => stage.todos.includes(f.todo)), stage.id).toBe(true);
    }
    expect(report.next).toMatchObject({ stage: 'add', todo: 'Value.add', line: methodsOf(read(join(kitRoot, 'grader', 'stubs', 'engine.ts'))).get('Value.add')!.line });
  });

  describe.each(required.map((stage, i) => [stage.id, i] as const))('with the stages before %s solved', (id, i) => {
    it(`passes every earlier stage and fails at ${id}, pointing at its first TODO`, async () => {
      const report = await gradeHere(studentFolder(required.slice(0, i).flatMap((s) => s.todos)));
      const status = statuses(report);
      for (const earlier of required.slice(0, i)) expect(status[earlier.id], earlier.id).toBe('passed');
      expect(status[id]).toBe('failed');
      expect(report.next).toMatchObject({ stage: id, todo: required[i].todos[0] });
    });
  });

  it('the deep bonus stage passes on solutions/ and fails a recursive backward, saying why', async () => {
    expect((await gradeHere(solutions, 'deep')).stages.at(-1)).toMatchObject({ id: 'deep', status: 'passed' });
    const recursive = `{
    const topo: Value[] = [];
    const visited = new Set<Value>();
    const build = (v: Value) => {
      if (visited.has(v)) return;
      visited.add(v);
      for (const child of v._prev) build(child);
      topo.push(v);
    };
    build(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }`;
    const all = required.flatMap((s) => s.todos).filter((t) => t !== 'Value.backward');
    const dir = studentFolder(all, (text, file) => (file === 'engine.ts' ? text.replace(/backward\(\): void \{[^]*?\n {2}\}/, `backward(): void ${recursive}`) : text));
    expect((await gradeHere(dir)).next).toBeNull(); // the required stages don't need a million nodes
    const report = await gradeHere(dir, 'deep');
    expect(report.next).toMatchObject({ stage: 'deep', todo: 'Value.backward' });
    expect(first(report).message).toContain('ran out of call stack');
  });
  it.each(['tanh', 'exp'])('the %s bonus stage passes on solutions/, and on a kit with only its stub left fails at its TODO', async (id) => {
    expect((await gradeHere(solutions, id)).stages.at(-1)).toMatchObject({ id, status: 'passed', failures: [] });
    const report = await gradeHere(studentFolder(all), id);
    expect(report.stages.at(-1)).toMatchObject({ id, status: 'failed', own: 'failed' });
    expect(report.next).toMatchObject({ stage: id, todo: `Value.${id}` });
    expect(first(report).message).toContain(`Value.${id} is not started yet`);
  });
});

describe('what a failure says', () => {
  it('points at accumulation when mul’s backward uses = instead of +=', async () => {
    const report = await gradeHere(studentFolder(upTo('mul'), (t) => t.replace('this.grad += o.data * out.grad', 'this.grad = o.data * out.grad')));
    expect(report.next).toMatchObject({ stage: 'mul', todo: 'Value.mul' });
    expect(first(report).message).toContain('a.grad should be 4, got 3');
    expect(first(report).message).toContain('Gradients accumulate: add into .grad with +=');
  });

  it('shows where an error thrown by the student’s code came from, in their file', async () => {
    const dir = studentFolder([], (t) => t.replace("throw new NotImplementedError('Value.add');", 'return (other as any).missing.data;'));
    const failure = first(await gradeHere(dir));
    expect(failure.message).toContain('Your code threw TypeError');
    expect(failure.at).toMatch(/engine\.ts:\d+:\d+$/);
    expect(failure.at!.startsWith(`${dir.split('/').pop()}`) || failure.at!.includes(dir.split('/').pop()!)).toBe(true);
    expect(failure.frame).toContain('(other as any).missing.data');
  });

  it('asks to restore a deleted or renamed method instead of failing inside a test', async () => {
    const dir = studentFolder(upTo('add'), (t) => t.replace('  mul(other: Value | number): Value {', '  times(other: Value | number): Value {'));
    expect(first(await gradeHere(dir)).message).toContain('no longer exports Value.mul; restore its signature: mul(other: Value | number): Value');
  });

  it('does not let a deleted NotImplementedError hide the real failure', async () => {
    const dir = studentFolder(upTo('mul'), (t, file) =>
      file === 'engine.ts' ? t.replace(/export class NotImplementedError[^]*?\n}\n/, '').replace('this.grad += o.data * out.grad', 'this.grad = o.data * out.grad') : t,
    );
    expect(first(await gradeHere(dir)).message).toContain('a.grad should be 4, got 3');
  });

  it('lets code that prints megabytes, and finishes, pass its stage', async () => {
    // 2 MB a call, some 20 MB in all: below what a run may print.
    const dir = studentFolder(upTo('add'), (t) => t.replace('const out = new Value(this.data + o.data', "for (let i = 0; i < 2000; i++) console.log('x'.repeat(1000));\n    const out = new Value(this.data + o.data"));
    const report = await gradeHere(dir);
    expect(report.stages[0]).toMatchObject({ id: 'add', status: 'passed' });
    expect(report.next).toMatchObject({ stage: 'mul' });
  });
});

describe('scoring', () => {
  // One bug: mul's backward overwrites the grads (=) instead of adding into them (+=).
  const oneBug = () => studentFolder(all, (t) => t.replace('this.grad += o.data * out.grad;', 'this.grad = o.data * out.grad;').replace('o.grad += this.data * out.grad;', 'o.grad = this.data * out.grad;'));
  const pointsOf = (report: Report) => Object.fromEntries(report.stages.map((s) => [s.id, s.points]));

  it("charges a one-bug submission once by default ('own'), and down the chain with 'cascade'", async () => {
    const { report, run, files } = await gradedHere(oneBug());
    // What the student sees first is unchanged: mul fails, and every stage that needs it waits for it.
    expect(statuses(report)).toEqual({ add: 'passed', mul: 'failed', pow: 'blocked', relu: 'passed', backward: 'blocked', neuron: 'blocked', mlp: 'blocked' });
    // 'own': pow and neuron pass on their own and keep their points; backward and mlp fail because of mul.
    expect(pointsOf(report)).toEqual({ add: 10, mul: 0, pow: 15, relu: 10, backward: 0, neuron: 15, mlp: 0 });
    expect(report.score).toMatchObject({ points: 50, max: 100 });
    // At home nothing tells that they fail only because of mul (that takes the grader's own check): they failed.
    for (const id of ['backward', 'mlp']) expect(report.stages.find((s) => s.id === id), id).toMatchObject({ outcome: 'failed' });
    // 'cascade', set in the manifest: a stage scores only with every stage it needs.
    const cascade = required.map((s) => ({ ...s, scoring: 'cascade' as const }));
    const chained = buildReport({ selected: cascade, run, target: locateTarget(solutions), files });
    expect(pointsOf(chained)).toEqual({ add: 10, mul: 0, pow: 0, relu: 10, backward: 0, neuron: 0, mlp: 0 });
    expect(chained.score).toMatchObject({ points: 20, max: 100 });
    // Mixed: only mlp on the chain.
    const mixed = required.map((s) => (s.id === 'mlp' ? { ...s, scoring: 'cascade' as const } : s));
    expect(buildReport({ selected: mixed, run, target: locateTarget(solutions), files }).score.points).toBe(50);
  });

  it('says in the instructor’s grade which stages fail only because of mul', async () => {
    const { stdout } = await gradeIn(['--target', oneBug(), '--json'], { fresh: true });
    const report = JSON.parse(stdout);
    const byId = Object.fromEntries(report.stages.map((s: { id: string }) => [s.id, s]));
    expect(byId.mul).toMatchObject({ outcome: 'failed', points: 0 });
    for (const id of ['backward', 'mlp']) expect(byId[id], id).toMatchObject({ status: 'blocked', outcome: 'earlier', points: 0, because: [{ stage: 'mul' }] });
    for (const id of ['pow', 'neuron']) expect(byId[id], id).toMatchObject({ status: 'blocked', own: 'passed', outcome: 'passed', points: 15 });
    expect(report.score).toMatchObject({ points: 50, hidden: { points: 0, max: 10 }, total: 50 });
    expect(report.note).toMatch(/^mul: adds into the grads the operands already have: .*a\.grad should be 4, got 3/);
  });
});
