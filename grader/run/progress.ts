/**
 * The progress channel, written from the test thread: a setup file that
 * records which test is starting, before it starts, synchronously. If the
 * student's code then loops forever, the thread can send nothing more, but the
 * runner can still read where it stopped, and how much the code printed (a
 * stuck thread never flushes vitest's console buffer).
 *
 * The file always holds one JSON record: `n` counts tests started, `beat`
 * counts heartbeats of long tests, `printed` and `lines` what the code printed.
 */
import { closeSync, constants as fs, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { constants } from 'node:os';
import { basename } from 'node:path';
import { format } from 'node:util';
import { beforeEach, inject } from 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    gradeProgress: string;
    /** How much of what the code prints the report shows. */
    gradeLogLimit: number;
  }
}

export interface Progress {
  n: number;
  suite: string;
  todo: string;
  test: string;
  beat: number;
  printed: number;
  lines: number;
  /** The call by which the code under test ended its own process ('process.exit(1)'), if it did. */
  ended?: string;
  /** The first lines the code printed in this run, and in which check: what a run stopped while printing still shows. */
  head?: { test: string; text: string };
}

const file = inject('gradeProgress');
const shown = inject('gradeLogLimit') ?? Infinity;
// One record per thread, whichever copy of this module writes it.
const key = Symbol.for('grade.progress');
const record: Progress = ((globalThis as Record<symbol, Progress>)[key] ??= { n: 0, suite: '', todo: '', test: '', beat: 0, printed: 0, lines: 0 });
let written = 0;

/**
 * Rewrites the record in place. writeFileSync would first truncate the file to nothing, which on
 * ext4 cost up to half a millisecond a test: a tenth of a warm run.
 */
function write(): void {
  if (!file) return;
  const fd = openSync(file, fs.O_RDWR | fs.O_CREAT);
  try {
    ftruncateSync(fd, writeSync(fd, JSON.stringify(record), 0));
  } finally {
    closeSync(fd);
  }
}

/** Tells the runner that a long test is still making progress; it does not restart the test's time limit. */
export function heartbeat(): void {
  record.beat++;
  write();
}

/**
 * A failure's stack without its frames inside node_modules (vitest's, chai's): none of them is the
 * student's, and for each one vitest's main thread reads the whole file looking for a source map.
 * That was a quarter of a failing run's time.
 */
const withoutLibraryFrames = (stack: string) => stack.split('\n').filter((line) => !/^\s+at .*\/node_modules\//.test(line)).join('\n');

if (file) {
  // vitest runs a setup file again for every test file: the hook each time, the console wrappers once.
  beforeEach(({ task, onTestFailed }) => {
    // The runner empties the file when a run starts: count what this run prints.
    if (readFileSync(file, 'utf8') === '') Object.assign(record, { printed: 0, lines: 0, head: undefined });
    Object.assign(record, { n: record.n + 1, suite: basename(task.file.filepath), todo: task.suite?.name ?? '', test: task.name, ended: undefined });
    // The suites' helpers keep what each check did with the engine (its graph) by this test.
    (globalThis as Record<symbol, unknown>)[Symbol.for('grade.test')] = task;
    write();
    onTestFailed(() => {
      for (const error of task.result?.errors ?? []) if (typeof error.stack === 'string') error.stack = withoutLibraryFrames(error.stack);
    });
  });
}

/** How much of the first lines printed the progress record keeps. */
const HEAD = 2000;
const wrapped = Symbol.for('grade.console');
if (file && !(console as unknown as Record<symbol, boolean>)[wrapped]) {
  (console as unknown as Record<symbol, boolean>)[wrapped] = true;
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      const text = format(...args);
      const before = record.printed;
      record.printed += text.length + 1;
      record.lines += text.split('\n').length;
      // The first lines, in the record too (a few writes): a thread stuck printing never hands its output over.
      if (!record.head || (record.head.text.length < HEAD && record.head.test === record.test)) {
        record.head = { test: record.test, text: `${record.head?.text ?? ''}${text}\n`.slice(0, HEAD) };
        write();
      }
      if (record.printed - written > 1 << 20) {
        written = record.printed;
        write();
      }
      // Past what the report shows, vitest would only carry it to the host to be dropped there.
      if (before < shown) original(...args);
    };
  }
}

/**
 * The ways code can end its own process, recorded in the progress file before they act: then the
 * runner can tell the student's process.exit or process.kill from a kill from outside (the machine
 * running out of memory, a grader's timeout), which is never the student's fault. Signalling any
 * other process is refused: a submission must not reach another one.
 */
const guarded = Symbol.for('grade.process');
const own = process as unknown as Record<string | symbol, unknown>;
if (file && !own[guarded]) {
  own[guarded] = true;
  const ending = (what: string, act: () => unknown) => {
    if (record.ended) return act(); // process.kill calls process._kill: the first call says it
    record.ended = what;
    write();
    try {
      return act();
    } catch (error) {
      record.ended = undefined; // vitest turned process.exit into an error: the process goes on
      write();
      throw error;
    }
  };
  const refuse = (pid: unknown) => {
    throw Object.assign(new Error(`process.kill(${String(pid)}) is not allowed while grading: your code may end only its own process`), { code: 'EPERM' });
  };
  for (const name of ['exit', 'reallyExit', 'abort'] as const) {
    const original = own[name] as (...args: unknown[]) => unknown;
    if (typeof original === 'function') own[name] = (...args: unknown[]) => ending(`process.${name}(${args.map(String).join(', ')})`, () => original.apply(process, args));
  }
  for (const name of ['kill', '_kill'] as const) {
    const original = own[name] as (pid: number, signal?: string | number) => unknown;
    if (typeof original !== 'function') continue;
    own[name] = (pid: number, signal?: string | number) => {
      if (signal === 0) return original.call(process, pid, signal);
      if (Number(pid) !== process.pid) return refuse(pid);
      const name = typeof signal === 'number' ? (Object.entries(constants.signals).find(([, n]) => n === signal)?.[0] ?? signal) : (signal ?? 'SIGTERM');
      return ending(`process.kill(process.pid, '${name}')`, () => original.call(process, pid, signal));
    };
  }
}
