/**
 * Exact ports of the random generators micrograd's demo notebook used, so the
 * demo here starts from the same data and weights, bit for bit:
 * - numpy's legacy RandomState (np.random.seed), for make_moons' shuffle and noise;
 * - Python's random module (random.seed), for the weights, via random.uniform(-1, 1).
 * Both are the Mersenne Twister MT19937 (Matsumoto and Nishimura, 1998), seeded differently.
 */

/** MT19937: 32-bit outputs from a 624-word state. */
export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** init_genrand: numpy's seeding from one integer. */
  static fromSeed(seed: number): MT19937 {
    const g = new MT19937();
    g.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = g.mt[i - 1] ^ (g.mt[i - 1] >>> 30);
      g.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    return g;
  }

  /** init_by_array: Python's seeding from an integer's 32-bit words. */
  static fromArray(key: number[]): MT19937 {
    const g = MT19937.fromSeed(19650218);
    const mt = g.mt;
    let i = 1;
    let j = 0;
    for (let k = Math.max(624, key.length); k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1664525)) + key[j] + j) >>> 0;
      i++;
      j++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = 623; k > 0; k--) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      mt[i] = ((mt[i] ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= 624) {
        mt[0] = mt[623];
        i = 1;
      }
    }
    mt[0] = 0x80000000;
    return g;
  }

  /** genrand_int32: the next 32-bit output. */
  next(): number {
    const mt = this.mt;
    if (this.index >= 624) {
      for (let k = 0; k < 624; k++) {
        const y = (mt[k] & 0x80000000) | (mt[(k + 1) % 624] & 0x7fffffff);
        mt[k] = mt[(k + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
      }
      this.index = 0;
    }
    let y = mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits, as both numpy and Python make it. */
  double(): number {
    const a = this.next() >>> 5;
    const b = this.next() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }
}

/** numpy's legacy np.random.RandomState(seed): the parts make_moons uses. */
export class NumpyRandomState {
  private readonly mt: MT19937;
  private spareGauss: number | undefined;

  constructor(seed: number) {
    this.mt = MT19937.fromSeed(seed);
  }

  random(): number {
    return this.mt.double();
  }

  /** An integer in [0, max], by masked rejection (numpy's rk_interval). */
  interval(max: number): number {
    let mask = max;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    let value: number;
    do value = (this.mt.next() & mask) >>> 0;
    while (value > max);
    return value;
  }

  /** Shuffles in place: Fisher-Yates from the end, as RandomState.shuffle does. */
  shuffle<T>(xs: T[]): void {
    for (let i = xs.length - 1; i > 0; i--) {
      const j = this.interval(i);
      [xs[i], xs[j]] = [xs[j], xs[i]];
    }
  }

  /** A standard normal by the polar Box-Muller method, which keeps its second value for the next call. */
  gauss(): number {
    if (this.spareGauss !== undefined) {
      const g = this.spareGauss;
      this.spareGauss = undefined;
      return g;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.random() - 1;
      x2 = 2 * this.random() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spareGauss = f * x1;
    return f * x2;
  }

  normal(scale = 1): number {
    return scale * this.gauss();
  }
}

/** Python's random.Random(seed) for a non-negative integer seed: random() and uniform(). */
export class PythonRandom {
  private readonly mt: MT19937;

  constructor(seed: number) {
    const key: number[] = [];
    let n = Math.abs(Math.trunc(seed));
    do {
      key.push(n % 0x100000000);
      n = Math.floor(n / 0x100000000);
    } while (n > 0);
    this.mt = MT19937.fromArray(key);
  }

  random(): number {
    return this.mt.double();
  }

  uniform(a: number, b: number): number {
    return a + (b - a) * this.random();
  }
}

/** A small, fast seeded generator (mulberry32) for when matching the notebook doesn't matter. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
