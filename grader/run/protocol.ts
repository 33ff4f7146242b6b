/** The messages between the runner (the grader's process) and its host (the child that runs vitest). */
import type { TestError } from '@vitest/utils';

/** How the host is started: everything it needs, passed explicitly. */
export interface HostConfig {
  kitRoot: string;
  /** The scratch folder '@target' points at: copies of the target's engine.ts and nn.ts. */
  targetDir: string;
  /** Where the test thread writes which test it is starting (see progress.ts). */
  progressFile: string;
  /** For someone else's code: the flags that hold the test threads to the permission model. */
  threadArgv?: string[];
}

/** Run these suite files, in this order. */
export interface RunRequest {
  suites: string[];
}

export type HostMessage =
  | { kind: 'ready' }
  | { kind: 'suite-start'; suite: string }
  | { kind: 'test'; suite: string; todo: string; test: string; passed: boolean; error?: TestError; notes?: Record<string, unknown> }
  | { kind: 'suite-end'; suite: string; errors: TestError[] }
  /** The start of what the student's code printed, up to a limit, and the check it printed in. */
  | { kind: 'log'; content: string; test: string }
  /** CPU time the host has used, every thread included: a spinning test thread shows here. */
  | { kind: 'cpu'; ms: number }
  | { kind: 'done' };
