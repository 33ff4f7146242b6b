// Unit tests of the grader's parts, and its entry point driven without process.exit.
import { mkdtempSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, program } from '../grader/cli.ts';
import { stagesUpTo } from '../grader/grade.ts';
import { buildReport, describeFailure } from '../grader/report.ts';
import type { RunResult } from '../grader/run.ts';
import { spliceBodies, syntaxProblems } from '../grader/source.ts';
import { pruneCache } from '../grader/source-check.ts';
import { required as stages } from '../grader/stages.ts';

const io = () => {
  const out: string[] = [];
  return { out, io: { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) } };
};
const run = (passedStages: string[], extra: Partial<RunResult> = {}): RunResult => ({
  tests: stages.map((s) => ({ stage: s.id, hidden: false, todo: s.todos[0], test: `checks ${s.id}`, passed: passedStages.includes(s.id), error: passedStages.includes(s.id) ? undefined : { name: 'AssertionError', message: `${s.id} is wrong` } })),
  loadErrors: new Map(),
  finished: new Set(stages.map((s) => s.id)),
  logs: '',
  ...extra,
});

describe('the command line', () => {
  it('documents every option and command in its help', () => {
    const help = program(io().io, { code: 0 }).helpInformation();
    for (const word of ['[stage]', '--target', '--all', '--json', '--no-color', 'list', 'hint', 'watch']) expect(help).toContain(word);
  });

  it('returns exit code 2 for an unknown option, without exiting', async () => {
    const { io: sink, out } = io();
    expect((await main(['--nope'], sink)).code).toBe(2);
    expect(out.join('')).toContain("unknown option '--nope'");
  });

  it('returns exit code 2 for a target folder that does not exist', async () => {
    const { io: sink, out } = io();
    expect((await main(['--target', '/no/such/folder'], sink)).code).toBe(2);
    expect(out.join('')).toContain('does not exist');
  });
});

describe('stagesUpTo', () => {
  it('takes a stage id in any case and returns the stages up to it', () => {
    expect(stagesUpTo('Pow').map((s) => s.id)).toEqual(['add', 'mul', 'pow']);
  });

  it('rejects an unknown stage, listing the real ones', () => {
    expect(() => stagesUpTo('tanh')).toThrow("There is no stage 'tanh'. The stages are: add, mul, pow, relu, backward, neuron, mlp");
  });
});

describe('buildReport', () => {
  it('blocks a stage whose needs failed, and lets an independent one pass', () => {
    const report = buildReport(stages, run(['add', 'relu']), '/t', 't');
    const status = Object.fromEntries(report.stages.map((s) => [s.id, s.status]));
    expect(status).toEqual({ add: 'passed', mul: 'failed', pow: 'blocked', relu: 'passed', backward: 'blocked', neuron: 'blocked', mlp: 'blocked' });
    expect(report.passed).toBe(2);
    expect(report.next).toMatchObject({ stage: 'mul', todo: 'Value.mul', file: 't/engine.ts' });
  });

  it('reports a stalled stage as failed with a timeout, and the stages after it as blocked', () => {
    const result = run(['add', 'mul'], { stalled: { stage: 'pow', test: 'loops', todo: 'Value.pow' } });
    result.finished = new Set(['add', 'mul']);
    result.tests = result.tests.filter((t) => ['add', 'mul'].includes(t.stage));
    const report = buildReport(stages, result, '/t', 't');
    expect(report.stages.find((s) => s.id === 'pow')!.failures[0]).toMatchObject({ kind: 'timeout', test: 'loops' });
    expect(report.stages.find((s) => s.id === 'relu')!.status).toBe('blocked');
  });

  it('gives the hint about the failing method when the stage has one', () => {
    const result = run(['add']);
    result.tests.find((t) => t.stage === 'mul')!.error = { name: 'NotImplementedError', message: 'Value.neg is not implemented yet' };
    const report = buildReport(stages, result, '/t', 't');
    expect(report.next).toMatchObject({ todo: 'Value.neg' });
    expect(report.next!.hint).toMatch(/^neg is/);
  });

  it('says nothing is next when every stage passes', () => {
    expect(buildReport(stages, run(stages.map((s) => s.id)), '/t', 't').next).toBeNull();
  });
});

describe('describeFailure', () => {
  it('tells a stub apart from a wrong answer and from a crash', () => {
    const stub = describeFailure({ name: 'NotImplementedError', message: 'Value.neg is not implemented yet' }, 'Value.mul', 'x', '/t', 't');
    expect(stub).toMatchObject({ kind: 'not-started', todo: 'Value.neg' });
    expect(describeFailure({ name: 'AssertionError', message: 'a should be 1, got 2' }, 'Value.add', 'x', '/t', 't').kind).toBe('wrong');
    const crash = describeFailure({ name: 'TypeError', message: 'boom', stacks: [{ file: '/t/engine.ts', line: 3, column: 4, method: '' }] }, 'Value.add', 'x', '/t', 't');
    expect(crash).toMatchObject({ kind: 'error', at: 't/engine.ts:3:4' });
  });
});

describe('source', () => {
  it('finds syntax errors with their line and column', () => {
    expect(syntaxProblems('const a = 1;\nconst b = ;\n')[0]).toMatchObject({ line: 2, column: 11 });
  });

  it('splices method bodies by name, leaving the rest alone', () => {
    const target = 'class A {\n  f() { return 1; }\n  g() { return 2; }\n}';
    const source = 'class A {\n  f() { return 10; }\n  g() { return 20; }\n}';
    expect(spliceBodies(target, source, ['A.g'])).toBe('class A {\n  f() { return 1; }\n  g() { return 20; }\n}');
  });
});

describe('pruneCache', () => {
  it('keeps the most recently written files and removes the rest', () => {
    const dir = mkdtempSync(join(tmpdir(), 'grade-cache-'));
    for (let i = 0; i < 5; i++) {
      writeFileSync(join(dir, `analysis-${i}.json`), '{}');
      utimesSync(join(dir, `analysis-${i}.json`), 1000 + i, 1000 + i);
    }
    pruneCache(dir, 5);
    expect(readdirSync(dir)).toHaveLength(5);
    pruneCache(dir, 2);
    expect(readdirSync(dir).sort()).toEqual(['analysis-3.json', 'analysis-4.json']);
  });
});
