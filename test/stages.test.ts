// The stages are real: solutions pass them all, the stubs fail them all, and each stage
// passes once exactly the earlier stages are solved, and no sooner.
import { describe, expect, it } from 'vitest';
import { required as stages } from '../grader/stages.ts';
import { gradeJson, studentFolder } from './helpers.ts';

type StageJson = { id: string; status: string; failures: { message: string; todo: string }[] };

describe('the staged suites', () => {
  it('all pass on solutions/', async () => {
    const { code, report } = await gradeJson(['--target', 'solutions']);
    expect(report.stages.map((s: StageJson) => [s.id, s.status, s.failures.length])).toEqual(stages.map((s) => [s.id, 'passed', 0]));
    expect(code).toBe(0);
  });

  it('all fail on the untouched exercises, with NotImplementedError of a TODO they cover', async () => {
    const { code, report } = await gradeJson(['--all']);
    expect(code).toBe(1);
    for (const stage of stages) {
      const { failures } = report.stages.find((s: StageJson) => s.id === stage.id) as StageJson;
      expect(failures.length, stage.id).toBeGreaterThan(0);
      for (const f of failures) expect(f.message, `${stage.id}: ${f.message}`).toMatch(/is not started yet: it still throws NotImplementedError/);
      expect(failures.some((f) => stage.todos.includes(f.todo)), stage.id).toBe(true);
    }
  });

  it('the bonus stages pass on solutions/', async () => {
    const [deep, train] = await Promise.all([gradeJson(['deep', '--target', 'solutions']), gradeJson(['train', '--target', 'solutions'])]);
    expect(deep.report.stages.at(-1)).toMatchObject({ id: 'deep', status: 'passed' });
    expect(train.report.stages.at(-1)).toMatchObject({ id: 'train', status: 'passed' });
    expect([deep.code, train.code]).toEqual([0, 0]);
  });

  it('the deep stage fails a recursive backward, and says why', async () => {
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
    const all = stages.flatMap((s) => s.todos).filter((t) => t !== 'Value.backward');
    const dir = studentFolder(all, (text, file) => (file === 'engine.ts' ? text.replace(/backward\(\): void \{[^]*?\n  \}/, `backward(): void ${recursive}`) : text));
    const plain = await gradeJson(['--target', dir]);
    expect(plain.code).toBe(0); // the required stages don't need a million nodes
    const { code, report } = await gradeJson(['deep', '--target', dir]);
    expect(code).toBe(1);
    expect(report.next).toMatchObject({ stage: 'deep', todo: 'Value.backward' });
    expect(report.stages.at(-1).failures[0].message).toContain('ran out of call stack');
  });

  describe.each(stages.map((stage, i) => [stage.id, i] as const))('with the stages before %s solved', (id, i) => {
    it(`passes every earlier stage and fails at ${id}`, async () => {
      const dir = studentFolder(stages.slice(0, i).flatMap((s) => s.todos));
      const { report } = await gradeJson(['--target', dir]);
      const status = Object.fromEntries(report.stages.map((s: StageJson) => [s.id, s.status]));
      for (const earlier of stages.slice(0, i)) expect(status[earlier.id], earlier.id).toBe('passed');
      expect(status[id]).toBe('failed');
      expect(report.next.stage).toBe(id);
      expect(report.next.todo).toBe(stages[i].todos[0]);
    });
  });
});
