// A catalog of realistic mistakes, one bug in one method each: every one must fail first at the
// stage that owns the method, and name that method. And correct but unusual implementations,
// which must pass every stage. One warm runner grades them all.
import { describe, expect, it } from 'vitest';
import { required, stageOf } from '../grader/stages.ts';
import { gradeHere } from './helpers.ts';
import { mutants, solvedWith, unusual } from './mutants.ts';

describe('mistakes a careful student still makes', () => {
  it.each(mutants.map((m, i) => [`${m.kind} #${i + 1}: ${m.todo}`, m] as const))('%s fails first at its own stage and names it', async (_name, mutant) => {
    const report = await gradeHere(solvedWith({ [mutant.todo]: mutant.body }), stageOf(mutant.todo)!.id);
    const failing = report.stages.find((s) => s.status !== 'passed');
    expect(failing?.id, 'the first stage that does not pass').toBe(stageOf(mutant.todo)!.id);
    expect(report.next?.todo, failing?.failures[0]?.message).toBe(mutant.todo);
    const message = failing!.failures[0].message;
    if (mutant.says) expect(message).toMatch(mutant.says);
    if (mutant.never) expect(message).not.toMatch(mutant.never);
    if (mutant.explains) expect(failing!.failures[0].graph?.culprit?.diagnosis).toMatch(mutant.explains);
  });

  it('covers every kind with at least two mutants', () => {
    for (const kind of new Set(mutants.map((m) => m.kind))) expect(mutants.filter((m) => m.kind === kind).length, kind).toBeGreaterThanOrEqual(2);
  });
});

describe('correct code, whatever its style', () => {
  it.each(unusual)('passes every stage with %s', async (_name, bodies) => {
    const report = await gradeHere(solvedWith(bodies));
    expect(report.stages.filter((s) => s.status !== 'passed').map((s) => `${s.id}: ${s.failures[0]?.message}`)).toEqual([]);
    expect(report.stages.map((s) => s.id)).toEqual(required.map((s) => s.id));
  });
});
