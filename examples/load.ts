/**
 * Loads a target's engine.ts and nn.ts (the student's or the reference) as
 * plain JavaScript: each file is transpiled by the TypeScript compiler into a
 * scratch folder, then imported, so nn's Value is engine's Value. The folder is
 * removed once both are loaded.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Engine } from '../grader/api.ts';
import { readSubmission, scratchFolder } from '../grader/kit.ts';
import { transpileTarget } from '../grader/source/transpile.ts';

export type Loaded = Engine;

export async function loadTarget(dir: string): Promise<Loaded> {
  const out = scratchFolder('micrograd-');
  try {
    await transpileTarget(readSubmission(resolve(dir)), out);
    const engine = await import(pathToFileURL(join(out, 'engine.js')).href);
    const nn = await import(pathToFileURL(join(out, 'nn.js')).href);
    return { ...engine, ...nn };
  } finally {
    rmSync(out, { recursive: true, force: true }); // imported modules no longer need their files
  }
}
