#!/usr/bin/env node
import { launch } from './launch.js';
await launch('../dist/grader/cli/main.js');
