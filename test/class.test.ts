// grade class on a folder of generated submissions: the reference (as a folder, a zip and a whole
// kit), the stubs, a one-bug mutant from the catalog for each stage, a hang, a crash and a
// malformed folder. Each row must be what the manifest says that submission earns, whatever the
// others do. (The catalog test proves every mutant's stage; this one proves the gradebook.)
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { required, stageOf, type Stage } from '../grader/stages.ts';
import { gradeCli, studentFolder, temp } from './helpers.ts';
import { mutants, solvedWith } from './mutants.ts';

/** The stages that need `failing`, directly or not, and it. */
function downstream(failing: string): Set<string> {
  const out = new Set([failing]);
  for (const stage of required) if (stage.needs.some((n) => out.has(n))) out.add(stage.id);
  return out;
}
const earns = (passing: Stage[]) => passing.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);

describe('grade class', () => {
  it('grades a folder of submissions in parallel into the right gradebook and class report', async () => {
    const folder = temp('class');
    const expected = new Map<string, number>();
    const add = (name: string, dir: string, total: number) => {
      cpSync(dir, join(folder, name), { recursive: true });
      expected.set(name, total);
    };
    add('ref-folder', join(kitRoot, 'solutions'), earns(required));
    mkdirSync(join(folder, 'ref-kit', 'exercises'), { recursive: true });
    cpSync(join(kitRoot, 'solutions'), join(folder, 'ref-kit', 'exercises'), { recursive: true });
    writeFileSync(join(folder, 'ref-kit', 'package.json'), '{}');
    expected.set('ref-kit', earns(required));
    const zipped = Object.fromEntries(['engine.ts', 'nn.ts'].map((f) => [`submission/${f}`, readFileSync(join(kitRoot, 'solutions', f))]));
    writeFileSync(join(folder, 'ref-zip.zip'), zipSync(zipped));
    expected.set('ref-zip', earns(required));
    for (const i of [1, 2]) add(`stubs-${i}`, studentFolder([]), 0);
    const onePerStage = required.map((stage) => mutants.find((m) => stageOf(m.todo) === stage)!);
    for (const m of onePerStage) {
      const broken = downstream(stageOf(m.todo)!.id);
      add(`mutant-${stageOf(m.todo)!.id}`, solvedWith({ [m.todo]: m.body }), earns(required.filter((s) => !broken.has(s.id))));
    }
    add('hangs-in-mul', solvedWith({ 'Value.mul': '{\n    while (true) {}\n  }' }), earns(required.filter((s) => !downstream('mul').has(s.id))));
    add('exits-in-relu', solvedWith({ 'Value.relu': '{\n    process.exit(3);\n  }' }), earns(required.filter((s) => !downstream('relu').has(s.id))));
    mkdirSync(join(folder, 'malformed'));
    writeFileSync(join(folder, 'malformed', 'notes.txt'), 'I did it in Python');
    expected.set('malformed', 0);
    expect(expected.size).toBe(15);

    const out = temp('out');
    const { code, stdout, stderr } = await gradeCli(['class', folder, '--jobs', '2', '--csv', join(out, 'grades.csv'), '--report', join(out, 'report.md'), '--json']);
    expect(code, stderr).toBe(0);
    const { rows, summary } = JSON.parse(stdout);
    const byName = new Map<string, { total: number; error?: string; failures: unknown[] }>(rows.map((r: { name: string }) => [r.name, r]));
    for (const [name, total] of expected) expect(byName.get(name)?.total, `${name}: ${JSON.stringify(byName.get(name)?.failures)}`).toBe(total);
    expect(byName.get('malformed')?.error).toContain('malformed');
    expect(stderr.endsWith(`█ ${expected.size}/${expected.size}\n`)).toBe(true);

    const csv = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\n');
    expect(csv[0]).toBe(`submission,${required.map((s) => s.id).join(',')},hidden,total,max,note`);
    expect(csv).toHaveLength(expected.size + 1);
    expect(csv.find((l) => l.startsWith('ref-zip,'))).toBe(`ref-zip,${required.map((s) => s.points).join(',')},10,110,110,`);

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`${expected.size} submissions, ${expected.size - 1} graded, 1 could not be graded.`);
    // relu needs nothing, so the 2 stubs and the submission that exits in relu all fail its first check.
    expect(summary.common[0]).toMatchObject({ stage: 'relu', test: "returns a new Value with the op 'ReLU' and a as its only operand", students: 3 });
    expect(summary.common).toContainEqual(expect.objectContaining({ stage: 'add', test: 'returns a new Value holding the sum', students: 2 }));
    const failAdd = ['stubs-1', 'stubs-2', 'mutant-add'].length;
    expect(summary.passRate.add).toBeCloseTo((expected.size - 1 - failAdd) / (expected.size - 1), 9);
    expect(report).toContain('| add |');
  }, 300_000);
});
