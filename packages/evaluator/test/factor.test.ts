import { caught as caughtError } from "@nmrblox/fixtures";
import { ContractError, DuplicateRowError, InvalidCloseError, InvalidOptionError, NumerFrame, type NumerFrameError } from "@nmrblox/numerframe";
import { marketPanel } from "@nmrblox/numerframe/internal";
import { describe, expect, it } from "vitest";
import { FactorInputError, factorAnalysis } from "../src/index.js";
import { RankScratch, averageRanks } from "../src/factor/average-ranks.js";

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

// Closes (A, B, C, D) on 2024-01-01 .. 2024-01-05; the last market date is 2024-01-05.
const CLOSES: Record<string, [number, number, number, number]> = {
  "2024-01-01": [1, 1, 1, 1],
  "2024-01-02": [10, 20, 40, 50],
  "2024-01-03": [11, 19, 40, 55],
  "2024-01-04": [12, 18, 42, 50],
  "2024-01-05": [12, 20, 44, 60],
};
const SYMS = ["A", "B", "C", "D"];
function marketFrame(closes = CLOSES): NumerFrame {
  const date: string[] = [];
  const symbol: string[] = [];
  const close: number[] = [];
  for (const [d, row] of Object.entries(closes)) {
    row.forEach((c, j) => {
      date.push(d);
      symbol.push(SYMS[j]!);
      close.push(c);
    });
  }
  return NumerFrame.fromColumns({ date, symbol, close });
}
// Signals: three dates; E has no market data, D has no prediction on the third date.
const signals = NumerFrame.fromColumns({
  date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03", "2024-01-03", "2024-01-03"],
  symbol: ["A", "B", "C", "D", "A", "B", "C", "D", "E", "A", "B", "C", "D"],
  prediction: [0.1, 0.2, 0.3, 0.4, 0.4, 0.3, 0.2, 0.1, 0.9, 0.4, 0.1, 0.3, Number.NaN],
});

const fa = factorAnalysis(signals, marketFrame(), { horizons: [1, 2], quantiles: 2, lag: 1, demean: false });
const col = (f: NumerFrame, c: string) => Array.from(f.float64(c));

// Hand computation (lag 1: entry at the close of the next day).
// Date 1 (entry 01-02), prediction ranks A1 B2 C3 D4 → quantiles (ceil(rank·2/4)) A1 B1 C2 D2
//   h1 returns A 0.1, B −0.05, C 0, D 0.1 → return ranks A3.5 B1 C2 D3.5
//      IC = Σdxdy / √(Σdx²Σdy²) = 0.5 / √(5 · 4.5); Q1 = (0.1 − 0.05)/2 = 0.025, Q2 = (0 + 0.1)/2 = 0.05
//   h2 returns A 0.2, B −0.1, C 0.05, D 0 → ranks A4 B1 C3 D2 → IC = −2/5; Q1 = 0.05, Q2 = 0.025
// Date 2 (entry 01-03; E unknown to the market), ranks A4 B3 C2 D1 → quantiles C, D → 1; A, B → 2
//   h1 returns A 1/11, B −1/19, C 0.05, D −1/11 → ranks A4 B2 C3 D1 → IC = 4/5
//      Q1 = (0.05 − 1/11)/2, Q2 = (1/11 − 1/19)/2
//   h2 returns A 1/11, B 1/19, C 0.1, D 1/11 → ranks A2.5 B1 C4 D2.5 → IC = −1.5 / √(5 · 4.5)
//      Q1 = (0.1 + 1/11)/2, Q2 = (1/11 + 1/19)/2
// Date 3 (entry 01-04; D has no prediction), ranks B1 C2 A3 of n = 3 → quantiles B1 (ceil 0.67), C2, A2
//   h1 returns A 0, B 1/9, C 1/21 → ranks A1 B3 C2 → IC = −1; Q1 = 1/9, Q2 = 1/42
//   h2 exits on 01-06, after the last market date → no value
const IC1 = [0.5 / Math.sqrt(22.5), 0.8, -1];
const IC2 = [-0.4, -1.5 / Math.sqrt(22.5)];

