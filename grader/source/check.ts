/**
 * Reading the target's source takes the TypeScript compiler, which is slow to
 * load, so it happens on a worker thread while the suites run: first the
 * analysis (syntax, API, TODO lines), then a type check. Both are cached by
 * the files' contents in the target's .grade/cache, so an unchanged folder
 * needs no worker at all.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { compiled, type Submission, type Target } from '../kit.ts';
import type { Analysis } from './analyze.ts';
import { transpile } from './transpile.ts';

/** Every edit adds two results; beyond this many files, the oldest go. */
const CACHE_FILES = 200;
/** Bump when the cached results change shape or wording. */
const FORMAT = 5;

export interface SourceCheck {
  analysis: Promise<Analysis>;
  /** Type errors as 'exercises/nn.ts:12:5 message'. */
  types: Promise<string[]>;
}

/** Changes whenever engine.ts or nn.ts changes, or where they are shown from. */
function cacheKey(target: Target, files: Submission): string {
  const hash = createHash('sha256').update(`${FORMAT}\0${target.dir}\0${target.shown}`);
  for (const f of ['engine.ts', 'nn.ts'] as const) hash.update(`\0${files[f] === null ? 'missing' : `${files[f]!.length}\0${files[f]}`}`);
  return hash.digest('hex').slice(0, 16);
}

/** A cached result, or undefined when there is none (or another grader is still writing it). */
function readCache<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function cached<T>(dir: string, name: string, compute: () => Promise<T>): Promise<T> {
  const known = readCache<T>(join(dir, name));
  if (known !== undefined) return Promise.resolve(known);
  return compute().then((value) => {
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, name), JSON.stringify(value));
      pruneCache(dir, CACHE_FILES);
    } catch {
      // A folder we may not write to only costs the cache.
    }
    return value;
  });
}

/** Keeps the `keep` most recently written files of `dir`. Another grader may be pruning too. */
export function pruneCache(dir: string, keep: number): void {
  const names = readdirSync(dir);
  if (names.length <= keep) return;
  const written = (name: string) => statSync(join(dir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0;
  const oldestFirst = names.map((name) => ({ name, time: written(name) })).sort((a, b) => a.time - b.time);
  for (const { name } of oldestFirst.slice(0, names.length - keep)) rmSync(join(dir, name), { force: true });
}

type Kind = 'analysis' | 'types' | 'transpiled';
type Answer = { id: number; kind: Kind; value: unknown } | { id: number; kind: 'error'; message: string };

/**
 * One worker thread with the compiler loaded, for any number of checks, one after another: a
 * check costs milliseconds instead of loading TypeScript again. Both results come from the
 * cache when the files are unchanged, and then the worker is not even started.
 */
export class SourceChecker {
  private worker?: Worker;
  private readonly waiting = new Map<string, { resolve: (value: never) => void; reject: (error: Error) => void }>();
  private asked = 0;

  /** The analysis and type check of these files (the target's, as read once), shown as the target's. */
  check(target: Target, files: Submission, typecheck = true): SourceCheck {
    const dir = join(target.home, '.grade', 'cache');
    const key = cacheKey(target, files);
    let id: number | undefined;
    const ask = <T>(kind: Kind) => this.answer<T>((id ??= this.post({ kind: 'check', target, files, cwd: process.cwd(), typecheck })), kind);
    const raw = cached(dir, `analysis-${key}.json`, () => ask<Analysis & { methods: [string, unknown][] }>('analysis'));
    const types = typecheck ? cached(dir, `types-${key}.json`, () => ask<string[]>('types')) : Promise.resolve([]);
    const analysis = raw.then((a) => ({ ...a, methods: new Map(a.methods) }) as Analysis);
    analysis.catch(() => {});
    types.catch(() => {});
    return { analysis, types };
  }

  /**
   * The files as JavaScript: in the worker if it has the compiler loaded already, else in this
   * thread, where it then stays loaded.
   */
  transpile(files: Submission): Promise<{ engine: string | null; nn: string | null }> {
    if (!this.worker) return transpile(files);
    return this.answer(this.post({ kind: 'transpile', files }), 'transpiled');
  }

  /** Ends the worker; checks still waiting fail. */
  close(): void {
    void this.worker?.terminate();
  }

  private post(request: object): number {
    if (!this.worker) {
      const worker = new Worker(compiled(import.meta.url, './worker.js'));
      worker.on('message', (answer: Answer) => this.answered(answer));
      const failed = (error: Error) => {
        if (this.worker === worker) this.worker = undefined;
        for (const { reject } of this.waiting.values()) reject(error);
        this.waiting.clear();
      };
      worker.once('error', failed);
      worker.once('exit', () => failed(new Error('the source worker stopped')));
      this.worker = worker;
    }
    const id = ++this.asked;
    this.worker.postMessage({ id, ...request });
    return id;
  }

  private answer<T>(id: number, kind: Kind): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.set(`${id}:${kind}`, { resolve, reject });
      this.worker!.ref();
    });
  }

  private answered(answer: Answer): void {
    const kinds = answer.kind === 'error' ? ['analysis', 'types', 'transpiled'] : [answer.kind];
    for (const kind of kinds) {
      const slot = `${answer.id}:${kind}`;
      const waiter = this.waiting.get(slot);
      this.waiting.delete(slot);
      if (answer.kind === 'error') waiter?.reject(new Error(answer.message));
      else waiter?.resolve(answer.value as never);
    }
    // An idle worker never keeps the process alive.
    if (this.waiting.size === 0) this.worker?.unref();
  }
}
