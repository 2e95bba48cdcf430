import { golden } from "@nmrblox/fixtures";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ordinalRank, tieBrokenRank, tieKeptRank, topBottomLabels } from "../src/index.js";
import { expectClose } from "./helpers.js";

const values = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 60 });
const tiedValues = fc.array(fc.integer({ min: 0, max: 4 }), { minLength: 1, maxLength: 60 });

describe("tieKeptRank", () => {
  it("matches the REFERENCE golden values", () => {
    expectClose(tieKeptRank(golden.p), golden.tieKeptRankP);
    expectClose(tieKeptRank([1, 0, 1, 0, 1]), [0.7, 0.2, 0.7, 0.2, 0.7]);
  });

  it("keeps NaN and leaves it out of n", () => {
    // Non-NaN values 3, 1, 2 → ranks 3, 1, 2 over n = 3.
    const r = tieKeptRank([3, NaN, 1, 2, NaN]);
    expect(Number.isNaN(r[1]!) && Number.isNaN(r[4]!)).toBe(true);
    expectClose([r[0]!, r[2]!, r[3]!], [2.5 / 3, 0.5 / 3, 1.5 / 3]);
    expect(Array.from(tieKeptRank([NaN, NaN])).every(Number.isNaN)).toBe(true);
    expect(tieKeptRank([])).toHaveLength(0);
  });

  it("treats -0 and 0 as ties and handles infinities", () => {
    expectClose(tieKeptRank([-0, 0, -Infinity, Infinity]), [0.5, 0.5, 0.125, 0.875]);
  });

  it("property: ranks lie in (0, 1) with mean 0.5", () => {
    fc.assert(
      fc.property(fc.oneof(values, tiedValues), (x) => {
        const r = tieKeptRank(x);
        let sum = 0;
        for (const v of r) {
          expect(v > 0 && v < 1).toBe(true);
          sum += v;
        }
        expect(Math.abs(sum / r.length - 0.5)).toBeLessThan(1e-12);
      }),
    );
  });

  it("property: is invariant to strictly increasing transforms", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -100_000, max: 100_000 }), { minLength: 1, maxLength: 60 }), (x) => {
        expectClose(tieKeptRank(x.map((v) => Math.exp(v / 1000) * 3)), tieKeptRank(x), 0);
      }),
    );
  });
});

describe("tieBrokenRank", () => {
  it("matches the REFERENCE golden values", () => {
    expectClose(tieBrokenRank(golden.p), golden.tieBrokenRankP);
    expectClose(tieBrokenRank([1, 0, 1, 0, 1]), [0.5, 0.1, 0.7, 0.3, 0.9]);
  });

  it("property: is a permutation of (i − 0.5)/n, ties in order of appearance", () => {
    fc.assert(
      fc.property(fc.oneof(values, tiedValues), (x) => {
        const { ranks } = ordinalRank(x);
        expect(Array.from(ranks).sort((a, b) => a - b)).toEqual(x.map((_, i) => i + 1));
        for (let i = 0; i < x.length; i++) {
          for (let j = i + 1; j < x.length; j++) {
            if (x[i] === x[j]) expect(ranks[i]!).toBeLessThan(ranks[j]!);
            else expect(ranks[i]! < ranks[j]!).toBe(x[i]! < x[j]!);
          }
        }
        const r = tieBrokenRank(x);
        expect(Math.abs(r.reduce((a, b) => a + b, 0) / r.length - 0.5)).toBeLessThan(1e-12);
      }),
    );
  });
});

describe("topBottomLabels", () => {
  it("labels the k lowest −1 and the k highest +1, earlier ties lower", () => {
    // Ordinal ranks 3, 1, 4, 2, 5: ranks 1-2 are the bottom, 4-5 the top.
    expect(Array.from(topBottomLabels([1, 0, 1, 0, 1], 2))).toEqual([0, -1, 1, -1, 1]);
    expect(Array.from(topBottomLabels(golden.p, 2))).toEqual([-1, 0, 0, 1, 1, -1, 0, 0]);
  });

  it("skips NaN and shrinks sides when 2k exceeds n", () => {
    expect(Array.from(topBottomLabels([NaN, 3, 1, 2], 5))).toEqual([0, 1, -1, 0]);
    expect(() => topBottomLabels([1, 2], 0)).toThrow(/positive integer/);
  });
});
