// When the machine, not the student, ends a test process (the OOM killer, a timeout of the host):
// the grader tells it apart from the student's own process.exit or process.kill, grades once more,
// and if that fails too, says it is the grader's failure, with results.json written all the same.
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { kitRoot } from '../grader/kit.ts';
import { required } from '../grader/stages.ts';
import { owned, studentFolder, temp } from './helpers.ts';

const fullMarks = required.reduce((sum, s) => sum + s.points + (s.hidden?.points ?? 0), 0);

/** The processes below `pid` whose command line matches, as [pid, ppid, args]. */
function below(pid: number, pattern: RegExp): number[] {
  const rows = execFileSync('ps', ['-eo', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/))
    .map(([p, pp, ...args]) => [Number(p), Number(pp), args.join(' ')] as const);
  const mine = new Set([pid]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [p, pp] of rows) if (mine.has(pp) && !mine.has(p)) grew = mine.add(p) !== undefined;
  }
  return rows.filter(([p, , args]) => mine.has(p) && p !== pid && pattern.test(args)).map(([p]) => p);
}

/** Grades the reference as Gradescope does, killing test processes from outside: the first one, or all. */
async function gradeWhileKilling(times: number) {
  const results = join(temp('results'), 'results.json');
  const grader = owned(spawn(process.execPath, [join(kitRoot, 'bin', 'grade.js'), '--target', studentFolder(required.flatMap((s) => s.todos)), '--gradescope', results, '--json'], { env: { ...process.env, NO_COLOR: '1' } }));
  let stdout = '';
  let stderr = '';
  grader.stdout.on('data', (d) => (stdout += d));
  grader.stderr.on('data', (d) => (stderr += d));
  const killed = new Set<number>();
  const killer = setInterval(() => {
    for (const pid of below(grader.pid!, /grader\/run\/host\.js|grader\/verify\/child\.js/)) {
      if (killed.size >= times || killed.has(pid)) continue;
      killed.add(pid);
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
  }, 20);
  const code = await new Promise<number | null>((resolve) => grader.once('exit', resolve));
  clearInterval(killer);
  return { code, stdout, stderr, killed: killed.size, results: JSON.parse(readFileSync(results, 'utf8')) };
}

describe('a test process killed from outside', () => {
  it('is graded once more, and the grade is the one the code earns', async () => {
    const { code, stdout, stderr, killed, results } = await gradeWhileKilling(1);
    expect(killed).toBe(1);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(stdout).score.total).toBe(fullMarks);
    expect(results.score).toBe(fullMarks);
  });

  it('is the grader’s failure when it happens again: exit 2, and results.json asks for the work again', async () => {
    const { code, stderr, killed, results } = await gradeWhileKilling(Infinity);
    expect(killed).toBeGreaterThanOrEqual(2);
    expect(code).toBe(2);
    expect(stderr).toMatch(/The grader itself failed on this submission \((the test process was ended from outside|the grader's test runner could not start|the grader's own check ended without an answer).*\)\. It is not the student's doing/);
    expect(results.score).toBe(0);
    expect(results.output).toMatch(/The grader itself failed/);
    expect(results.output).not.toMatch(/process\.exit or process\.kill/);
  });
});
