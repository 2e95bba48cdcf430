import { ContractError, InvalidOptionError, NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  annualReturns,
  basketTurnover,
  benchmarks,
  closedTranchePnl,
  legSeries,
  performance,
  scoreByEra,
  summarizeScores,
  topContributors,
  topDrawdowns,
  trancheHitRateByMonth,
} from "../src/index.js";
import { histogramBins } from "../src/report/charts/tearsheet-charts.js";
import { chartTitle, dateX, lineIndices, rollingMean } from "../src/report/charts/theme.js";
import { costShare } from "../src/report/tables.js";
import { calendarDays, dailyFrame, syntheticTearSheet, tranchesFrame } from "./synthetic-backtest.js";

describe("topDrawdowns", () => {
  it("ranks episodes below the running peak by depth, with start, trough, recovery and length", () => {
    const d = ["d1", "d2", "d3", "d4", "d5", "d6", "d7"];
    // Peaks: 1 (start), 1.1, 1.2; episodes: d2 (1.0 / 1.1 − 1), d4–d5 (0.9 / 1.2 − 1, then 1.1), d7 not recovered (1.14 / 1.2 − 1).
    const eq = [1.1, 1.0, 1.2, 0.9, 1.1, 1.2, 1.14];
    const episodes = topDrawdowns(d, eq, 5);
    expect(episodes.map((e) => [e.start, e.trough, e.recovery, e.days])).toEqual([
      ["d3", "d4", "d6", 2],
      ["d1", "d2", "d3", 1],
      ["d6", "d7", null, 1],
    ]);
    expect(episodes.map((e) => e.depth)).toEqual([0.9 / 1.2 - 1, 1.0 / 1.1 - 1, 1.14 / 1.2 - 1].map((x) => expect.closeTo(x, 14)));
    expect(topDrawdowns(d, eq, 1)).toHaveLength(1);
    // Below the starting capital on day one: the episode starts before the first date.
    expect(topDrawdowns(["a", "b"], [0.9, 1.0], 5)).toEqual([{ start: null, trough: "a", recovery: "b", depth: expect.closeTo(-0.1, 14), days: 1 }]);
    expect(topDrawdowns(["a", "b"], [1.1, 1.2], 5)).toEqual([]);
  });
});

describe("annualReturns", () => {
  it("compounds by calendar year", () => {
    expect(annualReturns(["2023-12-31", "2024-01-01", "2024-01-02"], [0.1, 0.1, -0.5])).toEqual([
      { year: "2023", return: expect.closeTo(0.1, 14), days: 1 },
      { year: "2024", return: expect.closeTo(1.1 * 0.5 - 1, 14), days: 2 },
    ]);
  });
});

