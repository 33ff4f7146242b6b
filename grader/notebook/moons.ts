/**
 * scikit-learn's make_moons, faithfully: two interleaving half circles, shuffled,
 * with Gaussian noise. Labels are -1 (outer moon) and +1 (inner moon), as the
 * demo notebook's `y = y*2 - 1` makes them.
 */
import { mulberry32, NumpyRandomState } from './random.ts';

/** What make_moons draws: a shuffle, then the noise, row by row. */
export interface MoonsRandom {
  shuffle<T>(xs: T[]): void;
  normal(scale: number): number;
}

export interface Moons {
  X: [number, number][];
  y: number[];
}

/** numpy.linspace(start, stop, num): i·step + start, with the last value exactly stop. */
function linspace(start: number, stop: number, num: number): number[] {
  const step = (stop - start) / (num - 1);
  return Array.from({ length: num }, (_, i) => (i === num - 1 && num > 1 ? stop : i * step + start));
}

export function makeMoons(n: number, noise: number, random: MoonsRandom): Moons {
  const nOut = Math.floor(n / 2);
  const nIn = n - nOut;
  const outer = linspace(0, Math.PI, nOut).map((t): [number, number] => [Math.cos(t), Math.sin(t)]);
  const inner = linspace(0, Math.PI, nIn).map((t): [number, number] => [1 - Math.cos(t), 1 - Math.sin(t) - 0.5]);
  const points = [...outer, ...inner];
  const labels = [...outer.map(() => -1), ...inner.map(() => 1)];
  const order = points.map((_, i) => i);
  random.shuffle(order);
  const X = order.map((i): [number, number] => [points[i][0], points[i][1]]);
  for (const row of X) {
    row[0] += random.normal(noise);
    row[1] += random.normal(noise);
  }
  return { X, y: order.map((i) => labels[i]) };
}

/** numpy's generator, as the notebook seeds it with np.random.seed(seed). */
export function numpyMoonsRandom(seed: number): MoonsRandom {
  return new NumpyRandomState(seed);
}

/** A plain seeded generator: mulberry32 with a Box-Muller normal. */
export function plainMoonsRandom(seed: number): MoonsRandom {
  const random = mulberry32(seed);
  return {
    shuffle(xs) {
      for (let i = xs.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [xs[i], xs[j]] = [xs[j], xs[i]];
      }
    },
    normal: (scale) => scale * Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random()),
  };
}
