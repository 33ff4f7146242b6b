/**
 * The stage manifest: the one source of truth for the stage order, the TODOs
 * each stage covers, its hints and its points. The grader, hints, points,
 * releases and the kit's own tests all read it. The runner runs the suites in
 * this order.
 */
import { UsageError } from './shared.ts';

export interface Stage {
  /** What students type: `npx grade mul`. Lower case; the command line accepts any case. */
  id: string;
  /** One line shown next to the id. */
  title: string;
  /** The suite under grader/suites/ that checks this stage. */
  suite: string;
  /** The TODOs this stage covers, as Class.method ('constructor' for constructors), in the order to write them. */
  todos: string[];
  /** Stages that must pass first. A stage whose needs fail is blocked. */
  needs: string[];
  /**
   * Revealed one at a time by `grade hint`, from a nudge to nearly the answer. Math, never code.
   * After a failure the grader shows the hint that starts with the failing method's name ("neg is …"), else the first.
   */
  hints: string[];
  /** Points for instructor grading (Gradescope, Classroom 50, grade class). */
  points: number;
  /**
   * How the points are earned. 'own' (the default): when the stage's own suite passes, even while a
   * stage it needs fails, so that one bug is charged once. 'cascade': only when it and every stage
   * it needs pass, all or nothing down the chain.
   */
  scoring?: 'own' | 'cascade';
  /** A bonus stage: shown after the others, never blocks "done". */
  optional?: boolean;
  /** For a bonus stage: its points count in the total (by default they are reported beside it). */
  inTotal?: boolean;
  /** Seconds a CI grader (Classroom 50's test, the Actions workflow) gives this stage; 60 if unset, at most 600. */
  timeout?: number;
  /** Who sees this stage's result on Gradescope; 'visible' if unset. */
  visibility?: Visibility;
  /**
   * Instructor-only checks, in grader/hidden/ (how to write them: grader/verify/hidden.ts). The
   * student release leaves them out; instructor grading and Gradescope run them in the trusted
   * check, with their own points (given when the stage scores and every hidden check passes) and
   * visibility ('after_published' if unset).
   */
  hidden?: { file: string; points: number; visibility?: Visibility };
}

/** Gradescope's visibility of a test result. */
export type Visibility = 'hidden' | 'after_due_date' | 'after_published' | 'visible';

export const stages: Stage[] = [
  {
    id: 'add',
    title: 'Add two Values and pass gradients back',
    suite: '01-add.test.ts',
    todos: ['Value.add'],
    needs: [],
    hints: [
      'Build `out` from the sum, its two operands and the op label; then give `out` a _backward closure.',
      'd(a+b)/da = 1, so each operand gets out.grad, added to the grad it already has.',
      'A plain number must become a Value first, so that it has a grad to add into.',
      'Write the closure as an arrow function, out._backward = () => { … }: inside a function () { … }, this would be out, not the Value whose add you are in.',
    ],
    points: 10,
  },
  {
    id: 'mul',
    title: 'Multiply, then neg and sub for free',
    suite: '02-mul.test.ts',
    todos: ['Value.mul', 'Value.neg', 'Value.sub'],
    needs: ['add'],
    hidden: { file: '02-mul.hidden.ts', points: 5 },
    hints: [
      'mul has the same four steps as add; only the value and the local derivatives change.',
      'd(a·b)/da = b and d(a·b)/db = a: each operand gets the *other* operand’s data times out.grad.',
      'neg is a multiplication by -1: one line, no closure of its own.',
      'sub is a + (-b), built from add and neg: one line too.',
    ],
    points: 15,
  },
  {
    id: 'pow',
    title: 'Powers with a number exponent, then div',
    suite: '03-pow.test.ts',
    todos: ['Value.pow', 'Value.div'],
    needs: ['mul'],
    hints: [
      'pow has one operand: the exponent is a plain number, kept in the op label, e.g. "**2".',
      'd(aⁿ)/da = n·aⁿ⁻¹, times out.grad. Check the exponent’s type first and throw a TypeError otherwise.',
      'div: a / b is a · b⁻¹. When b is a plain number, b⁻¹ can stay a plain number.',
    ],
    points: 15,
  },
  {
    id: 'relu',
    title: 'The ReLU nonlinearity',
    suite: '04-relu.test.ts',
    todos: ['Value.relu'],
    needs: [],
    hints: [
      'relu(a) = 0 when a < 0, else a. It has one operand and the op label "ReLU".',
      'The local derivative is 1 where the output is positive and 0 elsewhere, including at exactly 0.',
    ],
    points: 10,
  },
  {
    id: 'backward',
    title: 'Backpropagation through the whole graph',
    suite: '05-backward.test.ts',
    todos: ['Value.backward'],
    needs: ['add', 'mul', 'pow', 'relu'],
    timeout: 180,
    hidden: { file: '05-backward.hidden.ts', points: 5, visibility: 'after_due_date' },
    hints: [
      'First list every node of the graph so that each node comes after all the nodes it was computed from.',
      'A depth-first walk with a visited set does it: add a node to the list only after all its children.',
      'Then set this.grad = 1 and call _backward on the list from the end to the start. A node used twice must be listed once.',
      'For deep graphs, replace recursion by your own stack of nodes still to finish.',
    ],
    points: 20,
  },
  {
    id: 'neuron',
    title: 'A Neuron: weights, bias and an activation',
    suite: '06-neuron.test.ts',
    todos: ['Neuron.constructor', 'Neuron.forward', 'Neuron.parameters', 'Module.zeroGrad'],
    needs: ['add', 'mul', 'relu', 'backward'],
    hints: [
      'The constructor draws nin weights with -1 + 2·random() and sets the bias to Value(0).',
      'forward starts from b and adds w[i]·x[i] one term at a time, in order; then relu if nonlin.',
      'parameters() is the weights followed by the bias, in a new array.',
      'zeroGrad loops over parameters() and sets each grad to 0; Module has it, so every Neuron, Layer and MLP gets it.',
    ],
    points: 15,
  },
  {
    id: 'mlp',
    title: 'Layers and a multi-layer perceptron',
    suite: '07-mlp.test.ts',
    todos: ['Layer.constructor', 'Layer.forward', 'Layer.parameters', 'MLP.constructor', 'MLP.forward', 'MLP.parameters'],
    needs: ['neuron'],
    hints: [
      'A Layer is nout Neurons side by side: each sees the whole input.',
      'An MLP with sizes [nin, ...nouts] has one Layer per pair of neighbouring sizes.',
      'Only the last layer is linear: pass nonlin: false to it, and the random option to every layer.',
      'parameters() is one flat, new array: a Layer’s neurons’ parameters neuron by neuron, an MLP’s layers’ parameters layer by layer.',
    ],
    points: 15,
  },
  {
    id: 'deep',
    title: 'Bonus: backward through a million-node chain',
    suite: '08-deep.test.ts',
    todos: ['Value.backward'],
    needs: ['add', 'backward'],
    hints: [
      'A recursive depth-first search needs one call-stack frame per node on the path: a million is too many.',
      'Keep your own array as the stack, with each node and how many of its children you have visited so far.',
    ],
    points: 5,
    optional: true,
  },
  {
    id: 'tanh',
    title: 'Bonus: tanh, the lecture’s activation',
    suite: '10-tanh.test.ts',
    todos: ['Value.tanh'],
    needs: ['add', 'mul', 'backward'],
    hints: [
      'tanh has one operand and the op label "tanh"; Math.tanh gives its data.',
      'd(tanh a)/da = 1 - tanh(a)²: the output’s own data squared, subtracted from 1, times out.grad.',
    ],
    points: 5,
    optional: true,
  },
  {
    id: 'exp',
    title: 'Bonus: exp, and tanh built from it',
    suite: '11-exp.test.ts',
    todos: ['Value.exp'],
    needs: ['add', 'mul', 'pow', 'backward'],
    hints: [
      'exp has one operand and the op label "exp"; Math.exp gives its data.',
      'd(eᵃ)/da = eᵃ: the output’s own data, times out.grad.',
    ],
    points: 5,
    optional: true,
  },
  {
    id: 'train',
    title: 'Bonus: train the moons classifier to 100%',
    suite: '09-train.test.ts',
    todos: ['MLP.forward'],
    needs: ['mlp'],
    hints: [
      'This runs the demo notebook with your engine: npm run demo shows each step.',
      'If the first loss differs, compare the order of your operations with grader/notebook/train.ts: float addition is not associative.',
    ],
    points: 5,
    optional: true,
  },
];

