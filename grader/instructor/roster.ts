/**
 * A class roster (a CSV an LMS exports) joined to the submissions' folder names, so that the
 * gradebook carries each student's ID and email. A folder matches a student by their ID, email or
 * GitHub username, or by ending in "-username" (Classroom 50 names repositories
 * classroom-assignment-username). A folder that matches no one, or more than one, stays unmatched,
 * and so do two folders that match the same student.
 */
import { readFileSync } from 'node:fs';
import { UsageError } from '../shared.ts';

export interface Student {
  id: string;
  email: string;
  name: string;
  github: string;
}

/** RFC 4180 CSV: quoted fields with commas, quotes and line breaks; CRLF or LF; a BOM ignored. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') row.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += c;
  }
  if (field || row.length > 0) row.push(field), rows.push(row);
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

/** The header names each column may go by, in LMS exports (Canvas, Moodle, Gradescope) and by hand. */
const COLUMNS: Record<keyof Student, RegExp[]> = {
  id: [/^(sis )?(student[ _]?)?(id|number|sid)( ?number)?$|^sis user id$|^id ?number$/],
  // A real email column before Canvas's SIS Login ID, which is often one.
  email: [/^(e-?mail|email address)$/, /^sis login id$/],
  name: [/^(full )?name$|^student$/],
  github: [/^(github|github username|github login|username|login)$/],
};

export function readRoster(file: string): Student[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new UsageError(`The roster ${file} can't be read.`);
  }
  const [header, ...rows] = parseCsv(text);
  const names = (header ?? []).map((h) => h.trim().toLowerCase());
  const column = (key: keyof Student) => COLUMNS[key].map((pattern) => names.findIndex((h) => pattern.test(h))).find((i) => i >= 0) ?? -1;
  const at = { id: column('id'), email: column('email'), name: column('name'), github: column('github') };
  if (at.id < 0 && at.email < 0) {
    throw new UsageError(`The roster ${file} needs a column for the student ID or the email in its first line (it has: ${names.join(', ') || 'nothing'}).`);
  }
  const get = (row: string[], i: number) => (i >= 0 ? (row[i] ?? '').trim() : '');
  const students = rows.map((row) => ({ id: get(row, at.id), email: get(row, at.email), name: get(row, at.name), github: get(row, at.github) }));
  // A row with nothing to match on is no student: Canvas's "Points Possible", a blank line of commas.
  return students.filter((s) => s.id || s.email || s.github);
}

/**
 * The one student a folder name stands for, if exactly one matches. Names are never keys: a display
 * name a student can edit in the LMS could otherwise claim a classmate's folder.
 */
export function studentFor(folder: string, roster: Student[]): Student | undefined {
  const name = folder.toLowerCase();
  const keys = (s: Student) => [s.id, s.email, s.github].filter(Boolean).map((k) => k.toLowerCase());
  const exact = roster.filter((s) => keys(s).includes(name));
  if (exact.length > 0) return exact.length === 1 ? exact[0] : undefined;
  // The longest username that ends the name: hw1-bob-smith is bob-smith's, not smith's.
  const suffix = roster.filter((s) => s.github && name.endsWith(`-${s.github.toLowerCase()}`));
  const longest = Math.max(0, ...suffix.map((s) => s.github.length));
  const best = suffix.filter((s) => s.github.length === longest);
  return best.length === 1 ? best[0] : undefined;
}

/** Each submission's student, where exactly one matches and no other submission matches them; else why not. */
export function match(names: string[], roster: Student[]): Map<string, Student | string> {
  const found = new Map(names.map((n) => [n, studentFor(n, roster)] as const));
  const result = new Map<string, Student | string>();
  for (const [name, student] of found) {
    const others = student ? names.filter((n) => n !== name && found.get(n) === student) : [];
    result.set(name, !student ? 'not on the roster' : others.length > 0 ? `the same roster student (${student.id || student.email}) as ${others.join(', ')}` : student);
  }
  return result;
}
