/**
 * `grade watch`: re-runs on every save to the target folder, rustlings style.
 * The stage you are working on runs first, so its verdict shows at once; the
 * other stages follow. Keys: h for a hint, l for the list, r to re-run, q to quit.
 */
import { watch, type FSWatcher } from 'node:fs';
import { revealHint } from '../hints.ts';
import { locateTarget, readSubmission, type Target } from '../kit.ts';
import { renderReport, renderTypeErrors, stageLines } from '../report/render.ts';
import { buildReport, type Report } from '../report/report.ts';
import { Runner, type RunResult } from '../run/runner.ts';
import type { Io, Outcome } from '../shared.ts';
import { SourceChecker } from '../source/check.ts';
import { findStage, required, stages, type Stage } from '../stages.ts';
import { ui } from '../ui.ts';

const DEBOUNCE_MS = 80;

export function watchCommand(opts: { target?: string }, io: Io, input: NodeJS.ReadStream = process.stdin): Promise<Outcome> {
  const session = new Session(locateTarget(opts.target), io);
  return new Promise((done) => {
    const quit = async () => {
      if (input.isTTY) input.setRawMode(false);
      // A paused stream still holds the process open until its other end closes.
      input.destroy();
      await session.close();
      done({ code: 0 });
    };
    if (input.isTTY) input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', (key: string) => {
      if (key.includes('q') || key.includes('\u0003')) return void quit();
      if (key.includes('r')) session.saved();
      if (key.includes('l')) session.list();
      if (key.includes('h')) session.hint();
    });
    session.saved();
  });
}

/** Everything one `grade watch` keeps: the warm runner, each stage's latest result, and whether a save is waiting. */
class Session {
  private readonly runner = new Runner();
  private readonly checker = new SourceChecker();
  private readonly watcher: FSWatcher;
  /** Each stage's latest result, so that a run of one stage shows with the others' latest. */
  private readonly latest = new Map<string, RunResult>();
  private report?: Report;
  /** Counts the screens drawn, so that late type errors go only onto the screen they belong to. */
  private screens = 0;
  /** A save came in that no run has seen yet. */
  private dirty = false;
  private running = false;
  private timer?: NodeJS.Timeout;
  private readonly clear = process.stdout.isTTY ? '\x1b[2J\x1b[H' : '';
  private readonly header: string;

  constructor(
    private readonly target: Target,
    private readonly io: Io,
  ) {
    this.header = ui.dim(` grade watch ${target.shown}/ · save a file to re-run · h hint · l list · r re-run · q quit`);
    // Editors that save by writing a temporary file and renaming it show up as 'rename': watching
    // the folder, not the file, keeps seeing them.
    this.watcher = watch(target.dir, (_event, name) => {
      if (name && /\.(ts|js)$/.test(name)) this.saved();
    });
  }

  /** A file changed: run again once the saves settle, and again after any run that a save overtook. */
  saved(): void {
    this.dirty = true;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.loop(), DEBOUNCE_MS);
  }

  list(): void {
    if (this.report) this.io.out(`\n${stageLines(this.report, true).join('\n')}\n`);
  }

  hint(): void {
    if (!this.report) return;
    const stage = findStage(this.report.next?.stage ?? '');
    this.io.out(stage ? revealHint(stage, this.target.home, `press ${ui.info('h')} again`) : ui.success('\n Every stage passes: no hints needed.\n'));
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.watcher.close();
    this.checker.close();
    await this.runner.close();
  }

  private async loop(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.dirty) {
        this.dirty = false;
        const current = findStage(this.report?.next?.stage ?? '');
        if (current) {
          const first = await this.runStages([current], true);
          if (this.dirty || !first?.ok) continue;
        }
        await this.runStages(required, false);
      }
    } finally {
      this.running = false;
    }
  }

  private async runStages(selected: Stage[], partial: boolean): Promise<{ ok: boolean } | undefined> {
    this.io.out(`${this.clear}${this.header}\n\n ${ui.info(`running ${selected.map((s) => s.id).join(', ')}…`)}\n`);
    const drawn = ++this.screens;
    const started = performance.now();
    const files = readSubmission(this.target.dir);
    const check = this.checker.check(this.target, files);
    const run = await this.runner.run(files, selected);
    if (run.infra) {
      this.io.out(ui.error(` ${run.infra}\n Save again to retry.\n`));
      return undefined;
    }
    for (const stage of selected) this.latest.set(stage.id, run);
    const merged = this.merged(run);
    const ran = stages.filter((s) => this.latest.has(s.id));
    const source = await check.analysis.catch(() => undefined);
    const report = buildReport({ selected: ran, run: merged, target: this.target, files, source });
    this.report = report;
    const more = partial && run.stops.length === 0 ? ', checking the other stages…' : '';
    const took = ui.dim(` checked in ${Math.round(performance.now() - started)} ms${more}`);
    const screen = `${this.clear}${this.header}\n${renderReport(report, { run })}${took}\n`;
    this.io.out(screen);
    if (run.stops.length > 0) this.io.out(ui.warn(' The stuck run was stopped. Save a fix and it runs again at once.\n'));
    // Type errors come when the compiler is done (at once, from the cache, for files it has seen):
    // on this screen if no run has replaced it. A partial run's screen gives way to the full run's.
    void check.types.then((errors) => {
      if (this.screens === drawn && !partial) this.io.out(renderTypeErrors(errors, 3));
    }, () => {});
    return { ok: run.stops.length === 0 };
  }

  /** The latest result of every stage that has run, with this run's stop, output and folder. */
  private merged(run: RunResult): RunResult {
    const merged: RunResult = { ...run, tests: [], loadErrors: new Map(), finished: new Set() };
    for (const [id, r] of this.latest) {
      merged.tests.push(...r.tests.filter((t) => t.stage === id));
      if (r.loadErrors.has(id)) merged.loadErrors.set(id, r.loadErrors.get(id)!);
      if (r.finished.has(id)) merged.finished.add(id);
    }
    return merged;
  }
}
