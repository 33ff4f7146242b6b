/**
 * Runs the staged suites on a target and collects every test's outcome. The
 * suites run in a host process (host.ts), in its own process group, on copies
 * of the target's two files. This side never loads vitest and never runs the
 * student's code, so it can stop a run that hangs, and tell a test process
 * that the student's code ended from one that finished.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { chownSync, copyFileSync, cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { TestError } from '@vitest/utils';
import { compiled, kitRoot, scratchFolder } from '../kit.ts';
import { stages, type Stage } from '../stages.ts';
import type { Progress } from './progress.ts';
import type { HostConfig, HostMessage } from './protocol.ts';

export interface TestOutcome {
  stage: string;
  /** From an instructor's hidden suite (grader/hidden/). */
  hidden: boolean;
  /** The describe block, which names the method under test: 'Value.mul'. */
  todo: string;
  test: string;
  passed: boolean;
  error?: TestError;
}

/** Why a run ended before its suites did. */
export interface Stop {
  stage: string;
  test?: string;
  todo?: string;
  /**
   * 'stalled': no progress while a thread spun; 'limit': one test ran too long; 'run-limit': the
   * whole run did; 'printed': the code printed more than any check needs; 'exited': the test
   * process ended.
   */
  reason: 'stalled' | 'limit' | 'run-limit' | 'printed' | 'exited';
  /** How long the last test had run (for 'run-limit': the run). */
  seconds: number;
  /** For 'exited': the exit code or signal. */
  exit?: string;
}

export interface RunResult {
  tests: TestOutcome[];
  /** Errors that stopped a suite from loading at all (a syntax error, a missing export), by stage id. */
  loadErrors: Map<string, TestError[]>;
  /** Errors that stopped an instructor's hidden suite from loading, by stage id. */
  hiddenErrors: Map<string, TestError[]>;
  /** Stages whose public suite finished. */
  finished: Set<string>;
  /** Why the run ended early, if it did (after grade's re-runs: one stop for each run that ended early). */
  stops: Stop[];
  /** What the student's code printed, cut short past a limit, and how much it printed in all. */
  logs: string;
  printed: { chars: number; lines: number };
  /** The folder the suites read the target's copies from: stack frames point there. */
  ranFrom: string;
}

const POLL_MS = 200;
/** On a machine too busy to tell a loop from slowness, wait this many times longer. */
const STARVED = 4;
/** What the student's code may print in one run: a loop that prints is stopped here, not at its stall. */
const PRINT_LIMIT = 64 << 20;
const hostPath = compiled(import.meta.url, './host.js');
const live = new Set<ChildProcess>();
process.on('exit', () => live.forEach(killGroup));

/** The stage a suite file belongs to, public or hidden. */
function stageOfSuite(file: string): Stage | undefined {
  const name = basename(file);
  return stages.find((s) => s.suite === name || s.hidden?.suite === name);
}

const isHidden = (file: string) => stageOfSuite(file)?.hidden?.suite === basename(file);

/** The suite files of `selected`, in manifest order, each stage's hidden checks right after it. */
function suiteFiles(selected: Stage[], root = kitRoot): string[] {
  return selected.flatMap((s) => {
    const own = join(root, 'grader', 'suites', s.suite);
    return s.hidden && existsSync(join(root, 'grader', 'hidden')) ? [own, join(root, 'grader', 'hidden', s.hidden.suite)] : [own];
  });
}

