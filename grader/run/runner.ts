/**
 * Runs the staged suites on a submission and collects every test's outcome. The suites run in a
 * host process (host.ts), in a session of its own, on copies of the submission's two files. This
 * side never loads vitest and never runs the student's code, so it can stop a run that hangs, and
 * tell a test process that the student's code ended from one that was killed from outside.
 *
 * For someone else's code (a sandboxed runner: instructors' grading), the host and its test
 * threads run under Node's permission model: they read only their scratch folder (copies of the
 * files and of the suites) and node_modules, write only there, and start no process; the kit, its
 * solutions and its hidden checks are out of reach, and so is every other submission.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chownSync, cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { TestError } from '@vitest/utils';
import { compiled, kitRoot, scratchFolder, type Submission } from '../kit.ts';
import { stages, type Stage } from '../stages.ts';
import type { Progress } from './progress.ts';
import type { HostConfig, HostMessage } from './protocol.ts';
import { killSession } from './session.ts';

export interface TestOutcome {
  stage: string;
  /** The describe block, which names the method under test: 'Value.mul'. */
  todo: string;
  test: string;
  passed: boolean;
  error?: TestError;
  /** What a passing check noted of the student's own numbers, for the stage's lesson. */
  notes?: Record<string, unknown>;
}

/** Why a run ended before its suites did. */
export interface Stop {
  stage: string;
  test?: string;
  todo?: string;
  /**
   * 'stalled': no progress while a thread spun; 'limit': one test ran too long; 'run-limit': the
   * grading reached its time limit; 'printed': the code printed more than any check needs;
   * 'exited': the code under test ended its process.
   */
  reason: 'stalled' | 'limit' | 'run-limit' | 'printed' | 'exited';
  /** How long the last test had run (for 'run-limit': the run). */
  seconds: number;
  /** For 'exited': the call that ended it, or the exit code or signal. */
  exit?: string;
}

export interface RunResult {
  tests: TestOutcome[];
  /** Errors that stopped a suite from loading at all (a syntax error, a missing export), by stage id. */
  loadErrors: Map<string, TestError[]>;
  /** Stages whose suite finished. */
  finished: Set<string>;
  /** Why the run ended early, if it did (after grade's re-runs: one stop for each run that ended early). */
  stops: Stop[];
  /** What the student's code printed, cut short past a limit, check by check, and how much it printed in all. */
  logs: { test: string; text: string }[];
  printed: { chars: number; lines: number };
  /** The folder the suites read the target's copies from: stack frames point there. */
  ranFrom: string;
  /**
   * Why the run says nothing about the submission: the test process could not start, or was killed
   * from outside (not by anything in the submission). The grader's failure, never the student's.
   */
  infra?: string;
}

const POLL_MS = 200;
/** On a machine too busy to tell a loop from slowness, wait this many times longer. */
const STARVED = 4;
/** What the student's code may print in one run: a loop that prints is stopped here, not at its stall. */
const PRINT_LIMIT = 64 << 20;
const hostPath = compiled(import.meta.url, './host.js');
/** Node 20 calls it --experimental-permission, Node 22 and later --permission. */
const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach((child) => killSession(child.pid)));

/** The stage a suite file belongs to. */
function stageOfSuite(file: string): Stage | undefined {
  const name = basename(file);
  return stages.find((s) => s.suite === name);
}

export interface RunnerOptions {
  /** Silence after which a spinning test is stopped. */
  stallMs?: number;
  /** The longest one test may run, progress or not (a bonus stage's tests get six times as long). */
  testLimitMs?: number;
  /** Run the student's side as this user (the grader may be root, as on Gradescope). */
  user?: { uid: number; gid: number };
  /**
   * Someone else's code: run the suites from copies in the scratch folder, under the permission
   * model, with nothing of the kit in reach (see above).
   */
  sandbox?: boolean;
}

/** What the suites need at run time, as paths in the kit. */
const gradingParts = ['package.json', 'grader/suites', 'grader/run/progress.ts', 'grader/notebook', 'grader/api.ts', 'grader/tape.ts'];

/**
 * Files vite looks for (and crashes on when the permission model denies the look): the WSL
 * markers, and a workspace root in every folder above the suites.
 */
function probedFiles(root: string): string[] {
  const above: string[] = [];
  for (let dir = root; ; dir = dirname(dir)) {
    above.push(join(dir, 'pnpm-workspace.yaml'), join(dir, 'lerna.json'));
    if (dirname(dir) === dir) break;
  }
  return ['/proc/sys/fs/binfmt_misc/WSLInterop', '/run/WSL', ...above];
}

