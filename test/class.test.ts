// grade class on a folder of generated submissions: the reference, the stubs, one-bug mutants from
// the catalog at two stages (handed in as a zip and a whole kit), a hang, a crash and a
// malformed folder. Each row must be what the manifest says that submission earns, whatever the
// others do. (The catalog test proves every mutant's stage; this one proves the gradebook.)
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { dependsOn, required, stageOf, type Stage } from '../grader/stages.ts';
import { gradeCli, owned, studentFolder, temp } from './helpers.ts';
import { mutants, solvedWith } from './mutants.ts';

const earns = (passing: Stage[]) => passing.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
/** What a submission earns when `failing` fails: every stage but it and those that need it. */
const earnsWithout = (failing: string) => earns(required.filter((s) => s.id !== failing && !dependsOn(s, failing)));

describe('grade class', () => {
  it('grades a folder of submissions in parallel into the right gradebook and class report', async () => {
    const folder = temp('class');
    const expected = new Map<string, number>();
    /** Hands in `dir` as a folder, a zip of a folder, or a whole kit with it as exercises/. */
    const add = (name: string, dir: string, total: number, form: 'folder' | 'zip' | 'kit' = 'folder') => {
      if (form === 'folder') cpSync(dir, join(folder, name), { recursive: true });
      if (form === 'kit') {
        cpSync(dir, join(folder, name, 'exercises'), { recursive: true });
        writeFileSync(join(folder, name, 'package.json'), '{}');
      }
      if (form === 'zip') {
        const files = Object.fromEntries(['engine.ts', 'nn.ts'].map((f) => [`submission/${f}`, readFileSync(join(dir, f))]));
        writeFileSync(join(folder, `${name}.zip`), zipSync(files));
      }
      expected.set(name, total);
    };
    add('ref', join(kitRoot, 'solutions'), earns(required));
    add('stubs', studentFolder([]), 0);
    // A mistake in a stage with hidden checks (handed in as a zip), and in the last (as a whole kit).
    const forms = { backward: 'zip', mlp: 'kit' } as const;
    for (const [id, form] of Object.entries(forms)) {
      const m = mutants.find((m) => stageOf(m.todo)?.id === id)!;
      add(`mutant-${id}`, solvedWith({ [m.todo]: m.body }), earnsWithout(id), form);
    }
    add('hangs-in-mul', solvedWith({ 'Value.mul': '{\n    while (true) {}\n  }' }), earnsWithout('mul'));
    add('exits-in-relu', solvedWith({ 'Value.relu': '{\n    process.exit(3);\n  }' }), earnsWithout('relu'));
    mkdirSync(join(folder, 'malformed'));
    writeFileSync(join(folder, 'malformed', 'notes.txt'), 'I did it in Python');
    expected.set('malformed', 0);
    expect(expected.size).toBe(7);

    const out = temp('out');
    const { code, stdout, stderr } = await gradeCli(['class', folder, '--jobs', '2', '--csv', join(out, 'grades.csv'), '--report', join(out, 'report.md'), '--json']);
    expect(code, stderr).toBe(0);
    const { rows, summary } = JSON.parse(stdout);
    const byName = new Map<string, { total: number; error?: string; failures: unknown[] }>(rows.map((r: { name: string }) => [r.name, r]));
    for (const [name, total] of expected) expect(byName.get(name)?.total, `${name}: ${JSON.stringify(byName.get(name)?.failures)}`).toBe(total);
    expect(byName.get('malformed')?.error).toContain('malformed');
    // Not a terminal: a line for each submission as it is graded, not a bar.
    const lines = stderr.trimEnd().split('\n');
    expect(lines.map((l) => l.match(/^ (\d+)\/7 /)?.[1])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
    expect(lines.map((l) => l.split(' ')[2].slice(0, -1)).sort()).toEqual([...expected.keys()].sort());
    expect(lines).toContainEqual(expect.stringMatching(/ ref: 110 points$/));

    const csv = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(`submission,${required.map((s) => s.id).join(',')},hidden,total,max,note`);
    expect(csv).toHaveLength(expected.size + 1);
    expect(csv.find((l) => l.startsWith('ref,'))).toBe(`ref,${required.map((s) => s.points).join(',')},10,110,110,`);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`${expected.size} submissions, ${expected.size - 1} graded, 1 could not be graded.`);
    // relu needs nothing, so the stubs and the submission that exits in relu both fail its first check.
    expect(summary.common[0]).toMatchObject({ stage: 'relu', test: "returns a new Value with the op 'ReLU' and a as its only operand", students: 2 });
    expect(summary.common).toContainEqual(expect.objectContaining({ stage: 'add', test: 'returns a new Value holding the sum', students: 1 }));
    const failAdd = ['stubs'].length;
    expect(summary.passRate.add).toBeCloseTo((expected.size - 1 - failAdd) / (expected.size - 1), 9);
    expect(report).toContain('| add |');
  }, 300_000);

  it('leaves no copy of a submission behind when it is stopped with Ctrl-C', async () => {
    const folder = temp('class');
    for (const name of ['a', 'b', 'c']) cpSync(studentFolder([]), join(folder, name), { recursive: true });
    const tmp = temp('tmp');
    const child = owned(spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'class', folder, '--jobs', '1'], { env: { ...process.env, TMPDIR: tmp } }));
    await new Promise<void>((resolve) => child.stderr.on('data', (d) => String(d).includes('1/3') && resolve()));
    child.kill('SIGINT');
    expect(await new Promise((resolve) => child.once('exit', resolve))).toBe(130);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