describe("benchmarks", () => {
  const dates = calendarDays("2024-01-01", 4);
  const daily = dailyFrame({ dates, returns: [0, 0.02, -0.01, 0.03] });
  // BTC 100 → 110 → 99 → 99; X 10 → 12 → 6 (missing on day 4, carried) ; Y tradable only from day 2.
  const market = NumerFrame.fromColumns({
    date: [...dates, ...dates.slice(0, 3), ...dates],
    symbol: ["BTC", "BTC", "BTC", "BTC", "X", "X", "X", "Y", "Y", "Y", "Y"],
    close: [100, 110, 99, 99, 10, 12, 6, 1, 2, 2, 3],
  });
  const universe = NumerFrame.fromColumns({
    date: [...dates, ...dates, ...dates],
    symbol: ["BTC", "BTC", "BTC", "BTC", "X", "X", "X", "X", "Y", "Y", "Y", "Y"],
    tradable: [true, true, true, true, true, true, true, true, false, true, true, true],
  });

  it("buy-and-hold, the equal-weight long of names tradable the day before, beta and correlation, by hand", () => {
    const b = benchmarks(daily, market, { universe });
    expect(Array.from(b.buyAndHold!)).toEqual([0, 0.1, 99 / 110 - 1, 0].map((x) => expect.closeTo(x, 14)));
    // Day 2: BTC, X (Y untradable on day 1); days 3 and 4: BTC, X, Y (X has no close on day 4: carried, 6 → 6).
    expect(Array.from(b.equalWeight)).toEqual(
      [0, (0.1 + 0.2) / 2, (99 / 110 - 1 + 0.5 - 1 + 0) / 3, (0 + 0 + 0.5) / 3].map((x) => expect.closeTo(x, 14)),
    );
    expect(Array.from(b.equalWeightNames)).toEqual([0, 2, 3, 3]);
    // Beta and correlation over days 2..4: x = BTC, y = strategy.
    const x = [0.1, 99 / 110 - 1, 0];
    const y = [0.02, -0.01, 0.03];
    const mx = (x[0]! + x[1]! + x[2]!) / 3;
    const my = (y[0]! + y[1]! + y[2]!) / 3;
    const sxy = x.reduce((a, xi, i) => a + (xi - mx) * (y[i]! - my), 0);
    const sxx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0);
    const syy = y.reduce((a, yi) => a + (yi - my) ** 2, 0);
    expect(b.beta).toBeCloseTo(sxy / sxx, 12);
    expect(b.correlation).toBeCloseTo(sxy / Math.sqrt(sxx * syy), 12);
  });

  it("without a universe every name with a close the day before counts; an absent symbol has no buy-and-hold", () => {
    const b = benchmarks(daily, market, { symbol: "ETH" });
    expect(b.buyAndHold).toBeNull();
    expect(b.beta).toBeNull();
    expect(Array.from(b.equalWeightNames)).toEqual([0, 3, 3, 3]); // X is carried on day 4 but had an actual close on day 3
  });

  it("strict options and named market errors", () => {
    expect(() => benchmarks(daily, market, { symbl: "BTC" } as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "symbl" }));
    const bad = market.withColumn("close", Array.from(market.float64("close"), (c, i) => (i === 1 ? Number.POSITIVE_INFINITY : c)));
    expect(() => benchmarks(daily, bad)).toThrow(expect.objectContaining({ code: "INVALID_CLOSE", symbol: "BTC", date: "2024-01-02" }));
    expect(() => benchmarks(daily, "market" as never)).toThrow(InvalidOptionError);
  });
});

describe("legs and attribution", () => {
  const ts = syntheticTearSheet(120, 12);

  it("the leg columns sum to the daily gross PnL and funding", () => {
    const legs = legSeries(ts.daily)!;
    const gross = ts.daily.float64("gross_pnl");
    const funding = ts.daily.float64("funding");
    for (let t = 0; t < gross.length; t++) {
      expect(legs.longPrice[t]! + legs.shortPrice[t]!).toBeCloseTo(gross[t]!, 14);
      expect(legs.longFunding[t]! + legs.shortFunding[t]!).toBeCloseTo(funding[t]!, 14);
    }
    expect(legSeries(ts.daily.drop(["long_price_pnl", "long_funding", "short_price_pnl", "short_funding"]))).toBeNull();
    expect(() => legSeries(ts.daily.drop(["short_funding"]))).toThrow(expect.objectContaining({ constructor: ContractError, code: "MISSING_COLUMN" }));
  });

  it("best and worst contributors, per-month rows summed per symbol, with the side held", () => {
    const attribution = NumerFrame.fromColumns({
      symbol: ["A", "A", "B", "C", "D"],
      month: ["2024-01", "2024-02", "2024-01", "2024-01", "2024-01"],
      price_pnl: [0.01, 0.02, -0.05, 0.001, 0],
      funding: [-0.001, -0.001, -0.01, 0.002, 0],
      fee: [0.001, 0.001, 0.002, 0.0005, 0],
      slippage: [0.0005, 0.0005, 0.001, 0.0005, 0],
      net_pnl: [0.0075, 0.0175, -0.063, 0.002, 0],
      days_long: [10, 20, 0, 5, 0],
      days_short: [0, 0, 30, 5, 0],
    });
    const { best, worst, all } = topContributors(attribution, 1);
    expect(all.map((c) => [c.symbol, c.side])).toEqual([["A", "long"], ["B", "short"], ["C", "both"], ["D", "none"]]);
    expect(best).toEqual([
      { symbol: "A", pricePnl: expect.closeTo(0.03, 14), funding: expect.closeTo(-0.002, 14), costs: expect.closeTo(0.003, 14), netPnl: expect.closeTo(0.025, 14), daysLong: 30, daysShort: 0, side: "long" },
    ]);
    expect(worst.map((c) => c.symbol)).toEqual(["B"]);
    // Never more than half the symbols on each side: the lists do not overlap.
    const two = topContributors(attribution, 15);
    expect(two.best.map((c) => c.symbol)).toEqual(["A", "C"]);
    expect(two.worst.map((c) => c.symbol)).toEqual(["B", "D"]);
    expect(() => topContributors(attribution.drop(["days_short"]))).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "days_short" }));
  });

  it("the synthetic attribution sums to the daily totals", () => {
    const { all } = topContributors(ts.attribution, 15);
    const sum = (f: (c: (typeof all)[number]) => number) => all.reduce((a, c) => a + f(c), 0);
    const total = (c: string) => ts.daily.float64(c).reduce((a, b) => a + b, 0);
    expect(sum((c) => c.pricePnl)).toBeCloseTo(total("gross_pnl"), 12);
    expect(sum((c) => c.funding)).toBeCloseTo(total("funding"), 12);
    expect(sum((c) => c.costs)).toBeCloseTo(total("fee") + total("slippage"), 12);
    expect(sum((c) => c.netPnl)).toBeCloseTo(total("net_pnl"), 12);
  });
});

