// The explainer: a failing check about values or gradients carries its graph, what each grad
// should be, and the node that holds the mistake; the terminal shows it, --json carries it, and
// `grade explain` draws it as a page that steps through the student's own backward pass, read here
// in a real browser (Debian's chromium, driven by playwright-core).
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { stageOf } from '../grader/stages.ts';
import { gradeCli, gradeHere, gradeIn, kitCopy, read, run, studentFolder, temp } from './helpers.ts';
import { mutants, solvedWith } from './mutants.ts';

/** The catalog's mutant of `todo` whose body holds `text`. */
const mutant = (todo: string, text: string) => mutants.find((m) => m.todo === todo && m.body.includes(text))!.body;
/** mul with = for += (the catalog's mul mutants are about edge values). */
const mulOverwrites = `{
    const o = other instanceof Value ? other : new Value(other);
    const out = new Value(this.data * o.data, [this, o], '*');
    out._backward = () => {
      this.grad = o.data * out.grad;
      o.grad = this.data * out.grad;
    };
    return out;
  }`;
/** A backward() that walks the graph in pre-order (each node before the nodes it was computed from), as a recursion with a visited set. */
const preOrder = `{
    const order: Value[] = [];
    const visited = new Set<Value>();
    const visit = (v: Value) => {
      if (visited.has(v)) return;
      visited.add(v);
      order.push(v);
      for (const child of v._prev) visit(child);
    };
    visit(this);
    this.grad = 1;
    for (const v of order) v._backward();
  }`;
const forwards = `{
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
    for (const v of topo) v._backward();
  }`;
const noVisited = `{
    const topo: Value[] = [];
    const build = (v: Value) => {
      for (const child of v._prev) build(child);
      topo.push(v);
    };
    build(this);
    this.grad = 1;
    for (let i = topo.length - 1; i >= 0; i--) topo[i]._backward();
  }`;

/** The first failing check with a graph of the stage that owns `todo`, for code with this body. */
async function explained(todo: string, body: string) {
  const report = await gradeHere(solvedWith({ [todo]: body }));
  const stage = report.stages.find((s) => s.id === stageOf(todo)!.id)!;
  const failure = stage.failures.find((f) => f.graph?.culprit);
  expect(failure, `${todo}: ${stage.failures.map((f) => f.message).join('\n')}`).toBeDefined();
  return failure!.graph!;
}

