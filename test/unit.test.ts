// Unit tests of the grader's parts, and its entry point driven without process.exit.
import { mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, program } from '../grader/cli/program.ts';
import { answersIn } from '../grader/instructor/release.ts';
import { match, parseCsv, readRoster, type Student } from '../grader/instructor/roster.ts';
import { kitRoot, locateTarget, type Target } from '../grader/kit.ts';
import { renderReport } from '../grader/report/render.ts';
import { lessonFor } from '../grader/report/lessons.ts';
import { buildReport, describeFailure } from '../grader/report/report.ts';
import type { RunResult } from '../grader/run/runner.ts';
import { analyze } from '../grader/source/analyze.ts';
import { pruneCache } from '../grader/source/check.ts';
import { methodsOf, spliceBodies, syntaxProblems } from '../grader/source/source.ts';
import { required as stages, stages as allStages, stagesUpTo } from '../grader/stages.ts';
import { solution, stub, temp } from './helpers.ts';

const t: Target = { dir: '/t', shown: 't', home: '/t' };
const where = { ranFrom: '/scratch', target: t };

const io = () => {
  const out: string[] = [];
  return { out, io: { out: (s: string) => void out.push(s), err: (s: string) => void out.push(s) } };
};
const run = (passedStages: string[], extra: Partial<RunResult> = {}): RunResult => ({
  tests: stages.map((s) => ({ stage: s.id, todo: s.todos[0], test: `checks ${s.id}`, passed: passedStages.includes(s.id), error: passedStages.includes(s.id) ? undefined : { name: 'AssertionError', message: `${s.id} is wrong` } })),
  loadErrors: new Map(),
  finished: new Set(stages.map((s) => s.id)),
  stops: [],
  logs: [],
  printed: { chars: 0, lines: 0 },
  ranFrom: '/scratch',
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

  it('returns exit code 2 for a time limit or a number of jobs that is not a number above 0', async () => {
    for (const args of [['--time-limit', 'abc'], ['class', 'x', '--jobs', '0'], ['class', 'x', '--time-limit', '-3']]) {
      const { io: sink, out } = io();
      expect((await main(args, sink)).code, args.join(' ')).toBe(2);
      expect(out.join(''), args.join(' ')).toMatch(/argument '.*' is invalid\. It must be a number above 0\./);
    }
  });

  it('returns exit code 2 for a target folder that does not exist', async () => {
    const { io: sink, out } = io();
    expect((await main(['--target', '/no/such/folder'], sink)).code).toBe(2);
    expect(out.join('')).toContain('does not exist');
  });

  it("refuses to run the student's code as root with --run-as", async () => {
    const { io: sink, out } = io();
    expect((await main(['--target', join(kitRoot, 'solutions'), '--json', '--run-as', 'root'], sink)).code).toBe(2);
    expect(out.join('')).toContain(process.getuid?.() === 0 ? "would run the student's code as root" : 'needs the grader to run as root');
  });
});

describe('stagesUpTo', () => {
  it('takes a stage id in any case and returns the stages up to it', () => {
    expect(stagesUpTo('Pow').map((s) => s.id)).toEqual(['add', 'mul', 'pow']);
  });

  it('rejects an unknown stage, listing the real ones', () => {
    expect(() => stagesUpTo('sigmoid')).toThrow("There is no stage 'sigmoid'. The stages are: add, mul, pow, relu, backward, neuron, mlp, deep, tanh, exp, train.");
  });
});

