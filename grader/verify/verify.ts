/**
 * Verification: runs each stage's scenarios, and the hidden checks, in a locked-down child process,
 * and judges its answers here. The child reads only its own file (the submission comes on stdin as
 * JavaScript), writes nothing, starts nothing, leads a session of its own that is killed when it
 * is done, and has a memory cap. A task that never finishes costs only its stage: the child is
 * killed and started again from the next stage. A child that dies of something else (killed from
 * outside, unable to start) is run once more; if that fails too, there is no verdict, and the
 * grading says the grader failed, not the student.
 */
import { spawn } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { tmpdir } from 'node:os';
import { compiled } from '../kit.ts';
import { killSession } from '../run/session.ts';
import type { HiddenChecks } from './hidden.ts';
import type { Answer, Group, Line, Request } from './protocol.ts';
import { dependsOn, stages } from '../stages.ts';
import { opsScenario, ownTodos, scenarios, type Scenario } from './scenarios.ts';

const childPath = compiled(import.meta.url, './child.js');
/** How long one task may go without an answer: a loop, or a machine too busy to tell. */
const TASK_MS = 5_000;
/** The bonus stages' long tasks: the deep stage's million-node chain, the train stage's 100 steps. */
const LONG_MS = { chain: 60_000, train: 120_000 } as const;
const MEMORY_MB = 256;
/** The call stack of the suites' test threads (a worker's 4 MB), so that recursion runs as deep here as there. */
const STACK_KB = 3900;
const LONG_MEMORY_MB = 1536;
/** Node 20 calls it --experimental-permission, Node 22 and later --permission. */
const permission = process.allowedNodeEnvironmentFlags.has('--permission') ? '--permission' : '--experimental-permission';

/** The submission's engine.ts and nn.ts as JavaScript, or null where a file is missing. */
export interface Sources {
  engine: string | null;
  nn: string | null;
}

export interface VerifyOptions {
  /** Run the child as this user and group (the grader itself may be root, as on Gradescope). */
  user?: { uid: number; gid: number };
  seed?: number;
  /** The instructor's hidden checks, by stage. */
  hidden?: HiddenChecks[];
  /**
   * Check only these stages' own work alone, with the grader's code for the stages they need (see
   * Verdicts.alone): after the suites, for the stages that fail while a stage they need fails.
   */
  alone?: string[];
}

export interface Verdicts {
  /** The seed the scenarios were drawn from: the same seed replays them exactly. */
  seed: number;
  /** For each stage asked: undefined when the submission computes what it must, else what it got wrong. */
  stages: Map<string, string | undefined>;
  /** Each hidden check of the stages asked, with what it got wrong (undefined: it passes). */
  hidden: Map<string, { name: string; wrong?: string }[]>;
  /** The files that failed to load in a stage's realm. */
  unloaded: Map<string, ('engine.ts' | 'nn.ts')[]>;
  /**
   * For each stage that needs others: the same checks with only its own code the submission's (the
   * grader's for the stages it needs). Undefined when its own work is right.
   */
  alone: Map<string, string | undefined>;
  /** Why there is no verdict at all: the check itself failed twice. */
  failed?: string;
}

interface Unit {
  stage: string;
  /** The hidden check's name, for a hidden check. */
  hidden?: string;
  /** A check of the stage's own work alone, with the grader's code for the stages it needs. */
  alone?: boolean;
  scenario: Scenario;
}

