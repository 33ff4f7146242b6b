// The kit proves itself: exercises and solutions agree on everything but the TODO bodies,
// every TODO is a stub, and the manifest matches the code.
import { describe, expect, it } from 'vitest';
import { pinnedMethods } from '../grader/api.ts';
import { tamperedSuites } from '../grader/integrity.ts';
import { exportsOf, methodsOf, spliceBodies } from '../grader/source.ts';
import { allTodos, fileOf, stageOf, stages } from '../grader/stages.ts';
import { exercise, files, solution } from './helpers.ts';

/** Each class of the file, by name, as text. */
const classes = (text: string) => new Map([...text.matchAll(/^export (?:abstract )?class (\w+)[^]*?^}$/gm)].map((m) => [m[1], m[0]]));

describe.each(files)('%s', (file) => {
  it('exports the same names from exercises and solutions', () => {
    expect(exportsOf(exercise(file))).toEqual(exportsOf(solution(file)));
  });

  it('has exactly the pinned signatures, in exercises and in solutions', () => {
    for (const text of [exercise(file), solution(file)]) {
      const methods = methodsOf(text);
      for (const [name, signature] of pinnedMethods(file)) expect(methods.get(name)?.signature, name).toBe(signature);
    }
  });

  it('has the same classes in exercise and solution, but for the TODO bodies', () => {
    const todos = allTodos.filter((t) => fileOf(t) === file);
    const solved = classes(spliceBodies(exercise(file), solution(file), todos));
    const reference = classes(solution(file));
    expect([...solved.keys()]).toEqual([...reference.keys()]);
    for (const [name, text] of reference) expect(solved.get(name), name).toBe(text);
  });

  it('stubs every TODO with its NotImplementedError under a TODO comment naming its stage', () => {
    const methods = methodsOf(exercise(file));
    for (const todo of allTodos.filter((t) => fileOf(t) === file)) {
      const stub = methods.get(todo)?.body ?? '';
      expect(stub, todo).toContain(`throw new NotImplementedError('${todo}')`);
      expect(stub, todo).toContain(`// TODO(${stageOf(todo)!.id}):`);
    }
  });

  it('has no stubs left in the solution', () => {
    expect(solution(file)).not.toContain('NotImplementedError(');
  });
});

describe('the stage manifest', () => {
  it('lists the seven stages in order, each needing only earlier stages', () => {
    expect(stages.filter((s) => !s.optional).map((s) => s.id)).toEqual(['add', 'mul', 'pow', 'relu', 'backward', 'neuron', 'mlp']);
    stages.forEach((stage, i) => {
      for (const need of stage.needs) expect(stages.findIndex((s) => s.id === need), `${stage.id} needs ${need}`).toBeLessThan(i);
    });
  });

  it('covers every stub of the exercises, each in one stage', () => {
    const stubs = files.flatMap((file) => [...methodsOf(exercise(file)).values()].filter((m) => m.body.includes('NotImplementedError(')).map((m) => m.name));
    expect([...allTodos].sort()).toEqual(stubs.sort());
    expect(new Set(allTodos).size).toBe(allTodos.length);
  });

  it('gives every stage hints and points', () => {
    for (const stage of stages) {
      expect(stage.hints.length, stage.id).toBeGreaterThan(0);
      expect(stage.points, stage.id).toBeGreaterThan(0);
    }
  });

  it('matches the recorded checksums of the suites (run `npm run checksums` after changing a suite)', () => {
    expect(tamperedSuites()).toEqual([]);
  });
});
