/**
 * The GitHub Actions workflow of a student release: on every push, the same grading as `npx grade`
 * in the student's own repository, with its report as the job's summary and an annotation at the
 * next TODO (report/github.ts). It runs in a repository the student controls: feedback, not proof.
 */
import { required } from '../stages.ts';
import { stageTimeout } from './classroom50.ts';

export function gradeWorkflow(): string {
  // The stages' own limits, plus a few minutes to set up Node and install.
  const minutes = 5 + Math.ceil(required.reduce((sum, s) => sum + stageTimeout(s), 0) / 60);
  return `# Written by \`grade release\` from grader/stages.ts: on every push, \`npx grade\` as you run it at home.
# It runs in your own repository, so its result is feedback for you, not a grade.
name: Grade
on:
  push:
  workflow_dispatch:
permissions:
  contents: read
jobs:
  grade:
    runs-on: ubuntu-latest
    timeout-minutes: ${minutes}
    steps:
      - uses: actions/checkout@v7
      - uses: actions/setup-node@v7
        with:
          node-version: 24
          cache: npm
      - run: npm ci
      # The report is on this run's summary page, and the next TODO is marked in your code; the
      # log holds the same report as JSON.
      - name: Grade
        run: npx grade --json
`;
}
