/**
 * The child process behind `grade watch`: keeps vitest warm and answers run
 * requests with reports. If a run stalls, it reports and exits, taking the
 * stuck test thread with it; the parent starts a fresh one on the next save.
 */
import { analyze } from './analyze.ts';
import { shownAs } from './grade.ts';
import { anyFailed, buildReport, type Report } from './report.ts';
import { createRunner, type RunResult, type TestOutcome } from './run.ts';
import { stages } from './stages.ts';

export interface RunRequest {
  stages: string[];
  changed: string[];
}

export interface RunReply {
  report: Report;
  logs: string;
  stalled: boolean;
}

const dir = process.argv[2];
const shown = shownAs(dir);
const runner = await createRunner(dir);
// Results per stage, so that a run of one stage can be shown with the others' latest results.
const latest = new Map<string, { tests: TestOutcome[]; errors?: RunResult['loadErrors'] extends Map<string, infer E> ? E : never; finished: boolean }>();

process.on('message', async (request: RunRequest) => {
  const selected = stages.filter((s) => request.stages.includes(s.id));
  const run = await runner.run(selected, request.changed);
  for (const stage of selected) {
    latest.set(stage.id, { tests: run.tests.filter((t) => t.stage === stage.id), errors: run.loadErrors.get(stage.id), finished: run.finished.has(stage.id) });
  }
  const merged: RunResult = {
    tests: [...latest.values()].flatMap((l) => l.tests),
    loadErrors: new Map([...latest].filter(([, l]) => l.errors).map(([id, l]) => [id, l.errors!])),
    finished: new Set([...latest].filter(([, l]) => l.finished).map(([id]) => id)),
    stalled: run.stalled,
    logs: run.logs,
  };
  const ran = stages.filter((s) => latest.has(s.id));
  const report = buildReport(ran, merged, dir, shown, anyFailed(merged) ? analyze(dir, shown) : undefined);
  const reply: RunReply = { report, logs: run.logs, stalled: !!run.stalled };
  process.send!(reply, () => {
    if (run.stalled) process.exit(0);
  });
});
process.send!({ ready: true });
