/**
 * `grade release <dir>`: writes the student kit, without solutions/, the kit's own
 * tests, benchmarks or hidden checks, to a folder (`--git` makes it a repository)
 * or, with `--branch`, to a branch of this repository without touching the
 * working tree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { backUp, kitRoot, scratchFolder, shownAs } from '../kit.ts';
import { UsageError, studentEdition, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export interface ReleaseOptions {
  force?: boolean;
  git?: boolean;
  branch?: string;
}

const git = (cwd: string, args: string[], env: NodeJS.ProcessEnv = {}) =>
  execFileSync('git', args, { cwd, env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
const author = ['-c', 'user.name=grade release', '-c', 'user.email=grade@localhost'];

/** Writes the files into `dir`, keeping a copy of every existing file it changes. */
function writeRelease(dir: string, files: Map<string, string | Buffer>): string | undefined {
  const changed = [...files.keys()].map((f) => join(dir, f)).filter((f) => existsSync(f) && !readFileSync(f).equals(Buffer.from(files.get(relative(dir, f))!)));
  const saved = backUp(dir, changed, dir);
  for (const [path, content] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    // The launchers stay executable, as npm would make them.
    writeFileSync(join(dir, path), content, { mode: path.startsWith('bin/') ? 0o755 : 0o644 });
  }
  return saved;
}

/** The commit `branch` points at, if it exists; checked before any work, so a refusal comes at once. */
function branchHead(branch: string, force: boolean): string | undefined {
  try {
    git(kitRoot, ['rev-parse', '--git-dir']);
  } catch {
    throw new UsageError('--branch needs the kit to be a git repository.');
  }
  let head: string | undefined;
  try {
    head = git(kitRoot, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]);
  } catch {
    head = undefined;
  }
  if (head && !force) throw new UsageError(`The branch ${branch} already exists. Add --force to commit the new release on top of it.`);
  return head;
}

function releaseToBranch(branch: string, parent: string | undefined, files: Map<string, string | Buffer>, io: Io): void {
  // Build the tree in a scratch folder and a scratch index: the working tree and HEAD stay as they are.
  const scratch = scratchFolder('release-');
  try {
    writeRelease(join(scratch, 'tree'), files);
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    git(kitRoot, ['--work-tree', join(scratch, 'tree'), 'add', '-A', '.'], env);
    const tree = git(kitRoot, ['write-tree'], env);
    const commit = git(kitRoot, [...author, 'commit-tree', tree, ...(parent ? ['-p', parent] : []), '-m', 'Student kit (grade release)']);
    git(kitRoot, ['update-ref', `refs/heads/${branch}`, commit]);
    io.out(`${ui.success('✓')} Wrote the student kit to branch ${ui.info(branch)} (${commit.slice(0, 7)}); your working tree and branch are unchanged.\n`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export async function releaseCommand(target: string | undefined, opts: ReleaseOptions, io: Io): Promise<Outcome> {
  if (!existsSync(join(kitRoot, 'solutions'))) throw new UsageError(`${studentEdition} It is already a release.`);
  if (!target && !opts.branch) throw new UsageError('Name a folder to write the student kit to (grade release <dir>), or a branch with --branch <name>.');
  const dir = target === undefined ? undefined : resolve(target);
  if (dir && (dir === kitRoot || kitRoot.startsWith(`${dir}/`))) throw new UsageError('Release into a folder outside this kit.');
  if (dir && existsSync(dir) && readdirSync(dir).length > 0 && !opts.force) {
    throw new UsageError(`${shownAs(dir)} is not empty. Pick an empty folder, or add --force to write over the kit's files there (others are left alone, and any file changed is copied to .grade/backups/ first).`);
  }
  const parent = opts.branch ? branchHead(opts.branch, !!opts.force) : undefined;
  // Loaded only now: reading the files takes the TypeScript compiler, which a usage error doesn't need.
  const { answersIn, releaseFiles } = await import('../instructor/release.ts');
  const files = releaseFiles();
  // No flag ships answers: the stubs must be pristine, and no solution body may appear anywhere.
  const answers = answersIn(files);
  if (answers.length > 0) {
    throw new UsageError(
      `The release would hold answers, so nothing was written:\n${answers.map((a) => `  ${a}`).join('\n')}\n` +
        `A student's exercises/ comes from grader/stubs/, which must hold only the stubs. Restore them with: git checkout -- grader/stubs`,
    );
  }
  if (opts.branch) releaseToBranch(opts.branch, parent, files, io);
  if (!dir) return { code: 0 };
  const saved = writeRelease(dir, files);
  io.out(`${ui.success('✓')} Wrote the student kit (${files.size} files) to ${ui.info(shownAs(dir))}/.\n`);
  if (saved) io.out(`  Files it replaced are saved in ${ui.info(shownAs(saved))}/.\n`);
  if (opts.git) {
    if (!existsSync(join(dir, '.git'))) git(dir, ['init', '-q', '-b', 'main']);
    git(dir, ['add', '-A']);
    git(dir, [...author, 'commit', '-q', '-m', 'Student kit (grade release)']);
    io.out(`  Committed as a git repository: push it as the template repository students start from (Classroom 50, or plain GitHub).\n`);
  }
  io.out(`  Next: cd ${shownAs(dir)} && npm ci && npx grade\n`);
  return { code: 0 };
}