describe('buildReport', () => {
  it('blocks a stage whose needs failed, and lets an independent one pass', () => {
    const report = buildReport({ selected: stages, run: run(['add', 'relu']), target: t });
    const status = Object.fromEntries(report.stages.map((s) => [s.id, s.status]));
    expect(status).toEqual({ add: 'passed', mul: 'failed', pow: 'blocked', relu: 'passed', backward: 'blocked', neuron: 'blocked', mlp: 'blocked' });
    expect(report.passed).toBe(2);
    expect(report.next).toMatchObject({ stage: 'mul', todo: 'Value.mul', file: 't/engine.ts' });
  });

  it('reports a stopped stage as failed, saying how long it ran, and the stages after it as blocked', () => {
    const result = run(['add', 'mul'], { stops: [{ stage: 'pow', test: 'loops', todo: 'Value.pow', reason: 'stalled', seconds: 3.2 }] });
    result.finished = new Set(['add', 'mul']);
    result.tests = result.tests.filter((t) => ['add', 'mul'].includes(t.stage));
    const report = buildReport({ selected: stages, run: result, target: t });
    expect(report.stages.find((s) => s.id === 'pow')!.failures[0]).toMatchObject({ kind: 'timeout', test: 'loops' });
    expect(report.stages.find((s) => s.id === 'pow')!.failures[0].message).toContain('it ran for 3.2 s without returning');
    expect(report.stages.find((s) => s.id === 'relu')!.status).toBe('blocked');
  });

  it('blames code outside any method when loading the files never finished, and shows each stop of the re-runs', () => {
    // A loop at the top of engine.ts: add stops while its suite loads, and so does relu, re-run without it.
    const loading = (stage: string) => ({ stage, reason: 'stalled' as const, seconds: 3 });
    const result = run([], { stops: [loading('add'), loading('relu')] });
    result.finished = new Set();
    result.tests = [];
    const report = buildReport({ selected: stages, run: result, target: t });
    for (const id of ['add', 'relu']) {
      const stage = report.stages.find((s) => s.id === id)!;
      expect(stage.status, id).toBe('failed');
      expect(stage.failures[0]).toMatchObject({ test: 'loading the suite', kind: 'timeout' });
      expect(stage.failures[0].message).toBe('Loading your engine.ts and nn.ts never finished: it ran for 3 s without returning. Code outside any method runs as the file loads: look there for a loop that never ends.');
    }
    expect(report.stages.find((s) => s.id === 'mul')).toMatchObject({ status: 'blocked', blockedBy: ['add'] });
    expect(renderReport(report)).toContain('Next: fix the code outside any method in t/engine.ts, which runs as the file loads.');
  });

  it('says a check was stopped for printing too much, and how much, not that it never finished', () => {
    const result = run([], { stops: [{ stage: 'add', test: 'sums', todo: 'Value.add', reason: 'printed', seconds: 0.6 }], printed: { chars: 65 << 20, lines: 67_000 } });
    result.finished = new Set();
    result.tests = [];
    const message = buildReport({ selected: stages, run: result, target: t }).stages[0].failures[0].message;
    expect(message).toBe('Value.add was stopped: it printed 65 MB in 67,000 lines, more than any check needs. Printing that much is slow by itself: take out the console.log calls in loops. If it still never finishes, look for a loop whose condition never becomes false.');
  });

  it('tells a run stopped at its time limit from a check that ran too long', () => {
    const stopped = (reason: 'limit' | 'run-limit', seconds: number) => {
      const result = run([], { stops: [{ stage: 'add', test: 'sums', todo: 'Value.add', reason, seconds }] });
      result.finished = new Set();
      result.tests = [];
      return buildReport({ selected: stages, run: result, target: t }).stages[0].failures[0].message;
    };
    expect(stopped('limit', 20.1)).toMatch(/^Value\.add was still running after 20\.1 s, the longest one check may take\./);
    expect(stopped("run-limit", 3)).toMatch(/^Value\.add was still running when the grading reached its time limit, after 3 s\./);
  });

  it('gives the hint about the failing method when the stage has one', () => {
    const result = run(['add']);
    result.tests.find((t) => t.stage === 'mul')!.error = { name: 'NotImplementedError', message: 'Value.neg is not implemented yet' };
    const report = buildReport({ selected: stages, run: result, target: t });
    expect(report.next).toMatchObject({ todo: 'Value.neg' });
    expect(report.next!.hint).toMatch(/^neg is/);
  });

  it('gives the hint that names the failing method, or its class, not the stage’s first', () => {
    const hint = (todo: string) => {
      const result = run(stages.slice(0, 5).map((s) => s.id));
      result.tests.find((t) => t.stage === 'neuron')!.todo = todo;
      result.tests.find((t) => t.stage === 'mlp')!.todo = todo;
      return buildReport({ selected: stages, run: result, target: t }).next!.hint;
    };
    expect(hint('Neuron.constructor')).toMatch(/^The constructor draws/);
    expect(hint('Neuron.parameters')).toMatch(/^parameters\(\) is the weights/);
    const mlp = (todo: string) => {
      const result = run(stages.slice(0, 6).map((s) => s.id));
      result.tests.find((t) => t.stage === 'mlp')!.todo = todo;
      return buildReport({ selected: stages, run: result, target: t }).next!.hint;
    };
    expect(mlp('MLP.parameters')).toMatch(/^parameters\(\) is one flat, new array/);
    expect(mlp('Layer.forward')).toMatch(/^A Layer is/);
    expect(mlp('MLP.constructor')).toMatch(/^An MLP with sizes/);
    // A hint that only mentions a Value is not about Value.add: the stage's first comes first.
    const add = run([]);
    expect(buildReport({ selected: stages, run: add, target: t }).next!.hint).toMatch(/^Build `out` from the sum/);
  });

  it('says nothing is next when every stage passes', () => {
    expect(buildReport({ selected: stages, run: run(stages.map((s) => s.id)), target: t }).next).toBeNull();
  });
});

