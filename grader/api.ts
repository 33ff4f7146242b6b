/**
 * The pinned public API of the files students edit: as types, for the code
 * that uses an engine (the examples, the benchmarks), and as signatures, which
 * the kit's tests hold exercises/ and solutions/ to and the grader checks a
 * student's file against before blaming their code. Nothing in the kit's build
 * imports a student's file, so their mistakes can't break it.
 */

export interface Value {
  data: number;
  grad: number;
  label: string;
  _backward: () => void;
  readonly _prev: readonly Value[];
  readonly _op: string;
  add(other: Value | number): Value;
  mul(other: Value | number): Value;
  pow(exponent: number): Value;
  relu(): Value;
  neg(): Value;
  sub(other: Value | number): Value;
  div(other: Value | number): Value;
  backward(): void;
  /** The lecture's ops (bonus stages tanh and exp). */
  tanh(): Value;
  exp(): Value;
  toString(): string;
}

export interface NeuronOptions {
  nonlin?: boolean;
  random?: () => number;
}

export interface Module {
  zeroGrad(): void;
  parameters(): Value[];
}

export interface Neuron extends Module {
  w: Value[];
  b: Value;
  nonlin: boolean;
  forward(x: (Value | number)[]): Value;
}

export interface Layer extends Module {
  neurons: Neuron[];
  forward(x: (Value | number)[]): Value[];
}

export interface MLP extends Module {
  layers: Layer[];
  forward(x: (Value | number)[]): Value[];
}

/** What engine.ts and nn.ts export, together. */
export interface Engine {
  Value: new (data: number, children?: Iterable<Value>, op?: string) => Value;
  Neuron: new (nin: number, options?: NeuronOptions) => Neuron;
  Layer: new (nin: number, nout: number, options?: NeuronOptions) => Layer;
  MLP: new (nin: number, nouts: number[], options?: { random?: () => number }) => MLP;
}
export const pinnedApi: Record<'engine.ts' | 'nn.ts', Record<string, string[]>> = {
  'engine.ts': {
    NotImplementedError: ['constructor(what: string)'],
    Value: [
      "constructor(data: number, children: Iterable<Value> = [], op = '')",
      'add(other: Value | number): Value',
      'mul(other: Value | number): Value',
      'pow(exponent: number): Value',
      'relu(): Value',
      'neg(): Value',
      'sub(other: Value | number): Value',
      'div(other: Value | number): Value',
      'backward(): void',
      'tanh(): Value',
      'exp(): Value',
      'toString(): string',
    ],
  },
  'nn.ts': {
    Module: ['zeroGrad(): void', 'parameters(): Value[]'],
    Neuron: [
      'constructor(nin: number, options: NeuronOptions = {})',
      'forward(x: (Value | number)[]): Value',
      'parameters(): Value[]',
      'toString(): string',
    ],
    Layer: [
      'constructor(nin: number, nout: number, options: NeuronOptions = {})',
      'forward(x: (Value | number)[]): Value[]',
      'parameters(): Value[]',
      'toString(): string',
    ],
    MLP: [
      'constructor(nin: number, nouts: number[], options: { random?: () => number } = {})',
      'forward(x: (Value | number)[]): Value[]',
      'parameters(): Value[]',
      'toString(): string',
    ],
  },
};

/** 'Value.mul' for each pinned method of a file, with its signature. */
export function pinnedMethods(file: 'engine.ts' | 'nn.ts'): Map<string, string> {
  const out = new Map<string, string>();
  for (const [cls, sigs] of Object.entries(pinnedApi[file])) {
    for (const sig of sigs) out.set(`${cls}.${sig.slice(0, sig.indexOf('('))}`, sig);
  }
  return out;
}
