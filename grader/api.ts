/**
 * The pinned public API of the files students edit. The kit's tests check
 * that exercises/ and solutions/ match it exactly; the grader checks that a
 * student's file still has every name, before blaming their code.
 */
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
