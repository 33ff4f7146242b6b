/**
 * Reading the target's source takes the TypeScript compiler, which is slow to
 * load, so it happens on a worker thread while the suites run: first the
 * analysis (syntax, API, TODO lines), then a type check. Both are cached by
 * the files' contents, so an unchanged folder needs no worker at all.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Analysis } from './analyze.ts';
import { kitRoot } from './target.ts';

const cacheDir = join(kitRoot, 'node_modules', '.cache', 'grade');
/** Every edit adds two results; beyond this many files, the oldest go. */
const CACHE_FILES = 200;

export interface SourceCheck {
  analysis: Promise<Analysis>;
  /** Type errors as 'exercises/nn.ts:12:5 message'. */
  types: Promise<string[]>;
  /** Stops the worker when neither is needed any more. */
  stop: () => void;
}

/** Changes whenever engine.ts or nn.ts in `dir` changes, or `context` does. */
function cacheKey(dir: string, context: string): string {
  const hash = createHash('sha256').update(context);
  for (const f of ['engine.ts', 'nn.ts']) hash.update(existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : '');
  return hash.digest('hex').slice(0, 16);
}

/** A cached result, or undefined when there is none (or another grader is still writing it). */
function readCache<T>(name: string): T | undefined {
  try {
    return JSON.parse(readFileSync(join(cacheDir, name), 'utf8'));
  } catch {
    return undefined;
  }
}

function cached<T>(name: string, compute: () => Promise<T>): Promise<T> {
  const known = readCache<T>(name);
  if (known !== undefined) return Promise.resolve(known);
  return compute().then((value) => {
    mkdirSync(cacheDir, { recursive: true });
    writeFileSync(join(cacheDir, name), JSON.stringify(value));
    pruneCache(cacheDir, CACHE_FILES);
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

/** The type errors of `dir` if an earlier run already knows them, else none. */
export async function checkCachedTypes(dir: string, shown: string): Promise<string[]> {
  return readCache<string[]>(`types-${cacheKey(dir, context(dir, shown))}.json`) ?? [];
}

/** What else a cached result depends on; bump FORMAT when the cached results change shape or wording. */
const FORMAT = 2;
function context(dir: string, shown: string): string {
  return `${FORMAT}\0${dir}\0${shown}\0${process.cwd()}`;
}

/** Both results come from the cache when the files are unchanged; otherwise one worker computes them. */
export function checkSource(dir: string, shown: string, typecheck = true): SourceCheck {
  const key = cacheKey(dir, context(dir, shown));
  let worker: Worker | undefined;
  const ask = (kind: 'analysis' | 'types') => {
    worker ??= new Worker(new URL('./source-worker.js', import.meta.url), { workerData: { dir, shown, cwd: process.cwd(), typecheck } });
    const w = worker;
    return new Promise<any>((resolve, reject) => {
      w.on('message', (m) => m.kind === kind && resolve(m.value));
      w.once('error', reject);
      w.once('exit', () => reject(new Error('the source worker stopped')));
    });
  };
  const raw = cached(`analysis-${key}.json`, () => ask('analysis'));
  const types = typecheck ? cached(`types-${key}.json`, () => ask('types')) : Promise.resolve([]);
  const analysis = raw.then((a) => ({ ...a, methods: new Map(a.methods) }));
  analysis.catch(() => {});
  types.catch(() => {});
  return { analysis, types, stop: () => void worker?.terminate() };
}
