// Building the grader into dist/ (bin/build.js), and telling when a source changed since.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const sources = ['grader', 'examples', 'bench'];
const configs = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const dist = join(root, 'dist');
const stamp = join(dist, '.built');

/** The newest of these files, and the .ts files under these folders (not the suites or stubs, which run as sources). */
function newest(paths) {
  let found = { path: root, time: 0 };
  for (const path of paths.filter((p) => existsSync(p))) {
    const candidates = statSync(path).isDirectory()
      ? readdirSync(path, { withFileTypes: true })
          .filter((e) => (e.isDirectory() ? !['suites', 'stubs'].includes(e.name) : e.name.endsWith('.ts')))
          .map((e) => newest([join(path, e.name)]))
      : [{ path, time: statSync(path).mtimeMs }];
    for (const c of candidates) if (c.time > found.time) found = c;
  }
  return found;
}

/** The newest source the build reads, relative to the kit, when it changed after the last build. */
export function changedSource() {
  const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
  const { path, time } = newest([...sources, ...configs].map((p) => join(root, p)));
  return time >= built ? relative(root, path) || 'the kit' : undefined;
}

/**
 * Builds from scratch (a file whose source is gone must not linger, nor ship in a release) into a
 * folder of its own, then swaps it in: a grader starting meanwhile finds a whole build.
 */
export function build() {
  const ts = createRequire(import.meta.url)('typescript'); // an ESM import would first scan all 9 MB of it
  const { config } = ts.readConfigFile(join(root, 'tsconfig.build.json'), ts.sys.readFile);
  const { options, fileNames } = ts.parseJsonConfigFileContent(config, ts.sys, root);
  const next = `${dist}.next-${process.pid}`;
  rmSync(next, { recursive: true, force: true }); // left by a build that was killed
  try {
    for (const file of fileNames.filter((f) => !f.endsWith('.d.ts'))) {
      const { outputText } = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: options, fileName: file });
      const out = join(next, relative(root, file)).replace(/\.ts$/, '.js');
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, outputText);
    }
    writeFileSync(join(next, '.built'), '');
  } catch (error) {
    rmSync(next, { recursive: true, force: true });
    throw error;
  }
  const old = `${dist}.old-${process.pid}`;
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
}
