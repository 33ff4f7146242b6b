// A fresh copy of the kit at a new path, with a type error in an exercise before anything ran:
// `npm install`, a first `npx grade` there, and reset.
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { read, stub } from './helpers.ts';
import { forgetNpx, freshCopy, npm, npx, typeError } from './paths.ts';

describe('a new copy of the kit, with a broken exercise before anything ran', () => {
  const kit = freshCopy();
  afterAll(() => forgetNpx(kit));
  writeFileSync(join(kit, 'exercises', 'engine.ts'), typeError(stub('engine.ts')));
  rmSync(join(kit, 'exercises', 'nn.ts'));

  it('installs: npm install never type-checks the student’s files', async () => {
    const installed = await npm(kit, ['install']);
    expect(installed.stderr + installed.stdout).not.toMatch(/error TS/);
    expect(installed.code).toBe(0);
  }, 240_000);

  it('answers the first npx grade there with the normal report and the type error as a warning', async () => {
    const { code, stdout, stderr } = await npx(kit, ['grade']);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    expect(stdout).toMatch(/Next: Value\.add in exercises\/engine\.ts:\d+/);
    // The type check may take as long as the suites took; on a starved machine it says it is still
    // running, and the next run shows its warnings.
    const warnings = stdout.includes('come with your next npx grade') ? (await npx(kit, ['grade'])).stdout : stdout;
    expect(warnings).toMatch(/⚠ \d+ type errors? \(tsc, strict mode\)[^]*exercises\/engine\.ts:\d+:\d+ Property 'data' does not exist on type 'number \| Value'/);
    // npx keeps what it installed for this path: the next run works the same.
    expect((await npx(join(kit, 'exercises'), ['grade', 'add'])).stdout).toContain('Next: Value.add');
  }, 120_000);

  it('resets a TODO in the clone’s exercises/, keeping the student’s version in the clone', async () => {
    const mine = read(join(kit, 'exercises', 'engine.ts'));
    const { code, stdout } = await npx(kit, ['grade', 'reset', 'Value.add']);
    expect(code).toBe(0);
    expect(read(join(kit, 'exercises', 'engine.ts'))).toBe(stub('engine.ts'));
    const saved = stdout.match(/saved in (\S+)\//)![1];
    expect(read(join(kit, saved, 'engine.ts'))).toBe(mine);
    expect(saved.startsWith('.grade/backups/')).toBe(true);
  });
});
