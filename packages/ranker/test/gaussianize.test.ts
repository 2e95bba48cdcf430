import { golden } from "@nmrblox/fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gaussianize, inverseNormalCdf, pow15, tieKeptRank, varianceNormalize } from "../src/index.js";
import { expectClose, expectScalar } from "./helpers.js";

describe("gaussianize", () => {
  it("matches the REFERENCE golden values", () => {
    expectClose(gaussianize([0, 0.25, 0.5, 0.75, 1]), [-Infinity, -0.6744897501960817, 0, 0.6744897501960817, Infinity]);
    expectClose(pow15(gaussianize(tieKeptRank(golden.p))), golden.pow15GaussP);
  });

  it("agrees with scipy.special.ndtri to ~1e-15 across all three AS241 regions", () => {
    // Values printed by scipy 1.17 `ndtri(p)` (an independent algorithm, Cephes).
    const cases: [number, number][] = [
      [1e-300, -37.0470962993612],
      [1e-20, -9.262340089798409],
      [1e-10, -6.361340902404056],
      [0.001, -3.090232306167813],
      [0.02425, -1.972961051311885],
      [0.07, -1.4757910281791706],
      [0.3, -0.5244005127080409],
      [0.6, 0.2533471031357997],
      [0.9, 1.2815515655446004],
      [0.975, 1.959963984540054],
      [0.999999, 4.753424308817087],
      [1 - 1e-12, 7.0344869100478356],
    ];
    for (const [p, z] of cases) expectScalar(inverseNormalCdf(p), z, 4e-15);
  });

  it("gives NaN outside [0, 1] and for NaN", () => {
    expect(Array.from(gaussianize([NaN, -0.1, 1.1])).every(Number.isNaN)).toBe(true);
  });

  it("property: is odd around 0.5 and non-decreasing", () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-6, max: 0.5, noNaN: true }), fc.double({ min: 1e-6, max: 0.5, noNaN: true }), (a, b) => {
        expect(inverseNormalCdf(a)).toBeCloseTo(-inverseNormalCdf(1 - a), 9);
        if (a < b) expect(inverseNormalCdf(a)).toBeLessThanOrEqual(inverseNormalCdf(b));
      }),
    );
  });
});

describe("pow15", () => {
  it("matches the REFERENCE golden values", () => {
    expectClose(pow15([0.5, -0.5, 2, -2]), [0.3535533905932738, -0.3535533905932738, 2.8284271247461903, -2.8284271247461903]);
    expectClose(pow15([0, 4, -9]), [0, 8, -27], 0);
    expect(Number.isNaN(pow15([NaN])[0]!)).toBe(true);
  });
});

describe("varianceNormalize", () => {
  it("divides by the population std without centring", () => {
    // [1, 2, 3, 4]: mean 2.5, population variance 1.25.
    expectClose(varianceNormalize([1, 2, 3, 4]), [1, 2, 3, 4].map((v) => v / Math.sqrt(1.25)));
  });

  it("gives all NaN for a constant input or a NaN", () => {
    expect(Array.from(varianceNormalize([2, 2, 2])).every(Number.isNaN)).toBe(true);
    expect(Array.from(varianceNormalize([1, NaN, 2])).every(Number.isNaN)).toBe(true);
  });
});
