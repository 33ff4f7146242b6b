/**
 * Hidden checks, which instructors write in grader/hidden/ (one file per stage, named in the
 * manifest). A check is a small program over an engine, written as if with Values:
 *
 *   export default hiddenChecks('mul', (check) => {
 *     check('gives a - a the value 0 and a total gradient of 0 on a', (value) => {
 *       const a = value(7);
 *       a.sub(a).chain(); // then each _backward from a - a down, as backward() would
 *     });
 *   });
 *
 * It is recorded here as steps, never run in the test runner: the trusted check runs it on the
 * submission's engine, where the stage's own TODOs are the submission's and the rest the grader's,
 * and every value, op, operand and gradient is compared with what the grader's own tape computes.
 * A program ends with at most one pass: `.local()` (that node's _backward), `.chain()` or
 * `.backward(times)`; without one, only values, ops and operands are compared. `a.grad = 3` sets a
 * grad before the pass.
 */
import type { Step, Task } from './protocol.ts';

type Pass = Extract<Task, { kind: 'ops' }>;

class Program {
  steps: Step[] = [];
  grads: [number, number][] = [];
  pass: Pass['pass'] = 'none';
  out?: number;
  times = 1;

  add(step: Step): Recorded {
    this.steps.push(step);
    return new Recorded(this, this.steps.length - 1);
  }
}

/** A Value in a hidden check's program. */
export class Recorded {
  constructor(
    private readonly program: Program,
    readonly index: number,
  ) {}

  private arg(other: Recorded | number): number | { n: number } {
    return other instanceof Recorded ? other.index : { n: other };
  }

  add(other: Recorded | number) {
    return this.program.add(['add', this.index, this.arg(other)]);
  }
  mul(other: Recorded | number) {
    return this.program.add(['mul', this.index, this.arg(other)]);
  }
  sub(other: Recorded | number) {
    return this.program.add(['sub', this.index, this.arg(other)]);
  }
  div(other: Recorded | number) {
    return this.program.add(['div', this.index, this.arg(other)]);
  }
  pow(exponent: number) {
    return this.program.add(['pow', this.index, exponent]);
  }
  relu() {
    return this.program.add(['relu', this.index]);
  }
  neg() {
    return this.program.add(['neg', this.index]);
  }
  set grad(g: number) {
    this.program.grads.push([this.index, g]);
  }
  /** The engine's own backward() from here, `times` times. */
  backward(times = 1): void {
    Object.assign(this.program, { pass: 'backward', out: this.index, times });
  }
  /** Each node's _backward from here down, in an order the grader chooses (no backward() needed). */
  chain(): void {
    Object.assign(this.program, { pass: 'chain', out: this.index });
  }
  /** Only this node's own _backward. */
  local(): void {
    Object.assign(this.program, { pass: 'local', out: this.index });
  }
}

export interface HiddenCheck {
  name: string;
  task: Pass;
}

export interface HiddenChecks {
  stage: string;
  checks: HiddenCheck[];
}

/** A stage's hidden checks; see above. */
export function hiddenChecks(stage: string, define: (check: (name: string, program: (value: (x: number) => Recorded) => void) => void) => void): HiddenChecks {
  const checks: HiddenCheck[] = [];
  define((name, write) => {
    const program = new Program();
    write((x) => program.add(['value', x]));
    if (program.steps.length === 0) throw new Error(`The hidden check '${name}' of ${stage} makes no Value.`);
    const { steps, grads, pass, out, times } = program;
    checks.push({ name, task: { kind: 'ops', steps, grads, pass, out, times } });
  });
  return { stage, checks };
}
