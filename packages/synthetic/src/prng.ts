/**
 * sfc32 ("small fast counting", Chris Doty-Humphrey, PractRand), a published 128-bit-state
 * generator that passes PractRand to at least 2^40 bytes and TestU01 BigCrush, seeded through
 * splitmix32 so that nearby seeds give unrelated streams. Every random draw in this package
 * comes from here; `Math.random` is never used, so a seed fixes the output bit for bit.
 */
export class Sfc32 {
  #a: number;
  #b: number;
  #c: number;
  #counter: number;
  #spareNormal = Number.NaN;

  /** A generator from a 32-bit unsigned seed (other numbers are reduced modulo 2^32). */
  constructor(seed: number) {
    let state = seed >>> 0;
    const splitmix32 = (): number => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.#a = splitmix32();
    this.#b = splitmix32();
    this.#c = splitmix32();
    this.#counter = splitmix32();
    // The reference discards its first outputs so that the state is well mixed.
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next 32-bit unsigned integer. */
  nextUint32(): number {
    const tmp = (((this.#a + this.#b) | 0) + this.#counter) | 0;
    this.#counter = (this.#counter + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (this.#c << 21) | (this.#c >>> 11);
    this.#c = (this.#c + tmp) | 0;
    return tmp >>> 0;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  uniform(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform in (0, 1): never exactly 0, so safe under `Math.log`. */
  uniformOpen(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  /** Uniform in [lo, hi). */
  between(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /** A standard normal draw (Box-Muller; the second value of each pair is kept for the next call). */
  normal(): number {
    if (!Number.isNaN(this.#spareNormal)) {
      const z = this.#spareNormal;
      this.#spareNormal = Number.NaN;
      return z;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniformOpen()));
    const theta = 2 * Math.PI * this.uniform();
    this.#spareNormal = r * Math.sin(theta);
    return r * Math.cos(theta);
  }

  /**
   * A Student-t draw with 4 degrees of freedom scaled to unit variance: Z / sqrt(chi2_4 / 4),
   * with chi2_4 = -2 ln(U1 U2), then times sqrt(1/2) because Var(t_4) = 2.
   */
  studentT4(): number {
    const chi2 = -2 * Math.log(this.uniformOpen() * this.uniformOpen());
    return (this.normal() / Math.sqrt(chi2 / 4)) * Math.SQRT1_2;
  }

  /** Log-uniform in [lo, hi): equal odds per decade. */
  logUniform(lo: number, hi: number): number {
    return Math.exp(this.between(Math.log(lo), Math.log(hi)));
  }

  /** Shuffles an array in place (Fisher-Yates) and returns it. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = items[i]!;
      items[i] = items[j]!;
      items[j] = t;
    }
    return items;
  }
}

/**
 * An independent stream for one purpose (`label`) under a master seed. Streams are keyed by
 * name, not drawn in sequence, so adding draws to one part of a generator does not shift the
 * numbers of any other part.
 *
 * @param seed - the master seed, reduced modulo 2^32 like `new Sfc32(seed)`
 * @param label - the purpose of the stream (e.g. "returns"); any string, compared by UTF-16 code units
 * @returns a fresh generator; the same (seed, label) always gives the same sequence
 * @throws never throws; every number and string is a valid seed and label
 * @example
 * substream(42, "returns").nextUint32() === substream(42, "returns").nextUint32(); // true
 * substream(42, "returns").nextUint32() === substream(42, "listings").nextUint32(); // false
 */
export function substream(seed: number, label: string): Sfc32 {
  // FNV-1a over the label, folded with the seed; splitmix32 inside Sfc32 does the mixing.
  let h = 0x811c9dc5 ^ (seed >>> 0);
  for (let i = 0; i < label.length; i++) h = Math.imul(h ^ label.charCodeAt(i), 0x01000193);
  return new Sfc32((h ^ Math.imul(seed >>> 0, 0x9e3779b1)) >>> 0);
}
