// What the tests of the real paths share: npm, npx and git as a user runs them, a fresh clone of
// this kit at a new path, and forgetting the npx cache entry that path got.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { kitRoot } from '../grader/kit.ts';
import { run, temp } from './helpers.ts';

export const npm = (cwd: string, args: string[]) => run('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], { cwd, timeout: 180_000 });
export const npx = (cwd: string, args: string[]) => run('npx', args, { cwd });
export const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

/** This kit's files as a fresh clone would hold them (what git tracks or would add), at a new path. */
export function freshCopy(): string {
  const dir = join(temp('clone'), 'kit');
  for (const file of git(kitRoot, ['ls-files', '-co', '--exclude-standard']).split('\n').filter((f) => existsSync(join(kitRoot, f)))) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(kitRoot, file), join(dir, file));
  }
  return dir;
}

/** The issue's own example: `other.data` where other may be a number, a type error. */
export const typeError = (text: string) => text.replace("throw new NotImplementedError('Value.add');", "return new Value(this.data + other.data, [this, other], '+');");

/** Removes what the first `npx grade` in `kit` added to npx's cache: an entry for each new path. */
export function forgetNpx(kit: string): void {
  const cache = join(process.env.npm_config_cache ?? join(homedir(), '.npm'), '_npx');
  for (const entry of existsSync(cache) ? readdirSync(cache) : []) {
    const modules = join(cache, entry, 'node_modules');
    try {
      if (resolve(modules, readlinkSync(join(modules, 'unfinished-micrograd'))) === kit) rmSync(join(cache, entry), { recursive: true, force: true });
    } catch {
      // not a link to a kit: someone else's entry
    }
  }
}
