/**
 * `grade class <folder>`: every subfolder or .zip of the folder is one submission
 * (a student kit, or just engine.ts and nn.ts). Each is graded from a fresh copy of
 * its two files and of the suites, with a test process of its own and the trusted check, several
 * at a time; a submission that crashes, hangs or is malformed gets a row that
 * says so. Writes a gradebook CSV and a class report.
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { csv, errorRow, markdown, rowOf, summarize, type Row } from '../instructor/gradebook.ts';
import { changedSince, fingerprint, tamperedSuites } from '../instructor/integrity.ts';
import { kitRoot, scratchFolder } from '../kit.ts';
import { progressBar } from '../report/render.ts';
import { grade } from '../run/grade.ts';
import { Runner } from '../run/runner.ts';
import { SourceChecker } from '../source/check.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export interface ClassOptions {
  jobs?: number;
  csv?: string;
  report?: string;
  json?: boolean;
  timeLimit?: number;
}

/** The folder in a submission that holds engine.ts and nn.ts, or why there is none. */
function findFiles(dir: string): string {
  for (const candidate of [dir, join(dir, 'exercises')]) if (existsSync(join(candidate, 'engine.ts'))) return candidate;
  const inner = readdirSync(dir).filter((e) => !e.startsWith('.') && statSync(join(dir, e)).isDirectory());
  if (inner.length === 1) return findFiles(join(dir, inner[0]));
  throw new Error('no engine.ts in it, nor in its exercises/ folder');
}

/** A scratch folder with just the submission's engine.ts and nn.ts. */
function copyOf(entry: string, source: string, scratch: string): string {
  // Named after the entry, so that a folder a/ and an a.zip don't share one.
  const dir = join(scratch, entry.replace(/[^\w.-]/g, '_'));
  mkdirSync(dir, { recursive: true });
  if (source.endsWith('.zip')) {
    const unzipped = join(dir, 'unzipped');
    for (const [path, data] of Object.entries(unzipSync(readFileSync(source)))) {
      if (path.endsWith('/') || path.includes('..')) continue;
      mkdirSync(dirname(join(unzipped, path)), { recursive: true });
      writeFileSync(join(unzipped, path), data);
    }
    source = unzipped;
  }
  const from = findFiles(source);
  const to = join(dir, 'files');
  mkdirSync(to);
  for (const file of ['engine.ts', 'nn.ts']) if (existsSync(join(from, file))) copyFileSync(join(from, file), join(to, file));
  return to;
}

export async function classCommand(folder: string, opts: ClassOptions, io: Io): Promise<Outcome> {
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UsageError(`The class folder ${folder} does not exist.`);
  const jobs = opts.jobs ?? availableParallelism();
  const entries = readdirSync(folder).filter((e) => !e.startsWith('.') && (e.endsWith('.zip') || statSync(join(folder, e)).isDirectory())).sort();
  if (entries.length === 0) throw new UsageError(`${folder} holds no submissions: one folder or .zip per student.`);
  const edited = tamperedSuites();
  if (edited.length > 0) throw new UsageError(`The suites differ from their recorded checksums: ${edited.join(', ')}. Restore them, or record them with npm run checksums.`);
  const before = fingerprint();
  const withHidden = existsSync(join(kitRoot, 'grader', 'hidden'));
  const scratch = scratchFolder('grade-class-');
  // The compiler only reads the submissions, never runs them: one checker serves them all.
  const checker = new SourceChecker();
  const rows: Row[] = [];
  let done = 0;
  let broken: string | undefined;
  // A bar on a terminal; in a log, a line for each submission as it is graded.
  const progress = (row?: Row) => {
    if (io.live) io.err(`\r ${progressBar(done, entries.length, 30)}`);
    else if (row) io.err(` ${done}/${entries.length} ${row.name}: ${row.error ?? `${row.total} points`}\n`);
  };
  async function gradeOne(entry: string): Promise<Row> {
    const name = entry.replace(/\.zip$/, '');
    let dir: string;
    try {
      dir = copyOf(entry, join(folder, entry), scratch);
    } catch (error) {
      return errorRow(name, `malformed: ${(error as Error).message}`);
    }
    // A runner of its own: nothing one submission does in its test process reaches the next.
    const runner = new Runner({ runLimitMs: opts.timeLimit && opts.timeLimit * 1000, isolated: true });
    try {
      const { report } = await grade({ dir, shown: name, home: dir }, undefined, { typecheck: false, runner, checker, verify: true });
      return rowOf(name, report, withHidden);
    } catch (error) {
      return errorRow(name, `the grader failed on it: ${(error as Error).message.split('\n')[0]}`);
    } finally {
      await runner.close();
    }
  }
  const queue = [...entries];
  progress();
  await Promise.all(
    Array.from({ length: Math.min(jobs, entries.length) }, async () => {
      for (let entry = queue.shift(); entry !== undefined && !broken; entry = queue.shift()) {
        const row = await gradeOne(entry);
        const changed = changedSince(before);
        if (changed.length > 0) broken ??= `${row.name} changed the kit while it was graded: ${changed.slice(0, 5).join(', ')}`;
        rows.push(row);
        done++;
        progress(row);
      }
    }),
  );
  if (io.live) io.err('\n');
  checker.close();
  rmSync(scratch, { recursive: true, force: true });
  if (broken) {
    io.err(`${ui.error('✗ Grading stopped:')} ${broken}. Restore the kit (git checkout -- grader && npm run build); no results were written.\n`);
    return { code: 2 };
  }
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const summary = summarize(rows);
  if (opts.csv) writeFileSync(opts.csv, csv(rows));
  if (opts.report) writeFileSync(opts.report, markdown(rows, summary));
  io.out(opts.json ? `${JSON.stringify({ rows, summary }, null, 2)}\n` : markdown(rows, summary));
  return { code: 0 };
}
