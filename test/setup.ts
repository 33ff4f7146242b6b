// Runs before every test file of the kit's tests. The test files share their modules (isolate:
// false), so what helpers.ts keeps for a file is cleaned up after each file here.
import { afterAll } from 'vitest';
import { cleanUp } from './helpers.ts';

afterAll(cleanUp);
