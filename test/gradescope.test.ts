// The Gradescope bundle, unpacked into a stand-in /autograder and run with its own run_autograder,
// from there, as Gradescope runs it.
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { stages } from '../grader/stages.ts';
import { attackFolder, attacks, honestFolder, snapshot } from './attacks.ts';
import { read, run, studentFolder, temp, upTo } from './helpers.ts';

/** Whether the user exists, after trying to create it (as root, with useradd). */
function userExists(name: string): boolean {
  try {
    execFileSync('bash', ['-c', `id ${name} >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** The user's live processes, as 'state command' (a zombie has ended: it can do nothing more). */
function processesOf(name: string): string[] {
  try {
    return execFileSync('ps', ['-u', name, '-o', 'stat=,args='], { encoding: 'utf8' }).trim().split('\n').filter((p) => !p.startsWith('Z'));
  } catch {
    return []; // ps exits 1 when the user has none
  }
}

describe('the Gradescope bundle', () => {
  // As on Gradescope: run_autograder runs as root and the student's code as another user, when the
  // tests run as root; otherwise everything runs as this user.
  const user = 'grade-student';
  const asRoot = process.getuid?.() === 0 && userExists(user);

  it('grades where Gradescope runs it: /autograder/run_autograder, started from /autograder', async () => {
    const root = temp('autograder');
    chmodSync(root, 0o755);
    const zip = join(root, 'autograder.zip');
    expect((await run(process.execPath, [join(kitRoot, 'bin', 'grade.js'), 'gradescope-bundle', zip])).code).toBe(0);
    const source = join(root, 'source');
    for (const [path, data] of Object.entries(unzipSync(readFileSync(zip)))) {
      mkdirSync(dirname(join(source, path)), { recursive: true });
      writeFileSync(join(source, path), data);
    }
    expect(read(join(source, 'setup.sh'))).toContain('setup_24.x');
    expect(read(join(source, 'setup.sh'))).toContain('useradd');
    expect(existsSync(join(source, 'solutions'))).toBe(false);
    expect(readdirSync(join(source, 'grader', 'hidden')).length).toBeGreaterThan(0);
    // setup.sh would run npm ci; the kit's installed packages stand in for it. Nothing is built.
    symlinkSync(join(kitRoot, 'node_modules'), join(source, 'node_modules'));
    cpSync(join(source, 'run_autograder'), join(root, 'run_autograder'));
    chmodSync(join(root, 'run_autograder'), 0o755);
    const results = join(root, 'results', 'results.json');
    const score = async (submission: string) => {
      rmSync(join(root, 'submission'), { recursive: true, force: true });
      cpSync(submission, join(root, 'submission'), { recursive: true });
      rmSync(results, { force: true });
      const ran = await run(join(root, 'run_autograder'), [], { cwd: root, env: { AUTOGRADER_ROOT: root, GRADE_RUN_AS: user } });
      expect(ran.code, ran.stderr).toBe(0);
      return JSON.parse(read(results));
    };
    const full = stages.filter((s) => !s.optional).reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);
    expect((await score(join(kitRoot, 'solutions'))).score).toBe(full);
    // As the other user, the student's code can neither write results.json later nor touch the kit:
    // this one tries both, and is otherwise solved up to backward.
    const suite = join(source, 'grader', 'suites', '01-add.test.ts');
    // (Through process.getBuiltinModule: an import of node:fs would fail every stage by itself. The
    // grader's own check has no such thing, and there the attack does nothing.)
    const attack = `const builtin = (process as any).getBuiltinModule;\nif (builtin) {\n  try { builtin('node:fs').writeFileSync('${suite}', ''); } catch {}\n  try { builtin('node:child_process').spawn('sh', ['-c', 'sleep 10; echo {\\"score\\":110} > ${results}'], { detached: true, stdio: 'ignore' }).unref(); } catch {}\n}\n`;
    const partial = await score(studentFolder(upTo('backward'), (t, file) => (asRoot && file === 'engine.ts' ? attack + t : t)));
    expect(partial.tests.reduce((sum: number, t: { max_score: number }) => sum + t.max_score, 0)).toBe(full);
    const byName = Object.fromEntries(partial.tests.map((t: { name: string }) => [t.name.split(':')[0] + (t.name.includes('hidden') ? ' hidden' : ''), t]));
    expect(byName.add, JSON.stringify(partial.tests.map((t: { output: string }) => t.output))).toMatchObject({ score: 10, max_score: 10, status: "passed", visibility: "visible" });
    expect(byName['mul hidden']).toMatchObject({ score: 5, max_score: 5, visibility: 'after_published' });
    expect(byName['backward hidden']).toMatchObject({ max_score: 5, visibility: 'after_due_date' });
    expect(byName.neuron).toMatchObject({ score: 0, status: 'failed' });
    expect(partial.output).toContain('5/7 stages pass');
    if (!asRoot) return;
    // Nothing of that user outlives run_autograder (pkill's SIGKILL takes a moment to land), so
    // nothing writes later: no need to wait out the attack's sleep.
    for (let tries = 0; processesOf(user).length > 0 && tries < 40; tries++) await new Promise((r) => setTimeout(r, 50));
    expect(processesOf(user)).toEqual([]);
    expect(JSON.parse(read(results)).score).toBe(partial.score);
    expect(read(suite).length).toBeGreaterThan(100);

    // The attacks of test/attacks.ts, as that user: each scores at most what its honest part
    // scores, and the kit is as it was. (A loop that bumps the test counter takes the whole time
    // limit here: attacks.test.ts runs it with a shorter one.)
    const kitBefore = snapshot(source);
    const honest = new Map<string, number>();
    for (const attack of attacks.filter((a) => !a.name.startsWith('a loop'))) {
      const key = JSON.stringify([attack.solved, String(attack.edit)]);
      if (!honest.has(key)) honest.set(key, (await score(honestFolder(attack))).score);
      const attacked = await score(attackFolder(attack, source));
      expect(attacked.score, attack.name).toBeLessThanOrEqual(honest.get(key)!);
    }
    expect(snapshot(source)).toEqual(kitBefore);
  }, 300_000);
});
