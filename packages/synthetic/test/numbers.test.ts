import { describe, expect, it } from "vitest";
import { dayNumber, isWeekday, isoDay } from "../src/calendar.js";
import { decimalString, roundPrice } from "../src/decimals.js";
import { binnedTarget, normalQuantile, tieKeptRanks } from "../src/distributions.js";

describe("normalQuantile", () => {
  it("matches known quantiles of the standard normal", () => {
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.025)).toBeCloseTo(-1.959963984540054, 14);
    expect(normalQuantile(0.8413447460685429)).toBeCloseTo(1, 12);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("tieKeptRanks and binnedTarget", () => {
  it("reproduces docs/scoring.md's tie-kept ranks (golden table and the ties example)", () => {
    const p = Float64Array.from([0.1, 0.4, 0.4, 0.9, 0.7, 0.2, 0.55, 0.3]);
    const out = new Float64Array(8);
    tieKeptRanks(p, Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), out, new Int32Array(8));
    expect(Array.from(out)).toEqual([0.0625, 0.5, 0.5, 0.9375, 0.8125, 0.1875, 0.6875, 0.3125]);
    const ties = new Float64Array(5);
    tieKeptRanks(Float64Array.from([1, 0, 1, 0, 1]), Int32Array.from([0, 1, 2, 3, 4]), ties, new Int32Array(5));
    expect(Array.from(ties)).toEqual([0.7, 0.2, 0.7, 0.2, 0.7]);
  });

  it("ranks a subset through an index", () => {
    const values = Float64Array.from([5, 100, 1, 100, 3]);
    const out = new Float64Array(3);
    tieKeptRanks(values, Int32Array.from([0, 2, 4]), out, new Int32Array(3));
    expect(Array.from(out)).toEqual([2.5 / 3, 0.5 / 3, 1.5 / 3]);
  });

  it("bins 5 / 20 / 50 / 20 / 5 percent", () => {
    const n = 1000;
    const counts = [0, 0, 0, 0, 0];
    for (let r = 1; r <= n; r++) counts[binnedTarget((r - 0.5) / n) * 4]!++;
    expect(counts).toEqual([50, 200, 500, 200, 50]);
  });
});

describe("calendar", () => {
  it("converts ISO days and knows weekends", () => {
    expect(dayNumber("1970-01-02")).toBe(1);
    expect(isoDay(dayNumber("2024-02-29"))).toBe("2024-02-29");
    expect(dayNumber("2023-02-29")).toBeNaN();
    expect(dayNumber("2024-1-01")).toBeNaN();
    expect(isWeekday(dayNumber("2024-06-01"))).toBe(false); // Saturday
    expect(isWeekday(dayNumber("2024-06-02"))).toBe(false); // Sunday
    expect(isWeekday(dayNumber("2024-06-03"))).toBe(true); // Monday
  });
});

describe("decimals", () => {
  it("prints plain decimals that parse back to the same double", () => {
    expect(decimalString(1.2e-7)).toBe("0.00000012");
    expect(decimalString(-3.5e-8)).toBe("-0.000000035");
    expect(decimalString(1e21)).toBe("1000000000000000000000");
    expect(decimalString(0.0001)).toBe("0.0001");
    for (const x of [1.2345e-9, 29123.4, 0.00104417, 1.5e-7, 123456789.12]) {
      const r = roundPrice(x);
      expect(Number(decimalString(r))).toBe(r);
    }
  });

  it("rounds prices to 6 significant digits", () => {
    expect(roundPrice(29123.456789)).toBe(29123.5);
    expect(roundPrice(0.001044173)).toBe(0.00104417);
    expect(roundPrice(1.23456789e-7)).toBe(1.23457e-7);
  });
});
