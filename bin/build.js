#!/usr/bin/env node
// Builds the grader into dist/, file by file with the options of tsconfig.build.json, unless dist/
// is already newer than every file it is built from. It only strips the types: `npm test` and
// editors check them, and an install never fails on one. `prepare` runs this, and so does npx the
// first time it meets the kit at a new path: then there is nothing to do. It never reads exercises/.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['grader', 'examples', 'bench'];
const configs = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];

/** The newest modification time of the .ts files under `dir` (not the suites, stubs or hidden checks, which run as sources). */
function newest(dir) {
  if (!existsSync(dir)) return 0;
  return Math.max(0, ...readdirSync(dir, { withFileTypes: true }).map((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return ['suites', 'stubs', 'hidden'].includes(entry.name) ? 0 : newest(path);
    return entry.name.endsWith('.ts') ? statSync(path).mtimeMs : 0;
  }));
}

const stamp = join(root, 'dist', '.built');
const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newest(join(root, s))), ...configs.map((c) => (existsSync(join(root, c)) ? statSync(join(root, c)).mtimeMs : 0)));
if (process.argv.includes('--force') || changed >= built) {
  const ts = createRequire(import.meta.url)('typescript'); // an ESM import would first scan all 9 MB of it
  const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  // From scratch: a file whose source is gone must not linger, nor ship in a release.
  rmSync(options.outDir, { recursive: true, force: true });
  for (const file of fileNames.filter((f) => !f.endsWith('.d.ts'))) {
    const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
    const out = join(options.outDir, relative(root, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, outputText);
  }
  writeFileSync(stamp, '');
}
