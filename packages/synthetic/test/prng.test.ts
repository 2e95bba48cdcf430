import { describe, expect, it } from "vitest";
import { Sfc32, substream } from "../src/index.js";

// Outputs of the C reference in test/reference/sfc32.c (cc -O2 sfc32.c && ./a.out), an
// independent implementation of sfc32 with the same splitmix32 seeding.
const REFERENCE: Record<number, number[]> = {
  0: [4205396811, 3543653536, 1222415357, 3047368389, 387095348, 2506032770],
  42: [1028872839, 2516511472, 400437680, 853279530, 1920286840, 3588795744],
  4294967295: [1413747962, 91561161, 3282502067, 2190738929, 3748440605, 3843617456],
};

describe("Sfc32", () => {
  it("matches the C reference implementation bit for bit", () => {
    for (const [seed, expected] of Object.entries(REFERENCE)) {
      const rng = new Sfc32(Number(seed));
      expect(Array.from({ length: 6 }, () => rng.nextUint32())).toEqual(expected);
    }
  });

  it("gives uniform draws in [0, 1) that pass a chi-square test on 20 bins", () => {
    const rng = new Sfc32(7);
    const bins = new Array<number>(20).fill(0);
    const n = 200_000;
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      if (u < lo) lo = u;
      if (u > hi) hi = u;
      bins[Math.floor(u * 20)]!++;
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const expected = n / 20;
    const chi2 = bins.reduce((s, c) => s + (c - expected) ** 2 / expected, 0);
    // 19 degrees of freedom: the 99.9 % quantile is 43.8.
    expect(chi2).toBeLessThan(43.8);
  });

  it("draws standard normals and unit-variance Student-t(4) with heavy tails", () => {
    const rng = new Sfc32(11);
    const n = 200_000;
    let s1 = 0;
    let s2 = 0;
    let t2 = 0;
    let t4 = 0;
    for (let i = 0; i < n; i++) {
      const z = rng.normal();
      s1 += z;
      s2 += z * z;
      const t = rng.studentT4();
      t2 += t * t;
      t4 += t ** 4;
    }
    expect(Math.abs(s1 / n)).toBeLessThan(0.01);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.02);
    expect(Math.abs(t2 / n - 1)).toBeLessThan(0.1);
    // A normal's fourth moment is 3; a t(4)'s is infinite, so the sample's is far larger.
    expect(t4 / n / (t2 / n) ** 2).toBeGreaterThan(6);
  });

  it("keeps named substreams reproducible and distinct", () => {
    const a = substream(1, "market");
    const b = substream(1, "market");
    const c = substream(1, "listings");
    const d = substream(2, "market");
    const first = (r: Sfc32) => Array.from({ length: 4 }, () => r.nextUint32());
    const fa = first(a);
    expect(first(b)).toEqual(fa);
    expect(first(c)).not.toEqual(fa);
    expect(first(d)).not.toEqual(fa);
  });

  it("shuffles into a permutation", () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = new Sfc32(3).shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(items);
  });
});
