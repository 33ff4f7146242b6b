// The `grade` command. Spawned as a student runs it where the process itself matters: exit codes,
// colour, kits of their own, watch. (A first run's screen is in install.test.ts and
// release.test.ts, through npx.) Elsewhere it runs in this process (gradeIn) through one warm
// runner: the suites still run in a test process of their own, which the student's code may loop
// in, print from or end, and the type check on the source checker's worker thread.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { methodsOf } from '../grader/source/source.ts';
import { gradeCli, gradeIn, kitCopy, owned, read, run, runnerWith, solution, stub, studentFolder, temp, upTo } from './helpers.ts';

const stubLine = (todo: string) => methodsOf(stub('engine.ts')).get(todo)!.line;
const replacing = (todo: string, code: string) => (t: string) => t.replace(`throw new NotImplementedError('${todo}');`, code);
// For code that loops until it is stopped: a runner of its own that allows a third of the default
// stall (3 s). It stops the run the same way, only sooner.
const impatient = runnerWith({ stallMs: 1000 });

describe.concurrent('grade', () => {
  it('points fresh stubs at Value.add, at its line, exits 1, and writes nothing into the folder it grades', async () => {
    const dir = studentFolder([]);
    const { code, stdout } = await gradeIn(['--target', dir]);
    expect(code).toBe(1);
    expect(readdirSync(dir).sort()).toEqual(['engine.ts', 'nn.ts']);
    expect(stdout).toMatch(new RegExp(`Next: Value.add in .*engine\\.ts:${stubLine('Value.add')}`));
    expect(stdout).toContain('Value.add is not started yet');
    expect(stdout).toContain('0/7');
    expect(stdout).toContain('npx grade hint add');
  });

  it('stops an infinite loop, saying how long it ran, and names the stage, test and method', async () => {
    const { code, stdout, ms } = await gradeIn(['--target', studentFolder(upTo('relu'), replacing('Value.backward', 'while (true) {}'))], { runner: impatient });
    expect(code).toBe(1);
    // Not a speed check: it proves the grader ends. This watchdog allows 1 s of a spinning thread,
    // or 4 s on a machine too busy to tell.
    expect(ms).toBeLessThan(45_000);
    expect(stdout).toContain('Next: Value.backward');
    expect(stdout).toMatch(/Value\.backward never finished: it ran for \d+(\.\d)? s/);
    expect(stdout).toContain('sets the grad of the Value it is called on to 1');
    expect(stdout).toContain('visited set');
  });

  it('shows a syntax error as one message with file:line:col and a code frame', async () => {
    const dir = studentFolder([], (t, file) => (file === 'engine.ts' ? t.replace('  relu(): Value {', '  relu(): Value {{') : t));
    const { code, stdout } = await gradeIn(['--target', dir]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: fix the syntax error at .*engine\.ts:\d+:\d+/);
    expect(stdout).toMatch(/> \d+ \|/);
    expect(stdout).not.toContain('node_modules');
  });

  it.each([
    ['process.exit(0)', 'process.exit(0);', 'process.exit unexpectedly called'],
    // In a warm runner, vitest's own SIGTERM handler may end the process first, with its exit code.
    ['process.kill(process.pid)', 'process.kill(process.pid); return this;', "The test process ended while Value.add was running: it called process.kill(process.pid, 'SIGTERM')"],
    ['process.reallyExit(0)', '(process as any).reallyExit(0); return this;', 'The test process ended while Value.add was running: it called process.reallyExit(0)'],
    ["throw 'oops'", "throw 'oops';", 'threw a value that is not an Error: oops'],
  ])('fails the stage, never passes it, when the code calls %s', async (_name, code, message) => {
    const ran = await gradeIn(['--target', studentFolder([], replacing('Value.add', code))]);
    expect(ran.stdout).toMatch(message);
    expect(ran.stdout).toMatch(/✗ add/);
    expect(ran.stdout).not.toContain('You built micrograd');
    expect(ran.code).toBe(1);
  });

  it('shows what the code printed without escape codes, and how many lines were left out', async () => {
    const dir = studentFolder([], replacing('Value.add', "for (let i = 0; i < 20; i++) console.log('\\x1b[31mline ' + i + '\\x1b[0m'); throw new NotImplementedError('Value.add');"));
    const { stdout } = await gradeIn(['--target', dir]);
    expect(stdout).toMatch(/Your code printed, in this check and \d+ more:\n +│ line 0\n/);
    expect(stdout).not.toContain('\x1b[');
    expect(stdout).toMatch(/… \d+ more lines left out/);
  });

  it('says a loop was printing megabytes rather than blaming another method', async () => {
    const dir = studentFolder(upTo('add'), replacing('Value.mul', "while (true) console.log('x'.repeat(1000));"));
    const { stdout } = await gradeIn(['--target', dir]);
    // Stopped once it printed more than any check needs, or (on a machine too slow to print that
    // much) when it went quiet.
    expect(stdout).toMatch(/Value\.mul (was stopped: it printed|never finished: it ran for [\d.]+ s and printed) \d+ MB in [\d,]+ lines/);
  });

  it('prints one JSON document of the documented shape with --json', async () => {
    const { code, stdout } = await gradeIn(['--target', studentFolder(upTo('add')), '--json']);
    const report = JSON.parse(stdout);
    expect(code).toBe(1);
    expect(Object.keys(report)).toEqual(['target', 'passed', 'total', 'score', 'stages', 'next', 'note', 'seed']);
    expect(report).toMatchObject({ passed: 1, total: 7, score: { points: 10, max: 100, hidden: { points: 0, max: 10 }, total: 10, totalMax: 110 } });
    for (const s of report.stages) {
      expect(Object.keys(s).filter((k) => k !== 'because' && k !== 'hidden')).toEqual(['id', 'title', 'status', 'optional', 'todos', 'own', 'outcome', 'scored', 'points', 'max', 'failures']);
      for (const f of s.failures) expect(Object.keys(f).filter((k) => k !== 'at')).toEqual(['test', 'message', 'todo', 'kind']);
    }
    expect(Object.keys(report.next)).toEqual(['kind', 'stage', 'todo', 'file', 'line', 'hint']);
    expect(report.next).toMatchObject({ kind: 'todo', stage: 'mul', todo: 'Value.mul' });
    expect(report.stages.map((s: { outcome: string }) => s.outcome)).toEqual(['passed', ...Array(6).fill('not-started')]);
    expect(report.note).toBe('mul: returns a new Value holding the product, with its operands and the op \'*\': Value.mul is not started yet: it still throws NotImplementedError.');
  });

  it('says that a named stage and its needs pass, and what comes next, without claiming the whole engine', async () => {
    const { code, stdout } = await gradeIn(['MUL', '--target', studentFolder(upTo('mul'))]);
    expect(code, stdout).toBe(0);
    expect(stdout).toContain('Stages add, mul pass.');
    expect(stdout).toContain('Next: stage pow (Value.pow, Value.div): npx grade pow');
    expect(stdout).not.toContain('You built micrograd');
  });

  it('says why the stage asked for fails, also when the next step is an earlier stage, and lists every failing check with --verbose', async () => {
    const { code, stdout } = await gradeIn(['relu', '--target', studentFolder(upTo('add')), '--verbose']);
    expect(code).toBe(1);
    expect(stdout).toContain('Next: Value.mul');
    expect(stdout).toMatch(/✗ relu: .*\n {5}Value\.relu is not started yet/);
    const verbose = stdout.slice(stdout.indexOf(' Stage mul:'));
    expect(verbose).toMatch(/^ Stage mul:\n {3}✗ Value\.mul: .*\n {5}Value\.mul is not started yet/);
    expect(verbose.match(/✗ Value\.\w+:/g)!.length).toBeGreaterThan(5);
    expect(verbose).toContain('\n Stage relu:\n');
    expect(verbose).not.toContain('Stage pow:'); // blocked: its need says it
  });

  it('lists every stage with its status, points and TODOs, and the bonus stages with their command', async () => {
    const { code, stdout } = await gradeIn(['list', '--target', studentFolder(upTo('add'))]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/✓ add +Add two Values and pass gradients back {2}10 pts\n {5}Value\.add\n/);
    expect(stdout).toMatch(/· pow +blocked: needs mul; on its own: failed {2}15 pts\n {5}Value\.pow, Value\.div\n/);
    expect(stdout).toMatch(/\+ deep +Bonus: backward through a million-node chain · run it with npx grade deep {2}5 pts/);
    expect(stdout).toContain('Progress ███░░░░░░░░░░░░░░░░░░ 1/7');
    const column = (text: string) => stdout.split('\n').find((line) => line.includes(text))!.indexOf(text);
    expect(column('Bonus: backward')).toBe(column('Add two Values'));
  });

  it('gives one more hint each time, for a stage or for the stage of a TODO, and remembers them in the graded folder', async () => {
    const dir = studentFolder([]);
    const first = await gradeIn(['hint', 'Value.neg', '--target', dir]);
    expect(first.stdout).toMatch(/Hints for mul: .*\n 1\. .*\n\n \d+ more: run npx grade hint mul again\./);
    const second = await gradeIn(['hint', 'MUL', '--target', dir]);
    expect(second.stdout).toMatch(/\n 1\. .*\n 2\. /);
    expect(read(join(dir, '.grade', 'state.json'))).toMatch(/"mul": 2/);
    const unknown = await gradeIn(['hint', 'Value.sigmoid', '--target', dir]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("'Value.sigmoid' is neither a stage nor a TODO");
  });

  it('rejects an unknown stage with exit code 2', async () => {
    const { code, stderr } = await gradeCli(['nope']);
    expect(code).toBe(2);
    expect(stderr).toContain("There is no stage 'nope'. The stages are: add, mul, pow");
  });

  it('honours NO_COLOR and --no-color, even where colour is forced', async () => {
    // Colour is decided once for every command (ui.ts and the --no-color hook): a hint shows it.
    const dir = studentFolder([]);
    const escape = /\x1b\[/;
    expect((await gradeCli(['hint', 'add', '--target', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stdout).toMatch(escape);
    expect((await gradeCli(['hint', 'add', '--target', dir], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toMatch(escape);
    expect((await gradeCli(['hint', 'add', '--target', dir, '--no-color'], { env: { FORCE_COLOR: '1', NO_COLOR: '' } })).stdout).not.toMatch(escape);
  });

  it('grades the kit’s own exercises from anywhere inside the kit, keeps its state there, and warns loudly that a suite was edited', async () => {
    const kit = kitCopy(studentFolder(upTo('add')));
    rmSync(join(kit, 'solutions'), { recursive: true }); // a student's kit, which never builds the grader
    writeFileSync(join(kit, 'grader', 'run', 'progress.ts'), `${read(join(kit, 'grader', 'run', 'progress.ts'))}\n// edited\n`);
    const { stdout, code } = await gradeCli([], { kit, cwd: join(kit, 'exercises') });
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: Value\.mul in engine\.ts:\d+/);
    expect(stdout).toContain("The grader's suites were changed: run/progress.ts");
    expect(read(join(kit, '.grade', 'state.json'))).toContain('"next": "mul"');
    const hint = await gradeCli(['hint'], { kit, cwd: join(kit, 'grader') });
    expect(hint.stdout).toContain('Hints for mul');
  });

  it('is an instructor’s error, exit 2 naming the file, when a hidden check does not load, and an edited one counts only once built', async () => {
    const kit = kitCopy(studentFolder([]));
    writeFileSync(join(kit, 'grader', 'hidden', '02-mul.hidden.ts'), "import { missing } from './nowhere.ts';\nmissing();\n");
    const graded = () => gradeCli(['--target', studentFolder(upTo('mul'))], { kit });
    const unbuilt = await graded();
    expect(unbuilt.code).toBe(2);
    expect(unbuilt.stderr).toContain("grader/hidden/02-mul.hidden.ts changed since the grader was built, and an instructor's grading never builds on its own");
    expect((await run(process.execPath, [join(kit, 'bin', 'build.js'), '--force'])).code).toBe(0);
    const { code, stderr } = await graded();
    expect(code).toBe(2);
    expect(stderr).toContain('A hidden check failed to load');
    expect(stderr).toContain('grader/hidden/02-mul.hidden.ts');
  });
});

// Not among the concurrent runs: the type check has to finish within the verdict's wait.
describe('grade, one run at a time', () => {
  /** A student's kit (no solutions/) with these exercises, whose type check is cached in its .grade/. */
  const studentKit = (exercises: string) => {
    const kit = kitCopy(exercises);
    rmSync(join(kit, 'solutions'), { recursive: true });
    return kit;
  };
  /** npx grade there; again (up to 3 more times) if even the longer wait for the type check ran out, on a starved machine. */
  const graded = async (kit: string, args: string[] = []) => {
    let ran = await gradeCli(args, { kit, cwd: kit });
    for (let tries = 0; tries < 3 && ran.stdout.includes('come with your next npx grade'); tries++) ran = await gradeCli(args, { kit, cwd: kit });
    return ran;
  };

  it('exits 0 with a congratulation when everything is solved, and lists type errors under it, as tsc does', async () => {
    const dir = temp('solved');
    cpSync(join(kitRoot, 'solutions'), dir, { recursive: true });
    writeFileSync(join(dir, 'engine.ts'), read(join(dir, 'engine.ts')).replace('toString(): string {', 'toString(): string {\n    const typo: number = this.label;'));
    const { code, stdout } = await graded(studentKit(dir));
    expect(code).toBe(0);
    expect(stdout).toContain('All 7 stages pass');
    expect(stdout).toMatch(/⚠ 1 type error \(tsc, strict mode\)[^]*exercises\/engine\.ts:\d+:\d+ Type 'string' is not assignable to type 'number'/);
  });

  it('agrees with npx tsc --noEmit: console.assert and process are fine, as Node’s types say', async () => {
    const dir = temp('node-types');
    cpSync(join(kitRoot, 'solutions'), dir, { recursive: true });
    writeFileSync(join(dir, 'engine.ts'), read(join(dir, 'engine.ts')).replace('toString(): string {', "toString(): string {\n    console.assert(this.grad >= 0, 'a debugging line');\n    if (process.env.DEBUG) console.log(this.data);\n    const wrong: number = process.env.HOME;"));
    const kit = studentKit(dir);
    const { stdout } = await graded(kit);
    const tsc = await run(process.execPath, [join(kitRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(kit, 'tsconfig.json')], { cwd: kit });
    const theirs = [...tsc.stdout.matchAll(/^exercises\/engine\.ts\((\d+),(\d+)\): error TS\d+: (.*)$/gm)].map(([, line, col, text]) => `exercises/engine.ts:${line}:${col} ${text}`);
    expect(theirs).toHaveLength(1);
    expect(stdout).toContain(`⚠ 1 type error (tsc, strict mode)`);
    expect(stdout).toContain(theirs[0]);
    // Only console: checked without Node's types first (the quick way), with the same verdict as tsc.
    writeFileSync(join(kit, 'exercises', 'engine.ts'), read(join(dir, 'engine.ts')).replace(/\n.*process\.env.*\n.*process\.env\.HOME;/, "\n    console.table([this.data]);\n    console.dir(this, { depth: 1 });"));
    const fine = await graded(kit);
    expect((await run(process.execPath, [join(kitRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', join(kit, 'tsconfig.json')], { cwd: kit })).stdout).toBe('');
    expect(fine.stdout).toContain('All 7 stages pass');
    expect(fine.stdout).not.toMatch(/⚠ \d+ type error/);
  });

  it('names a suite that is gone instead of blaming the student’s code, and says where printing came from', async () => {
    const dir = studentFolder(upTo('add'), (t, file) => (file === 'engine.ts' ? t.replace("throw new NotImplementedError('Value.relu');", "console.log('in relu');\n    throw new NotImplementedError('Value.relu');") : t));
    const kit = studentKit(dir);
    rmSync(join(kit, 'grader', 'suites', '02-mul.test.ts'));
    const { stdout } = await gradeCli([], { kit, cwd: kit });
    expect(stdout).toContain("The grader's own checks for stage mul, grader/suites/02-mul.test.ts, are missing. Restore them with: git checkout -- grader/suites");
    expect(stdout).not.toMatch(/Your code threw Error: Cannot find module/);
    // relu printed; the failing check shown is mul's: the printing is named by its own check.
    expect(stdout).toMatch(/Your code printed, in the check “returns a new Value with the op 'ReLU'[^”]*” and \d+ more:\n +│ in relu\n +│ in relu\n/);
  });

  it('shows a stage’s lesson once, when it passes, and again with grade why', async () => {
    const kit = studentKit(studentFolder(upTo('add')));
    const first = await gradeCli([], { kit, cwd: kit });
    expect(first.stdout).toMatch(/✓ What stage add shows\n +out = a\.add\(a\) at a = 3: your _backward gives a\.grad = 2\./);
    expect((await gradeCli([], { kit, cwd: kit })).stdout).not.toContain('What stage add shows');
    const why = await gradeCli(['why', 'add'], { kit, cwd: kit });
    expect(why.stdout).toContain('With = instead of += the second write');
    expect((await gradeCli(['why', 'mul'], { kit, cwd: kit })).stdout).toContain("Stage mul doesn't pass yet: its lesson comes when it does.");
  });

  it('lists the instructors’ commands in a group of their own, and in a student’s kit not at all', async () => {
    const mine = await gradeCli(['--help']);
    expect(mine.stdout).toMatch(/Instructor options:\n +--gradescope[^]*Instructor commands:\n +release[^]*class/);
    const kit = studentKit(studentFolder([]));
    const theirs = await gradeCli(['--help'], { kit });
    expect(theirs.stdout).toContain('explain [stage]');
    for (const word of ['Instructor', 'release', 'gradescope-bundle', 'class', '--gradescope', '--run-as', '--seed']) expect(theirs.stdout).not.toContain(word);
  });
});

describe('grade watch', () => {
  it('re-runs on save and on r, grades a fix saved while a stuck run is being stopped, shows type errors, hints and the list, and quits on q', async () => {
    const dir = studentFolder(upTo('add'));
    const child = owned(spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'watch', '--target', dir], { env: { ...process.env, NO_COLOR: '1' } }));
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    const waitFor = async (text: string) => {
      const deadline = Date.now() + 60_000;
      while (!output.includes(text)) {
        if (Date.now() > deadline) throw new Error(`grade watch never printed '${text}'. It printed:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
      output = output.slice(output.indexOf(text) + text.length);
    };
    const engine = join(dir, 'engine.ts');
    const edit = (from: string, to: string) => writeFileSync(engine, read(engine).replace(from, to));
    const stubbed = "throw new NotImplementedError('Value.mul');";
    const typo = `const typo: number = 'x';\n    ${stubbed}`;
    await waitFor('Next: Value.mul');
    await waitFor('checked in');
    // The keys: a hint, the list, a re-run (the stage you are on first, then all).
    child.stdin.write('h');
    await waitFor('Hints for mul');
    await waitFor('more: press h again.');
    child.stdin.write('l');
    await waitFor('blocked: needs mul; on its own: failed');
    child.stdin.write('r');
    await waitFor('running mul…');
    await waitFor('running add, mul, pow, relu, backward, neuron, mlp…');
    await waitFor('checked in');
    edit(stubbed, 'while (true) {}');
    await waitFor('running mul…');
    // The fix (with a type error) lands while the loop is still spinning: the watchdog needs 3 s to stop it.
    await new Promise((r) => setTimeout(r, 500));
    edit('while (true) {}', typo);
    await waitFor('Value.mul never finished');
    await waitFor('Value.mul is not started yet');
    // Type errors come under the verdict, also when the compiler's answer is ready before the run's:
    // the second time, it comes from the cache at once.
    await waitFor('⚠ 1 type error');
    edit(typo, stubbed);
    await waitFor('checked in');
    edit(stubbed, typo);
    await waitFor('⚠ 1 type error');
    child.stdin.write('q');
    expect(await new Promise((r) => child.once('exit', r))).toBe(0);
  }, 90_000);
});

describe('grade diff', () => {
  it('puts each TODO of a submission next to the reference, leaving out the TODO comments the student kept', async () => {
    // Solved as the reference under the kept TODO comment (mul); += turned into = (add); relu deleted.
    const inner = (todo: string) => methodsOf(solution('engine.ts')).get(todo)!.body.slice(1, -1).trim();
    const dir = studentFolder([], (t, file) => {
      if (file !== 'engine.ts') return t;
      const edited = replacing('Value.add', inner('Value.add').replaceAll('+= out.grad', '= out.grad'))(replacing('Value.mul', inner('Value.mul'))(t));
      return edited.replace(/\n {2}relu\(\): Value \{[^]*?\n {2}\}\n/, '\n');
    });
    const { code, stdout } = await gradeIn(['diff', '--target', dir]);
    expect(code).toBe(0);
    expect(stdout).toContain('= Value.mul: same as the reference');
    expect(stdout).toMatch(/≠ Value\.add:\n--- solutions\/engine\.ts Value\.add\n\+\+\+ .*engine\.ts Value\.add\n/);
    expect(stdout).toContain('-      this.grad += out.grad;\n-      o.grad += out.grad;\n+      this.grad = out.grad;\n+      o.grad = out.grad;');
    expect(stdout).not.toContain('TODO(');
    expect(stdout).toMatch(/✗ Value\.relu: missing from .*engine\.ts/);
    expect(stdout).toContain('· Value.pow: not attempted');
    // One stage's TODOs, or one TODO.
    expect((await gradeIn(['diff', 'mul', '--target', dir])).stdout.match(/^\S Value\.\w+/gm)).toEqual(['= Value.mul', '· Value.neg', '· Value.sub']);
    expect((await gradeIn(['diff', 'nope', '--target', dir])).code).toBe(2);
  });
});
