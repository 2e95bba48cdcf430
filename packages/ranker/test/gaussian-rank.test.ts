import { golden } from "@nmrblox/fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { gaussianRank, gaussianize, pow15, sortCount, tieKeptRank } from "../src/index.js";
import { expectClose } from "./helpers.js";

/** Bitwise comparison: Object.is tells −0 from 0 and NaN equals NaN. */
function expectBitwise(actual: Float64Array, expected: Float64Array): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) throw new Error(`index ${i}: ${actual[i]} !== ${expected[i]}`);
  }
}

describe("gaussianRank", () => {
  it("is gaussianize(tieKeptRank(x)) on a hand-computed case", () => {
    // Tie-kept ranks 0.125, 0.5, 0.5, 0.875: Φ⁻¹(0.875) = 1.1503493803760079.
    expectClose(gaussianRank([0.1, 0.4, 0.4, 0.9]), [-1.1503493803760079, 0, 0, 1.1503493803760079], 1e-15);
    expectClose(pow15(gaussianRank(golden.p)), golden.pow15GaussP);
  });

  it("keeps NaN out of n and out of the result", () => {
    const g = gaussianRank([3, NaN, 1, 2]);
    expect(Number.isNaN(g[1]!)).toBe(true);
    expectBitwise(Float64Array.of(g[0]!, g[2]!, g[3]!), gaussianize(tieKeptRank([3, 1, 2])));
    expectBitwise(gaussianRank([]), new Float64Array(0));
    expect(Number.isNaN(gaussianRank([NaN])[0]!)).toBe(true);
    expectBitwise(gaussianRank([7]), Float64Array.of(0));
  });

  it("property: bitwise equal to gaussianize(tieKeptRank(x)), tables reused across calls of one size", () => {
    const continuous = fc.array(fc.double({ min: -1e6, max: 1e6 }), { minLength: 0, maxLength: 80 });
    const tied = fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 80 });
    fc.assert(
      fc.property(fc.oneof(continuous, tied), (x) => {
        expectBitwise(gaussianRank(x), gaussianize(tieKeptRank(x)));
        // A second call of the same size reads the table the first one filled.
        expectBitwise(gaussianRank(x), gaussianize(tieKeptRank(x)));
      }),
      { numRuns: 300 },
    );
  });

  it("is bitwise equal on an era-sized vector with many ties and many sizes", () => {
    for (const n of [4999, 5000, 5001, 5000]) {
      const x = Float64Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) / 7);
      expectBitwise(gaussianRank(x), gaussianize(tieKeptRank(x)));
    }
  });
});

describe("sortCount", () => {
  it("counts one sort per rank call", () => {
    const before = sortCount();
    tieKeptRank([3, 1, 2]);
    gaussianRank([3, 1, 2]);
    expect(sortCount() - before).toBe(2);
  });
});
