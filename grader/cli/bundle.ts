/**
 * `grade gradescope-bundle <zip>`: the autograder zip for Gradescope: setup.sh,
 * run_autograder, and the kit with its trusted check and hidden checks but without solutions/.
 * Gradescope unpacks it into /autograder/source and runs run_autograder for each
 * submission; AUTOGRADER_ROOT stands in for /autograder in tests.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { answersIn, instructorOnly, releaseFiles } from '../instructor/release.ts';
import { kitRoot, shownAs } from '../kit.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

const setup = `#!/usr/bin/env bash
# Gradescope runs this once, when it builds the autograder image.
set -euo pipefail
curl -fsSL https://deb.nodesource.com/setup_24.x | bash -
apt-get install -y nodejs
# The student's code runs as this user, never as root, as Gradescope advises.
id student >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin student
cd /autograder/source
npm ci --no-audit --no-fund
`;

const runAutograder = `#!/usr/bin/env bash
# Gradescope copies this to /autograder/run_autograder and runs it as root from /autograder for
# every submission; the kit is in /autograder/source. Only engine.ts and nn.ts are read from the
# submission (at its top level, or in its exercises/ folder): its tests change nothing.
set -uo pipefail
ROOT="\${AUTOGRADER_ROOT:-/autograder}"
RUN_AS="\${GRADE_RUN_AS:-student}"
# The kit is root's, and read-only to everyone else: the student's code can't change what grades it.
chown -R root:root "$ROOT/source" 2>/dev/null
chmod -R a+rX,go-w "$ROOT/source"
cd "$ROOT/source"
mkdir -p "$ROOT/results"
as=()
# Never root itself: the clean-up below ends every process of that user.
uid="$(id -u "$RUN_AS" 2>/dev/null)"
if [ "$(id -u)" = 0 ] && [ -n "$uid" ] && [ "$uid" != 0 ]; then as=(--run-as "$RUN_AS"); fi
# The grader runs the student's code (tests and the trusted check) as that user, sandboxed, in
# sessions it kills when done, and only then writes results.json, also when it gives no grade.
results="$ROOT/results/results.json"
grade() {
  rm -f "$results"
  node bin/grade.js --target "$ROOT/submission" --gradescope "$results" --no-color "\${as[@]}"
}
grade
status=$?
# Whatever the student's code left running as that user goes too.
if [ \${#as[@]} -gt 0 ]; then pkill -KILL -u "$RUN_AS" 2>/dev/null; fi
# A grader that died without a word (no results.json) gets one more try.
if [ ! -s "$results" ]; then
  grade
  status=$?
  if [ \${#as[@]} -gt 0 ]; then pkill -KILL -u "$RUN_AS" 2>/dev/null; fi
fi
if [ ! -s "$results" ]; then
  printf '{"score": 0, "output": "The grader itself failed (exit code %s), twice, so nothing was graded. This is not your fault: please submit again, and tell your instructor if it happens again.", "tests": []}\n' "$status" > "$results"
fi
# 1 means some stage failed, which results.json records; anything else is the grader's own failure.
if [ "$status" -gt 1 ]; then exit "$status"; fi
exit 0
`;

/** What an instructor's grading needs beyond the student kit: the trusted check and the hidden checks, as sources and built. */
function instructorFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (path: string) => {
    const full = join(kitRoot, path);
    if (!existsSync(full)) return;
    if (statSync(full).isDirectory()) for (const entry of readdirSync(full).sort()) walk(`${path}/${entry}`);
    else files.set(path, readFileSync(full));
  };
  instructorOnly.filter((path) => path !== 'dist/bench').forEach(walk);
  return files;
}

export async function bundleCommand(zipPath: string, io: Io): Promise<Outcome> {
  if (!zipPath.endsWith('.zip')) throw new UsageError(`Name the bundle with a .zip ending, e.g. autograder.zip (got ${zipPath}).`);
  // What students could ever see must hold no answer; the grader's own code (which students' code
  // can't reach on Gradescope: it runs sandboxed) joins it after that check.
  const release = releaseFiles();
  const answers = answersIn(release);
  if (answers.length > 0) throw new UsageError(`The bundle would hold answers, so nothing was written:\n${answers.map((a) => `  ${a}`).join('\n')}`);
  const files = new Map<string, string | Buffer>([...release, ...instructorFiles()]);
  const entries: Zippable = {};
  const executable = { attrs: 0o100755 << 16, os: 3 } as const;
  for (const [path, content] of files) entries[path] = [Buffer.from(content), path.startsWith('bin/') ? executable : {}];
  entries['setup.sh'] = [Buffer.from(setup), executable];
  entries['run_autograder'] = [Buffer.from(runAutograder), executable];
  writeFileSync(zipPath, zipSync(entries, { level: 9 }));
  const hidden = [...files.keys()].filter((f) => f.startsWith('grader/hidden/')).length;
  io.out(`${ui.success('✓')} Wrote ${ui.info(shownAs(zipPath))}: the kit, its own check, ${hidden} hidden check file${hidden === 1 ? '' : 's'}, setup.sh and run_autograder.\n`);
  io.out(`  Upload it as the autograder of a Gradescope programming assignment (Ubuntu base image).\n`);
  return { code: 0 };
}