/** Ends the host and every process it started that stayed in its group. */
function killGroup(child: ChildProcess): void {
  live.delete(child);
  try {
    if (process.platform === 'win32') throw new Error('no process groups');
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

export interface RunnerOptions {
  /** Silence after which a spinning test is stopped. */
  stallMs?: number;
  /** The longest one test may run, progress or not (a bonus stage's tests get six times as long). */
  testLimitMs?: number;
  /** The longest a whole run may take, whatever the test thread writes to the progress file. */
  runLimitMs?: number;
  /** Run the student's side as this user (the grader may be root, as on Gradescope). */
  user?: { uid: number; gid: number };
  /**
   * Run the suites from a copy of what grading needs (suites, hidden checks, setup file, notebook),
   * made in the scratch folder and removed with it: no solutions/ beside them, and nothing a
   * submission changes there outlives its grading.
   */
  isolated?: boolean;
}

/** What the suites need at run time, as paths in the kit. */
const gradingParts = ['package.json', 'grader/suites', 'grader/hidden', 'grader/run/progress.ts', 'grader/notebook', 'grader/api.ts'];

/**
 * A warm host for many runs, one at a time, on any targets. A host that hangs or dies is
 * killed and replaced at the next run, so a runner never needs restarting by hand.
 */
export class Runner {
  private host?: { child: ChildProcess; ready: Promise<void>; startupMs: number };
  private readonly scratch = scratchFolder('grade-');
  private readonly targetDir = join(this.scratch, 'target');
  private readonly progressFile = join(this.scratch, 'progress.json');
  /** Where the host runs the suites from: the kit, or a copy of what grading needs. */
  readonly root: string;
  /** The run under way: runs share one scratch folder and one host, so they take turns. */
  private turn: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: RunnerOptions = {}) {
    mkdirSync(this.targetDir);
    this.root = options.isolated ? join(this.scratch, 'kit') : kitRoot;
    if (options.isolated) {
      for (const part of gradingParts) if (existsSync(join(kitRoot, part))) cpSync(join(kitRoot, part), join(this.root, part), { recursive: true });
      symlinkSync(join(kitRoot, 'node_modules'), join(this.root, 'node_modules'));
    }
    // The host's user reads the copies and writes the progress file; nothing else of ours.
    if (options.user) for (const path of [this.scratch, this.targetDir]) chownSync(path, options.user.uid, options.user.gid);
  }

  /**
   * Runs the suites of `selected` on the engine.ts and nn.ts in `dir`, after any run already under
   * way. A warm host keeps what earlier code did to its test thread: grade untrusted submissions
   * with a runner each.
   */
  run(dir: string, selected: Stage[]): Promise<RunResult> {
    const result = this.turn.then(() => this.runNow(dir, selected));
    this.turn = result.catch(() => {});
    return result;
  }

  private async runNow(dir: string, selected: Stage[]): Promise<RunResult> {
    for (const file of ['engine.ts', 'nn.ts']) {
      if (existsSync(join(dir, file))) copyFileSync(join(dir, file), join(this.targetDir, file));
      else rmSync(join(this.targetDir, file), { force: true });
    }
    const host = await this.start();
    writeFileSync(this.progressFile, '');
    if (this.options.user) chownSync(this.progressFile, this.options.user.uid, this.options.user.gid);
    // Until the test thread's first record, it is loading vitest and the suites, which on a busy
    // machine takes longer: what the host took to start is the measure of that.
    const startMs = Math.max(this.options.stallMs ?? 3000, 3 * host.startupMs);
    const state = new RunState(selected, this.progressFile, this.targetDir, this.options, startMs);
    const result = await new Promise<RunResult>((resolve) => {
      const onMessage = (m: HostMessage) => state.onMessage(m) && finish();
      const onExit = (code: number | null, signal: string | null) => {
        // vitest catches SIGTERM and exits with 128 + 15: name the signal the student's code sent.
        state.exited(signal ?? (code === 143 ? 'SIGTERM' : `exit code ${code}`));
        finish();
      };
      const timer = setInterval(() => state.poll() && finish(), POLL_MS);
      function finish() {
        clearInterval(timer);
        host.child.off('message', onMessage).off('exit', onExit);
        resolve(state.result);
      }
      host.child.on('message', onMessage).once('exit', onExit);
      host.child.send({ suites: suiteFiles(selected, this.root) });
    });
    if (result.stops.length > 0) this.stopHost();
    return result;
  }

  /** Ends the host and removes the scratch folder. */
  async close(): Promise<void> {
    this.stopHost();
    rmSync(this.scratch, { recursive: true, force: true });
  }

  private stopHost(): void {
    if (this.host) killGroup(this.host.child);
    this.host = undefined;
  }

  private async start(): Promise<NonNullable<Runner['host']>> {
    if (!this.host) {
      const config: HostConfig = { kitRoot: this.root, targetDir: this.targetDir, progressFile: this.progressFile };
      // A process group of its own, so that killing it also ends anything the student's code started.
      const child = fork(hostPath, [JSON.stringify(config)], { detached: process.platform !== 'win32', stdio: ['ignore', 'ignore', 'pipe', 'ipc'], ...this.options.user });
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
        child.once('exit', (code) => reject(new Error(`The grader's test runner could not start (exit code ${code}).\n${stderr.join('')}`)));
      });
      this.host = { child, ready, startupMs: 0 };
    }
    await this.host.ready;
    return this.host;
  }
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
  ) {
    this.result = { tests: [], loadErrors: new Map(), hiddenErrors: new Map(), finished: new Set(), stops: [], logs: '', printed: { chars: 0, lines: 0 }, ranFrom };
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
      this.result.logs += m.content;
      return false;
    }
    this.moved();
    if (m.kind === 'suite-start') this.suite = m.suite;
    if (m.kind === 'test') {
      const stage = stageOfSuite(m.suite)?.id ?? basename(m.suite);
      this.result.tests.push({ stage, hidden: isHidden(m.suite), todo: m.todo, test: m.test, passed: m.passed, error: m.error });
    }
    if (m.kind === 'suite-end') {
      const stage = stageOfSuite(m.suite)?.id ?? basename(m.suite);
      const errors = isHidden(m.suite) ? this.result.hiddenErrors : this.result.loadErrors;
      if (m.errors.length > 0) errors.set(stage, m.errors);
      if (!isHidden(m.suite)) this.result.finished.add(stage);
    }
    if (m.kind !== 'done') return false;
    // A thread that the student's code ended (process.reallyExit) reports nothing more, and vitest
    // still calls the run done: a suite that never finished is that stage's failure, never a pass.
    if (this.selected.some((s) => !this.result.finished.has(s.id))) this.stop('exited', 'the test thread ended early');
    return true;
  }

  /** The host process ended in the middle of a run: the student's code ended it. */
  exited(exit: string): void {
    this.stop('exited', exit);
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
    const runLimit = this.options.runLimitMs ?? 30_000 + 20_000 * this.selected.length * (this.selected.some((s) => s.optional) ? 6 : 1);
    if (Date.now() - this.started > runLimit) return this.stop('run-limit'), true;
    if (Date.now() - this.testSince > testLimit) return this.stop('limit'), true;
    return false;
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
    // A hidden check's name stays hidden, even when it is the one that hangs.
    const test = inLast ? (isHidden(inLast.suite) ? 'a hidden check' : inLast.test) : undefined;
    const seconds = Math.round((Date.now() - (inLast && reason !== 'run-limit' ? this.testSince : this.started)) / 100) / 10;
    this.result.stops = [{ stage: stage?.id ?? '', test, todo: inLast?.todo || undefined, reason, seconds, exit }];
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
