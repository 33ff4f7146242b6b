// The stages are real: solutions pass them all, the stubs fail them all, and each stage
// passes once exactly the earlier stages are solved, and no sooner.
import { describe, expect, it } from 'vitest';
import { stages } from '../grader/stages.ts';
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
