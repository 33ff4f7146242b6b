/**
 * Reading the target's source takes the TypeScript compiler, which is slow to
 * load, so it happens on a worker thread while the suites run: first the
 * analysis (syntax, API, TODO lines), then a type check, whose result is
 * cached by the files' contents.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Analysis } from './analyze.ts';
import { kitRoot } from './target.ts';

const cacheDir = join(kitRoot, 'node_modules', '.cache', 'grade');

export interface SourceCheck {
  analysis: Promise<Analysis>;
  /** Type errors as 'exercises/nn.ts:12:5 message'. */
  types: Promise<string[]>;
  /** Stops the worker when neither is needed any more. */
  stop: () => void;
}

function cacheKey(dir: string): string {
  const hash = createHash('sha256').update(dir);
  for (const f of ['engine.ts', 'nn.ts']) hash.update(existsSync(join(dir, f)) ? readFileSync(join(dir, f)) : '');
  return hash.digest('hex').slice(0, 16);
}

export function checkSource(dir: string, shown: string, typecheck = true): SourceCheck {
  const cached = join(cacheDir, `types-${cacheKey(dir)}.json`);
  const known = typecheck && existsSync(cached) ? (JSON.parse(readFileSync(cached, 'utf8')) as string[]) : undefined;
  const worker = new Worker(new URL('./source-worker.js', import.meta.url), {
    workerData: { dir, shown, cwd: process.cwd(), typecheck: typecheck && !known },
  });
  worker.unref();
  const messages = (kind: string) =>
    new Promise<any>((resolve, reject) => {
      worker.on('message', (m) => m.kind === kind && resolve(m.value));
      worker.once('error', reject);
      worker.once('exit', () => reject(new Error('the source worker stopped')));
    });
  const analysis = messages('analysis').then((a) => ({ ...a, methods: new Map(a.methods) }));
  const types = known
    ? Promise.resolve(known)
    : typecheck
      ? messages('types').then((errors: string[]) => {
          mkdirSync(cacheDir, { recursive: true });
          writeFileSync(cached, JSON.stringify(errors));
          return errors;
        })
      : Promise.resolve([]);
  analysis.catch(() => {});
  types.catch(() => {});
  return { analysis, types, stop: () => void worker.terminate() };
}