export async function verify(sources: Sources, stageIds: string[], options: VerifyOptions = {}): Promise<Verdicts> {
  const seed = options.seed ?? randomInt(2 ** 31);
  const groups: { group: Group; units: Unit[] }[] = [];
  for (const [stage, list] of scenarios(options.alone ? options.alone : stageIds, seed)) {
    // A stage's own points: every check in one realm with all of the submission's code, as the
    // suites run it. Its own work alone: a realm of its own, with the grader's code for the rest.
    const alone = !!options.alone;
    const group: Group = alone ? { id: `${stage} (alone)`, own: ownTodos(stage, true), realm: stage, tasks: list.map((s) => s.task) } : { id: stage, own: null, realm: 'submission', tasks: list.map((s) => s.task) };
    groups.push({ group, units: list.map((scenario) => ({ stage, alone, scenario })) });
  }
  for (const { stage, checks } of options.alone ? [] : (options.hidden ?? [])) {
    if (!stageIds.includes(stage) || checks.length === 0) continue;
    const units = checks.map(({ name, task }) => ({ stage, hidden: name, scenario: opsScenario(task.steps, task.grads, task.pass, { out: task.out, times: task.times }) }));
    // In a realm of their own: nothing of them reaches the realm whose errors the student may see.
    groups.push({ group: { id: `${stage} (hidden)`, own: null, realm: 'hidden', tasks: checks.map((c) => c.task) }, units });
  }
  const main = (g: (typeof groups)[number]) => !g.units[0]?.hidden && !g.units[0]?.alone;
  const verdicts: Verdicts = {
    seed,
    stages: new Map(groups.filter(main).map((g) => [g.group.id, undefined])),
    hidden: new Map(),
    unloaded: new Map(),
    alone: new Map((options.alone ?? []).map((id) => [id, undefined])),
  };
  if (groups.length === 0) return verdicts;
  const { answers, loads, failed } = await answer(sources, groups, options.user);
  if (failed) return { ...verdicts, failed };
  for (const [g, files] of loads) if (main(groups[g])) verdicts.unloaded.set(groups[g].group.id, files);
  groups.flatMap((g) => g.units).forEach((unit, i) => {
    const wrong = unit.scenario.judge(answers[i] ?? { error: 'no answer' });
    if (unit.hidden !== undefined) {
      verdicts.hidden.set(unit.stage, [...(verdicts.hidden.get(unit.stage) ?? []), { name: unit.hidden, wrong }]);
    } else {
      const map = unit.alone ? verdicts.alone : verdicts.stages;
      if (wrong && map.get(unit.stage) === undefined) map.set(unit.stage, wrong);
    }
  });
  return verdicts;
}

/** Every task's answer, from as many runs of the child as it takes; or why the check itself failed. */
async function answer(sources: Sources, groups: { group: Group; units: Unit[] }[], user?: VerifyOptions['user']) {
  const offsets = groups.map((_, g) => groups.slice(0, g).reduce((n, x) => n + x.group.tasks.length, 0));
  const size = (g: number) => groups[g].group.tasks.length;
  const answers: (Answer | undefined)[] = [];
  const loads = new Map<number, ('engine.ts' | 'nn.ts')[]>();
  const fill = (g: number, answer: Answer, from = offsets[g]) => {
    for (let t = from; t < offsets[g] + size(g); t++) answers[t] ??= answer;
  };
  let pending = groups.map((_, g) => g);
  let retried = false;
  while (pending.length > 0) {
    const run = await runChild(sources, pending.map((g) => groups[g].group), user);
    // The child counts tasks from its first group: each of its tasks, as a task of all the groups.
    const starts = pending.map((_, i) => pending.slice(0, i).reduce((n, g) => n + size(g), 0));
    const whose = (task: number) => starts.findLastIndex((start) => start <= task);
    const global = (task: number) => offsets[pending[whose(task)]] + task - starts[whose(task)];
    for (const [task, a] of run.answers) answers[global(task)] = a;
    for (const { group, errors } of run.loads) {
      // A task that could not run for a missing file says which file, and why it did not load.
      const g = pending[group];
      if (errors.length > 0) loads.set(g, errors.map((e) => e.file as 'engine.ts' | 'nn.ts'));
      for (let t = offsets[g]; t < offsets[g] + size(g); t++) {
        const a = answers[t];
        if (a && 'error' in a && a.error.startsWith('could not load')) {
          const error = errors.find((e) => a.error.includes(e.file)) ?? errors[0];
          if (error) answers[t] = { error: `could not load ${error.file}: ${error.message}` };
        }
      }
    }
    if (run.end.kind === 'done') break;
    if (run.end.kind === 'stuck' || run.end.kind === 'memory') {
      const why = run.end.kind === 'memory' ? `ran out of memory (the check allows ${run.memory} MB)` : `did not finish within ${run.end.ms / 1000} s: a loop that never ends?`;
      if (run.end.task === undefined) {
        // Stuck while loading the files: every stage needs them.
        for (const g of pending) fill(g, { error: `loading the submission ${why}` });
        break;
      }
      // The task that never finished fails its stage. The stages that need it would only get stuck
      // on it again; the others run in a new child.
      const i = whose(run.end.task);
      const g = pending[i];
      const stuck = groups[g].units[0].stage;
      answers[global(run.end.task)] = { error: why };
      fill(g, { error: 'not run: an earlier check of this stage never finished' });
      const after = (h: number) => {
        const stage = stages.find((s) => s.id === groups[h].units[0].stage)!;
        return stage.id === stuck || dependsOn(stage, stuck);
      };
      for (const h of pending.slice(i + 1).filter(after)) fill(h, { error: `not run: a check of ${stuck}, which it needs, never finished` });
      pending = pending.slice(i + 1).filter((h) => !after(h));
      continue;
    }
    // Killed from outside, or it could not start: not the submission's doing. Once more, from where it was.
    if (retried) return { answers, loads, failed: run.end.why };
    retried = true;
  }
  return { answers, loads, failed: undefined };
}

