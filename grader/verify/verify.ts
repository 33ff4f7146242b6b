/**
 * Verification: runs the scenarios of the stages that passed their suites in a
 * locked-down child process, and judges its answers here. The child can read
 * only a throwaway folder holding the submission (transpiled) and itself; it
 * can't write, start processes or threads, or load addons; it has a memory cap
 * and a deadline, after which its whole process group is killed.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chownSync, copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiled, scratchFolder } from '../kit.ts';
import { transpileTarget } from '../source/transpile.ts';
import type { Answer } from './protocol.ts';
import { scenarios } from './scenarios.ts';

const DEADLINE_MS = 15_000;
const MEMORY_MB = 256;
/** Node 20 calls it --experimental-permission, Node 22 and later --permission. */
const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

export interface VerifyOptions {
  /** Run the child as this user and group (the grader itself may be root, as on Gradescope). */
  user?: { uid: number; gid: number };
  seed?: number;
  /** How to turn the target into JavaScript (the grader's source worker has the compiler loaded). */
  transpile?: (dir: string, out: string) => Promise<void>;
}

/** For each stage asked: undefined when the submission computes what it must, else what it got wrong. */
export async function verify(dir: string, stageIds: string[], options: VerifyOptions = {}): Promise<Map<string, string | undefined>> {
  const verdicts = new Map<string, string | undefined>();
  const list = scenarios(stageIds, options.seed ?? randomInt(2 ** 31));
  if (list.length === 0) return verdicts;
  const box = scratchFolder('grade-verify-');
  try {
    await (options.transpile ?? transpileTarget)(dir, box);
    copyFileSync(compiled(import.meta.url, './child.js'), join(box, 'child.js'));
    if (options.user) chownSync(box, options.user.uid, options.user.gid);
    const answers = await runChild(box, list.map((s) => s.task), options.user);
    for (const [i, scenario] of list.entries()) {
      if (verdicts.get(scenario.stage)) continue;
      const answer: Answer = typeof answers === 'string' ? { error: answers } : (answers[i] ?? { error: 'no answer' });
      verdicts.set(scenario.stage, scenario.judge(answer));
    }
  } finally {
    rmSync(box, { recursive: true, force: true });
  }
  return verdicts;
}

/** The child's answers, or why there are none. */
function runChild(box: string, tasks: unknown[], user?: VerifyOptions['user']): Promise<Answer[] | string> {
  const nonce = randomBytes(16).toString('hex');
  const request = JSON.stringify({ nonce, engine: pathToFileURL(join(box, 'engine.js')).href, nn: pathToFileURL(join(box, 'nn.js')).href, tasks });
  const args = [permission, `--allow-fs-read=${box}`, `--max-old-space-size=${MEMORY_MB}`, '--disable-warning=ExperimentalWarning', join(box, 'child.js')];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: box, stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', ...user });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    const kill = () => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    };
    const timer = setTimeout(() => {
      kill();
      resolve(`the check did not finish within ${DEADLINE_MS / 1000} s: a loop that never ends?`);
    }, DEADLINE_MS);
    child.once('error', (e) => resolve(`the check could not start: ${e.message}`));
    // Anything it left in its group goes at once; its output is complete only at 'close', which
    // on a busy machine can come well after 'exit'.
    child.once('exit', kill);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const line = out.split('\n').find((l) => l.startsWith(nonce));
      if (line) {
        try {
          return resolve(JSON.parse(line.slice(nonce.length)));
        } catch {
          return resolve('the check’s answer was cut short or malformed');
        }
      }
      const why = err.split('\n').find((l) => /Error|error/.test(l)) ?? `exit ${signal ?? code}`;
      resolve(`the check ended without an answer (${why.trim().slice(0, 200)})`);
    });
    child.stdin.end(request);
  });
}
