// The kit proves itself: the stubs and the solutions have the same public API, every TODO is a
// stub, what students start from is the pristine stubs, the manifest matches the code, and all of
// it type-checks.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { pinnedMethods, type Engine } from '../grader/api.ts';
import { tamperedSuites } from '../grader/instructor/integrity.ts';
import { kitRoot } from '../grader/kit.ts';
import { exportsOf, methodsOf } from '../grader/source/source.ts';
import { allTodos, fileOf, stageOf, stages } from '../grader/stages.ts';
import * as stubEngine from '../grader/stubs/engine.ts';
import * as stubNn from '../grader/stubs/nn.ts';
import * as referenceEngine from '../solutions/engine.ts';
import * as referenceNn from '../solutions/nn.ts';
import { files, run, solution, stub } from './helpers.ts';

// Checked by the type check below: both have the pinned API's types, which the examples rely on.
const typed: Engine[] = [
  { ...stubEngine, ...stubNn },
  { ...referenceEngine, ...referenceNn },
];

describe.each(files)('%s', (file) => {
  it('exports the same names from the stubs and the solutions', () => {
    expect(exportsOf(stub(file))).toEqual(exportsOf(solution(file)));
  });

  it('has exactly the pinned signatures, in the stubs and in the solutions', () => {
    for (const text of [stub(file), solution(file)]) {
      const methods = methodsOf(text);
      for (const [name, signature] of pinnedMethods(file)) expect(methods.get(name)?.signature, name).toBe(signature);
    }
  });

  it('stubs every TODO with its NotImplementedError under a TODO comment naming its stage', () => {
    const methods = methodsOf(stub(file));
    for (const todo of allTodos.filter((t) => fileOf(t) === file)) {
      const body = methods.get(todo)?.body ?? '';
      expect(body, todo).toContain(`throw new NotImplementedError('${todo}')`);
      expect(body, todo).toContain(`// TODO(${stageOf(todo)!.id}):`);
    }
  });

  it('has no stubs left in the solution, and the same body for every method that is not a TODO', () => {
    expect(solution(file)).not.toContain('NotImplementedError(');
    const theirs = methodsOf(solution(file));
    // Constructors that are not TODOs may differ: the reference keeps its speed-ups to itself.
    for (const [name, method] of methodsOf(stub(file))) {
      if (!allTodos.includes(name) && !name.endsWith('.constructor')) expect(theirs.get(name)?.body, name).toBe(method.body);
    }
  });

  it('is committed in exercises/ as the pristine stub of grader/stubs/', () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: kitRoot, encoding: 'utf8' }).trim();
    expect(git('rev-parse', `HEAD:exercises/${file}`)).toBe(git('hash-object', `grader/stubs/${file}`));
  });
});

describe('the stage manifest', () => {
  it('lists the seven stages in order, each needing only earlier stages', () => {
    expect(stages.filter((s) => !s.optional).map((s) => s.id)).toEqual(['add', 'mul', 'pow', 'relu', 'backward', 'neuron', 'mlp']);
    stages.forEach((stage, i) => {
      for (const need of stage.needs) expect(stages.findIndex((s) => s.id === need), `${stage.id} needs ${need}`).toBeLessThan(i);
    });
  });

  it('covers every stub, each in one stage', () => {
    const stubs = files.flatMap((file) => [...methodsOf(stub(file)).values()].filter((m) => m.body.includes('NotImplementedError(')).map((m) => m.name));
    expect([...allTodos].sort()).toEqual(stubs.sort());
    expect(new Set(allTodos).size).toBe(allTodos.length);
  });

  it('gives every stage hints and points', () => {
    for (const stage of stages) {
      expect(stage.hints.length, stage.id).toBeGreaterThan(0);
      expect(stage.points, stage.id).toBeGreaterThan(0);
    }
  });

  it('matches the recorded checksums of the suites and setup file (run `npm run checksums` after changing a suite)', () => {
    expect(tamperedSuites()).toEqual([]);
    expect(typed).toHaveLength(2);
  });
});

describe('the whole kit', () => {
  // Here rather than in pretest, so that it runs beside the other test files (npm run typecheck alone).
  it('type-checks in strict mode: tsc with tsconfig.json', async () => {
    const { code, stdout } = await run(process.execPath, [join(kitRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit']);
    expect(code, stdout).toBe(0);
  });
});
