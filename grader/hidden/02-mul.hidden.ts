// Hidden checks for stage mul: instructors only. The student release leaves this folder out.
// How to write one: grader/verify/hidden.ts.
import { hiddenChecks } from '../verify/hidden.ts';

export default hiddenChecks('mul', (check) => {
  check('gives a - a the value 0 and a total gradient of 0 on a', (value) => {
    const a = value(7);
    a.sub(a).chain();
  });
  check('keeps full precision for large and tiny operands', (value) => {
    value(1e200).mul(value(1e-200));
  });
});