describe("tranches and baskets", () => {
  it("hit rate by entry month counts closed tranches only", () => {
    // tranchesFrame: entries on consecutive days from 2024-01-02; 31 tranches: 30 in January, 1 in February.
    const status = Array.from({ length: 31 }, (_, i) => (i === 0 ? "open" : "closed") as "open" | "closed");
    const pnl = Array.from({ length: 31 }, (_, i) => (i % 3 === 0 ? -0.01 : 0.02));
    const months = trancheHitRateByMonth(tranchesFrame(status, pnl));
    // January: tranches 1..29 closed (entries 01-03..01-31), of which i % 3 === 0 lose: 3, 6, ..., 27 = 9.
    expect(months).toEqual([
      { month: "2024-01", closed: 29, winners: 20, hitRate: 20 / 29, meanPnl: expect.closeTo((20 * 0.02 - 9 * 0.01) / 29, 14) },
      { month: "2024-02", closed: 1, winners: 0, hitRate: 0, meanPnl: -0.01 },
    ]);
    expect(closedTranchePnl(tranchesFrame(status, pnl))).toHaveLength(30);
  });

  it("basket turnover compares each tranche with the previous one, per side", () => {
    const book = NumerFrame.fromColumns({
      tranche: [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2],
      signal_date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-08", "2024-01-08", "2024-01-08", "2024-01-08", "2024-01-15", "2024-01-15", "2024-01-15", "2024-01-15"],
      entry: new Array<string>(12).fill("2024-01-02"),
      exit: new Array<string>(12).fill("2024-02-01"),
      symbol: ["A", "B", "X", "Y", "A", "C", "X", "Y", "D", "E", "A", "B"],
      quantity: [1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1],
      notional: new Array<number>(12).fill(0.01),
    });
    expect(basketTurnover(book)).toEqual([
      { tranche: 1, signalDate: "2024-01-08", long: 0.5, short: 0 },
      { tranche: 2, signalDate: "2024-01-15", long: 1, short: 1 },
    ]);
  });
});

