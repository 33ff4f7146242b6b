/**
 * Runs the staged suites on a target folder through vitest's Node API and
 * collects every test's outcome. A watchdog ends a run that stops making
 * progress: a student's `while (true) {}` blocks the test thread, and vitest's
 * own timeouts cannot interrupt synchronous code.
 */
import { basename, join } from 'node:path';
import { Writable } from 'node:stream';
import type { TestError } from '@vitest/utils';
import { createVitest, type Reporter, type TestCase, type TestModule } from 'vitest/node';
import { stages, type Stage } from './stages.ts';
import { kitRoot } from './target.ts';

export interface TestOutcome {
  stage: string;
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
const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });

function stageOfModule(module: TestModule): string {
  return stages.find((s) => s.suite === basename(module.moduleId))?.id ?? basename(module.moduleId);
}

/** Runs the suites of `selected` on the engine and nn in `target` (an absolute path). */
export async function runSuites(target: string, selected: Stage[], stallMs = 4000): Promise<RunResult> {
  process.env.GRADE_TARGET = target;
  const result: RunResult = { tests: [], loadErrors: new Map(), finished: new Set(), logs: '' };
  let current: { stage: string; test?: string; todo?: string } | undefined;
  let poke = () => {};

  const reporter: Reporter = {
    onTestModuleStart(module) {
      current = { stage: stageOfModule(module) };
      poke();
    },
    onTestCaseReady(test: TestCase) {
      current = { stage: stageOfModule(test.module), test: test.name, todo: test.parent.type === 'suite' ? test.parent.name : undefined };
      poke();
    },
    onTestCaseResult(test: TestCase) {
      const outcome = test.result();
      result.tests.push({
        stage: stageOfModule(test.module),
        todo: test.parent.type === 'suite' ? test.parent.name : '',
        test: test.name,
        passed: outcome.state === 'passed',
        error: outcome.errors?.[0],
      });
      poke();
    },
    onTestModuleEnd(module) {
      const stage = stageOfModule(module);
      const errors = module.errors();
      if (errors.length > 0) result.loadErrors.set(stage, [...errors]);
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
  const stalled = new Promise<'stalled'>((resolve) => {
    let timer: NodeJS.Timeout;
    poke = () => {
      clearTimeout(timer);
      timer = setTimeout(() => resolve('stalled'), stallMs);
      timer.unref();
    };
    poke();
  });
  const filters = selected.map((s) => join(kitRoot, 'grader', 'suites', s.suite));
  const ended = await Promise.race([vitest.start(filters), stalled]);
  poke = () => {};
  if (ended === 'stalled') {
    // The test thread is stuck; it dies with this process, so don't wait for vitest to close.
    result.stalled = current ?? { stage: selected[0]?.id ?? '' };
  } else {
    await vitest.close();
  }
  if (result.logs.length >= LOG_LIMIT) result.logs = `${result.logs.slice(0, LOG_LIMIT)}\n… (more output cut)`;
  return result;
}
