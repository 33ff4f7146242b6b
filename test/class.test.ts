// grade class on the kit's whole catalog (every correct style, every one-bug submission) and on the
// forms students hand in: one verdict for two audiences. Each submission is graded twice: as the
// student's own npx grade does (this process, the warm runner, no trusted check), and by the
// instructor's grade class (sandboxed, with the trusted check and the hidden checks). Every stage
// must have the same status, own result and points in both, and the gradebook and class report
// must say so.
import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import type { Report } from '../grader/report/report.ts';
import { parseCsv } from '../grader/instructor/roster.ts';
import { required, stages } from '../grader/stages.ts';
import { gradeCli, gradeHere, owned, solution, studentFolder, temp } from './helpers.ts';
import { mutants, solvedWith, unusual } from './mutants.ts';

const all = required.flatMap((s) => s.todos);
const hiddenMax = required.reduce((sum, s) => sum + (s.hidden?.points ?? 0), 0);
const fullMarks = required.reduce((sum, s) => sum + s.points, 0) + hiddenMax;

/** The reference with one file edited. */
const reference = (file: 'engine.ts' | 'nn.ts', edit: (text: string) => string) => studentFolder(all, (text, f) => (f === file ? edit(text) : text));

describe('grade class', () => {
  it('gives every submission the statuses and points its own npx grade gives, in the gradebook and the class report', async () => {
    const folder = temp('class');
    const handedIn = new Map<string, string>();
    /** Hands in `dir` as a folder, a zip of a folder, or a whole kit with it as exercises/. */
    const add = (name: string, dir: string, form: 'folder' | 'zip' | 'kit' = 'folder') => {
      if (form === 'folder') cpSync(dir, join(folder, name), { recursive: true });
      if (form === 'kit') {
        cpSync(dir, join(folder, name, 'exercises'), { recursive: true });
        writeFileSync(join(folder, name, 'package.json'), '{}');
      }
      if (form === 'zip') {
        const files = Object.fromEntries(readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => [`submission/${f}`, readFileSync(join(dir, f))]));
        writeFileSync(join(folder, `${name}.zip`), zipSync(files));
      }
      handedIn.set(name, dir);
    };
    add('ref', studentFolder(all));
    add('stubs', studentFolder([]));
    mutants.forEach((m, i) => add(`mutant-${String(i + 1).padStart(2, '0')}`, solvedWith({ [m.todo]: m.body }), i % 7 === 0 ? 'zip' : i % 7 === 1 ? 'kit' : 'folder'));
    unusual.forEach(([, bodies], i) => add(`style-${i + 1}`, solvedWith(bodies)));
    // The import forms that work in the kit, micrograd's own wording, and broken files.
    add('import-no-extension', reference('nn.ts', (t) => t.replace("from './engine.ts'", "from './engine'")));
    add('import-js', reference('nn.ts', (t) => t.replace("from './engine.ts'", "from './engine.js'")));
    add('micrograd-wording', reference('engine.ts', (t) => t.replace(/throw new TypeError\('[^']*'\)/, "throw new TypeError('only supporting int/float powers for now')")));
    add('nn-syntax-error', reference('nn.ts', (t) => t.replace('    let act = this.b;', '    let act = this.b;\n    const oops = ];')));
    const noNn = temp('nn-missing');
    writeFileSync(join(noNn, 'engine.ts'), solution('engine.ts'));
    add('nn-missing', noNn);
    add('hangs-in-mul', solvedWith({ 'Value.mul': '{\n    while (true) {}\n  }' }));
    add('exits-in-relu', solvedWith({ 'Value.relu': '{\n    process.exit(3);\n  }' }));
    mkdirSync(join(folder, 'malformed'));
    writeFileSync(join(folder, 'malformed', 'notes.txt'), 'I did it in Python');
    mkdirSync(join(folder, 'linked'));
    symlinkSync(join(kitRoot, 'solutions', 'engine.ts'), join(folder, 'linked', 'engine.ts'));
    writeFileSync(join(folder, 'linked', 'nn.ts'), solution('nn.ts'));

    // What each student saw at home, one after another through the warm runner.
    const home = new Map<string, Report>();
    for (const [name, dir] of handedIn) home.set(name, await gradeHere(dir));

    const out = temp('out');
    const { code, stdout, stderr } = await gradeCli(['class', folder, '--jobs', '2', '--csv', join(out, 'grades.csv'), '--report', join(out, 'report.md'), '--json']);
    expect(code, stderr).toBe(0);
    const { rows, summary } = JSON.parse(stdout);
    type Row = { name: string; error?: string; total: number; hidden: number; note: string; stages: Record<string, { points: number; status: string; outcome: string; because?: string[] }> };
    const byName = new Map<string, Row>(rows.map((r: Row) => [r.name, r]));
    expect(byName.size).toBe(handedIn.size + 2);

    // One verdict: every stage's status and points as the student saw them at home.
    const differ: string[] = [];
    for (const [name, report] of home) {
      const row = byName.get(name)!;
      expect(row.error, name).toBeUndefined();
      for (const mine of report.stages) {
        const theirs = row.stages[mine.id];
        if (theirs.status !== mine.status || theirs.points !== mine.points) differ.push(`${name} ${mine.id}: at home ${mine.status} ${mine.points}, graded ${theirs.status} ${theirs.points} (${row.note})`);
      }
      // The hidden checks only add to what the stages earned.
      if (row.total - row.hidden !== report.score.points) differ.push(`${name}: at home ${report.score.points} points, graded ${row.total - row.hidden} (${row.note})`);
    }
    expect(differ).toEqual([]);
    const total = (name: string) => byName.get(name)!.total;
    for (const name of ['ref', 'import-no-extension', 'import-js', 'micrograd-wording', ...unusual.map((_, i) => `style-${i + 1}`)]) expect(total(name), `${name}: ${byName.get(name)!.note}`).toBe(fullMarks);
    expect(total('stubs')).toBe(0);
    // A broken or missing nn.ts costs the stages that need it, and nothing else.
    const engineOnly = required.filter((s) => !['neuron', 'mlp'].includes(s.id)).reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
    for (const name of ['nn-syntax-error', 'nn-missing']) expect(total(name), name).toBe(engineOnly);
    expect(byName.get("nn-syntax-error")!.note).toMatch(/^syntax error at nn\.ts:\d+:\d+: /);
    expect(byName.get('malformed')!.error).toContain('malformed: no engine.ts');
    expect(byName.get('linked')!.error).toContain('malformed: engine.ts is a symbolic link');

    // Not a terminal: a line for each submission as it is graded, not a bar.
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(byName.size);
    expect(lines).toContainEqual(expect.stringMatching(new RegExp(` ref: ${fullMarks} points$`)));

    const csv = readFileSync(join(out, 'grades.csv'), 'utf8').trim().split('\n');
    const ids = required.map((s) => s.id);
    expect(csv[0]).toBe(`submission,${ids.join(',')},hidden,total,max,${ids.map((id) => `${id} outcome`).join(',')},seed,note`);
    expect(csv).toHaveLength(byName.size + 1);
    expect(csv.find((l) => l.startsWith('ref,'))).toMatch(new RegExp(`^ref,${required.map((s) => s.points).join(',')},${hiddenMax},${fullMarks},${fullMarks},${ids.map(() => 'passed').join(',')},\\d+,$`));
    // Every row that isn't full marks says why.
    for (const line of csv.slice(1).filter((l) => !l.includes(`,${fullMarks},${fullMarks},`))) expect(line.split(',').at(-1), line).not.toBe('');

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain(`${byName.size} submissions, ${handedIn.size} graded, 2 could not be graded.`);
    expect(report).toContain('| stage | passed | on its own | not started | because of an earlier stage |');
    // relu needs nothing, so its own pass rate is its chained one; backward's own runs ahead of it.
    expect(summary.stages.backward.own).toBeGreaterThan(summary.stages.backward.chained);
    // The same mistake groups across students by check and kind, whatever the numbers.
    expect(summary.common[0].students).toBeGreaterThan(1);
    const kinds = /^(not started|never finished|printed too much|ended the process|syntax error|an import|a missing file|a lost method or export|wrong on the grader's own numbers|threw \w+|threw a value that is not an Error|wrong|got NaN|got undefined|not a number|got 0|sign flipped|twice too big|half what it should be|a wrong value)$/;
    for (const c of summary.common) expect(c.kind).toMatch(kinds);
  }, 600_000);

  it('joins a roster, writes an Excel gradebook with bonus columns and one feedback file per submission, and names who is missing', async () => {
    const folder = temp('class');
    mkdirSync(join(folder, 'micrograd-hw1-zoe-diaz'));
    for (const file of ['engine.ts', 'nn.ts']) writeFileSync(join(folder, 'micrograd-hw1-zoe-diaz', file), solution(file));
    cpSync(reference('engine.ts', (t) => t.replace(/(grad) \+= (o\.data \* out\.grad)/, '$1 = $2')), join(folder, 'S1002'), { recursive: true });
    cpSync(studentFolder([]), join(folder, 'stranger'), { recursive: true });
    const roster = join(temp('roster'), 'roster.csv');
    writeFileSync(roster, '\uFEFFName,Student ID,Email,GitHub\r\n"Díaz, Zoë",S1001,zoe@uni.example,zoe-diaz\r\nAna Lima,S1002,ana@uni.example,\r\nMo Chen,S1003,mo@uni.example,mochen\r\n');
    const out = temp('out');
    const args = ['class', folder, '--roster', roster, '--csv', join(out, 'grades.csv'), '--excel', '--bonus', '--feedback', join(out, 'feedback'), '--report', join(out, 'report.md'), '--jobs', '2'];
    const { code, stderr } = await gradeCli(args);
    expect(code, stderr).toBe(0);

    const text = readFileSync(join(out, 'grades.csv'), 'utf8');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(1 + 3 + 1 + 1); // header, three submissions, Mo with none, and the last line end
    const [header, ...rows] = parseCsv(text);
    const column = (name: string) => header.indexOf(name);
    const row = (name: string) => rows.find((r) => r[0] === name || (name === '' && r[0] === ''))!;
    const bonus = stages.filter((s) => s.optional);
    for (const name of ['student id', 'email', 'name', 'total', ...bonus.map((s) => `${s.id} (bonus)`)]) expect(header, name).toContain(name);
    const zoe = row('micrograd-hw1-zoe-diaz');
    expect([zoe[column('student id')], zoe[column('email')], zoe[column('name')]]).toEqual(['S1001', 'zoe@uni.example', 'Díaz, Zoë']);
    // Every bonus stage passes, and the total stays out of reach of them.
    for (const s of bonus) expect(zoe[column(`${s.id} (bonus)`)]).toBe(String(s.points));
    expect(zoe[column('total')]).toBe(String(fullMarks));
    const ana = row('S1002');
    expect(ana[column('student id')]).toBe('S1002');
    expect(Number(ana[column('total')])).toBeLessThan(fullMarks);
    expect(row('stranger').at(-1)).toMatch(/^not on the roster/);
    expect(row('')).toEqual(expect.arrayContaining(['S1003', 'mo@uni.example', 'Mo Chen', 'no submission']));

    const report = readFileSync(join(out, 'report.md'), 'utf8');
    expect(report).toContain('2 submissions matched to the roster.');
    expect(report).toMatch(/1 on the roster with no submission:\n\n- Mo Chen, S1003, mo@uni\.example/);
    expect(report).toMatch(/1 submission not matched to one student:\n\n- stranger: not on the roster/);

    const feedback = readdirSync(join(out, 'feedback')).sort();
    expect(feedback).toEqual(['S1002.md', 'micrograd-hw1-zoe-diaz.md', 'stranger.md']);
    const mine = readFileSync(join(out, 'feedback', 'S1002.md'), 'utf8');
    expect(mine).toContain('## micrograd: S1002');
    expect(mine).toContain('| mul | ✗ fails | 0/15 |');
    expect(mine).toContain('### Next: `Value.mul`');
    expect(mine).toMatch(/Hidden checks: \d+\/10 points \(what they check stays with your instructor\)/);
    expect(readFileSync(join(out, 'feedback', 'micrograd-hw1-zoe-diaz.md'), 'utf8')).toContain('**All 7 stages pass.**');
  }, 300_000);

  it('leaves no copy of a submission behind when it is stopped with Ctrl-C', async () => {
    const folder = temp('class');
    for (const name of ['a', 'b', 'c']) cpSync(studentFolder([]), join(folder, name), { recursive: true });
    const tmp = temp('tmp');
    const child = owned(spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'class', folder, '--jobs', '1'], { env: { ...process.env, TMPDIR: tmp } }));
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let said = '';
    // Once it has graded one (or if it ended first, which fails below with what it said).
    await Promise.race([new Promise<void>((resolve) => child.stderr.on('data', (d) => (said += d).includes('1/3') && resolve())), exited]);
    child.kill('SIGINT');
    expect(await exited, said).toBe(130);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
