import { golden } from "@nmrblox/fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RankerError, neutralize, neutralizer } from "../src/index.js";
import { expectClose } from "./helpers.js";

const f1 = Float64Array.from(golden.f1);
const f2 = Float64Array.from(golden.f2);

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

describe("neutralize", () => {
  it("matches the REFERENCE golden values on both factorizations", () => {
    expectClose(neutralize(golden.p, [f1, f2]), golden.neutralizeP, 1e-9);
    const fast = neutralizer([f1, f2]);
    const svd = neutralizer([f1, f2], { method: "svd" });
    expect([fast.method, fast.rank, svd.method, svd.rank]).toEqual(["gram", 3, "svd", 3]);
    expectClose(svd.neutralize(golden.p), golden.neutralizeP, 1e-9);
  });

  it("reads integer features in place (Numerai's int8) with the same result as float copies", () => {
    const i1 = Int8Array.from(golden.f1);
    const i2 = Int8Array.from(golden.f2);
    expectClose(neutralize(golden.p, [i1, i2]), golden.neutralizeP, 1e-9);
    // A larger random case: int8 and float64 copies of the same features must agree to 1e-12.
    let seed = 7;
    const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    // Cases cover the packed Gram (3 and 2 dot products per double), negative values and values
    // too large to pack (both computed unpacked).
    const cases: Array<[number, number, (v: number) => number, (n: number) => ArrayLike<number> & { length: number }]> = [
      [2000, 12, (v) => Math.floor(v * 5), (n) => new Int8Array(n)],
      [9000, 7, (v) => Math.floor(v * 5), (n) => new Uint8Array(n)],
      [1500, 6, (v) => Math.floor(v * 5) - 2, (n) => new Int8Array(n)],
      [1500, 6, (v) => Math.floor(v * 30000), (n) => new Int16Array(n)],
    ];
    for (const [n, k, draw, make] of cases) {
      const ints = Array.from({ length: k }, () => {
        const c = make(n) as unknown as number[];
        for (let r = 0; r < n; r++) c[r] = draw(rand());
        return c as unknown as ArrayLike<number>;
      });
      const floats = ints.map((c) => Float64Array.from(c));
      const x = Float64Array.from({ length: n }, rand);
      const a = neutralizer(ints);
      const b = neutralizer(floats);
      expect([a.method, b.method]).toEqual(["gram", "gram"]);
      expectClose(a.neutralize(x), b.neutralize(x), 1e-12);
      expectClose(a.neutralize(x), neutralizer(floats, { method: "svd" }).neutralize(x), 1e-11);
    }
  });

  // Expected values below were printed by numpy 2.4 (`x − p·A·pinv(A, rcond=1e-6)·x` with
  // A = [N, 1]), an independent SVD implementation.
  it("matches numpy on badly scaled features, where the 1e-6 cutoff drops a direction", () => {
    const bad = neutralizer([f1.map((v) => v * 1e6 + 1e9), f2.map((v) => v * 1e6 + 1e9)]);
    expect(bad.rank).toBe(2);
    expectClose(
      bad.neutralize(golden.p),
      [
        -0.03150638107677972, 0.09617051966308726, -0.0761525795970458, 0.2515243211428212, -0.12079877811731188,
        -0.10335427816166748, 0.1602465711206434, -0.17615257959704583,
      ],
      1e-9,
    );
  });

  it("matches numpy on rank-deficient neutralizers (duplicate, constant, more columns than rows)", () => {
    expectClose(
      neutralize(golden.p, [f1, f1, f2]),
      [
        -0.04064516129032256, 0.08935483870967753, -0.08064516129032251, 0.24935483870967756, -0.12064516129032243,
        -0.08387096774193525, 0.16774193548387117, -0.18064516129032254,
      ],
      1e-12,
    );
    expectClose(
      neutralize(golden.p, [f1, new Float64Array(8).fill(3)]),
      [-0.1, 0.05, -0.1, 0.25, -0.1, 0, 0.2, -0.2],
      1e-12,
    );
    const wide = neutralize(golden.p.slice(0, 3), [[0, 1, 2], [4, 3, 2], [1, 5, 2], [2, 2, 7]]);
    expectClose(wide, [0, 0, 0].map(() => 0), Infinity);
    for (const v of wide) expect(Math.abs(v)).toBeLessThan(1e-12);
  });

  it("matches numpy on a 200 x 10 case with proportion 0.5", () => {
    const n = 200;
    const features = Array.from({ length: 10 }, (_, j) => Float64Array.from({ length: n }, (_, r) => ((r * (j + 3) * 7919) % 101) / 10));
    const x = Float64Array.from({ length: n }, (_, r) => ((r * 104729) % 997) / 997);
    const y = neutralize(x, features, 0.5);
    expectClose(y.subarray(0, 5), [-0.17783907476788977, -0.17839411831745805, -0.1517515683247877, -0.08842863522852448, -0.06178608523585413]);
    expect(Math.abs(dot(y, y) - 27.909169142447524)).toBeLessThan(1e-11);
    expectClose(neutralizer(features, { method: "svd" }).neutralize(x, 0.5), y, 1e-12);
  });

  it("gives all NaN for a constant x or a NaN in x, and fails on NaN neutralizers or lengths", () => {
    expect(Array.from(neutralize([1, 1, 1, 1], [[1, 2, 3, 5]])).every(Number.isNaN)).toBe(true);
    expect(Array.from(neutralize([1, NaN, 2, 3], [[1, 2, 3, 5]])).every(Number.isNaN)).toBe(true);
    expect(() => neutralize([1, 2, 3], [[1, NaN, 3]])).toThrow(RankerError);
    expect(() => neutralize([1, 2, 3], [[1, 2, 3, 4]])).toThrow(/3 rows, neutralizers have 4/);
    expect(() => neutralize([1, 2, 3], [[1, 2, 3], [1, 2]])).toThrow(/neutralizer 1 has 2 values/);
  });

  it("with no neutralizers removes only the mean; proportion 0 is the identity", () => {
    expectClose(neutralize([1, 2, 6], []), [-2, -1, 3]);
    expectClose(neutralize(golden.p, [f1, f2], 0), golden.p, 0);
  });

  it("property: the residual is orthogonal to each neutralizer and the intercept", () => {
    const matrix = fc.integer({ min: 12, max: 40 }).chain((n) =>
      fc.tuple(
        fc.array(fc.integer({ min: -500, max: 500 }).map((v) => v / 100), { minLength: n, maxLength: n }),
        fc.array(fc.array(fc.integer({ min: 0, max: 4 }), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 5 }),
      ),
    );
    fc.assert(
      fc.property(matrix, ([x, cols]) => {
        const r = neutralize(x, cols);
        if (Number.isNaN(r[0]!)) return;
        const scale = Math.sqrt(dot(x, x)) * Math.sqrt(x.length) * 4;
        expect(Math.abs(r.reduce((a, b) => a + b, 0))).toBeLessThan(1e-10 * scale);
        for (const c of cols) expect(Math.abs(dot(r, c))).toBeLessThan(1e-10 * scale);
        // Both factorizations agree.
        expectClose(neutralizer(cols, { method: "svd" }).neutralize(x), r, 1e-9);
      }),
      { numRuns: 60 },
    );
  });
});