describe("factorAnalysis on a hand-computed market", () => {
  it("rank IC per date and its summary (IC decay)", () => {
    expect(fa.ic.strings("date")).toEqual(["2024-01-01", "2024-01-02", "2024-01-03"]);
    const ic1 = col(fa.ic, "ic_1d");
    const ic2 = col(fa.ic, "ic_2d");
    IC1.forEach((v, i) => expect(ic1[i]).toBeCloseTo(v, 12));
    IC2.forEach((v, i) => expect(ic2[i]).toBeCloseTo(v, 12));
    expect(Number.isNaN(ic2[2]!)).toBe(true);
    const m1 = (IC1[0]! + IC1[1]! + IC1[2]!) / 3;
    const sd1 = Math.sqrt(((IC1[0]! - m1) ** 2 + (IC1[1]! - m1) ** 2 + (IC1[2]! - m1) ** 2) / 2);
    expect(fa.icSummary[0]!.horizon).toBe(1);
    expect(fa.icSummary[0]!.count).toBe(3);
    expect(fa.icSummary[0]!.mean).toBeCloseTo(m1, 12);
    expect(fa.icSummary[0]!.std).toBeCloseTo(sd1, 12);
    expect(fa.icSummary[0]!.tStat).toBeCloseTo(m1 / (sd1 / Math.sqrt(3)), 12);
    expect(fa.icSummary[1]).toMatchObject({ horizon: 2, count: 2 });
    expect(fa.icSummary[1]!.mean).toBeCloseTo((IC2[0]! + IC2[1]!) / 2, 12);
  });

  it("quantile mean forward returns (not demeaned)", () => {
    const q = (h: number, k: number) => fa.quantileReturns.find((r) => r.horizon === h && r.quantile === k)!;
    expect(q(1, 1).meanReturn).toBeCloseTo((0.025 + (0.05 - 1 / 11) / 2 + 1 / 9) / 3, 12);
    expect(q(1, 2).meanReturn).toBeCloseTo((0.05 + (1 / 11 - 1 / 19) / 2 + 1 / 42) / 3, 12);
    expect(q(2, 1).meanReturn).toBeCloseTo((0.05 + (0.1 + 1 / 11) / 2) / 2, 12);
    expect(q(2, 2).meanReturn).toBeCloseTo((0.025 + (1 / 11 + 1 / 19) / 2) / 2, 12);
    expect(q(1, 1).dates).toBe(3);
    expect(q(2, 2).dates).toBe(2);
  });

  it("demeaned quantile returns subtract each date's mean first", () => {
    const d = factorAnalysis(signals, marketFrame(), { horizons: [1], quantiles: 2, demean: true });
    // date means of the h1 returns: (0.1 − 0.05 + 0 + 0.1)/4 = 0.0375; (1/11 − 1/19 + 0.05 − 1/11)/4; (0 + 1/9 + 1/21)/3
    const means = [0.0375, (0.05 - 1 / 19) / 4, (1 / 9 + 1 / 21) / 3];
    const q1 = [0.025, (0.05 - 1 / 11) / 2, 1 / 9];
    const expected = (q1[0]! - means[0]! + q1[1]! - means[1]! + q1[2]! - means[2]!) / 3;
    expect(d.quantileReturns[0]!.meanReturn).toBeCloseTo(expected, 12);
  });

  it("top-minus-bottom spread over time", () => {
    const s1 = col(fa.spread, "spread_1d");
    expect(s1[0]).toBeCloseTo(0.05 - 0.025, 12);
    expect(s1[1]).toBeCloseTo((1 / 11 - 1 / 19) / 2 - (0.05 - 1 / 11) / 2, 12);
    expect(s1[2]).toBeCloseTo(1 / 42 - 1 / 9, 12);
    expect(fa.spreadSummary[0]!.mean).toBeCloseTo((s1[0]! + s1[1]! + s1[2]!) / 3, 12);
    expect(col(fa.spread, "spread_2d")[0]).toBeCloseTo(0.025 - 0.05, 12);
  });

  it("quantile turnover against h signal dates earlier", () => {
    // h1: date 2 vs 1: Q1 {C,D} vs {A,B} → 1, Q2 {A,B} vs {C,D} → 1
    //     date 3 vs 2: Q1 {B} (was Q2) → 1; Q2 {A,C}: A stayed, C was Q1 → 1/2
    // h2: date 3 vs 1: Q1 {B} stayed → 0; Q2 {A,C}: A was Q1, C stayed → 1/2
    const t = (h: number, k: number) => fa.quantileTurnover.find((r) => r.horizon === h && r.quantile === k)!;
    expect(t(1, 1)).toMatchObject({ turnover: 1, dates: 2 });
    expect(t(1, 2)).toMatchObject({ turnover: 0.75, dates: 2 });
    expect(t(2, 1)).toMatchObject({ turnover: 0, dates: 1 });
    expect(t(2, 2)).toMatchObject({ turnover: 0.5, dates: 1 });
  });

  it("prediction rank autocorrelation on common symbols", () => {
    // h1: date 2 ranks A4 B3 C2 D1 vs date 1 A1 B2 C3 D4 → −1
    //     date 3 ranks A3 B1 C2 vs date 2 A4 B3 C2 → dx (1, −1, 0), dy (1, 0, −1) → 1/2
    // h2: date 3 A3 B1 C2 vs date 1 A1 B2 C3 → dy (−1, 0, 1) → −1/2
    const a1 = col(fa.autocorrelation, "autocorr_1d");
    expect(Number.isNaN(a1[0]!)).toBe(true);
    expect(a1[1]).toBeCloseTo(-1, 12);
    expect(a1[2]).toBeCloseTo(0.5, 12);
    expect(col(fa.autocorrelation, "autocorr_2d")[2]).toBeCloseTo(-0.5, 12);
    expect(fa.autocorrelationSummary[0]!.mean).toBeCloseTo(-0.25, 12);
  });

  it("coverage counts the rows analysed", () => {
    // 13 signal rows; E (no market) and D on date 3 (NaN prediction) are left out
    expect(fa.coverage).toEqual({ signalRows: 13, usedRows: 11, thinDates: 0 });
  });

  it("per-date quantile returns are the series the quantile means average", () => {
    for (const h of [1, 2]) {
      for (const q of [1, 2]) {
        const perDate = col(fa.quantileReturnsByDate, `q${q}_${h}d`).filter(Number.isFinite);
        const summary = fa.quantileReturns.find((r) => r.horizon === h && r.quantile === q)!;
        expect(perDate.length).toBe(summary.dates);
        expect(perDate.reduce((a, b) => a + b, 0) / perDate.length).toBeCloseTo(summary.meanReturn!, 14);
      }
    }
  });

  it("more quantiles than names on every date is a named error on quantiles; fewer on some dates is counted", () => {
    // At most 4 names (A–D) have a prediction and an entry close on a date: 5 quantiles leave Q1 or Q5 empty everywhere.
    const e = caught(() => factorAnalysis(signals, marketFrame(), { horizons: [1], quantiles: 5 }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e).toMatchObject({ code: "INVALID_OPTION", option: "quantiles" });
    expect(e.message).toContain("the most on any date is 4");
    // 4 quantiles: the dates with 3 names are counted as thin.
    const four = factorAnalysis(signals, marketFrame(), { horizons: [1], quantiles: 4 });
    expect(four.coverage.thinDates).toBeGreaterThan(0);
    expect(four.coverage.thinDates).toBeLessThan(four.ic.numRows);
  });
});

describe("prices: entry needs an actual close, exits carry the last close", () => {
  it("drops a name without an entry close and carries a missing exit close", () => {
    const closes = { ...CLOSES, "2024-01-03": [11, Number.NaN, 40, 55] as [number, number, number, number] };
    const one = signals.filter((i) => i < 4); // date 1 only (entry 01-02)
    const f = factorAnalysis(one, marketFrame(closes), { horizons: [1], quantiles: 2, demean: false });
    // B's h1 exit close on 01-03 is missing → carried 20 from 01-02 → return 0
    // returns A 0.1, B 0, C 0, D 0.1; Q1 {A,B} = 0.05, Q2 {C,D} = 0.05
    expect(f.quantileReturns.map((q) => q.meanReturn)).toEqual([0.05, 0.05].map((x) => expect.closeTo(x, 12)));
    const two = signals.filter((i) => i >= 4 && i < 9); // date 2, entry 01-03 where B has no close
    const g = factorAnalysis(two, marketFrame(closes), { horizons: [1], quantiles: 2, demean: false });
    expect(g.coverage.usedRows).toBe(3); // A, C, D (E unknown, B no entry close)
  });
});

describe("bad input", () => {
  it("names a duplicate market row", () => {
    const m = marketFrame();
    const e = caught(() => factorAnalysis(signals, m.concat(m.filter((i) => i === 5))));
    expect(e).toBeInstanceOf(DuplicateRowError);
    expect(e).toMatchObject({ code: "DUPLICATE_ROW", symbol: "B", date: "2024-01-02" });
  });

  it("a bad close is INVALID_CLOSE, the same error the market panel gives every package", () => {
    const m = marketFrame();
    // Row 6 is C on 2024-01-02; zero, negative and infinite closes are all refused.
    for (const bad of [0, -40, Number.POSITIVE_INFINITY]) {
      const market = m.withColumn("close", Array.from(m.float64("close"), (c, i) => (i === 6 ? bad : c)));
      const e = caught(() => factorAnalysis(signals, market));
      expect(e).toBeInstanceOf(InvalidCloseError);
      expect(e).toMatchObject({ code: "INVALID_CLOSE", column: "close", symbol: "C", date: "2024-01-02", value: bad });
      // The universe filter and the backtest read the market through this panel: same class, code and fields.
      const shared = caught(() => marketPanel(market));
      expect([shared.constructor, shared.code, shared.symbol, shared.date]).toEqual([InvalidCloseError, e.code, e.symbol, e.date]);
    }
    // NaN is "no close that day", not an error: C simply has no entry close on 2024-01-02.
    const gap = m.withColumn("close", Array.from(m.float64("close"), (c, i) => (i === 6 ? Number.NaN : c)));
    expect(factorAnalysis(signals, gap, { horizons: [1], quantiles: 2 }).coverage.usedRows).toBe(10);
  });

  it("names a duplicate signal, a bad signal date and empty frames", () => {
    const dup = signals.concat(signals.filter((i) => i === 0));
    const d = caught(() => factorAnalysis(dup, marketFrame()));
    expect(d).toBeInstanceOf(DuplicateRowError);
    expect(d).toMatchObject({ code: "DUPLICATE_ROW", symbol: "A", date: "2024-01-01" });
    const badDate = signals.withColumn("date", signals.strings("date").map((x, i) => (i === 4 ? "2024-02-30" : x)));
    expect(caught(() => factorAnalysis(badDate, marketFrame()))).toMatchObject({ code: "INVALID_DATE", column: "date", row: 4 });
    const empty = caught(() => factorAnalysis(signals.filter(() => false), marketFrame()));
    expect(empty).toBeInstanceOf(FactorInputError);
    expect(empty.code).toBe("EMPTY_SIGNALS");
    expect(caught(() => factorAnalysis(signals, marketFrame().filter(() => false))).code).toBe("EMPTY_MARKET");
  });

  it("lists every missing column of both frames against their contracts", () => {
    const s = caught(() => factorAnalysis(signals.drop(["prediction", "symbol"]), marketFrame()));
    expect(s).toBeInstanceOf(ContractError);
    expect((s as ContractError).missing).toEqual(["symbol", "prediction"]);
    expect(s.message).toMatch(/^factorAnalysis: signals frame: missing columns "symbol", "prediction"/);
    const custom = caught(() => factorAnalysis(signals, marketFrame(), { predictionCol: "score" }));
    expect((custom as ContractError).missing).toEqual(["score"]);
    const m = caught(() => factorAnalysis(signals, marketFrame().drop(["close"])));
    expect(m).toMatchObject({ code: "MISSING_COLUMN", column: "close" });
    expect(m.message).toMatch(/market frame/);
    const m0 = marketFrame();
    const textClose = m0.withColumn("close", Array.from(m0.float64("close"), String));
    expect(caught(() => factorAnalysis(signals, textClose))).toMatchObject({ code: "NON_NUMERIC_COLUMN", column: "close" });
  });

  it("options are strict: a misspelled key names the nearest one, bad values name the option", () => {
    const e = caught(() => factorAnalysis(signals, marketFrame(), { horizon: [1], quantiles: 1 } as never));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).problems).toEqual([
      { path: "horizon", message: "unknown option", suggestion: "horizons" },
      expect.objectContaining({ path: "quantiles" }),
    ]);
    const notFrame = caught(() => factorAnalysis([] as never, marketFrame()));
    expect(notFrame).toMatchObject({ code: "INVALID_OPTION", option: "signals" });
  });
});

describe("rank helpers", () => {
  it("average ranks share tied positions", () => {
    // sorted: −1 (1), 0 0 (2,3 → 2.5), 2 (4), 5 5 5 (5,6,7 → 6)
    const values = Float64Array.from([5, 0, -1, 5, 2, 0, 5]);
    const scratch = new RankScratch(8);
    averageRanks(values, 7, scratch.rx, scratch.sorted);
    expect(Array.from(scratch.rx.subarray(0, 7))).toEqual([6, 2.5, 1, 6, 4, 2.5, 6]);
    // Only the first n values count.
    averageRanks(Float64Array.from([3, 1, 2, -9]), 3, scratch.rx, scratch.sorted);
    expect(Array.from(scratch.rx.subarray(0, 3))).toEqual([3, 1, 2]);
  });
});
