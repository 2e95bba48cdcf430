import { describe, expect, it } from "vitest";
import { trailingMedians } from "../src/trailing-median.js";

/** Median of the finite values among values[t - lookback .. t - 1], by sorting: the obvious way. */
function naive(values: readonly number[], t: number, lookback: number): number {
  const w = values.slice(Math.max(0, t - lookback), t).filter(Number.isFinite).sort((a, b) => a - b);
  if (w.length === 0) return Number.NaN;
  const h = w.length >> 1;
  return w.length % 2 === 1 ? w[h]! : (w[h - 1]! + w[h]!) / 2;
}

describe("trailingMedians", () => {
  it("matches hand-computed medians, the day itself excluded", () => {
    const values = Float64Array.from([5, 1, 3, Number.NaN, 9, 9, 2]);
    const out = new Float64Array(7);
    trailingMedians(values, 0, 7, 3, out, 0);
    // t0 []; t1 [5]; t2 [5,1]; t3 [5,1,3]; t4 [1,3]; t5 [3,9]; t6 [9,9].
    expect(Array.from(out)).toEqual([Number.NaN, 5, 3, 3, 2, 6, 9]);
  });

  it("agrees with a sort-based median on random series with gaps and repeats", () => {
    let seed = 12345;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    for (const lookback of [1, 2, 5, 30]) {
      const values = Array.from({ length: 200 }, () => (rand() < 0.15 ? Number.NaN : Math.floor(rand() * 20)));
      // Embedded at an offset in a larger buffer, as the universe stores one row per symbol.
      const buffer = new Float64Array(250).fill(-1);
      buffer.set(values, 30);
      const out = new Float64Array(220).fill(-7);
      trailingMedians(buffer, 30, 200, lookback, out, 10);
      for (let t = 0; t < 200; t++) expect(out[10 + t]).toBe(naive(values, t, lookback));
      expect(out[9]).toBe(-7);
      expect(out[210]).toBe(-7);
    }
  });
});
