// Loads the compiled grader, with a clear message when it was never built. In an instructor's kit
// (the one with solutions/), a source changed since the last build (a hint or points in
// grader/stages.ts) is built first, so that the change counts; but never on the way to grading
// someone else's code (--target, --gradescope, class), where a changed source is a question to
// ask, not a build to make. A student's kit ships its build.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, changedSource } from './builder.js';

export async function launch(entry) {
  if (!existsSync(fileURLToPath(new URL(entry, import.meta.url)))) {
    console.error('The grader is not built yet. Run `npm install` (or `npm run build`) in the kit folder first.');
    process.exit(2);
  }
  const changed = existsSync(fileURLToPath(new URL('../solutions', import.meta.url))) && changedSource();
  const args = process.argv.slice(2);
  const command = args.find((a) => !a.startsWith('-')) ?? '';
  const others = ['list', 'hint', 'watch', 'reset', 'release', 'diff', 'explain', 'play', 'why', 'classroom50'];
  const grading = ['class', 'gradescope-bundle'].includes(command) || (!others.includes(command) && args.some((a) => /^(--target|-t|--gradescope)(=|$)/.test(a)));
  if (changed && grading) {
    console.error(`${changed} changed since the grader was built, and an instructor's grading never builds on its own. Run \`npm run build\` (after checking the change is yours), then grade again.`);
    process.exit(2);
  }
  if (changed) {
    try {
      build();
      console.error(`Rebuilt the grader: ${changed} changed since its last build.`);
    } catch (error) {
      console.error(`${changed} changed since the grader was built, and building it again failed (${error.message}): this run uses the old build. Run \`npm run build\` to see why.`);
    }
  }
  await import(entry);
}