describe('renderReport', () => {
  it('congratulates only when every required stage ran and passed', () => {
    const all = renderReport(buildReport({ selected: stages, run: run(stages.map((s) => s.id)), target: t }));
    expect(all).toContain('All 7 stages pass. You built micrograd');
    const two = renderReport(buildReport({ selected: stages.slice(0, 2), run: run(['add', 'mul']), target: t }));
    expect(two).toContain('Stages add, mul pass.');
    expect(two).toContain('Next: stage pow (Value.pow, Value.div)');
    expect(two).not.toContain('You built micrograd');
  });

  it("shows a failing bonus stage's own first check while a required stage fails", () => {
    const bonus = stagesUpTo('deep');
    const result = run(['add', 'mul', 'pow', 'relu', 'backward', 'neuron']);
    result.tests.push({ stage: 'deep', todo: 'Value.backward', test: 'a long chain', passed: false, error: { name: 'AssertionError', message: 'x.grad should be 1, got 0' } });
    result.finished.add('deep');
    const text = renderReport(buildReport({ selected: bonus, run: result, target: t }));
    expect(text).toContain('Next: Layer.constructor');
    expect(text).toContain('✗ bonus deep: a long chain');
    expect(text).toContain('x.grad should be 1, got 0');
  });

  it('offers the bonus stages once every required stage passes, and says so when the bonus stages passed too', () => {
    const report = buildReport({ selected: stages, run: run(stages.map((s) => s.id)), target: t });
    expect(renderReport(report)).toMatch(/Bonus stages: npx grade deep .*npx grade tanh .*npx grade exp .*npx grade train/);
    const some = renderReport(report, { bonusPassed: ['deep', 'tanh'] });
    expect(some).toMatch(/Bonus stages: npx grade exp .*npx grade train/);
    expect(some).not.toContain('npx grade deep');
    expect(renderReport(report, { bonusPassed: ['deep', 'tanh', 'exp', 'train'] })).toContain('Every bonus stage passes too: deep, tanh, exp, train.');
  });

  it("gives a passing stage's lesson from its checks' notes, and none without them", () => {
    expect(lessonFor('add', { twice: 2 })?.[0]).toBe('out = a.add(a) at a = 3: your _backward gives a.grad = 2.');
    expect(lessonFor('add', {})).toBeUndefined();
    const passing = run(['add']);
    passing.tests[0].notes = { twice: 2 };
    const report = buildReport({ selected: stages.slice(0, 1), run: passing, target: t });
    expect(report.stages[0].lesson?.[0]).toContain('a.grad = 2');
    expect(buildReport({ selected: stages.slice(0, 1), run: run(['add']), target: t }).stages[0].lesson).toBeUndefined();
  });

  it('shows why the stage asked for fails when the next step is an earlier stage it does not need', () => {
    // `npx grade relu` with mul unsolved: relu needs nothing, so its own failure is news.
    const report = buildReport({ selected: stagesUpTo('relu'), run: run(['add']), target: t });
    const text = renderReport(report, { asked: 'relu' });
    expect(text).toContain('Next: Value.mul');
    expect(text).toContain('✗ relu: checks relu\n     relu is wrong');
    expect(renderReport(report)).not.toContain('✗ relu:');
    // Blocked stages show nothing of their own: their needs say it.
    expect(renderReport(buildReport({ selected: stagesUpTo('pow'), run: run(['add']), target: t }), { asked: 'pow' })).not.toContain('✗ pow:');
  });
});

