/**
 * `grade class <folder>`: every subfolder or .zip of the folder is one submission (a student kit,
 * or just engine.ts and nn.ts). Each is read once, as regular files only (a link or a device in it
 * makes it malformed), and graded as `--target` grades: sandboxed, in a scratch folder of its own
 * that no other submission can reach, with the trusted check, several at a time. A submission that
 * crashes, hangs or is malformed gets a row that says so. Writes a gradebook CSV and a class report.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import { csv, errorRow, markdown, rowOf, summarize, type Row } from '../instructor/gradebook.ts';
import { md } from '../report/report.ts';
import { changedSince, fingerprint, tamperedSuites } from '../instructor/integrity.ts';
import { backUp, readSubmission, scratchFolder, shownAs, type Submission } from '../kit.ts';
import { match, readRoster } from '../instructor/roster.ts';
import { markdownReport } from '../report/markdown.ts';
import { progressBar } from '../report/render.ts';
import { grade, hasTrustedCheck, HiddenChecksBroken } from '../run/grade.ts';
import { SourceChecker } from '../source/check.ts';
import { MalformedSubmission, UsageError, studentEdition, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export interface ClassOptions {
  jobs?: number;
  csv?: string;
  report?: string;
  json?: boolean;
  timeLimit?: number;
  /** A roster CSV to join the submissions to. */
  roster?: string;
  /** The gradebook with a BOM and CRLF, for Excel. */
  excel?: boolean;
  /** Grade the bonus stages too, each in a column of its own. */
  bonus?: boolean;
  /** A folder for one Markdown feedback file per submission. */
  feedback?: string;
}

const isDir = (path: string) => lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

/** The folder in a submission that holds engine.ts and nn.ts, or why there is none; links are never followed. */
function findFiles(dir: string): string {
  for (const candidate of [dir, join(dir, 'exercises')]) {
    if (!isDir(candidate)) continue;
    if (lstatSync(join(candidate, 'engine.ts'), { throwIfNoEntry: false })) return candidate;
  }
  const inner = readdirSync(dir).filter((e) => !e.startsWith('.') && isDir(join(dir, e)));
  if (inner.length === 1) return findFiles(join(dir, inner[0]));
  throw new MalformedSubmission('no engine.ts in it, nor in its exercises/ folder');
}

/** A zip's engine.ts and nn.ts, from its top level, its exercises/ folder, or its one folder (`inside`). */
function fromZip(path: string): { files: Submission; inside: string } {
  const entries = Object.entries(unzipSync(readFileSync(path))).filter(([name]) => !name.endsWith('/') && !name.split('/').includes('..'));
  const dirs = (name: string) => name.split('/').slice(0, -1).join('/');
  const holders = [...new Set(entries.filter(([name]) => name.endsWith('engine.ts')).map(([name]) => dirs(name)))];
  const dir = holders.find((d) => d === '' || d.endsWith('exercises')) ?? (holders.length === 1 ? holders[0] : undefined);
  if (dir === undefined) throw new MalformedSubmission('no engine.ts in it, nor in its exercises/ folder');
  const file = (name: string) => entries.find(([n]) => n === (dir ? `${dir}/${name}` : name))?.[1];
  const text = (name: string) => {
    const data = file(name);
    return data ? Buffer.from(data).toString('utf8') : null;
  };
  return { files: { 'engine.ts': text('engine.ts'), 'nn.ts': text('nn.ts') }, inside: dir };
}

