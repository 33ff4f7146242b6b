/**
 * What the trusted side asks of the verification child, and what it answers: plain data only.
 * A task is a small program over the submission's engine; the child runs it and reports what the
 * submission's own objects hold. It judges nothing.
 */

/** One step of an engine program: a new leaf, or an op on earlier steps (by index) or plain numbers. */
export type Step =
  | ['value', number]
  | ['add' | 'mul' | 'sub' | 'div', number, number | { n: number }]
  | ['pow', number, number]
  | ['relu' | 'neg' | 'tanh' | 'exp', number];

export type Task =
  | {
      kind: 'ops';
      steps: Step[];
      /** Grads to set before the pass, by step. */
      grads: [number, number][];
      /**
       * 'none': no pass; 'local': only the `out` step's _backward; 'chain': the child walks the graph
       * itself and calls each _backward; 'backward': the engine's own backward() on `out`, `times` times.
       */
      pass: 'none' | 'local' | 'chain' | 'backward';
      /** The step the pass starts from (default: the last). */
      out?: number;
      times?: number;
    }
  /** Value(base).pow(exponent) with an exponent that is not a number: what does it throw? */
  | { kind: 'throws'; base: number; exponent: 'value' | 'string' }
  /** new Neuron(nin, options) with random() giving `random` in turn (or Math.random when it is empty). */
  | { kind: 'neuron'; nin: number; nonlin?: boolean; random: number[]; x: number[]; inputs: 'numbers' | 'values' }
  | { kind: 'layer'; nin: number; nout: number; nonlin?: boolean; random: number[]; x: number[] }
  | { kind: 'mlp'; nin: number; nouts: number[]; random: number[]; x: number[] }
  /** x → x + step → … `length` times, then backward() from the end (the deep bonus stage). */
  | { kind: 'chain'; length: number }
  /**
   * The demo notebook's training (the train bonus stage): MLP(2, [16, 16, 1]) with random() giving
   * `random` in turn, on the moons X, y, `steps` steps of SGD, the loss built in the notebook's order.
   */
  | { kind: 'train'; X: number[][]; y: number[]; random: number[]; steps: number };

/**
 * A Value as the child read it. `prev`: each operand as [the step it is (-1: none), its data, its
 * op, its grad]. A long program's middle nodes come with their data and grad only.
 */
export interface NodeAnswer {
  data: unknown;
  grad: unknown;
  op?: unknown;
  isValue?: boolean;
  /** The earlier step this result is the very same object as (-1: a new object). */
  same?: number;
  prev?: [number, unknown, unknown, unknown][] | null;
}

export interface NeuronAnswer {
  w: unknown[];
  b: unknown;
  nonlin: unknown;
  /** How many different objects the weights are, and whether the bias is one of them. */
  distinct: number;
  biasIsWeight: boolean;
  /** Whether a second neuron built the same way shares its bias or a weight with the first. */
  shares: boolean;
  out: NodeAnswer;
  /** For a linear neuron of two or more inputs: out._prev[0]._prev[0] is b, out._prev[1]._prev[0] is the last weight. */
  order?: [boolean, boolean];
  /** After out.backward(): the weights' grads, the bias's, the inputs' (when they are Values). */
  gw: unknown[];
  gb: unknown;
  gx: unknown[];
  /** parameters(): which of [...w, b] each entry is (-1: none), whether a second call gives a new array, and w's length after. */
  which: number[];
  fresh: boolean;
  wLength: unknown;
  /** After every grad is set to 5, zeroGrad(): the parameters' grads, and whether their data stayed. */
  zeroed: unknown[];
  dataKept: boolean;
}

export interface LayerAnswer {
  neurons: { nin: unknown; nonlin: unknown; w: unknown[] }[];
  distinct: boolean;
  outs: unknown[];
  /** Each neuron's own forward on the same input, after the layer's. */
  each: unknown[];
  isArray: boolean;
  /** parameters(): [neuron, index in its [...w, b]] of each entry ([-1, -1]: none), and a new array each call. */
  which: [number, number][];
  fresh: boolean;
}

export interface MlpAnswer {
  layers: { nin: unknown; nout: unknown; nonlin: unknown }[];
  w: unknown[];
  isArray: boolean;
  outs: unknown[];
  /** The same input fed through the layers by hand: layers[1].forward(layers[0].forward(x)) and on. */
  chained: unknown[];
  /** How many parameters parameters() lists. */
  count: number;
  /**
   * For a small MLP, after outs[0].backward(): each parameter's grad, and the slopes of forward(x)[0]
   * by it to its left and to its right, from the MLP's own forward (null for a large one).
   */
  numeric: [unknown, number, number][] | null;
  /** Whether parameters() lists the layers' parameters in order, gives a new array, and every parameter is in the output's graph. */
  inOrder: boolean;
  fresh: boolean;
  inGraph: boolean;
  /** After zeroGrad(): how many parameters still have a non-zero grad. */
  leftAfterZero: number;
}

export type Answer =
  | { error: string }
  | { nodes: NodeAnswer[] }
  | { thrown: string }
  | { neuron: NeuronAnswer }
  | { layer: LayerAnswer }
  | { mlp: MlpAnswer }
  | { chain: { x: unknown; step: unknown } }
  /** Each step's loss (before its update) and accuracy. */
  | { train: { losses: unknown[]; accuracies: number[] } };

/**
 * The tasks of one stage (or of one stage's hidden checks), run in a realm of their own where every
 * TODO outside `own` is the grader's own code: each stage is checked on its own work.
 */
export interface Group {
  id: string;
  /** The TODOs whose code is the submission's; null: all of them (an integration check). */
  own: string[] | null;
  /** Groups with the same realm share one (loaded once); a hidden check's realm is its own. */
  realm: string;
  tasks: Task[];
}

export interface Request {
  nonce: string;
  /** The submission's engine.ts and nn.ts as JavaScript (ES modules), or null when missing. */
  sources: { engine: string | null; nn: string | null };
  groups: Group[];
}

/**
 * What the child writes, one line each, after the nonce: the files it could not load for a group
 * ('load'), then each task's answer ('answer'), and 'done' at the end.
 */
export type Line =
  | { kind: 'load'; group: number; errors: { file: 'engine.ts' | 'nn.ts'; message: string }[] }
  | { kind: 'start'; task: number }
  | { kind: 'answer'; task: number; answer: Answer }
  | { kind: 'done' };
