// Hidden checks for stage backward: instructors only. The student release leaves this folder out.
// How to write one: grader/verify/hidden.ts.
import { hiddenChecks } from '../verify/hidden.ts';

export default hiddenChecks('backward', (check) => {
  check('can be called on an intermediate node, leaving the nodes above it alone', (value) => {
    const a = value(3);
    const b = a.mul(a);
    b.add(1);
    b.backward();
  });
  check('handles a wide graph: the sum of 2,000 terms', (value) => {
    const xs = Array.from({ length: 2_000 }, (_, i) => value(i));
    xs.reduce((sum, x) => sum.add(x.mul(2)), value(0)).backward();
  });
});
