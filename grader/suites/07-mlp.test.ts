// Stage mlp: Layer and MLP.
import { describe, it } from 'vitest';
import { Layer, MLP } from '@target/nn';
import { Value, backwardOf, check, is, near, nodesOf, note, numericalGrad, seeded, show, value } from './helpers.ts';

/** A random() that counts up, so every weight shows the order it was drawn in. */
function counter(): () => number {
  let i = 0;
  return () => (i++ % 1000) / 1000;
}

describe('Layer.constructor', () => {
  it('makes each neuron a new Neuron of its own', () => {
    const layer = new Layer(2, 3);
    check(
      new Set(layer.neurons).size === 3,
      'new Layer(2, 3).neurons holds the same Neuron object more than once. Array(n).fill(new Neuron(…)) fills every place with one and the same object: make a new Neuron for each, e.g. Array.from({ length: nout }, () => new Neuron(nin, options))',
    );
    check(new Set(layer.neurons.flatMap((n) => n.w)).size === 6, 'The neurons of new Layer(2, 3) share weight Values: each needs its own Neuron');
  });

  it('makes nout neurons of nin inputs each', () => {
    const layer = new Layer(2, 3);
    is('new Layer(2, 3).neurons.length', layer.neurons?.length, 3);
    is('the number of weights of each neuron of new Layer(2, 3)', layer.neurons.map((n) => n.w.length), [2, 2, 2]);
    is('new Layer(2, 3).toString()', String(layer), 'Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)]');
  });

  it('passes its options on to every neuron', () => {
    is('new Layer(2, 2, { nonlin: false }).toString()', String(new Layer(2, 2, { nonlin: false })), 'Layer of [LinearNeuron(2), LinearNeuron(2)]');
    const w = new Layer(2, 2, { random: counter() }).neurons.map((n) => n.w.map((x) => x.data));
    is('with a counting random(), new Layer(2, 2) draws neuron 0 first: the weights, neuron by neuron', w.flat(), [-1, -0.998, -0.996, -0.994]);
  });
});

describe('Layer.forward', () => {
  it("returns every neuron's output, in order", () => {
    const layer = new Layer(2, 3, { nonlin: false, random: counter() });
    const out = layer.forward([1, 2]);
    is('new Layer(2, 3).forward([1, 2]).length', out?.length, 3);
    out.forEach((o, i) => is(`new Layer(2, 3).forward([1, 2])[${i}].data`, value(`out[${i}]`, o).data, layer.neurons[i].forward([1, 2]).data));
  });

  it('returns an array even with one neuron', () => {
    const out = new Layer(2, 1).forward([1, 2]) as unknown;
    check(Array.isArray(out), `new Layer(2, 1).forward([1, 2]) should be an array of one Value, got ${show(out)}`);
    is('new Layer(2, 1).forward([1, 2]).length', (out as unknown[]).length, 1);
  });
});

describe('Layer.parameters', () => {
  it("returns the neurons' parameters, neuron by neuron", () => {
    const layer = new Layer(2, 3);
    const expected = layer.neurons.flatMap((n) => [...n.w, n.b]);
    const got = layer.parameters();
    is('new Layer(2, 3).parameters().length', got?.length, 9);
    check(got.every((p, i) => p === expected[i]), 'new Layer(2, 3).parameters() should be the neurons’ parameters, neuron by neuron: [...neurons[0].parameters(), ...neurons[1].parameters(), …]');
  });

  it('returns a new, flat array each time', () => {
    const layer = new Layer(2, 2);
    const first = layer.parameters();
    const second = layer.parameters();
    check(second.every((p) => p instanceof Value), `new Layer(2, 2).parameters() should be a flat array of Values, got ${show(second)}`);
    check(first !== second && first.length === 6 && second.length === 6, 'new Layer(2, 2).parameters() called twice should give two new arrays of the same 6 Values');
  });
});

describe('MLP.constructor', () => {
  it('chains layers of sizes [nin, ...nouts], with a linear last layer', () => {
    const mlp = new MLP(2, [3, 2, 1]);
    is('new MLP(2, [3, 2, 1]).layers.length', mlp.layers?.length, 3);
    is('the inputs and outputs of each layer of new MLP(2, [3, 2, 1])', mlp.layers.map((l) => [l.neurons[0].w.length, l.neurons.length]).flat(), [2, 3, 3, 2, 2, 1]);
    is('which layers of new MLP(2, [3, 2, 1]) are nonlinear', mlp.layers.map((l) => l.neurons[0].nonlin), [true, true, false]);
    is('new MLP(2, [2, 1]).toString()', String(new MLP(2, [2, 1])), 'MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(2)]]');
  });

  it('draws weights layer by layer, neuron by neuron, from the random it is given', () => {
    const mlp = new MLP(1, [2, 1], { random: counter() });
    const w = mlp.layers.flatMap((l) => l.neurons.flatMap((n) => n.w.map((x) => x.data)));
    is('with a counting random(), the weights of new MLP(1, [2, 1]) in order', w, [-1, -0.998, -0.996, -0.994]);
  });
});

