/**
 * `grade watch`: re-runs on every save to the target folder, rustlings style.
 * The stage you are working on runs first, so its verdict shows at once; the
 * other stages follow. Keys: h for a hint, l for the list, r to re-run, q to quit.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { watch } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Io, Outcome } from '../cli.ts';
import { shownAs, targetFolder } from '../grade.ts';
import { renderReport, stageLines } from '../render.ts';
import type { Report } from '../report.ts';
import { required, stages } from '../stages.ts';
import { ui } from '../ui.ts';
import type { RunReply, RunRequest } from '../watch-runner.ts';
import { hintCommand } from './hint.ts';

const DEBOUNCE_MS = 80;
const runnerPath = fileURLToPath(new URL('../watch-runner.js', import.meta.url));

export function watchCommand(opts: { target: string }, io: Io, input: NodeJS.ReadStream = process.stdin): Promise<Outcome> {
  const dir = targetFolder(opts.target);
  const clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
  const header = ui.dim(` grade watch ${shownAs(dir)}/ · save a file to re-run · h hint · l list · r re-run · q quit`);
  let child: ChildProcess | undefined;
  let ready: Promise<void> | undefined;
  let report: Report | undefined;
  let busy = false;
  let pending: string[] | undefined;
  let timer: NodeJS.Timeout | undefined;

  function start(): Promise<void> {
    child = fork(runnerPath, [dir], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    child.once('exit', () => {
      child = undefined;
      ready = undefined;
    });
    return new Promise((resolveReady, reject) => {
      child!.once('message', () => resolveReady());
      child!.once('exit', () => reject(new Error('The grader’s test runner could not start.')));
    });
  }

  function ask(request: RunRequest): Promise<RunReply> {
    return new Promise((resolveReply, reject) => {
      const c = child!;
      const onExit = () => reject(new Error('The grader’s test runner stopped unexpectedly.'));
      c.once('exit', onExit);
      c.once('message', (reply: RunReply) => {
        c.off('exit', onExit);
        resolveReply(reply);
      });
      c.send(request);
    });
  }

  function show(reply: RunReply, started: number, partial: boolean) {
    report = reply.report;
    const more = partial && !reply.stalled ? ', checking the other stages…' : '';
    const took = ui.dim(` checked in ${Math.round(performance.now() - started)} ms${more}`);
    io.out(`${clear}${header}\n${renderReport(reply.report, { logs: reply.logs })}${took}\n`);
    if (reply.stalled) io.out(ui.warn(' The stuck run was stopped. Save a fix and the grader starts afresh.\n'));
  }

  async function runAll(changed: string[]) {
    busy = true;
    const started = performance.now();
    try {
      ready ??= start();
      await ready;
      const current = report?.next?.stage;
      if (current) {
        const first = await ask({ stages: [current], changed });
        show(first, started, true);
        changed = [];
        if (first.stalled) return;
      }
      show(await ask({ stages: required.map((s) => s.id), changed }), started, false);
    } catch (error) {
      io.out(ui.error(` ${(error as Error).message} Save again to retry.\n`));
    } finally {
      busy = false;
      if (pending) {
        const next = pending;
        pending = undefined;
        void runAll(next);
      }
    }
  }

  function schedule(file: string) {
    clearTimeout(timer);
    (pending ??= []).push(file);
    timer = setTimeout(() => {
      if (busy) return;
      const changed = pending!;
      pending = undefined;
      void runAll(changed);
    }, DEBOUNCE_MS);
  }

  // Editors that save by writing a temporary file and renaming it show up as 'rename': watching
  // the folder, not the file, keeps seeing them.
  const watcher = watch(dir, (_event, name) => {
    if (name && /\.(ts|js)$/.test(name)) schedule(join(dir, name));
  });

  return new Promise((done) => {
    const quit = () => {
      watcher.close();
      child?.kill();
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      done({ code: 0, mustExit: true });
    };
    if (input.isTTY) input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', async (key: string) => {
      if (key.includes('q') || key.includes('\u0003')) return quit();
      if (key.includes('r')) return schedule(join(dir, 'engine.ts'));
      if (key.includes('l') && report) io.out(`\n${stageLines(report, true).join('\n')}\n`);
      if (key.includes('h')) await hintCommand(report?.next?.stage ?? stages[0].id, opts, io);
    });
    void runAll([]);
  });
}
