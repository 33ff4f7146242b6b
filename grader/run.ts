/**
 * Runs the staged suites on a target folder through vitest's Node API and
 * collects every test's outcome. A watchdog ends a run that stops making
 * progress: a student's `while (true) {}` blocks the test thread, and vitest's
 * own timeouts cannot interrupt synchronous code.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestError } from '@vitest/utils';
import { createVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node';
import { stages, type Stage } from './stages.ts';
import { kitRoot } from './target.ts';

export interface TestOutcome {
  stage: string;
  /** From an instructor's hidden suite (grader/hidden/). */
  hidden: boolean;
  /** The describe block, which names the TODO under test: 'Value.mul'. */
  todo: string;
  test: string;
  passed: boolean;
  error?: TestError;
}

export interface RunResult {
  tests: TestOutcome[];
  /** Errors that stopped a suite from loading at all (a syntax error, a missing export), by stage id. */
  loadErrors: Map<string, TestError[]>;
  /** Stages whose suite finished. */
  finished: Set<string>;
  /** Set when the watchdog stopped the run: the stage and test that never finished. */
  stalled?: { stage: string; test?: string; todo?: string };
  /** What the student's code printed, cut short past a limit. */
  logs: string;
}

const LOG_LIMIT = 4000;
const POLL_MS = 200;
const STARVED = 4;

/** CPU time this process (every thread) has used, in ms. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}
const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

function readProgress(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** The stage a suite file belongs to, public or hidden. */
function stageOfSuite(file: string): string | undefined {
  return stages.find((s) => s.suite === file || s.hidden?.suite === file)?.id;
}

function stageOfModule(module: TestModule): string {
  const file = basename(module.moduleId);
  return stageOfSuite(file) ?? file;
}

/** Whether a suite file holds an instructor's hidden checks. */
const hiddenSuite = (file: string) => stages.some((s) => s.hidden?.suite === file);
const isHidden = (module: TestModule) => hiddenSuite(basename(module.moduleId));

export interface Runner {
  /**
   * Runs the suites of `selected`. `changed` are target files edited since the last run;
   * `onFailure` is called at the first failing test, so work that only failures need can start early.
   */
  run(selected: Stage[], changed?: string[], onFailure?: () => void): Promise<RunResult>;
  /** Ends vitest; after a stall, only ending the process stops the stuck thread. */
  close(): Promise<void>;
}

/** A vitest instance for the engine and nn in `target` (an absolute path), kept warm between runs. */
export async function createRunner(target: string, stallMs = 3000): Promise<Runner> {
  const scratch = mkdtempSync(join(tmpdir(), 'grade-'));
  const progressFile = join(scratch, 'progress.json');
  process.env.GRADE_TARGET = target;
  process.env.GRADE_PROGRESS = progressFile;
  let result: RunResult;
  let failed = () => {};
  let current: { stage: string; test?: string; todo?: string } | undefined;
  let quietSince = Date.now();
  let cpuSince = cpuMs();
  const poke = () => {
    quietSince = Date.now();
    cpuSince = cpuMs();
  };

  const reporter: Reporter = {
    onTestModuleStart(module) {
      current = { stage: stageOfModule(module) };
      poke();
    },
    onTestCaseResult(test: TestCase) {
      const outcome = test.result();
      result.tests.push({
        stage: stageOfModule(test.module),
        hidden: isHidden(test.module),
        todo: test.parent.type === 'suite' ? test.parent.name : '',
        test: test.name,
        passed: outcome.state === 'passed',
        error: outcome.errors?.[0],
      });
      if (outcome.state === 'failed') failed();
      poke();
    },
    onTestModuleEnd(module) {
      if (isHidden(module)) return;
      const stage = stageOfModule(module);
      const errors = module.errors();
      if (errors.length > 0) {
        result.loadErrors.set(stage, [...errors]);
        failed();
      }
      result.finished.add(stage);
      poke();
    },
    onUserConsoleLog(log) {
      if (result.logs.length < LOG_LIMIT) result.logs += log.content;
      poke();
    },
  };

  const vitest = await createVitest(
    'test',
    { root: kitRoot, config: join(kitRoot, 'vitest.config.ts'), project: 'stages', watch: false, reporters: [reporter] },
    {},
    { stdout: quiet(), stderr: quiet() },
  );
  const specs = await vitest.globTestSpecifications();

  async function run(selected: Stage[], changed: string[] = [], onFailure = () => {}): Promise<RunResult> {
    result = { tests: [], loadErrors: new Map(), finished: new Set(), logs: '' };
    failed = () => {
      failed = () => {};
      onFailure();
    };
    current = undefined;
    for (const file of changed) {
      vitest.invalidateFile(file);
      vitest.watcher.invalidates.add(file);
    }
    writeFileSync(progressFile, '');
    let lastProgress = '';
    poke();
    // The watchdog: the run is stuck when neither vitest nor the progress file has moved for stallMs
    // while a thread kept a core busy. On a starved machine nothing moves and nothing burns CPU:
    // then it waits longer, up to STARVED times stallMs.
    let watchdog: NodeJS.Timeout | undefined;
    const stalled = new Promise<'stalled'>((resolve) => {
      watchdog = setInterval(() => {
        const progress = readProgress(progressFile);
        if (progress !== lastProgress) {
          lastProgress = progress;
          poke();
        } else {
          const silentMs = Date.now() - quietSince;
          // A thread stuck in a loop burns CPU even when it has to share the cores.
          const spinning = cpuMs() - cpuSince >= 0.3 * silentMs;
          if ((silentMs > stallMs && spinning) || silentMs > STARVED * stallMs) resolve('stalled');
        }
      }, POLL_MS);
    });
    const suites = new Set(selected.flatMap((s) => (s.hidden ? [s.suite, s.hidden.suite] : [s.suite])));
    const chosen = specs.filter((spec) => suites.has(basename(spec.moduleId)));
    const ended = await Promise.race([vitest.runTestSpecifications(chosen), stalled]);
    clearInterval(watchdog);
    if (ended === 'stalled') {
      const last = lastProgress ? JSON.parse(lastProgress) : undefined;
      const stage = last?.suite && stageOfSuite(last.suite);
      // A hidden check's name stays hidden, even when it is the one that hangs.
      const test = last?.suite && hiddenSuite(last.suite) ? 'a hidden check' : last?.test;
      result.stalled = stage && !result.finished.has(stage) ? { stage, test, todo: last.todo } : (current ?? { stage: selected[0]?.id ?? '' });
    }
    if (result.logs.length >= LOG_LIMIT) result.logs = `${result.logs.slice(0, LOG_LIMIT)}\n… (more output cut)`;
    return result;
  }

  return {
    run,
    async close() {
      rmSync(scratch, { recursive: true, force: true });
      if (!result?.stalled) await vitest.close();
    },
  };
}

/** One run of the suites of `selected` on `target`. */
export async function runSuites(target: string, selected: Stage[], onFailure?: () => void): Promise<RunResult> {
  const runner = await createRunner(target);
  try {
    return await runner.run(selected, [], onFailure);
  } finally {
    await runner.close();
  }
}