describe('the explainer', () => {
  it.each([
    ['add with = for +=', 'Value.add', mutant('Value.add', 'this.grad = out.grad;'), '+', 'arithmetic', /the second \+= was lost: was it =\?|\+= where = is/],
    ['mul with = for +=', 'Value.mul', mulOverwrites, '*', 'arithmetic', /\+= where = is|the second \+= was lost/],
    ['pow without out.grad', 'Value.pow', mutant('Value.pow', 'this.grad += exponent * this.data ** (exponent - 1);'), '**', 'arithmetic', /times .*\.grad was left out/],
    ['relu without out.grad', 'Value.relu', mutant('Value.relu', 'this.grad += out.data > 0 ? 1 : 0;'), 'ReLU', 'arithmetic', /times .*\.grad was left out/],
    ['backward in pre-order', 'Value.backward', preOrder, undefined, 'order', /A pre-order walk \(each node before its children\) does this/],
    ['backward walking its list the wrong way', 'Value.backward', forwards, undefined, 'order', /walked from its start, so y's own _backward ran last: list each node after all of its children \(post-order\), then call _backward from the end/],
    ['backward without a visited set', 'Value.backward', noVisited, undefined, 'repeated', /visited set/],
  ])('names the node that holds the mistake: %s', async (_name, todo, body, op, kind, diagnosis) => {
    const graph = await explained(todo, body);
    const culprit = graph.culprit!;
    expect(culprit.kind).toBe(kind);
    if (op) expect(graph.nodes[culprit.node].op.startsWith(op), graph.nodes[culprit.node].op).toBe(true);
    expect(culprit.diagnosis).toMatch(diagnosis);
    // The grads: what each should be, the wrong ones marked, from the output back.
    expect(graph.order[0]).toBe(graph.root);
    expect(graph.nodes.some((n) => n.wrong && n.expected !== undefined)).toBe(true);
  });

  it('counts an operand used twice (b = a + a) once in a step, with both uses in its change', async () => {
    const graph = await explained('Value.backward', noVisited);
    const twice = graph.walk.filter((s) => graph.expressions[s.node] === 'a + a');
    expect(twice.length, graph.expressions.join(', ')).toBe(2);
    for (const step of twice) {
      expect(step.changes).toHaveLength(1);
      expect(Number(step.changes[0].to) - Number(step.changes[0].from)).toBe(2 * Number(step.grad));
    }
  });

  it('shows the graph under the first failing check, compactly, with the arithmetic in numbers', async () => {
    const dir = solvedWith({ 'Value.add': mutant('Value.add', 'this.grad = out.grad;') });
    const { stdout } = await gradeIn(['--target', dir]);
    const block = stdout.slice(stdout.indexOf('The graph of this check'), stdout.indexOf('Hint:'));
    expect(block.split('\n').length).toBeLessThanOrEqual(14);
    expect(block).toMatch(/out = a \+ b: a\.grad = 1 \+ 1·out\.grad = 3, with out\.grad = 2; yours 2 \(it was overwritten, not added to: \+= where = is\)/);
    expect(block).toMatch(/✗ out +data +5/);
    // --json carries the same graph under the failure.
    const json = JSON.parse((await gradeIn(['--target', dir, '--json'])).stdout);
    const failure = json.stages[0].failures.find((f: { graph?: unknown }) => f.graph);
    expect(failure.graph.culprit).toMatchObject({ kind: 'arithmetic', diagnosis: 'it was overwritten, not added to: += where = is' });
    expect(failure.graph.nodes.map((n: { name: string }) => n.name)).toEqual(['a', 'b', 'out']);
  });

  it('says nothing of a graph where the mistake is not in one (a stub, a thrown error)', async () => {
    const report = await gradeHere(studentFolder([]));
    expect(report.stages[0].failures.some((f) => f.graph?.culprit)).toBe(false);
  });
});

const chromium = '/usr/bin/chromium';

describe.skipIf(!existsSync(chromium) && !process.env.CI)('grade explain, in a real browser', () => {
  it('writes a page that steps through the student’s own backward pass, showing the node that ran too early', async () => {
    const dir = solvedWith({ 'Value.backward': preOrder });
    const ran = await gradeIn(['explain', 'backward', '--target', dir]);
    expect(ran.stdout).toContain('step by step:');
    const page = join(dir, '.grade', 'explain-backward.html');
    expect(existsSync(page)).toBe(true);
    const { chromium: browsers } = await import('playwright-core');
    const browser = await browsers.launch({ executablePath: chromium, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
    try {
      const tab = await browser.newPage();
      await tab.goto(`file://${page}`);
      expect(await tab.textContent('#caption')).toMatch(/^Before: the grads as the check set them\. \d+ _backward calls follow/);
      expect(await tab.textContent('.culprit')).toMatch(/passed its grad on when it was \d+, and was \d+ in the end/);
      // Step with the arrow key until a node passes its grad on too early; the picture changes with each step.
      const seen: string[] = [];
      for (let k = 0; k < 12; k++) {
        await tab.keyboard.press('ArrowRight');
        seen.push((await tab.textContent('#caption')) ?? '');
        if (seen.at(-1)!.includes('it ran before every node that uses it')) break;
      }
      expect(seen.at(-1)).toMatch(/^Step \d+ of \d+: .*'s _backward \(\*\) with .* It passed on \d+, but .*\.grad is \d+ in the end/);
      const shown = await tab.locator('.step.shown svg').textContent();
      expect(shown).toContain('should be 39');
      await tab.click('#prev');
      expect(await tab.textContent('#where')).toMatch(/^step \d+ of \d+$|^before the pass$/);
    } finally {
      await browser.close();
    }
  });
});


describe('grade play and npm run trace', () => {
  it('runs micrograd’s example session, written as play.ts the first time, with the reference: 24.7041, 138.8338, 645.5773', async () => {
    const kit = kitCopy(join(kitRoot, 'solutions'));
    const ran = await gradeCli(['play'], { kit, cwd: kit });
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/Wrote play\.ts: micrograd's example session[^]*\n24\.7041\n138\.8338\n645\.5773\n/);
    // The second time it runs the file as it is, the student's to edit.
    writeFileSync(join(kit, 'play.ts'), `${read(join(kit, 'play.ts')).replace('// g.label', 'g.label').replace('// await draw(g);', 'await draw(g);')}`);
    const drawn = await gradeCli(['play'], { kit, cwd: kit });
    expect(drawn.stdout).not.toContain('Wrote play.ts');
    expect(drawn.stdout).toMatch(/\ng +data 24\.7041 +grad +1 = /);
    expect(read(join(kit, 'g.svg'))).toContain('<svg');
  });

  it('shows an error a play file throws at its line, and stops a file that runs on without printing', async () => {
    const kit = kitCopy();
    writeFileSync(join(kit, 'broken.ts'), "import { Value } from './exercises/engine.ts';\nconsole.log('before');\nnew Value(1).add(2);\n");
    const thrown = await gradeCli(['play', 'broken.ts'], { kit, cwd: kit });
    expect(thrown.code).toBe(1);
    expect(thrown.stdout).toMatch(/before\n\n✗ Value\.add is not started yet: it still throws NotImplementedError\.\n {2}at broken\.ts:3:14/);
    writeFileSync(join(kit, 'loops.ts'), "import { Value } from './exercises/engine.ts';\nlet x = new Value(1);\nwhile (x) x = new Value(x.data);\n");
    const looped = await gradeCli(['play', 'loops.ts', '--time-limit', '2'], { kit, cwd: kit });
    expect(looped.code).toBe(1);
    expect(looped.stdout).toContain('loops.ts never finished: it ran for 2 s without printing anything.');
  });

  it('draws an expression over Value with npm run trace, every node named', async () => {
    const out = join(temp('trace'), 'graph.svg');
    const ran = await run(process.execPath, [join(kitRoot, 'dist', 'examples', 'trace.js'), 'Value(2).mul(3).add(1).relu()', '--target', join(kitRoot, 'solutions'), '--out', out]);
    expect(ran.code, ran.stderr).toBe(0);
    expect(ran.stdout).toMatch(/^y +data 7 +grad 1 = relu\(\(2·3\) \+ 1\)$/m);
    expect(read(out)).toContain('(2·3) + 1');
  });
});
