/** Before the demo or the trace uses a student's engine: are the stages it needs passing? */
import { grade, UsageError } from '../grader/grade.ts';
import { ui } from '../grader/ui.ts';

/** True when every stage up to `stage` passes on `target`; otherwise says which one to finish. */
export async function readyOrExplain(target: string, stage: string): Promise<boolean> {
  let report;
  try {
    ({ report } = await grade(target, stage, false));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${ui.error('✗')} ${error.message}`);
    process.exitCode = 2;
    return false;
  }
  if (!report.next) return true;
  console.error(
    `${ui.warn('Not yet:')} this needs every stage up to ${stage} passing, and stage ${ui.strong(report.next.stage)} ` +
      `doesn't pass in ${report.target}/ yet.\nFinish it first: ${ui.info(`npx grade ${report.next.stage}`)}` +
      ` (or try the reference with ${ui.info('--target solutions')}).`,
  );
  return false;
}
