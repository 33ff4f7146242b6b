/** The GitHub Classroom workflow for a student release: one autograding step per stage, from the manifest. */
import { required } from '../stages.ts';

const stepId = (id: string) => id.replace(/[^a-z0-9]/g, '-');

export function classroomWorkflow(): string {
  const lines = [
    '# GitHub Classroom autograding, written by `grade release` from grader/stages.ts.',
    'name: Autograding Tests',
    "on: [push, repository_dispatch]",
    'permissions:',
    '  checks: write',
    '  actions: read',
    '  contents: read',
    'jobs:',
    '  run-autograding-tests:',
    '    runs-on: ubuntu-latest',
    "    if: github.actor != 'github-classroom[bot]'",
    '    steps:',
    '      - uses: actions/checkout@v4',
    '      - uses: actions/setup-node@v4',
    '        with:',
    '          node-version: 24',
    '      - run: npm ci',
  ];
  for (const stage of required) {
    lines.push(
      `      - name: ${stage.id}`,
      `        id: ${stepId(stage.id)}`,
      '        uses: classroom-resources/autograding-command-grader@v1',
      '        with:',
      `          test-name: ${stage.id}`,
      "          setup-command: ''",
      `          command: npx grade ${stage.id} --no-color`,
      `          timeout: ${stage.timeout ?? 2}`,
      `          max-score: ${stage.points}`,
    );
  }
  lines.push(
    '      - name: Autograding Reporter',
    '        uses: classroom-resources/autograding-grading-reporter@v1',
    '        env:',
    ...required.map((s) => `          ${stepId(s.id).toUpperCase().replace(/-/g, '_')}_RESULTS: "\${{ steps.${stepId(s.id)}.outputs.result }}"`),
    '        with:',
    `          runners: ${required.map((s) => stepId(s.id)).join(',')}`,
  );
  return `${lines.join('\n')}\n`;
}