/**
 * A host for many runs, one at a time. A host that hangs or dies is killed and replaced at the
 * next run, so a runner never needs restarting by hand. A warm host keeps what earlier code did to
 * its test thread: someone else's submissions get a sandboxed runner each.
 */
export class Runner {
  private host?: { child: ChildProcess; ready: Promise<void>; startupMs: number; stderr: string[] };
  private readonly scratch = scratchFolder('grade-');
  private readonly targetDir = join(this.scratch, 'target');
  private readonly progressFile = join(this.scratch, 'progress.json');
  /** Where the host runs the suites from: the kit, or copies of what grading needs. */
  readonly root: string;
  /** The run under way: runs share one scratch folder and one host, so they take turns. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RunnerOptions = {}) {
    mkdirSync(this.targetDir);
    this.root = options.sandbox ? join(this.scratch, 'kit') : kitRoot;
    if (options.sandbox) {
      for (const part of gradingParts) cpSync(join(kitRoot, part), join(this.root, part), { recursive: true });
      mkdirSync(join(this.scratch, 'tmp'));
    }
    // The host's user reads the copies and writes the progress file; nothing else of ours.
    if (options.user) for (const path of [this.scratch, this.targetDir, ...(options.sandbox ? [join(this.scratch, 'tmp')] : [])]) chownSync(path, options.user.uid, options.user.gid);
  }

  /**
   * Runs the suites of `selected` on these files, after any run already under way. `deadline`
   * (a Date.now() time) ends the run whatever the test thread does.
   */
  run(files: Submission, selected: Stage[], deadline?: number): Promise<RunResult> {
    const result = this.turn.then(() => this.runNow(files, selected, deadline));
    this.turn = result.catch(() => {});
    return result;
  }

  private async runNow(files: Submission, all: Stage[], deadline?: number): Promise<RunResult> {
    // A suite that is gone can't run: its stage says so, and names the file, instead of failing in vitest.
    const suiteOf = (s: Stage) => join(this.root, 'grader', 'suites', s.suite);
    const selected = all.filter((s) => existsSync(suiteOf(s)));
    const gone = (result: RunResult) => {
      for (const s of all.filter((x) => !selected.includes(x))) {
        result.loadErrors.set(s.id, [{ name: 'GraderError', message: `The grader's own checks for stage ${s.id}, grader/suites/${s.suite}, are missing. Restore them with: git checkout -- grader/suites` }]);
        result.finished.add(s.id);
      }
      return result;
    };
    if (selected.length === 0) return gone(emptyResult(this.targetDir));
    for (const [file, text] of Object.entries(files)) {
      if (text === null) rmSync(join(this.targetDir, file), { force: true });
      else writeFileSync(join(this.targetDir, file), text);
    }
    let host: NonNullable<Runner['host']>;
    try {
      host = await this.start();
    } catch (error) {
      return { ...emptyResult(this.targetDir), infra: (error as Error).message };
    }
    writeFileSync(this.progressFile, '');
    if (this.options.user) chownSync(this.progressFile, this.options.user.uid, this.options.user.gid);
    // Until the test thread's first record, it is loading vitest and the suites, which on a busy
    // machine takes longer: what the host took to start is the measure of that.
    const startMs = Math.max(this.options.stallMs ?? 3000, 3 * host.startupMs);
    const state = new RunState(selected, this.progressFile, this.targetDir, this.options, startMs, deadline);
    const result = await new Promise<RunResult>((resolve) => {
      const onMessage = (m: HostMessage) => state.onMessage(m) && finish();
      const onExit = (code: number | null, signal: string | null) => {
        state.exited(code, signal);
        finish();
      };
      const timer = setInterval(() => state.poll() && finish(), POLL_MS);
      function finish() {
        clearInterval(timer);
        host.child.off('message', onMessage).off('exit', onExit);
        resolve(state.result);
      }
      host.child.on('message', onMessage).once('exit', onExit);
      host.child.send({ suites: selected.map(suiteOf) });
    });
    if (result.stops.length > 0 || result.infra) this.stopHost();
    return gone(result);
  }

