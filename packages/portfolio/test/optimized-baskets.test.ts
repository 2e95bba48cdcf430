import { mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { InvalidOptionError, NumerFrame, type NumerFrameError, isoDay } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { gaussianize, tieKeptRank } from "@nmrblox/ranker";
import { optimizePortfolio, selectBaskets } from "../src/index.js";

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

// Two dates of 30 symbols (listed in a scrambled order), predictions with ties, a beta per name.
const rand = mulberry32(21);
const date: string[] = [];
const symbol: string[] = [];
const prediction: number[] = [];
const beta: number[] = [];
for (const day of [19800, 19801]) {
  for (let k = 0; k < 30; k++) {
    date.push(isoDay(day));
    symbol.push(`S${String((k * 11) % 30).padStart(2, "0")}`);
    prediction.push(Math.round(rand() * 20) / 20);
    beta.push(0.5 + rand());
  }
}
const signals = NumerFrame.fromColumns({ date, symbol, prediction: Float64Array.from(prediction) });
const betas = NumerFrame.fromColumns({ date, symbol, beta: Float64Array.from(beta) });

describe('selectBaskets weighting "optimized"', () => {
  const baskets = selectBaskets(signals, { long: 5, short: 5, weighting: "optimized", neutralizers: betas });

  it("is optimizePortfolio's book of the gaussianized predictions, legs normalized, beta neutral", () => {
    const bDate = baskets.strings("date");
    const bSymbol = baskets.strings("symbol");
    const bSide = baskets.strings("side");
    const bWeight = baskets.numeric("weight");
    for (const day of ["2024-03-18", "2024-03-19"]) {
      const rows = bDate.flatMap((d, i) => (d === day ? [i] : []));
      let long = 0;
      let short = 0;
      let exposure = 0;
      const betaOf = new Map(date.flatMap((d, i) => (d === day ? [[symbol[i]!, beta[i]!] as const] : [])));
      for (const i of rows) {
        expect(bWeight[i]).toBeGreaterThan(0);
        // Each leg is half the book, so a weight within the leg is 2|w| ≤ 2 · 0.5/5.
        expect(bWeight[i]).toBeLessThanOrEqual(0.2 + 1e-12);
        if (bSide[i] === "long") long += bWeight[i]!;
        else short += bWeight[i]!;
        exposure += (bSide[i] === "long" ? 1 : -1) * bWeight[i]! * betaOf.get(bSymbol[i]!)!;
      }
      expect(long).toBeCloseTo(1, 12);
      expect(short).toBeCloseTo(1, 12);
      expect(Math.abs(exposure)).toBeLessThan(1e-12);
    }
    // Short leg first, then long, each in (prediction, symbol) order.
    const first = bDate.flatMap((d, i) => (d === "2024-03-18" ? [i] : []));
    const sides = first.map((i) => bSide[i]);
    expect(sides.indexOf("long")).toBe(sides.lastIndexOf("short") + 1);
    const preds = baskets.numeric("prediction");
    for (let k = 1; k < first.length; k++) {
      if (sides[k] === sides[k - 1]) expect(preds[first[k]!]!).toBeGreaterThanOrEqual(preds[first[k - 1]!]!);
    }
  });

  it("matches optimizePortfolio called on the date directly", () => {
    const day = date.flatMap((d, i) => (d === "2024-03-18" ? [i] : []));
    // Defaults with long = short = 5 and 30 names: cap 0.5 / 5 = 0.1, λ = 1 / 0.1.
    const book = optimizePortfolio(gaussianize(tieKeptRank(Float64Array.from(day, (i) => prediction[i]!))), {
      riskAversion: 10,
      maxPosition: 0.1,
      neutralizers: [Float64Array.from(day, (i) => beta[i]!)],
    });
    const expected = new Map<string, number>();
    let longSum = 0;
    let shortSum = 0;
    day.forEach((_, k) => {
      const w = book.weights[k]!;
      if (w > 0) longSum += w;
      else shortSum -= w;
    });
    day.forEach((i, k) => {
      const w = book.weights[k]!;
      if (w !== 0) expected.set(symbol[i]!, w > 0 ? w / longSum : w / shortSum);
    });
    const got = new Map<string, number>();
    baskets.strings("date").forEach((d, i) => {
      if (d === "2024-03-18") got.set(baskets.strings("symbol")[i]!, (baskets.strings("side")[i] === "long" ? 1 : -1) * baskets.numeric("weight")[i]!);
    });
    expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [s, w] of expected) expect(got.get(s)).toBeCloseTo(w, 14);
    // Capped names and free names both occur with these settings.
    expect(Array.from(book.states).some((x) => Math.abs(x) === 2)).toBe(true);
    expect(Array.from(book.states).some((x) => Math.abs(x) === 1)).toBe(true);
  });

  it("does not depend on row order, and needs weighting optimized for its options", () => {
    const reversed = NumerFrame.fromColumns({
      date: [...date].reverse(),
      symbol: [...symbol].reverse(),
      prediction: Float64Array.from([...prediction].reverse()),
    });
    const again = selectBaskets(reversed, { long: 5, short: 5, weighting: "optimized", neutralizers: betas });
    expect(again.toColumns()).toEqual(baskets.toColumns());
    const e = caught(() => selectBaskets(signals, { neutralizers: betas }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.option).toBe("neutralizers");
    const missing = NumerFrame.fromColumns({ date: date.slice(1), symbol: symbol.slice(1), beta: Float64Array.from(beta.slice(1)) });
    const gap = caught(() => selectBaskets(signals, { weighting: "optimized", neutralizers: missing }));
    expect([gap.code, gap.symbol, gap.date, gap.column]).toEqual(["NAN_NEUTRALIZER", symbol[0], date[0], "beta"]);
  });
});
