/**
 * Classroom 50 (foundation50/classroom50) grades in GitHub Actions in each student's repository,
 * from tests kept in the course's config repository. This writes them from the manifest: an install
 * test, then one `run` test per stage whose command exits 0 exactly when the stage earns its points
 * (`--scored`), with the manifest's points and timeouts. The schema: classroom50's
 * schemas/tests-v1.schema.json. Hidden checks are not among them (see the README).
 */
import { stages, type Stage } from '../stages.ts';

/** Seconds a CI grader (Classroom 50, the Actions workflow) gives a stage: the manifest's, else this. */
const DEFAULT_TIMEOUT = 60;

export function stageTimeout(stage: Stage): number {
  return stage.timeout ?? DEFAULT_TIMEOUT;
}

/** One test of classroom50/tests/v1, of the one type the kit writes. */
export interface Classroom50Test {
  name: string;
  type: 'run';
  run: string;
  timeout: number;
  points: number;
}

/** The points a stage's test carries: a bonus stage's only where the manifest counts them in the total. */
export function counted(stage: Stage): number {
  return stage.optional && !stage.inTotal ? 0 : stage.points;
}

export function classroom50Tests(): { schema: 'classroom50/tests/v1'; tests: Classroom50Test[] } {
  const install: Classroom50Test = { name: 'install', type: 'run', run: 'npm ci', timeout: 300, points: 0 };
  const graded = stages.map((s) => ({
    name: `${s.optional ? 'bonus ' : ''}${s.id}: ${s.title.replace(/^Bonus: /, '')}`.slice(0, 100),
    type: 'run' as const,
    run: `npx grade ${s.id} --scored --no-color`,
    timeout: stageTimeout(s),
    points: counted(s),
  }));
  return { schema: 'classroom50/tests/v1', tests: [install, ...graded] };
}

/** The assignment's runtime block: Node 24, the current LTS, for `actions/setup-node`. */
export const classroom50Runtime = { node: '24' };