  /** Ends the host and removes the scratch folder. */
  async close(): Promise<void> {
    this.stopHost();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private stopHost(): void {
    if (this.host) {
      live.delete(this.host.child);
      killSession(this.host.child.pid);
      this.host.child.stderr?.destroy(); // a pipe a leftover holds must not keep the grader alive
    }
    this.host = undefined;
  }

  /** How the host is started: plain in the student's own kit; sandboxed for someone else's code. */
  private spawnOptions(): { config: HostConfig; execArgv: string[]; cwd: string; env: NodeJS.ProcessEnv } {
    const config: HostConfig = { kitRoot: this.root, targetDir: this.targetDir, progressFile: this.progressFile };
    if (!this.options.sandbox) return { config, execArgv: [], cwd: kitRoot, env: process.env };
    // node_modules as the resolver names it, and where it really is when that is a link (a test's kit).
    const modules = [...new Set([join(kitRoot, 'node_modules'), realpathSync(join(kitRoot, 'node_modules'))])];
    const reads = [this.scratch, ...modules];
    // The test threads: the copies, the suites and node_modules to read, the progress file to write.
    config.threadArgv = [permission, ...reads.map((p) => `--allow-fs-read=${p}`), `--allow-fs-write=${this.progressFile}`];
    // The host: also its own file, what vite looks for, and its temporary files in the scratch folder.
    const execArgv = [
      permission,
      ...[...reads, hostPath, ...probedFiles(this.root)].map((p) => `--allow-fs-read=${p}`),
      `--allow-fs-write=${this.scratch}`,
      '--allow-worker',
      '--allow-addons',
      '--disable-warning=ExperimentalWarning',
    ];
    return { config, execArgv, cwd: this.scratch, env: { ...process.env, TMPDIR: join(this.scratch, 'tmp') } };
  }

  private async start(): Promise<NonNullable<Runner['host']>> {
    if (!this.host) {
      const { config, execArgv, cwd, env } = this.spawnOptions();
      // A session of its own, so that killing it also ends anything the student's code started.
      const child = fork(hostPath, [JSON.stringify(config)], { detached: process.platform !== 'win32', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv, cwd, env, ...this.options.user });
      live.add(child);
      const stderr: string[] = [];
      child.stderr!.on('data', (d) => stderr.push(String(d)));
      child.once('exit', () => {
        live.delete(child);
        if (this.host?.child === child) this.host = undefined;
      });
      const spawned = performance.now();
      const ready = new Promise<void>((resolve, reject) => {
        child.once('message', () => {
          if (this.host?.child === child) this.host.startupMs = performance.now() - spawned;
          resolve();
        });
        child.once('error', (error) => reject(new Error(`the grader's test runner could not start: ${error.message}`)));
        child.once('exit', (code, signal) => {
          // What it said, without Node's warnings about the permission flags the grader itself gave.
          const said = stderr.join('').trim().split('\n').filter((l) => !/^\(node:\d+\) \w*Warning:|^\(Use `node --trace-warnings/.test(l)).slice(-8).join('\n');
          reject(new Error(`the grader's test runner could not start (${signal ?? `exit code ${code}`})${said ? `:\n${said}` : ''}`));
        });
      });
      this.host = { child, ready, startupMs: 0, stderr };
    }
    try {
      await this.host.ready;
    } catch (error) {
      this.stopHost();
      throw error;
    }
    return this.host;
  }
}

function emptyResult(ranFrom: string): RunResult {
  return { tests: [], loadErrors: new Map(), finished: new Set(), stops: [], logs: [], printed: { chars: 0, lines: 0 }, ranFrom };
}

/** One run as the runner sees it: what was reported, and whether the test thread is still moving. */
class RunState {
  readonly result: RunResult;
  private readonly started = Date.now();
  private quietSince = Date.now();
  private testSince = Date.now();
  private cpu = 0;
  private cpuAtQuiet = 0;
  private progress = '';
  /** The test thread's last record. */
  private last?: Progress;
  private suite?: string;

  constructor(
    private readonly selected: Stage[],
    private readonly progressFile: string,
    ranFrom: string,
    private readonly options: RunnerOptions,
    /** The silence allowed before the test thread's first record. */
    private readonly startMs: number,
    private readonly deadline = Infinity,
  ) {
    this.result = emptyResult(ranFrom);
  }

  /** Records a message from the host; true when the run is over. */
  onMessage(m: HostMessage): boolean {
    if (m.kind === 'cpu') {
      this.cpu = m.ms;
      return false;
    }
    if (m.kind === 'log') {
      // Printing is not progress: a loop that prints forever is still a loop. (How much was
      // printed comes from the progress record, which counts in the thread, stuck or not.)
      const last = this.result.logs.at(-1);
      if (last?.test === m.test) last.text += m.content;
      else this.result.logs.push({ test: m.test, text: m.content });
      return false;
    }
    this.moved();
    if (m.kind === 'suite-start') this.suite = m.suite;
    if (m.kind === 'test') {
      const stage = stageOfSuite(m.suite)?.id ?? basename(m.suite);
      this.result.tests.push({ stage, todo: m.todo, test: m.test, passed: m.passed, error: m.error, notes: m.notes });
    }
    if (m.kind === 'suite-end') {
      const stage = stageOfSuite(m.suite)?.id ?? basename(m.suite);
      if (m.errors.length > 0) this.result.loadErrors.set(stage, m.errors);
      this.result.finished.add(stage);
    }
    if (m.kind !== 'done') return false;
    // A thread that the student's code ended (process.reallyExit) reports nothing more, and vitest
    // still calls the run done: a suite that never finished is that stage's failure, never a pass.
    if (this.selected.some((s) => !this.result.finished.has(s.id))) this.stop('exited', this.ending() ?? 'the test thread ended early');
    return true;
  }

  /**
   * The host process ended in the middle of a run. If the code under test ended it, the progress
   * record names the call; otherwise something outside killed it (the machine, not the student).
   */
  exited(code: number | null, signal: string | null): void {
    const ending = this.ending();
    if (ending) return this.stop('exited', ending);
    this.result.infra = `the test process was ended from outside (${signal ?? `exit code ${code}`}), not by the code under test`;
  }

  /** Looks at the progress file and the clock; true when the run must be stopped. */
  poll(): boolean {
    this.readProgress();
    // Once tests run, 3 s of silence while spinning tells a loop, however busy the machine.
    const stallMs = this.last ? (this.options.stallMs ?? 3000) : this.startMs;
    const silentMs = Date.now() - this.quietSince;
    // A thread stuck in a loop burns CPU even when it has to share the cores.
    const spinning = this.cpu - this.cpuAtQuiet >= 0.3 * silentMs;
    if ((silentMs > stallMs && spinning) || silentMs > STARVED * stallMs) return this.stop('stalled'), true;
    if (this.result.printed.chars > PRINT_LIMIT) return this.stop('printed'), true;
    const bonus = this.last && stageOfSuite(this.last.suite)?.optional;
    const testLimit = (this.options.testLimitMs ?? 20_000) * (bonus ? 6 : 1);
    if (Date.now() > this.deadline) return this.stop('run-limit'), true;
    if (Date.now() - this.testSince > testLimit) return this.stop('limit'), true;
    return false;
  }

  /** How the code under test said it ended its process, if it did. */
  private ending(): string | undefined {
    this.readProgress();
    return this.last?.ended;
  }

  private readProgress(): void {
    const text = readText(this.progressFile);
    if (text === this.progress) return;
    this.progress = text;
    const now = parseProgress(text);
    if (!now) return;
    const before = this.last;
    this.last = now;
    this.result.printed = { chars: now.printed, lines: now.lines };
    // A new test restarts the limit on one test's time; a heartbeat only shows it is alive.
    if (now.n !== before?.n) this.testSince = Date.now();
    if (now.n !== before?.n || now.beat !== before?.beat) this.moved();
  }

  private moved(): void {
    this.quietSince = Date.now();
    this.cpuAtQuiet = this.cpu;
  }

  private stop(reason: Stop['reason'], exit?: string): void {
    this.readProgress();
    const last = this.last;
    const lastStage = last?.suite ? stageOfSuite(last.suite) : undefined;
    const current = this.suite ? stageOfSuite(this.suite) : undefined;
    const stage = (lastStage && !this.result.finished.has(lastStage.id) ? lastStage : current) ?? this.selected[0];
    const inLast = lastStage === stage && last?.test ? last : undefined;
    const seconds = Math.round((Date.now() - (inLast && reason !== 'run-limit' ? this.testSince : this.started)) / 100) / 10;
    this.result.stops = [{ stage: stage?.id ?? '', test: inLast?.test, todo: inLast?.todo || undefined, reason, seconds, exit }];
    // A thread stopped while it printed never handed its output over: its first lines are in the record.
    if (this.result.logs.length === 0 && last?.head) this.result.logs.push(last.head);
  }
}

/** A file's text, or '' when it can't be read (not written yet, or being rewritten). */
function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function parseProgress(text: string): Progress | undefined {
  try {
    const parsed = JSON.parse(text);
    return typeof parsed?.n === 'number' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

