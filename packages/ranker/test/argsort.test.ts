import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { argsortNonNaN, radixArgsortNonNaN } from "../src/argsort.js";

/** The reference order: a stable comparison sort of the non-NaN rows (−0 equal to +0). */
function naiveOrder(x: readonly number[]): number[] {
  return x
    .map((v, i) => [v, i] as const)
    .filter(([v]) => !Number.isNaN(v))
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1]))
    .map(([, i]) => i);
}

const value = fc.oneof(
  { weight: 6, arbitrary: fc.double({ noNaN: false }) },
  { weight: 3, arbitrary: fc.constantFrom(0, -0, 0.25, 0.5, 1, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY) },
  { weight: 3, arbitrary: fc.integer({ min: -3, max: 3 }).map((k) => 0.5 + k * 1e-12) },
);

describe("argsortNonNaN", () => {
  it("is the stable ascending order of the non-NaN values, like the radix sort", () => {
    fc.assert(
      fc.property(fc.array(value, { maxLength: 300 }), (x) => {
        const expected = naiveOrder(x);
        const bucket = argsortNonNaN(x);
        expect(bucket.count).toBe(expected.length);
        expect(Array.from(bucket.order)).toEqual(expected);
        expect(Array.from(radixArgsortNonNaN(x).order)).toEqual(expected);
      }),
      { numRuns: 400 },
    );
  });

  it("handles clustered data whose buckets overflow into the radix fallback", () => {
    // 2,000 values squeezed next to 0 plus one far outlier: one bucket holds almost everything.
    const x = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 2000) * 1e-9);
    x.push(1e6);
    expect(Array.from(argsortNonNaN(x).order)).toEqual(naiveOrder(x));
  });
});
