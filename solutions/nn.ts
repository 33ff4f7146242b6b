/**
 * A tiny neural-net library on top of the engine: neurons, layers and a
 * multi-layer perceptron. A TypeScript port of micrograd's nn.py.
 */
import { Value } from './engine.ts';

export abstract class Module {
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }

  parameters(): Value[] {
    return [];
  }
}

export interface NeuronOptions {
  /** Apply ReLU to the output (default true). */
  nonlin?: boolean;
  /** Where weights come from, like Math.random: a number in [0, 1). */
  random?: () => number;
}

export class Neuron extends Module {
  w: Value[];
  b: Value;
  nonlin: boolean;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    const random = options.random ?? Math.random;
    this.w = Array.from({ length: nin }, () => new Value(-1 + 2 * random()));
    this.b = new Value(0);
    this.nonlin = options.nonlin ?? true;
  }

  forward(x: (Value | number)[]): Value {
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i].mul(x[i])); // b + Σ wi·xi
    return this.nonlin ? act.relu() : act;
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }

  toString(): string {
    return `${this.nonlin ? 'ReLU' : 'Linear'}Neuron(${this.w.length})`;
  }
}

export class Layer extends Module {
  neurons: Neuron[];

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, options));
  }

  forward(x: (Value | number)[]): Value[] {
    return this.neurons.map((n) => n.forward(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }

  toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}

export class MLP extends Module {
  layers: Layer[];

  constructor(nin: number, nouts: number[], options: { random?: () => number } = {}) {
    super();
    const sizes = [nin, ...nouts];
    this.layers = nouts.map(
      (_, i) => new Layer(sizes[i], sizes[i + 1], { ...options, nonlin: i < nouts.length - 1 }),
    );
  }

  forward(x: (Value | number)[]): Value[] {
    let out = x;
    for (const layer of this.layers) out = layer.forward(out);
    return out as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((layer) => layer.parameters());
  }

  toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}
