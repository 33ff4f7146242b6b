// Loads the compiled grader, with a clear message when it was never built.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export async function launch(entry) {
  if (!existsSync(fileURLToPath(new URL(entry, import.meta.url)))) {
    console.error('The grader is not built yet. Run `npm install` (or `npm run build`) in the kit folder first.');
    process.exit(2);
  }
  await import(entry);
}
