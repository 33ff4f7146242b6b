// The real `grade` command, spawned as a student runs it, on folders a student could have.
import { execFile, spawn } from 'node:child_process';
import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { methodsOf } from '../grader/source.ts';
import { stages } from '../grader/stages.ts';
import { kitRoot } from '../grader/target.ts';
import { exercise, grade, gradeJson, kitCopy, read, studentFolder } from './helpers.ts';

const engineStubLine = (todo: string) => methodsOf(exercise('engine.ts')).get(todo)!.line;
const upTo = (id: string) => stages.slice(0, stages.findIndex((s) => s.id === id) + 1).flatMap((s) => s.todos);

describe.concurrent('grade', () => {
  it('points fresh stubs at Value.add, at its line, and exits 1', async () => {
    const { code, stdout } = await grade([]);
    expect(code).toBe(1);
    expect(stdout).toContain(`Next: Value.add in exercises/engine.ts:${engineStubLine('Value.add')}`);
    expect(stdout).toContain('Value.add is not started yet');
    expect(stdout).toContain('0/7');
    expect(stdout).toContain('npx grade hint add');
  });

  it('moves on to pow once add and mul (with neg and sub) are written', async () => {
    const dir = studentFolder(upTo('mul'));
    const { report } = await gradeJson(['--target', dir]);
    expect(report.next).toMatchObject({ stage: 'pow', todo: 'Value.pow' });
    expect(report.next.line).toBe(methodsOf(read(join(dir, 'engine.ts'))).get('Value.pow')!.line);
  });

  it('fails mul with a message about accumulation when its backward uses = instead of +=', async () => {
    const dir = studentFolder(upTo('mul'), (t) => t.replace('this.grad += o.data * out.grad', 'this.grad = o.data * out.grad'));
    const { code, stdout } = await grade(['--target', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: Value\.mul/);
    expect(stdout).toContain('a.grad should be 4, got 3');
    expect(stdout).toContain('Gradients accumulate: add into .grad with +=');
  });

  it('stops an infinite loop within a few seconds, naming the stage, test and method', async () => {
    const dir = studentFolder(upTo('relu'), (t) => t.replace("throw new NotImplementedError('Value.backward');", 'while (true) {}'));
    const { code, stdout, ms } = await grade(['--target', dir]);
    expect(code).toBe(1);
    // Not a speed check: it proves the grader ends. The watchdog allows 3 s of a spinning thread,
    // or 12 s on a machine too busy to tell.
    expect(ms).toBeLessThan(45_000);
    expect(stdout).toContain('Next: Value.backward');
    expect(stdout).toContain('Value.backward never finished');
    expect(stdout).toContain('sets the grad of the Value it is called on to 1');
    expect(stdout).toContain('visited set');
  });

  it('shows a syntax error as one message with file:line:col and a code frame', async () => {
    const dir = studentFolder([], (t, file) => (file === 'engine.ts' ? t.replace('  relu(): Value {', '  relu(): Value {{') : t));
    const { code, stdout } = await grade(['--target', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: fix the syntax error at .*engine\.ts:\d+:\d+/);
    expect(stdout).toMatch(/> \d+ \|/);
    expect(stdout).not.toContain('node_modules');
  });

  it('shows where an error thrown by the student’s code came from, in their file', async () => {
    const dir = studentFolder([], (t) => t.replace("throw new NotImplementedError('Value.add');", 'return (other as any).missing.data;'));
    const { stdout } = await grade(['--target', dir]);
    expect(stdout).toContain('Your code threw TypeError');
    expect(stdout).toMatch(/at .*engine\.ts:\d+:\d+/);
    expect(stdout).toContain('(other as any).missing.data');
    expect(stdout).not.toContain('node_modules');
  });

  it('asks to restore a deleted or renamed method instead of failing inside a test', async () => {
    const dir = studentFolder(upTo('add'), (t) => t.replace('  mul(other: Value | number): Value {', '  times(other: Value | number): Value {'));
    const { stdout } = await grade(['--target', dir]);
    expect(stdout).toContain('no longer exports Value.mul; restore its signature: mul(other: Value | number): Value');
  });

  it('still reports when the student’s code calls process.exit or throws a non-Error', async () => {
    const exits = studentFolder([], (t) => t.replace("throw new NotImplementedError('Value.add');", 'process.exit(0);'));
    const throwsString = studentFolder([], (t) => t.replace("throw new NotImplementedError('Value.add');", "throw 'oops';"));
    const [a, b] = await Promise.all([grade(['--target', exits]), grade(['--target', throwsString])]);
    expect(a.stdout).toContain('process.exit unexpectedly called');
    expect(b.stdout).toContain('threw a value that is not an Error: oops');
    expect([a.code, b.code]).toEqual([1, 1]);
  });

  it('keeps a complete report when the student’s code prints megabytes', async () => {
    const dir = studentFolder(upTo('add'), (t) => t.replace('const out = new Value(this.data + o.data', "for (let i = 0; i < 2000; i++) console.log('x'.repeat(1000));\n    const out = new Value(this.data + o.data"));
    const { stdout } = await grade(['--target', dir]);
    expect(stdout).toContain('Next: Value.mul');
    expect(stdout).toContain('more output cut');
    expect(stdout.length).toBeLessThan(40_000);
  });

  it('warns loudly when a suite was edited or deleted', async () => {
    const kit = kitCopy();
    appendFileSync(join(kit, 'grader', 'suites', '01-add.test.ts'), '\n// edited\n');
    rmSync(join(kit, 'grader', 'suites', '04-relu.test.ts'));
    const { stdout } = await grade([], kit);
    expect(stdout).toContain('The stage suites were changed: 01-add.test.ts, 04-relu.test.ts');
    expect(stdout).toContain('git checkout -- grader/suites');
  });

  it('prints one JSON document of the documented shape with --json', async () => {
    const { code, stdout, report } = await gradeJson(['--target', studentFolder(upTo('add'))]);
    expect(code).toBe(1);
    expect(() => JSON.parse(stdout)).not.toThrow();
    expect(Object.keys(report)).toEqual(['target', 'passed', 'total', 'stages', 'next']);
    expect(report).toMatchObject({ passed: 1, total: 7 });
    for (const s of report.stages) {
      expect(Object.keys(s)).toEqual(['id', 'title', 'status', 'optional', 'todos', 'failures']);
      expect(['passed', 'failed', 'blocked']).toContain(s.status);
      for (const f of s.failures) expect(Object.keys(f)).toEqual(['test', 'message', 'todo']);
    }
    expect(Object.keys(report.next)).toEqual(['stage', 'todo', 'file', 'line', 'hint']);
    expect(report.next).toMatchObject({ stage: 'mul', todo: 'Value.mul' });
  });

  it('exits 0 with a congratulation when everything is solved', async () => {
    const { code, stdout } = await grade(['--target', 'solutions']);
    expect(code).toBe(0);
    expect(stdout).toContain('All 7 stages pass');
    expect(stdout).toContain('npm run demo');
  });

  it('runs only up to the stage it is given, in any case', async () => {
    const { report } = await gradeJson(['MUL', '--target', 'solutions']);
    expect(report.stages.map((s: { id: string }) => s.id)).toEqual(['add', 'mul']);
  });

  it('rejects an unknown stage with exit code 2', async () => {
    const { code, stderr } = await grade(['nope']);
    expect(code).toBe(2);
    expect(stderr).toContain("There is no stage 'nope'. The stages are: add, mul, pow");
  });

  it('honours NO_COLOR and --no-color, even where colour is forced', async () => {
    const run = (args: string[], env: NodeJS.ProcessEnv) =>
      new Promise<string>((resolve) => execFile(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'add', ...args], { cwd: kitRoot, env: { ...process.env, NO_COLOR: '', ...env } }, (_e, out) => resolve(out)));
    const escape = /\x1b\[/;
    expect(await run([], { FORCE_COLOR: '1' })).toMatch(escape);
    expect(await run([], { FORCE_COLOR: '1', NO_COLOR: '1' })).not.toMatch(escape);
    expect(await run(['--no-color'], { FORCE_COLOR: '1' })).not.toMatch(escape);
  });

  it('shows blocked stages’ own results with --all', async () => {
    const { stdout } = await grade(['--all']);
    expect(stdout).toMatch(/blocked: needs add; on its own: failed/);
  });
});

describe('grade hint', () => {
  it('reveals one more hint each time it is asked', async () => {
    const kit = kitCopy();
    const first = await grade(['hint', 'mul'], kit);
    const second = await grade(['hint', 'mul'], kit);
    expect(first.stdout).toContain('1. ');
    expect(first.stdout).not.toContain('2. ');
    expect(second.stdout).toContain('2. ');
  });
});

describe('grade list', () => {
  it('lists every stage with its TODOs and points', async () => {
    const { stdout, code } = await grade(['list', '--target', 'solutions']);
    expect(code).toBe(0);
    for (const s of stages.filter((x) => !x.optional)) expect(stdout).toContain(s.todos.join(', '));
    expect(stdout).toContain('7/7');
  });
});


describe('grade watch', () => {
  it('re-runs on save, recovers from an infinite loop, and quits on q', async () => {
    const dir = studentFolder(upTo('add'));
    const child = spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'watch', '--target', dir], { cwd: kitRoot, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`grade watch never printed '${text}'. It printed:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      const at = output.indexOf(text) + text.length;
      output = output.slice(at);
    };
    const engine = join(dir, 'engine.ts');
    const edit = (from: string, to: string) => writeFileSync(engine, read(engine).replace(from, to));
    await waitFor('Next: Value.mul');
    await waitFor('checked in');
    edit("throw new NotImplementedError('Value.mul');", 'while (true) {}');
    await waitFor('Value.mul never finished');
    edit('while (true) {}', "throw new NotImplementedError('Value.mul');");
    await waitFor('Value.mul is not started yet');
    child.stdin.write('q');
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(0);
  }, 90_000);
});
