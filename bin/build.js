#!/usr/bin/env node
// Builds the grader into dist/, file by file with the options of tsconfig.build.json, unless dist/
// is already newer than every file it is built from (--force: anyway). It only strips the types:
// `npm test` and editors check them, and an install never fails on one. `prepare` runs this, and
// so does npx the first time it meets the kit at a new path: then there is nothing to do. In an
// instructor's kit, `grade` builds too once a source changed (bin/launch.js). It never reads exercises/.
import { build, changedSource } from './builder.js';

if (process.argv.includes('--force') || changedSource()) build();