export async function classCommand(folder: string, opts: ClassOptions, io: Io): Promise<Outcome> {
  if (!isDir(folder)) throw new UsageError(`The class folder ${folder} does not exist.`);
  if (!hasTrustedCheck()) throw new UsageError(`${studentEdition} Grading a class needs the grader's own check, which only an instructor's kit has.`);
  if (opts.excel && !opts.csv) throw new UsageError('--excel shapes the gradebook that --csv writes: add --csv <file>.');
  const jobs = opts.jobs ?? availableParallelism();
  const roster = opts.roster ? readRoster(opts.roster) : undefined;
  const entries = readdirSync(folder).filter((e) => !e.startsWith('.')).sort();
  if (entries.length === 0) throw new UsageError(`${folder} holds no submissions: one folder or .zip per student.`);
  const edited = tamperedSuites();
  if (edited.length > 0) throw new UsageError(`The suites differ from their recorded checksums: ${edited.join(', ')}. Restore them, or record them with npm run checksums.`);
  const before = fingerprint();
  // The compiler only reads the submissions, never runs them: one checker serves them all.
  const checker = new SourceChecker();
  const rows: Row[] = [];
  const feedback = new Map<string, string>();
  let done = 0;
  let broken: string | undefined;
  // A bar on a terminal; in a log, a line for each submission as it is graded.
  const progress = (row?: Row) => {
    if (io.live) io.err(`\r ${progressBar(done, entries.length, 30)}`);
    else if (row) io.err(` ${done}/${entries.length} ${md(row.name, 80)}: ${row.error ? md(row.error) : `${row.total} points`}\n`);
  };
  async function gradeOne(entry: string): Promise<Row> {
    const name = entry.replace(/\.zip$/, '');
    const path = join(folder, entry);
    const home = scratchFolder('grade-class-');
    try {
      const kind = lstatSync(path);
      if (!kind.isDirectory() && !(kind.isFile() && entry.endsWith('.zip'))) throw new MalformedSubmission(kind.isSymbolicLink() ? 'it is a symbolic link' : 'it is neither a folder nor a .zip');
      const dir = entry.endsWith('.zip') ? undefined : findFiles(path);
      const { files, inside } = dir ? { files: readSubmission(dir, true), inside: relative(path, dir) } : fromZip(path);
      // Its files named as the student knows them: exercises/engine.ts in a kit, engine.ts in a folder.
      const shown = inside || '.';
      // Each gets a sandboxed runner of its own (grade makes one): nothing one submission does reaches the next.
      const { report } = await grade({ dir: path, shown, home }, undefined, { typecheck: false, checker, instructor: true, files, bonus: opts.bonus, timeLimitMs: opts.timeLimit && opts.timeLimit * 1000 });
      if (opts.feedback) feedback.set(entry, markdownReport(report, `micrograd: ${md(name, 80)}`));
      return rowOf(name, report);
    } catch (error) {
      if (error instanceof HiddenChecksBroken) throw error;
      if (error instanceof MalformedSubmission) return errorRow(name, `malformed: ${error.message}`);
      return errorRow(name, `the grader failed on it (${(error as Error).message.split('\n')[0]}): grade it again`);
    }
  }
  const queue = [...entries];
  progress();
  try {
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
  } catch (error) {
    if (!(error instanceof HiddenChecksBroken)) throw error;
    broken = `a hidden check failed to load (${error.message})`;
  } finally {
    if (io.live) io.err('\n');
    checker.close();
  }
  if (broken) {
    io.err(`${ui.error('✗ Grading stopped:')} ${broken}. Restore the kit (git checkout -- . && npm run build); no results were written.\n`);
    return { code: 2 };
  }
  rows.sort((a, b) => a.name.localeCompare(b.name));
  const matched = roster && match(rows.map((r) => r.name), roster);
  for (const row of rows) {
    const found = matched?.get(row.name);
    if (typeof found === 'string') row.unmatched = found;
    else row.student = found;
  }
  const missing = roster?.filter((s) => !rows.some((r) => r.student === s));
  const summary = summarize(rows);
  if (opts.csv) writeFileSync(opts.csv, csv(rows, { missing, excel: opts.excel }));
  if (opts.report) writeFileSync(opts.report, markdown(rows, summary, missing));
  if (opts.feedback) writeFeedback(opts.feedback, feedback, io);
  io.out(opts.json ? `${JSON.stringify({ rows, summary, ...(missing ? { missing } : {}) }, null, 2)}\n` : markdown(rows, summary, missing));
  return { code: 0 };
}

/**
 * One Markdown file per submission, named after its folder or zip: its report as the student would
 * see it, the hidden checks as points only. A file there that differs is copied to
 * <dir>/.grade/backups/ first; a link there is replaced, never followed.
 */
function writeFeedback(dir: string, files: Map<string, string>, io: Io): void {
  mkdirSync(dir, { recursive: true });
  const used = new Set<string>();
  const named = [...files].sort(([a], [b]) => a.localeCompare(b)).map(([name, text]) => {
    const base = name.replace(/[^\p{L}\p{N}._@-]+/gu, '_').replace(/^\.+/, '_');
    let file = `${base}.md`;
    for (let n = 2; used.has(file.toLowerCase()); n++) file = `${base}-${n}.md`;
    used.add(file.toLowerCase());
    return [join(dir, file), text] as const;
  });
  const saved = backUp(dir, named.filter(([file, text]) => existsSync(file) && readFileSync(file, 'utf8') !== text).map(([file]) => file), dir);
  for (const [file, text] of named) {
    if (lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink()) unlinkSync(file);
    writeFileSync(file, text);
  }
  io.err(`${ui.success('✓')} Wrote ${named.length} feedback files to ${shownAs(dir)}${saved ? ` (the ones they replaced are in ${shownAs(saved)})` : ''}.\n`);
}
