/**
 * What the trusted side asks of the verification child, and what it answers: plain data only.
 * A task is a small program over the submission's engine; the child runs it and reports numbers.
 */

/** One step of an engine program: a new leaf, or an op on earlier steps (by index) or plain numbers. */
export type Step =
  | ['value', number]
  | ['add' | 'mul' | 'sub' | 'div', number, number | { n: number }]
  | ['pow', number, number]
  | ['relu' | 'neg', number];

export type Task =
  | {
      kind: 'ops';
      steps: Step[];
      /** Grads to set before the pass, by step. */
      grads: [number, number][];
      /** 'local': only the last step's _backward; 'chain': the child walks the graph itself; 'backward': the engine's own backward(), `times` times. */
      pass: 'local' | 'chain' | 'backward';
      times?: number;
    }
  | { kind: 'neuron'; nin: number; nonlin: boolean; random: number[]; x: number[] }
  | { kind: 'mlp'; nin: number; nouts: number[]; random: number[]; x: number[] };

export type Answer =
  | { error: string }
  | {
      /** For each step: data, grad, op, and each operand as the index of a step it is, or -1 with its data. */
      nodes?: { data: number; grad: number; op: string; prev: [number, number][] }[];
      /** Neurons and MLPs: outputs, parameters (data, grad) in parameters() order, the inputs' grads, and shape facts. */
      outs?: number[];
      params?: [number, number][];
      gx?: number[];
      /** For neurons: which of [...w, b] each parameter is (-1: none), and how many distinct weight objects. */
      which?: number[];
      distinct?: number;
      /** Whether forward returned an array (MLP) and parameters() a fresh array each call. */
      array?: boolean;
      fresh?: boolean;
    };
