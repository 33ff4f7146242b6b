/**
 * `grade play [file.ts]`: runs a scratch TypeScript file against your own engine (exercises/, or
 * --target), with the kit's own compiler, on any Node this kit supports. Without a file it runs
 * play.ts, and first writes it, when there is none, as micrograd's own example session. An error
 * the file throws is shown at its line, as `grade` shows one; a file that runs on without printing
 * anything is stopped.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { compiled, kitRoot, locateTarget, readSubmission, scratchFolder, shownAs } from '../kit.ts';
import { describeFailure } from '../report/report.ts';
import { UsageError, type Io, type Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

/** micrograd's README example session, in TypeScript. */
const SESSION = `// micrograd's example session (its README), with your engine. Run it with: npx grade play
// Once your engine is right, it prints 24.7041, 138.8338 and 645.5773.
import { Value } from './exercises/engine.ts';
import { draw } from './grader/play.ts';

const a = new Value(-4.0);
const b = new Value(2.0);
let c = a.add(b);
let d = a.mul(b).add(b.pow(3));
c = c.add(c.add(1));
c = c.add(c.add(1).sub(a)); // c += 1 + c + (-a)
d = d.add(d.mul(2).add(b.add(a).relu()));
d = d.add(d.mul(3).add(b.sub(a).relu()));
const e = c.sub(d);
const f = e.pow(2);
let g = f.div(2.0);
g = g.add(new Value(10.0).div(f));
console.log(g.data.toFixed(4)); // prints 24.7041, the outcome of this forward pass
g.backward();
console.log(a.grad.toFixed(4)); // prints 138.8338, i.e. the numerical value of dg/da
console.log(b.grad.toFixed(4)); // prints 645.5773, i.e. the numerical value of dg/db

// Its graph, in the terminal and as g.svg: uncomment to see it.
// g.label = 'g';
// await draw(g);
void draw;
`;

/** Silence after which a running file is stopped: a loop, most likely. */
const SILENT_MS = 10_000;
const runnerPath = compiled(import.meta.url, '../play/runner.js');

export async function playCommand(file: string | undefined, opts: { target?: string; timeLimit?: number }, io: Io): Promise<Outcome> {
  const target = locateTarget(opts.target);
  // A play file lives in the kit, beside exercises/, whose engine it imports (or --target's).
  const path = resolve(file ?? join(kitRoot, 'play.ts'));
  if (!existsSync(path)) {
    if (file) throw new UsageError(`There is no file ${file} to play.`);
    writeFileSync(path, SESSION);
    io.out(`${ui.success('✓')} Wrote ${ui.info(shownAs(path))}: micrograd's example session, with your engine. Edit it and run ${ui.info('npx grade play')} again.\n\n`);
  }
  const { ts } = await import('../source/typescript.ts');
  const { transpileTarget } = await import('../source/transpile.ts');
  const out = scratchFolder('grade-play-');
  const files = readSubmission(target.dir);
  await transpileTarget(files, out);
  // The play file's imports of the engine, of nn and of grader/play.ts go to these copies and builds.
  const local = (specifier: string) => resolve(dirname(path), specifier).replace(/\.(ts|js)$/, '');
  const mapped: Record<string, string> = {
    [join(kitRoot, 'exercises', 'engine')]: './engine.js',
    [join(kitRoot, 'exercises', 'nn')]: './nn.js',
    [join(target.dir, 'engine')]: './engine.js',
    [join(target.dir, 'nn')]: './nn.js',
    [join(kitRoot, 'grader', 'play')]: pathToFileURL(compiled(import.meta.url, '../play.js')).href,
  };
  const source = readFileSync(path, 'utf8');
  const js = ts
    .transpileModule(source, { fileName: join(out, 'play.ts'), compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, inlineSourceMap: true, inlineSources: true } })
    .outputText.replace(/(from\s*|import\s*\(\s*)(['"])(\.{1,2}\/[^'"]+)\2/g, (all, head, quote, specifier) => {
      const to = mapped[local(specifier)];
      if (!to) throw new UsageError(`${shownAs(path)} imports ${specifier}: a play file may import ./exercises/engine.ts, ./exercises/nn.ts and ./grader/play.ts (and Node's own modules).`);
      return `${head}${quote}${to}${quote}`;
    });
  writeFileSync(join(out, 'play.js'), js);
  return run(join(out, 'play.js'), { ranFrom: out, shownAs: shownAs(path), shownDir: target.shown, files: { ...files, 'play.ts': source } }, io, (opts.timeLimit ?? SILENT_MS / 1000) * 1000);
}

/** Runs the play file in a process of its own, its output as it comes; an error or a stop told as `grade` tells them. */
function run(file: string, where: { ranFrom: string; shownAs: string; shownDir: string; files: Record<string, string | null> }, io: Io, silentMs: number): Promise<Outcome> {
  return new Promise((done) => {
    const child = fork(runnerPath, [pathToFileURL(file).href], { cwd: process.cwd(), execArgv: ['--enable-source-maps'], stdio: ['inherit', 'pipe', 'pipe', 'ipc'] });
    let heard = Date.now();
    let thrown: { name: string; message: string; stack: string } | undefined;
    let stderr = '';
    child.stdout!.on('data', (d) => {
      heard = Date.now();
      io.out(String(d));
    });
    child.stderr!.on('data', (d) => {
      heard = Date.now();
      stderr += d;
    });
    child.on('message', (m: typeof thrown) => (thrown = m));
    const watch = setInterval(() => {
      if (Date.now() - heard < silentMs) return;
      child.kill('SIGKILL');
      io.out(`\n${ui.error('✗')} ${where.shownAs} never finished: it ran for ${silentMs / 1000} s without printing anything. Likely cause: a loop whose condition never becomes false, or a method that calls itself forever. (If it is only slow, print as it goes.)\n`);
    }, 200);
    child.once('exit', (code, signal) => {
      clearInterval(watch);
      if (stderr) io.err(stderr);
      if (thrown) {
        // The stack names the copies by their .ts names (source maps): as a suite's failure does.
        const stacks = [...thrown.stack.matchAll(/\(?(\/[^\s()]+):(\d+):(\d+)\)?$/gm)].map(([, f, line, column]) => ({ file: f, line: Number(line), column: Number(column), method: '' }));
        const failure = describeFailure({ name: thrown.name, message: thrown.message, stacks }, '', '', { ranFrom: where.ranFrom, target: { dir: where.ranFrom, shown: where.shownDir, home: where.ranFrom }, files: where.files as never });
        // A stub's NotImplementedError names no place of its own: the line of the play file that called it does.
        const called = stacks.find((s) => s.file === join(where.ranFrom, 'play.ts'));
        const at = (failure.at ?? (called ? `${where.shownDir}/play.ts:${called.line}:${called.column}` : undefined))?.replace(`${where.shownDir}/play.ts`, where.shownAs);
        io.out(`\n${ui.error('✗')} ${failure.message}\n${at ? `  at ${ui.info(at)}\n` : ''}${failure.frame ? `${failure.frame.split('\n').map((l) => `  ${l}`).join('\n')}\n` : ''}`);
      }
      done({ code: thrown || signal || code ? 1 : 0 });
    });
  });
}


