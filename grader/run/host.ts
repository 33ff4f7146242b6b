/**
 * The host: a child process that keeps vitest warm and runs the stage suites
 * when the runner asks. The student's code runs in its test thread, so nothing
 * here is trusted: the runner only records what it reports, and kills this
 * process's whole group when it stops answering.
 */
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { Reporter, TestSpecification } from 'vitest/node';
import type { HostConfig, HostMessage, RunRequest } from './protocol.ts';

const LOG_LIMIT = 4000;
const config: HostConfig = JSON.parse(process.argv[2]);
// Under the permission model, existsSync throws on a path it may not read, where vite only asks
// whether a file is there: for this process, such a file is not there.
const exists = fs.existsSync;
fs.existsSync = (path) => {
  try {
    return exists(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_ACCESS_DENIED') return false;
    throw error;
  }
};
syncBuiltinESMExports();
const { BaseSequencer, createVitest } = await import('vitest/node');
const send = (message: HostMessage) => process.send!(message);
// The runner gone means nobody wants the results: don't outlive it.
process.on('disconnect', () => process.exit(0));

/** Runs the suites in the order the runner gives, which is the manifest's. */
class AsGiven extends BaseSequencer {
  override async sort(files: TestSpecification[]) {
    return files;
  }
}

let logged = 0;
const reporter: Reporter = {
  onTestModuleStart(module) {
    send({ kind: 'suite-start', suite: module.moduleId });
  },
  onTestCaseResult(test) {
    const result = test.result();
    const todo = test.parent.type === 'suite' ? test.parent.name : '';
    const notes = (test.meta() as { notes?: Record<string, unknown> }).notes;
    send({ kind: 'test', suite: test.module.moduleId, todo, test: test.name, passed: result.state === 'passed', error: result.errors?.[0], ...(notes ? { notes } : {}) });
  },
  onTestModuleEnd(module) {
    send({ kind: 'suite-end', suite: module.moduleId, errors: [...module.errors()] });
  },
  onUserConsoleLog(log) {
    if (logged >= LOG_LIMIT) return;
    const content = log.content.slice(0, LOG_LIMIT - logged);
    logged += content.length;
    const task = log.taskId ? vitest?.state.idMap.get(log.taskId) : undefined;
    send({ kind: 'log', content, test: task?.name ?? '' });
  },
};

const quiet = () => new Writable({ write: (_chunk, _encoding, done) => done() });
// eslint-disable-next-line prefer-const -- the reporter, made first, names a log's test through it
let vitest: Awaited<ReturnType<typeof createVitest>> | undefined;
vitest = await createVitest(
  'test',
  {
    config: false,
    root: config.kitRoot,
    watch: false,
    reporters: [reporter],
    setupFiles: [join(config.kitRoot, 'grader', 'run', 'progress.ts')],
    provide: { gradeProgress: config.progressFile, gradeLogLimit: LOG_LIMIT },
    // One thread, files in order, no per-file isolation: the quickest way through a few small
    // files. The runner kills this process to stop a thread stuck in the student's loop.
    pool: 'threads',
    ...(config.threadArgv ? { execArgv: config.threadArgv } : {}),
    isolate: false,
    fileParallelism: false,
    sequence: { sequencer: AsGiven },
    // No results cache: the manifest orders the suites, and grading writes nothing into the kit.
    cache: false,
  },
  { resolve: { alias: { '@target': config.targetDir } } },
  { stdout: quiet(), stderr: quiet() },
);
const project = vitest.getRootProject();
const running = vitest;
const cpuMs = () => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

process.on('message', async (request: RunRequest) => {
  logged = 0;
  // The runner rewrote the target's copies: every module must be read again, in vite and in the
  // test thread (`watcher.invalidates` is what vitest's own watch mode sends the thread).
  for (const file of ['engine.ts', 'nn.ts']) {
    running.invalidateFile(join(config.targetDir, file));
    running.watcher.invalidates.add(join(config.targetDir, file));
  }
  const ticker = setInterval(() => send({ kind: 'cpu', ms: cpuMs() }), 100);
  try {
    await running.runTestSpecifications(request.suites.map((suite) => project.createSpecification(suite)));
  } finally {
    clearInterval(ticker);
  }
  send({ kind: 'done' });
});
send({ kind: 'ready' });