type End = { kind: 'done' } | { kind: 'stuck'; task?: number; ms: number } | { kind: 'memory'; task?: number } | { kind: 'broken'; why: string };

/** One run of the child on these groups: the answers it gave (by task, counted from the first group), and how it ended. */
function runChild(sources: Sources, groups: Group[], user?: VerifyOptions['user']) {
  const nonce = randomBytes(16).toString('hex');
  const request: Request = { nonce, sources, groups };
  const long = groups.some((g) => g.tasks.some((t) => t.kind in LONG_MS));
  const memory = long ? LONG_MEMORY_MB : MEMORY_MB;
  const args = [permission, `--allow-fs-read=${childPath}`, '--experimental-vm-modules', `--max-old-space-size=${memory}`, `--stack-size=${STACK_KB}`, '--disable-warning=ExperimentalWarning', childPath];
  const answers = new Map<number, Answer>();
  const loads: { group: number; errors: { file: string; message: string }[] }[] = [];
  const tasks = groups.flatMap((g) => g.tasks);
  return new Promise<{ answers: typeof answers; loads: typeof loads; end: End; memory: number }>((resolve) => {
    const child = spawn(process.execPath, args, { cwd: tmpdir(), stdio: ['pipe', 'pipe', 'pipe'], detached: process.platform !== 'win32', ...user });
    let buffer = '';
    let err = '';
    let current: number | undefined;
    let ended: End | undefined;
    let timer: NodeJS.Timeout | undefined;
    const finish = (end: End) => {
      if (ended) return;
      ended = end;
      clearTimeout(timer);
      killSession(child.pid);
      // A pipe some leftover holds open must not keep the grader waiting.
      setTimeout(() => {
        child.stdout.destroy();
        child.stderr.destroy();
      }, 1000).unref();
      resolve({ answers, loads, end, memory });
    };
    const deadline = () => {
      clearTimeout(timer);
      const kind = current === undefined ? undefined : tasks[current]?.kind;
      const ms = kind === 'chain' || kind === 'train' ? LONG_MS[kind] : TASK_MS;
      timer = setTimeout(() => finish({ kind: 'stuck', task: current, ms }), ms);
    };
    const onLine = (text: string) => {
      if (!text.startsWith(nonce)) return;
      let line: Line;
      try {
        line = JSON.parse(text.slice(nonce.length));
      } catch {
        return;
      }
      if (line.kind === 'load') loads.push({ group: line.group, errors: line.errors });
      if (line.kind === 'start') current = line.task;
      deadline();
      if (line.kind === 'answer') answers.set(line.task, line.answer);
      if (line.kind === 'done') finish({ kind: 'done' });
    };
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      buffer += d;
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        onLine(buffer.slice(0, nl));
        buffer = buffer.slice(nl + 1);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err = (err + d).slice(-4000)));
    child.once('error', (e) => finish({ kind: 'broken', why: `the grader's own check could not start: ${e.message}` }));
    child.once('exit', (code, signal) => {
      const after = () => {
        if (/heap out of memory|Reached heap limit|Allocation failed/.test(err)) return finish({ kind: 'memory', task: current });
        const why = err.split('\n').find((l) => /Error/.test(l))?.trim().slice(0, 200);
        finish({ kind: 'broken', why: `the grader's own check ended without an answer (${signal ?? `exit code ${code}`}${why ? `: ${why}` : ''})` });
      };
      // Its last lines may still be in the pipe: read them first, but never wait on a pipe for long.
      if (child.stdout.closed) after();
      else child.stdout.once('close', after);
      setTimeout(after, 1000).unref();
    });
    deadline();
    child.stdin.on('error', () => {}).end(JSON.stringify(request));
  });
}
