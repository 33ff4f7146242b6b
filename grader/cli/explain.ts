/** `grade explain [stage]`: the failing check's graph as a page, to step through the backward pass. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { locateTarget, shownAs } from '../kit.ts';
import { grade } from '../run/grade.ts';
import type { Io, Outcome } from '../shared.ts';
import { ui } from '../ui.ts';

export async function explainCommand(stage: string | undefined, opts: { target?: string }, io: Io): Promise<Outcome> {
  const target = locateTarget(opts.target);
  const { report } = await grade(target, stage, { typecheck: false });
  // The stage asked for, else the one to work on next.
  const asked = report.stages.find((s) => s.id === (stage?.toLowerCase() ?? report.next?.stage));
  if (!asked) {
    io.out(ui.success(' Every stage passes: there is no failing check to draw.\n'));
    return { code: 0 };
  }
  const failure = asked.failures.find((f) => f.graph?.culprit) ?? asked.failures.find((f) => f.graph);
  if (!failure?.graph) {
    const first = asked.failures[0];
    io.out(first ? ` Stage ${asked.id}'s failing checks draw no graph (they are not about values or gradients). The first: ${first.test}\n   ${first.message.split('\n')[0]}\n` : ` Stage ${asked.id} passes: there is no failing check to draw.\n`);
    return { code: first ? 1 : 0 };
  }
  const { explainPage } = await import('../explain/page.ts');
  const page = await explainPage({ stage: asked.id, test: failure.test, message: failure.message }, failure.graph);
  const file = join(target.home, '.grade', `explain-${asked.id}.html`);
  mkdirSync(join(target.home, '.grade'), { recursive: true });
  writeFileSync(file, page);
  io.out(`${ui.success('✓')} The graph of "${failure.test}" (stage ${asked.id}), step by step: ${ui.info(shownAs(file))}\n  Open it in a browser; the arrow keys step through your backward pass.\n`);
  return { code: 1 };
}
