/**
 * `grade gradescope-bundle <zip>`: the autograder zip for Gradescope: setup.sh,
 * run_autograder, and the kit with its hidden checks but without solutions/.
 * Gradescope unpacks it into /autograder/source and runs run_autograder for each
 * submission; AUTOGRADER_ROOT stands in for /autograder in tests.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { zipSync, type Zippable } from 'fflate';
import { answersIn, releaseFiles } from '../instructor/release.ts';
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
# The grader runs the student's code (tests and the trusted check) as that user, in process groups
# it kills when done, and only then writes results.json.
node bin/grade.js --target "$ROOT/submission" --gradescope "$ROOT/results/results.json" --no-color "\${as[@]}"
status=$?
# Whatever the student's code left running as that user goes too.
if [ \${#as[@]} -gt 0 ]; then pkill -KILL -u "$RUN_AS" 2>/dev/null; fi
# 1 means some stage failed, which results.json records; anything else is the grader's own failure.
if [ "$status" -gt 1 ]; then exit "$status"; fi
exit 0
`;

function hiddenSuites(): Map<string, Buffer> {
  const dir = join(kitRoot, 'grader', 'hidden');
  const files = new Map<string, Buffer>();
  try {
    for (const f of readdirSync(dir)) if (statSync(join(dir, f)).isFile()) files.set(`grader/hidden/${f}`, readFileSync(join(dir, f)));
  } catch {
    // no hidden checks: the bundle grades with the public suites only
  }
  return files;
}

export async function bundleCommand(zipPath: string, io: Io): Promise<Outcome> {
  if (!zipPath.endsWith('.zip')) throw new UsageError(`Name the bundle with a .zip ending, e.g. autograder.zip (got ${zipPath}).`);
  const files = new Map<string, string | Buffer>([...releaseFiles(), ...hiddenSuites()]);
  const answers = answersIn(files);
  if (answers.length > 0) throw new UsageError(`The bundle would hold answers, so nothing was written:\n${answers.map((a) => `  ${a}`).join('\n')}`);
  const entries: Zippable = {};
  const executable = { attrs: 0o100755 << 16, os: 3 } as const;
  for (const [path, content] of files) entries[path] = [Buffer.from(content), path.startsWith('bin/') ? executable : {}];
  entries['setup.sh'] = [Buffer.from(setup), executable];
  entries['run_autograder'] = [Buffer.from(runAutograder), executable];
  writeFileSync(zipPath, zipSync(entries, { level: 9 }));
  const hidden = [...files.keys()].filter((f) => f.startsWith('grader/hidden/')).length;
  io.out(`${ui.success('✓')} Wrote ${ui.info(shownAs(zipPath))}: the kit, ${hidden} hidden suite${hidden === 1 ? '' : 's'}, setup.sh and run_autograder.\n`);
  io.out(`  Upload it as the autograder of a Gradescope programming assignment (Ubuntu base image).\n`);
  return { code: 0 };
}