describe('describeFailure', () => {
  it('tells a stub apart from a wrong answer and from a crash', () => {
    const notStarted = describeFailure({ name: 'NotImplementedError', message: 'Value.neg is not implemented yet' }, 'Value.mul', 'x', where);
    expect(notStarted).toMatchObject({ kind: 'not-started', todo: 'Value.neg' });
    expect(describeFailure({ name: 'AssertionError', message: 'a should be 1, got 2' }, 'Value.add', 'x', where).kind).toBe('wrong');
    // The suites ran a copy of the student's file: the place is named in their own folder.
    const crash = describeFailure({ name: 'TypeError', message: 'boom', stacks: [{ file: '/scratch/engine.ts', line: 3, column: 4, method: '' }] }, 'Value.add', 'x', where);
    expect(crash).toMatchObject({ kind: 'error', at: 't/engine.ts:3:4' });
    // … and so is a path in the error's own words.
    const missing = describeFailure({ name: 'Error', message: "Cannot find package 'lodash' imported from /scratch/engine.ts" }, 'Value.add', 'x', where);
    expect(missing.message).toBe("Your code threw Error: Cannot find package 'lodash' imported from t/engine.ts");
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

  it('tells a default export from a named one, which the suites import', () => {
    for (const engine of [stub('engine.ts').replace('export class Value', 'export default class Value'), `${stub('engine.ts').replace('export class Value', 'class Value')}\nexport default Value;\n`]) {
      expect(analyze({ 'engine.ts': engine, 'nn.ts': stub('nn.ts') }, 'ex').problems.map((p) => p.message)).toEqual(['ex/engine.ts exports Value as its default export, but the suites import it by name: write export class Value.']);
    }
  });
});

describe('locateTarget', () => {
  it("is this kit's exercises/ by default, wherever the command runs, with state in the kit", () => {
    expect(locateTarget()).toMatchObject({ dir: join(kitRoot, 'exercises'), home: kitRoot });
  });

  it("takes a whole student kit as its exercises/, and keeps a bare folder's state in that folder", () => {
    const kit = temp('kit');
    mkdirSync(join(kit, 'exercises'));
    writeFileSync(join(kit, 'package.json'), '{}');
    expect(locateTarget(kit)).toMatchObject({ dir: join(kit, 'exercises'), home: kit });
    expect(locateTarget(join(kit, 'exercises'))).toMatchObject({ dir: join(kit, 'exercises'), home: kit });
    const bare = temp('bare');
    expect(locateTarget(bare)).toMatchObject({ dir: bare, home: bare });
    expect(locateTarget(join(kitRoot, 'solutions')).home).toBe(join(kitRoot, 'solutions'));
  });
});

describe('answersIn', () => {
  it('finds a solved TODO in the stubs and a solution body anywhere, and nothing in the stubs themselves', () => {
    expect(answersIn(new Map([['exercises/engine.ts', stub('engine.ts')], ['grader/stubs/nn.ts', stub('nn.ts')]]))).toEqual([]);
    const solved = spliceBodies(stub('engine.ts'), solution('engine.ts'), ['Value.mul']);
    expect(answersIn(new Map([['grader/stubs/engine.ts', solved]]))).toEqual(['grader/stubs/engine.ts: Value.mul']);
    const hint = `// like this:\n${solution('engine.ts')}`;
    expect(answersIn(new Map([['README.md', hint]]))).toContain('README.md: Value.backward');
    const commented = stub('engine.ts').replace("throw new NotImplementedError('Value.add');", "// my notes\n    throw new NotImplementedError('Value.add');");
    expect(answersIn(new Map([['exercises/engine.ts', commented]]))).toEqual([]);
  });

  it('finds a solution body renamed, reformatted, commented or compiled, in any shipped code', () => {
    const body = methodsOf(solution('engine.ts')).get('Value.backward')!.body;
    const renamed = body.replaceAll('topo', 'order').replaceAll('stack', 'todo').replaceAll('nextChild', 'cursor').replaceAll('pass', 'token').replaceAll('child', 'kid');
    const reformatted = `export function helper(this: any) ${renamed.replace(/;\n\s*/g, '; /* step */ ').replace(/\{\n/g, '{\n\n')}`;
    expect(answersIn(new Map([['grader/helpers.ts', reformatted]]))).toEqual(['grader/helpers.ts: Value.backward']);
    // As the build ships it: types stripped.
    const compiled = reformatted.replace(/: any|: Value\[\]|: number\[\]/g, '');
    expect(answersIn(new Map([['dist/grader/helpers.js', compiled]]))).toEqual(['dist/grader/helpers.js: Value.backward']);
    // Short bodies are found as text only: code as common as return this.mul(-1) is no answer by shape.
    expect(answersIn(new Map([['grader/other.ts', 'function f(x: any) { return x.mul(-2); }']]))).toEqual([]);
  });
});

describe('pruneCache', () => {
  it('keeps the most recently written files and removes the rest', () => {
    const dir = temp('grade-cache');
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

/**
 * classroom50/tests/v1 (foundation50/classroom50, schemas/tests-v1.schema.json), the rules that
 * apply to the tests the kit writes, and the two it says its validators enforce in code: names
 * unique, at most 100 bytes. Returns every rule broken.
 */
function classroom50Problems(doc: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const keys = ['name', 'type', 'setup', 'run', 'input', 'input-file', 'expected', 'expected-file', 'comparison', 'timeout', 'exit-code', 'points', 'failure-details', 'show-output', 'show-command'];
  const int = (x: unknown, lo: number, hi: number) => Number.isInteger(x) && (x as number) >= lo && (x as number) <= hi;
  for (const key of Object.keys(doc)) if (!['schema', 'tests', 'defaults'].includes(key)) problems.push(`unknown key ${key}`);
  if (doc.schema !== 'classroom50/tests/v1') problems.push('schema is not classroom50/tests/v1');
  if (!Array.isArray(doc.tests) || doc.tests.length > 100) return [...problems, 'tests is not an array of at most 100'];
  const names = new Set<string>();
  for (const test of doc.tests as Record<string, unknown>[]) {
    const name = String(test.name);
    for (const key of Object.keys(test)) if (!keys.includes(key)) problems.push(`${name}: unknown key ${key}`);
    if (typeof test.name !== 'string' || name.length === 0 || Buffer.byteLength(name) > 100 || /[\u0000-\u001f\u007f]/.test(name)) problems.push(`${name}: bad name`);
    if (names.has(name)) problems.push(`${name}: name used twice`);
    names.add(name);
    if (!['io', 'run', 'python'].includes(test.type as string)) problems.push(`${name}: bad type`);
    if (typeof test.run !== 'string' || test.run.length === 0) problems.push(`${name}: no run`);
    if ('timeout' in test && !int(test.timeout, 0, 600)) problems.push(`${name}: timeout not 0–600 s`);
    if ('points' in test && !int(test.points, 0, 1000)) problems.push(`${name}: points not 0–1000`);
    if ('exit-code' in test && (test.type !== 'run' || !int(test['exit-code'], 0, 255))) problems.push(`${name}: bad exit-code`);
    if (test.type !== 'io' && ['input', 'input-file', 'expected', 'expected-file', 'comparison'].some((k) => k in test)) problems.push(`${name}: io fields on a ${test.type} test`);
  }
  return problems;
}

describe('grade classroom50', () => {
  it("writes tests.json and the runtime block by Classroom 50's schema: an install test, then a test per stage with the manifest's points", async () => {
    const dir = temp('classroom50');
    const out: string[] = [];
    expect((await main(['classroom50', dir], { out: (s) => out.push(s), err: (s) => out.push(s) })).code).toBe(0);
    const doc = JSON.parse(readFileSync(join(dir, 'tests.json'), 'utf8'));
    expect(classroom50Problems(doc)).toEqual([]);
    // The validator does catch what the schema forbids.
    expect(classroom50Problems({ schema: 'x', tests: [{ name: 'a\n', type: 'run', run: '', timeout: 601, input: 'x' }, { name: 'a\n', type: 'sh', run: 'x' }] })).toHaveLength(8);
    expect(doc.tests[0]).toEqual({ name: 'install', type: 'run', run: 'npm ci', timeout: 300, points: 0 });
    expect(doc.tests.slice(1).map((t: { run: string }) => t.run)).toEqual(allStages.map((s) => `npx grade ${s.id} --scored --no-color`));
    expect(doc.tests.slice(1).map((t: { points: number }) => t.points)).toEqual(allStages.map((s) => (s.optional && !s.inTotal ? 0 : s.points)));
    expect(doc.tests.reduce((sum: number, t: { points: number }) => sum + t.points, 0)).toBe(stages.reduce((sum, s) => sum + s.points, 0));
    expect(JSON.parse(readFileSync(join(dir, 'runtime.json'), 'utf8'))).toEqual({ node: '24' });
    expect(out.join('')).toMatch(/hidden checks \(10 points\) are not among them/);
    // Run again over edited files: they are kept.
    writeFileSync(join(dir, 'tests.json'), '{"edited": true}\n');
    await main(['classroom50', dir], { out: () => {}, err: () => {} });
    const backups = join(dir, '.grade', 'backups');
    expect(readFileSync(join(backups, readdirSync(backups)[0], 'tests.json'), 'utf8')).toBe('{"edited": true}\n');
  });
});

describe('the roster join', () => {
  const roster: Student[] = [
    { id: 'S1', email: 'carol@uni.example', name: 'assignment-victim', github: 'carol' },
    { id: 'S2', email: 'dan@uni.example', name: 'Dan', github: 'dan' },
  ];
  it('matches by ID, email or GitHub username (also as a -username suffix), never by a name, and not two folders to one student', () => {
    const found = match(['hw1-dan', 'assignment-victim', 'hw1-carol', 'evil-carol', 'S2x', 'DAN@UNI.EXAMPLE'], roster);
    expect(found.get('assignment-victim')).toBe('not on the roster');
    expect(found.get('S2x')).toBe('not on the roster');
    expect(found.get('hw1-carol')).toBe('the same roster student (S1) as evil-carol');
    expect(found.get('evil-carol')).toBe('the same roster student (S1) as hw1-carol');
    expect(found.get('hw1-dan')).toBe('the same roster student (S2) as DAN@UNI.EXAMPLE');
    expect(match(['hw1-dan'], roster).get('hw1-dan')).toBe(roster[1]);
    // The longest username that ends the folder's name: bob-smith's folder is not smith's.
    const two: Student[] = [{ id: '1', email: '', name: '', github: 'smith' }, { id: '2', email: '', name: '', github: 'bob-smith' }];
    expect([...match(['hw1-bob-smith', 'hw1-smith'], two).values()]).toEqual([two[1], two[0]]);
  });

  it("reads a Canvas export: its Email before its SIS Login ID, and not its Points Possible row", () => {
    const file = join(temp('roster'), 'canvas.csv');
    writeFileSync(file, 'Student,ID,SIS User ID,SIS Login ID,Email,Section\n    Points Possible,,,,,\n"Smith, Bob",17,S1,bsmith,bob@uni.example,A\n');
    expect(readRoster(file)).toEqual([{ id: '17', email: 'bob@uni.example', name: 'Smith, Bob', github: '' }]);
  });

  it('reads quoted fields, CRLF and a BOM, and says which column is missing', () => {
    expect(parseCsv('\uFEFFa,"b, ""c"""\r\n"x\ny",z\r\n')).toEqual([['a', 'b, "c"'], ['x\ny', 'z']]);
    const file = join(temp('roster'), 'r.csv');
    writeFileSync(file, 'Name,Section\nZoë,1\n');
    expect(() => readRoster(file)).toThrow(/needs a column for the student ID or the email in its first line \(it has: name, section\)/);
  });
});