describe("chart helpers", () => {
  it("rolling mean over a trailing window, NaN skipped", () => {
    expect(Array.from(rollingMean([1, 2, Number.NaN, 4, 5], 2))).toEqual([1, 1.5, 2, 4, 4.5]);
  });

  it("line decimation keeps every point of short series and the extremes of long ones", () => {
    expect(lineIndices([3, Number.NaN, 1])).toEqual([0, 2]);
    const long = Float64Array.from({ length: 5000 }, (_, i) => Math.sin(i / 50));
    long[1234] = 9;
    long[4321] = -9;
    const kept = lineIndices(long, 100);
    expect(kept.length).toBeLessThanOrEqual(202);
    expect(kept).toContain(0);
    expect(kept).toContain(1234);
    expect(kept).toContain(4321);
    expect(kept).toContain(4999);
    expect(kept.every((v, i) => i === 0 || v > kept[i - 1]!)).toBe(true);
  });

  it("histogram bins count every finite value once", () => {
    const bins = histogramBins([0, 1, 2, 3, 4, Number.NaN], 4);
    expect(bins.map((b) => b.count)).toEqual([1, 1, 1, 2]);
    expect(bins[0]).toEqual({ start: 0, end: 1, count: 1 });
  });

  it("date axes put the year in every label and pick ticks by span", () => {
    expect(dateX("2020-01-01", "2024-12-31").axis).toMatchObject({ format: "%Y", tickCount: { interval: "year", step: 1 } });
    expect(dateX("2024-01-01", "2025-06-30").axis).toMatchObject({ format: "%b %Y", tickCount: { interval: "month", step: 6 } });
    expect(dateX("2024-01-01", "2024-01-10").axis.format).toBe("%d %b %Y");
  });

  it("long subtitles wrap into lines", () => {
    const t = chartTitle("x", "word ".repeat(60).trim());
    expect(Array.isArray(t.subtitle)).toBe(true);
    expect((t.subtitle as string[]).every((l) => l.length <= 110)).toBe(true);
    expect((t.subtitle as string[]).join(" ")).toBe("word ".repeat(60).trim());
  });

  it("the costs tile counts funding paid as a cost", () => {
    const daily = dailyFrame({ dates: calendarDays("2024-01-01", 2), returns: [0.01, 0.01], fee: [0.001, 0.001], slippage: [0.0005, 0.0005], funding: [-0.002, 0] });
    const s = performance(daily);
    expect(costShare(s)).toBeCloseTo((0.002 + 0.001 + 0.002) / s.costs.grossPnl, 12);
  });
});

describe("summarizeScores counts the eras it cannot score (issue 21)", () => {
  it("all-tied and single-row eras are NaN scores, counted in nan_eras and left out of the statistics", () => {
    const frame = NumerFrame.fromColumns(
      {
        id: ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j"],
        era: ["1", "1", "1", "2", "2", "2", "3", "4", "4", "4"],
        // era 1: every prediction tied; era 3: one row; eras 2 and 4 score.
        prediction: [0.5, 0.5, 0.5, 0.1, 0.2, 0.3, 0.4, 0.3, 0.2, 0.1],
        target: [0, 0.5, 1, 0, 0.5, 1, 1, 0, 0.5, 1],
      },
      { eraCol: "era" },
    );
    const perEra = scoreByEra(frame, { target: "target" });
    const corr = Array.from(perEra.float64("prediction_corr"));
    expect(corr.map(Number.isNaN)).toEqual([true, false, true, false]);
    const s = summarizeScores(perEra);
    expect(s.numeric("eras")[0]).toBe(2);
    expect(s.numeric("nan_eras")[0]).toBe(2);
    expect(s.numeric("mean")[0]).toBeCloseTo((corr[1]! + corr[3]!) / 2, 14);
  });

  it("no scored era: NaN statistics with the reason counted; a constant series has no Sharpe", () => {
    const tied = summarizeScores(NumerFrame.fromColumns({ era: ["1", "2"], corr: [Number.NaN, Number.NaN] }, { eraCol: "era" }));
    expect([tied.numeric("eras")[0], tied.numeric("nan_eras")[0]]).toEqual([0, 2]);
    expect(tied.numeric("mean")[0]).toBeNaN();
    const flat = summarizeScores(NumerFrame.fromColumns({ era: ["1", "2"], corr: [0.01, 0.01] }, { eraCol: "era" }));
    expect(flat.numeric("std")[0]).toBe(0);
    expect(flat.numeric("sharpe")[0]).toBeNaN(); // not Infinity
  });
});
