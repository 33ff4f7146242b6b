/** Before the demo or the trace uses a student's engine: are the stages it needs passing? */
import { locateTarget } from '../grader/kit.ts';
import { grade } from '../grader/run/grade.ts';
import { UsageError } from '../grader/shared.ts';
import { ui } from '../grader/ui.ts';

/**
 * The folder with engine.ts and nn.ts when every stage up to `stage` passes on `target`;
 * otherwise says which one to finish and returns undefined.
 */
export async function readyOrExplain(target: string | undefined, stage: string): Promise<string | undefined> {
  let report;
  let dir;
  try {
    const located = locateTarget(target);
    dir = located.dir;
    ({ report } = await grade(located, stage, { typecheck: false }));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${ui.error('✗')} ${error.message}`);
    process.exitCode = 2;
    return undefined;
  }
  if (!report.next) return dir;
  console.error(
    `${ui.warn('Not yet:')} this needs every stage up to ${stage} passing, and stage ${ui.strong(report.next.stage)} ` +
      `doesn't pass in ${report.target}/ yet.\nFinish it first: ${ui.info(`npx grade ${report.next.stage}`)}.`,
  );
  return undefined;
}
