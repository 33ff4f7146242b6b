/**
 * A lesson for each stage, shown once when it passes (and again with `grade why <stage>`): the
 * number the student's own code gave in one of its checks, next to the number the classic mistake
 * would give there, and why. At most six lines. The numbers come from the checks' notes
 * (grader/suites/helpers.ts's note()); the mistakes' numbers, from the same arithmetic.
 */
import { fmt } from '../explain/explain.ts';

type Notes = Record<string, number>;

const lessons: Record<string, (n: Notes) => string[] | undefined> = {
  add: ({ twice }) =>
    twice === undefined
      ? undefined
      : [
          `out = a.add(a) at a = 3: your _backward gives a.grad = ${fmt(twice)}.`,
          'a is both operands, so it receives out.grad twice. With = instead of += the second write',
          'would replace the first, and a.grad would be 1. That is why every _backward adds into .grad.',
        ],
  mul: ({ a, b }) =>
    a === undefined || b === undefined
      ? undefined
      : [
          `out = a.mul(b) at a = 2, b = 3, out.grad = 2: yours gives a.grad = ${fmt(a)} and b.grad = ${fmt(b)}.`,
          'Each operand gets the *other* operand’s data times out.grad: d(a·b)/da = b. Using its own data',
          'would give a.grad = 4; leaving out out.grad would give 3. neg and sub came for free from mul and add.',
        ],
  pow: ({ zero2, zero1 }) =>
    zero2 === undefined
      ? undefined
      : [
          `Value(0).pow(2) with out.grad = 3: yours gives a.grad = ${fmt(zero2)}${zero1 === undefined ? '' : `, and Value(0).pow(1) gives ${fmt(zero1)}`}.`,
          'n·aⁿ⁻¹ is fine at a = 0. Computing it as n·aⁿ/a (out.data / a) would give NaN there: 0/0.',
          'Write a derivative as its formula, not by dividing out what you have.',
        ],
  relu: ({ atZero, data }) =>
    atZero === undefined
      ? undefined
      : [
          `relu at exactly 0: yours gives ${fmt(data ?? 0)}, with a.grad = ${fmt(atZero)} when out.grad = 2.`,
          'The slope at the kink is a choice; micrograd (and PyTorch) take 0 (out.data > 0).',
          'With >= 0 it would pass out.grad on, 2: the notebook’s numbers would no longer match.',
        ],
  backward: ({ reused, diamond }) =>
    reused === undefined
      ? undefined
      : [
          `b = a.add(a), c = b.add(b): your backward() gives a.grad = ${fmt(reused)}${diamond === undefined ? '' : ` (and ${fmt(diamond)} in the diamond d = b·(b + 1))`}.`,
          'Walking the nodes in the order they were made (forwards) would give a.grad = 0: b would pass on',
          'its grad before c had given it any. Listing b twice (no visited set) would give 8.',
          'Reverse topological order lets each node pass its grad on only once it has all of it.',
        ],
  neuron: ({ w2 }) =>
    w2 === undefined
      ? undefined
      : [
          `A neuron of 3 inputs at x = [1, 2, 3]: backward() gives w[2].grad = ${fmt(w2)} (= x[2]).`,
          `A second backward() without zeroGrad() would make it ${fmt(2 * w2)}: grads add up, call after call.`,
          'So each training step starts with zeroGrad(); micrograd’s backward() never zeroes anything itself.',
        ],
  mlp: ({ parameters, first }) =>
    parameters === undefined
      ? undefined
      : [
          `Your MLP(2, [16, 16, 1]) has ${fmt(parameters)} parameters, the demo notebook's.`,
          `Every neuron of a layer reads every input: in MLP(3, [${fmt(first ?? 4)}, 4, 1]) x[0] feeds ${fmt(first ?? 4)} neurons, so its grad`,
          `gathers ${fmt(first ?? 4)} contributions, added one by one: with = only the last would stay.`,
          'Next: npm run demo trains it on the two moons; npm run trace draws a graph.',
        ],
  deep: ({ step }) =>
    step === undefined
      ? undefined
      : [
          `x + 0.5 + 0.5 + … a million times: the shared 0.5 gets grad ${fmt(step)}, one for each use.`,
          'A recursive walk would need a million call-stack frames; Node runs out near ten thousand.',
          'Your backward() keeps its own stack, as the deepest graphs need.',
        ],
  tanh: ({ o, x1 }) =>
    o === undefined
      ? undefined
      : [
          `The lecture's neuron, o = tanh(x1·w1 + x2·w2 + b): yours gives o = ${fmt(o)} and x1.grad = ${fmt(x1)}.`,
          'tanh squashes into (-1, 1); its slope 1 - o² is 0.5 here, and near 0 where it saturates:',
          'a neuron pushed far out learns slowly. relu keeps a slope of 1 wherever it is on.',
        ],
  exp: ({ e, x1 }) =>
    e === undefined
      ? undefined
      : [
          `tanh built from exp, (e²ⁿ - 1)/(e²ⁿ + 1), with e²ⁿ = ${fmt(e)}: yours gives x1.grad = ${fmt(x1)}, as tanh itself did.`,
          'Any composition of ops with the right local derivatives backpropagates right: the chain rule',
          'does not care how big an op is, only that each _backward adds its own part.',
        ],
  train: ({ first, last, at }) =>
    first === undefined || last === undefined
      ? undefined
      : [
          `Your engine trained MLP(2, [16, 16, 1]) from loss ${fmt(first)} to ${fmt(last)}${at === undefined ? '' : `, 100% accuracy first at step ${at}`}.`,
          'The same numbers as micrograd’s notebook, bit for bit: the same data, weights and order of operations.',
        ],
};

/** The stage's lesson from what its passing checks noted; undefined when it has none. */
export function lessonFor(stage: string, notes: Notes): string[] | undefined {
  return lessons[stage]?.(notes);
}