/** The stage with this id, in any case, or undefined. */
export function findStage(id: string): Stage | undefined {
  return stages.find((s) => s.id === id.toLowerCase());
}

/** The stage that covers a TODO such as 'Value.mul': a required one, else the bonus stage it belongs to. */
export function stageOf(todo: string): Stage | undefined {
  return stages.find((s) => !s.optional && s.todos.includes(todo)) ?? stages.find((s) => s.todos.includes(todo));
}

/** Whether `stage` needs the stage `id`, directly or through another. */
export function dependsOn(stage: Stage, id: string): boolean {
  return stage.needs.some((n) => n === id || dependsOn(stages.find((s) => s.id === n)!, id));
}

/** The stages that every run checks; bonus stages run only when named. */
export const required = stages.filter((s) => !s.optional);

/** Which file of the target holds a class: Value in engine.ts, the rest in nn.ts. */
export function fileOf(todo: string): 'engine.ts' | 'nn.ts' {
  return todo.startsWith('Value.') ? 'engine.ts' : 'nn.ts';
}

/** The files a stage's checks load: engine.ts always, nn.ts when it or a stage it needs has a TODO there. */
export function filesOf(stage: Stage): ('engine.ts' | 'nn.ts')[] {
  const nn = stage.todos.some((t) => fileOf(t) === 'nn.ts') || stage.needs.some((id) => filesOf(stages.find((s) => s.id === id)!).includes('nn.ts'));
  return nn ? ['engine.ts', 'nn.ts'] : ['engine.ts'];
}

/** Every TODO, in stage order. */
export const allTodos = [...new Set(stages.flatMap((s) => s.todos))];

/**
 * The stages to run for `grade [stage]`: the required stages up to it, in order, and it. Without
 * one: every required stage, and the bonus stages that count in the total. Other bonus stages run
 * only when named.
 */
export function stagesUpTo(id?: string): Stage[] {
  if (!id) return stages.filter((s) => !s.optional || s.inTotal);
  const stage = findStage(id);
  if (!stage) {
    throw new UsageError(`There is no stage '${id}'. The stages are: ${stages.map((s) => s.id).join(', ')}.`);
  }
  const before = stages.slice(0, stages.indexOf(stage)).filter((s) => !s.optional);
  return [...before, stage];
}

/** The TODOs a name stands for: a stage id, or one TODO such as Value.mul (any case). */
export function todosNamed(name: string): string[] {
  const stage = findStage(name);
  if (stage) return stage.todos;
  const todo = allTodos.find((t) => t.toLowerCase() === name.toLowerCase());
  if (todo) return [todo];
  throw new UsageError(`'${name}' is neither a stage nor a TODO. Try a stage (mul) or a TODO (Value.mul).`);
}