describe('MLP.forward', () => {
  it('feeds the input through every layer', () => {
    const mlp = new MLP(2, [3, 1], { random: seeded(1) });
    const out = mlp.forward([0.5, -1]);
    is('new MLP(2, [3, 1]).forward([0.5, -1]).length', out?.length, 1);
    const hidden = mlp.layers[0].forward([0.5, -1]);
    const expected = mlp.layers[1].forward(hidden)[0].data;
    is('new MLP(2, [3, 1]).forward(x)[0].data (layer 1 applied to layer 0’s output)', value('out[0]', out[0]).data, expected);
  });

  it('can output a negative number, since the last layer is linear', () => {
    const outs = Array.from({ length: 20 }, (_, s) => new MLP(2, [4, 1], { random: seeded(s) }).forward([1, 1])[0].data);
    check(outs.some((o) => o < 0), 'Some of 20 random MLP(2, [4, 1]) should give a negative output (the last layer is linear), but none did');
  });

  it('returns an array from a one-layer MLP with one output', () => {
    const out = new MLP(3, [1]).forward([1, 2, 3]) as unknown;
    check(Array.isArray(out) && out.length === 1 && out[0] instanceof Value, `new MLP(3, [1]).forward([1, 2, 3]) should be an array of one Value, got ${show(out)}`);
  });

  it('is deterministic for a seeded random', () => {
    const run = () => new MLP(3, [4, 4, 1], { random: seeded(3) }).forward([1, -2, 0.5])[0].data;
    is('two MLPs built with the same seed: the second one’s output', run(), run());
  });

  it('puts every parameter into the output’s graph', () => {
    const mlp = new MLP(2, [4, 4, 1], { random: seeded(5) });
    const nodes = nodesOf(mlp.forward([1, 2])[0]);
    // Straight from the layers, so that this checks forward alone.
    const weights = mlp.layers.flatMap((l) => l.neurons.flatMap((n) => [...n.w, n.b]));
    const missing = weights.filter((p) => !nodes.has(p)).length;
    is('the number of parameters missing from the graph of mlp.forward(x)', missing, 0);
  });
});

describe('MLP.parameters', () => {
  it('has 337 parameters as MLP(2, [16, 16, 1]), like micrograd’s demo, in one flat array of Values', () => {
    const ps = new MLP(2, [16, 16, 1]).parameters() as unknown[];
    check(Array.isArray(ps) && ps.every((p) => p instanceof Value), `new MLP(2, [16, 16, 1]).parameters() should be a flat array of Values, got ${show(ps).slice(0, 120)}…`);
    is('new MLP(2, [16, 16, 1]).parameters().length', ps.length, 337);
    note({ parameters: ps.length });
  });

  it('returns a new array each time, with the same Values', () => {
    const mlp = new MLP(2, [3, 1]);
    const first = mlp.parameters();
    const second = mlp.parameters();
    check(first !== second && second.length === 13 && second.every((p, i) => p === first[i]), 'new MLP(2, [3, 1]).parameters() called twice should give two new arrays of the same 13 Values');
  });

  it('returns the layers’ parameters, layer by layer', () => {
    const mlp = new MLP(2, [3, 1]);
    const expected = mlp.layers.flatMap((l) => l.parameters());
    const got = mlp.parameters();
    is('new MLP(2, [3, 1]).parameters().length', got?.length, 13);
    check(got.every((p, i) => p === expected[i]), 'mlp.parameters() should be the layers’ parameters, layer by layer: [...layers[0].parameters(), ...layers[1].parameters()]');
  });

  it('gets gradients that agree with numerical ones', () => {
    const mlp = new MLP(3, [4, 4, 1], { random: seeded(11) });
    const ps = mlp.parameters();
    const x = [0.3, -0.8, 1.1];
    const loss = () => mlp.forward(x)[0].pow(2);
    backwardOf(value('mlp.forward(x)[0].pow(2)', loss()));
    const at = (values: number[]) => {
      const saved = ps.map((p) => p.data);
      ps.forEach((p, i) => (p.data = values[i]));
      const y = loss().data;
      ps.forEach((p, i) => (p.data = saved[i]));
      return y;
    };
    const data = ps.map((p) => p.data);
    ps.forEach((p, i) => near(`d(out²)/d parameter ${i} after backward()`, p.grad, numericalGrad(at, data, i), 1e-5));
    // The first layer's 4 neurons all read x[0]: its grad gathers 4 contributions.
    note({ first: mlp.layers[0].neurons.length });
  });
});

describe('Module.zeroGrad', () => {
  it("clears every one of an MLP's parameters, through its layers' and neurons' parameters()", () => {
    const mlp = new MLP(2, [3, 1]);
    mlp.forward([1, 2])[0].backward();
    mlp.zeroGrad();
    is('after mlp.zeroGrad(), the number of parameters with a non-zero grad', mlp.parameters().filter((p) => p.grad !== 0).length, 0);
  });
});
