/**
 * A tiny neural-net library on top of the engine: neurons, layers and a
 * multi-layer perceptron.
 *
 * Do engine.ts first. Then, in this order: Neuron's constructor, forward
 * and parameters, and Module.zeroGrad (stage neuron); then Layer and MLP
 * (stage mlp). `npx grade` tells you which TODO is next and why your last
 * try failed.
 */
import { NotImplementedError, Value } from './engine.ts';

export abstract class Module {
  zeroGrad(): void {
    // TODO(neuron): Set the grad of every one of this module's parameters back to 0.
    throw new NotImplementedError('Module.zeroGrad');
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
    // TODO(neuron): Make nin weights, each a Value of -1 + 2·random(), drawn in order, and a
    // bias Value of 0. random defaults to Math.random and nonlin to true.
    throw new NotImplementedError('Neuron.constructor');
  }

  forward(x: (Value | number)[]): Value {
    // TODO(neuron): Start from b, add w[i]·x[i] for i = 0, 1, … in that order,
    // then apply relu if this neuron is nonlinear.
    throw new NotImplementedError('Neuron.forward');
  }

  parameters(): Value[] {
    // TODO(neuron): Return the weights, then the bias, in one new array.
    throw new NotImplementedError('Neuron.parameters');
  }

  toString(): string {
    return `${this.nonlin ? 'ReLU' : 'Linear'}Neuron(${this.w.length})`;
  }
}

export class Layer extends Module {
  neurons: Neuron[];

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    // TODO(mlp): Make nout neurons, each taking nin inputs, passing options on to each.
    throw new NotImplementedError('Layer.constructor');
  }

  forward(x: (Value | number)[]): Value[] {
    // TODO(mlp): Return every neuron's output for the input x, in order.
    throw new NotImplementedError('Layer.forward');
  }

  parameters(): Value[] {
    // TODO(mlp): Return all the neurons' parameters, neuron by neuron, in one array.
    throw new NotImplementedError('Layer.parameters');
  }

  toString(): string {
    return `Layer of [${this.neurons.join(', ')}]`;
  }
}

export class MLP extends Module {
  layers: Layer[];

  constructor(nin: number, nouts: number[], options: { random?: () => number } = {}) {
    super();
    // TODO(mlp): With sizes = [nin, ...nouts], layer i maps sizes[i] inputs to sizes[i+1] outputs.
    // Every layer but the last is nonlinear (ReLU); the last is linear. Pass random on.
    throw new NotImplementedError('MLP.constructor');
  }

  forward(x: (Value | number)[]): Value[] {
    // TODO(mlp): Feed x through the layers in order; each layer's output is the next one's input.
    throw new NotImplementedError('MLP.forward');
  }

  parameters(): Value[] {
    // TODO(mlp): Return all the layers' parameters, layer by layer, in one array.
    throw new NotImplementedError('MLP.parameters');
  }

  toString(): string {
    return `MLP of [${this.layers.join(', ')}]`;
  }
}
