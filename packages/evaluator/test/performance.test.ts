import { caught as caughtError } from "@nmrblox/fixtures";
import {
  ContractError,
  InvalidDateError,
  InvalidOptionError,
  NumerFrame,
  type NumerFrameError,
  excessKurtosis,
  maxDrawdown,
  skewness,
  standardDeviation,
} from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { PerformanceInputError, drawdownSummary, monthlyReturns, performance, rollingSharpe } from "../src/index.js";
import { calendarDays, dailyFrame, tranchesFrame } from "./synthetic-backtest.js";

// The 10-day series every statistic below is computed by hand on.
// Dates 2024-01-27 .. 2024-02-05 (5 days in January, 5 in February).
// r      = 0.1, −0.1, 0.2, 0, −0.2, 0.1, 0.1, −0.1, 0, 0.1
// equity = 1.1, 0.99, 1.188, 1.188, 0.9504, 1.04544, 1.149984, 1.0349856, 1.0349856, 1.13848416
//          (equity_t = equity_{t−1}·(1 + r_t); net_t = r_t·equity_{t−1}, so r_t = net_t / equity_{t−1})
// fee 0.002, slippage 0.001, funding −0.0005 every day; gross = net + 0.002 + 0.001 + 0.0005.
// positions held at the close (days 4 and 9 flat); turnover as listed.
const DATES = calendarDays("2024-01-27", 10);
const R = [0.1, -0.1, 0.2, 0, -0.2, 0.1, 0.1, -0.1, 0, 0.1];
const daily = dailyFrame({
  dates: DATES,
  returns: R,
  fee: new Array(10).fill(0.002),
  slippage: new Array(10).fill(0.001),
  funding: new Array(10).fill(-0.0005),
  turnover: [0.5, 0, 0, 0.2, 0.3, 0, 0, 0.1, 0, 0.4],
  positions: [10, 10, 10, 0, 10, 10, 10, 10, 0, 10],
});
const tranches = tranchesFrame(["closed", "closed", "closed", "closed", "open"], [0.01, -0.02, 0.03, 0, 0.05]);
const stats = performance(daily, { periodsPerYear: 365, tranches });
const SQRT365 = Math.sqrt(365);

describe("performance on a hand-computed 10-day series", () => {
  it("total return and CAGR", () => {
    // equity_T = 1.1·0.9·1.2·1·0.8·1.1·1.1·0.9·1·1.1 = 1.13848416
    expect(stats.days).toBe(10);
    expect(stats.totalReturn).toBeCloseTo(0.13848416, 12);
    // CAGR = 1.13848416^(365/10) − 1 ≈ 112.7
    expect(stats.cagr).toBeCloseTo(1.13848416 ** 36.5 - 1, 9);
    expect(stats.cagr).toBeGreaterThan(112.6);
    expect(stats.cagr).toBeLessThan(112.9);
  });

  it("volatility, Sharpe and Sortino", () => {
    // mean = 0.2 / 10 = 0.02
    // deviations 0.08, −0.12, 0.18, −0.02, −0.22, 0.08, 0.08, −0.12, −0.02, 0.08
    // Σ d² = 4·0.0064 + 2·0.0144 + 0.0324 + 2·0.0004 + 0.0484 = 0.136; var (ddof 1) = 0.136 / 9
    const sd = Math.sqrt(0.136 / 9); // 0.1229272594
    expect(stats.meanReturn).toBeCloseTo(0.02, 14);
    expect(stats.volatility).toBeCloseTo(sd * SQRT365, 12); // ≈ 2.34852
    expect(stats.sharpe).toBeCloseTo((0.02 / sd) * SQRT365, 12); // ≈ 3.10834
    expect(stats.sharpe!).toBeCloseTo(3.10834, 4);
    // downside: min(r,0)² = 0.01, 0.04, 0.01 on 3 of 10 days → mean = 0.06 / 10 = 0.006
    expect(stats.sortino).toBeCloseTo((0.02 / Math.sqrt(0.006)) * SQRT365, 12); // ≈ 4.93288
    expect(stats.sortino!).toBeCloseTo(4.93288, 4);
  });

  it("max drawdown, its dates and durations, Calmar", () => {
    // running peak max(1, equity): 1.1, 1.1, 1.188 (days 3–10)
    // drawdown: 0, −0.1, 0, 0, 0.9504/1.188 − 1 = −0.2, −0.12, −0.032, −0.1288, −0.1288, −0.04168...
    expect(stats.maxDrawdown).toBeCloseTo(-0.2, 12);
    expect(stats.drawdownPeak).toBe("2024-01-30"); // day 4, last day at 1.188
    expect(stats.drawdownTrough).toBe("2024-01-31"); // day 5
    expect(stats.drawdownRecovery).toBeNull(); // 1.13848416 < 1.188 at the end
    expect(stats.maxDrawdownDays).toBe(6); // days 5..10 under water
    expect(stats.longestDrawdownDays).toBe(6); // the other episode (day 2) lasts 1 day
    expect(stats.calmar).toBeCloseTo((1.13848416 ** 36.5 - 1) / 0.2, 8);
  });

  it("daily and tranche hit rates", () => {
    // counted days: t ≥ 2 with positions_{t−1} > 0 → days 2,3,4,6,7,8,9 (day 5 and 10 follow flat days,
    // day 1 has nothing before it); their r: −0.1, 0.2, 0, 0.1, 0.1, −0.1, 0 → 3 positive of 7
    expect(stats.activeDays).toBe(7);
    expect(stats.dailyHitRate).toBeCloseTo(3 / 7, 14);
    // closed tranches 0.01, −0.02, 0.03, 0 → 2 of 4 with PnL > 0 (0 is not a hit; the open one is ignored)
    expect(stats.trancheHitRate).toBe(0.5);
    expect(stats.tranches).toMatchObject({ closed: 4, open: 1, winners: 2 });
    expect(stats.tranches!.meanClosedPnl).toBeCloseTo(0.02 / 4, 14);
  });

  it("average turnover and cost breakdown as shares of gross PnL", () => {
    // (0.5 + 0.2 + 0.3 + 0.1 + 0.4) / 10 = 0.15
    expect(stats.averageTurnover).toBeCloseTo(0.15, 14);
    // Σ net = equity_T − 1 = 0.13848416; Σ gross = Σ net + 10·(0.002 + 0.001 + 0.0005) = 0.17348416
    const gross = 0.17348416;
    expect(stats.costs.netPnl).toBeCloseTo(0.13848416, 12);
    expect(stats.costs.grossPnl).toBeCloseTo(gross, 12);
    expect(stats.costs.fee).toBeCloseTo(0.02, 14);
    expect(stats.costs.slippage).toBeCloseTo(0.01, 14);
    expect(stats.costs.funding).toBeCloseTo(-0.005, 14);
    expect(stats.costs.feeShare).toBeCloseTo(0.02 / gross, 12); // ≈ 0.11528
    expect(stats.costs.slippageShare).toBeCloseTo(0.01 / gross, 12); // ≈ 0.05764
    expect(stats.costs.fundingShare).toBeCloseTo(-0.005 / gross, 12); // ≈ −0.02882
    expect(stats.averageGrossExposure).toBeCloseTo(1, 14); // 0.5 long + 0.5 short every day
  });

  it("skew and excess kurtosis (population moments)", () => {
    // m2 = 0.136 / 10 = 0.0136
    // Σ d³ = 4·0.000512 − 2·0.001728 + 0.005832 − 2·0.000008 − 0.010648 = −0.00624 → m3 = −0.000624
    // Σ d⁴ = 4·0.00004096 + 2·0.00020736 + 0.00104976 + 2·0.00000016 + 0.00234256 = 0.0039712 → m4 = 0.00039712
    expect(stats.skew).toBeCloseTo(-0.000624 / 0.0136 ** 1.5, 12); // ≈ −0.39344
    expect(stats.skew!).toBeCloseTo(-0.39344, 4);
    // m4 / m2² = 0.00039712 / 0.00018496 = 73/34 → excess kurtosis = 73/34 − 3 = −29/34
    expect(stats.kurtosis).toBeCloseTo(-29 / 34, 12);
  });

  it("best and worst day", () => {
    expect(stats.bestDay).toEqual({ date: "2024-01-29", return: 0.2 });
    expect(stats.worstDay).toEqual({ date: "2024-01-31", return: -0.2 });
  });

  it("monthly returns compound the days of each month", () => {
    // January (27..31): 1.1·0.9·1.2·1·0.8 − 1 = −0.0496; February (1..5): 1.1·1.1·0.9·1·1.1 − 1 = 0.1979
    expect(stats.monthlyReturns.map((m) => m.month)).toEqual(["2024-01", "2024-02"]);
    expect(stats.monthlyReturns.map((m) => m.days)).toEqual([5, 5]);
    expect(stats.monthlyReturns[0]!.return).toBeCloseTo(-0.0496, 14);
    expect(stats.monthlyReturns[1]!.return).toBeCloseTo(0.1979, 14);
    // and they chain to the total return: 0.9504 · 1.1979 = 1.13848416
    expect((1 + stats.monthlyReturns[0]!.return) * (1 + stats.monthlyReturns[1]!.return)).toBeCloseTo(1 + stats.totalReturn, 12);
    expect(monthlyReturns(["2024-03-31", "2024-04-01"], [0.5, -0.5])).toEqual([
      { month: "2024-03", return: 0.5, days: 1 },
      { month: "2024-04", return: -0.5, days: 1 },
    ]);
  });

  it("annualizes with the given periods per year", () => {
    const s252 = performance(daily, { periodsPerYear: 252 });
    expect(s252.sharpe).toBeCloseTo((0.02 / Math.sqrt(0.136 / 9)) * Math.sqrt(252), 12);
    expect(s252.cagr).toBeCloseTo(1.13848416 ** 25.2 - 1, 9);
    expect(s252.trancheHitRate).toBeNull(); // no tranche frame given
    expect(performance(daily).periodsPerYear).toBe(365);
  });
});

describe("drawdown edge cases", () => {
  it("a recovered drawdown has peak, trough and recovery dates", () => {
    // equity 1.1, 1.0, 1.2: drawdown 0, 1/1.1 − 1, 0 → recovered on day 3 after 1 day under water
    const d = drawdownSummary(["a", "b", "c"], [1.1, 1.0, 1.2]);
    expect(d.maxDrawdown).toBeCloseTo(1 / 1.1 - 1, 14);
    expect(d).toMatchObject({ peakDate: "a", troughDate: "b", recoveryDate: "c", maxDrawdownDays: 1, longestDrawdownDays: 1 });
  });

  it("starting capital 1 is the first peak", () => {
    // equity 0.9, 0.95, 1.05, 1.0: peaks max(1, ·) = 1, 1, 1.05, 1.05 → dd −0.1, −0.05, 0, 1/1.05 − 1
    const d = drawdownSummary(["a", "b", "c", "d"], [0.9, 0.95, 1.05, 1.0]);
    expect(d.maxDrawdown).toBeCloseTo(-0.1, 14);
    expect(d).toMatchObject({ peakDate: null, troughDate: "a", recoveryDate: "c", maxDrawdownDays: 2, longestDrawdownDays: 2 });
  });

  it("no drawdown: Calmar is null", () => {
    const s = performance(dailyFrame({ dates: calendarDays("2024-01-01", 3), returns: [0.01, 0.02, 0.01] }));
    expect(s.maxDrawdown).toBe(0);
    expect(s.calmar).toBeNull();
    expect(s.drawdownTrough).toBeNull();
    expect(s.sortino).toBeNull(); // no negative day: the downside deviation is 0
  });
});

describe("undefined statistics and rolling Sharpe", () => {
  it("a constant series has no Sharpe, skew or kurtosis", () => {
    const s = performance(dailyFrame({ dates: calendarDays("2024-01-01", 5), returns: [0.01, 0.01, 0.01, 0.01, 0.01] }));
    expect(s.sharpe).toBeNull();
    expect(s.skew).toBeNull();
    expect(s.kurtosis).toBeNull();
    // nothing flat → positions 50 every day → days 2..5 counted, all positive
    expect(s.dailyHitRate).toBe(1);
  });

  it("costs shares are null when gross PnL sums to 0", () => {
    // net: 0.25, then 1.25 · (−0.2) = −0.25 → Σ gross = 0 exactly (no costs)
    const s = performance(dailyFrame({ dates: calendarDays("2024-01-01", 2), returns: [0.25, -0.2] }));
    expect(s.costs.grossPnl).toBe(0);
    expect(s.costs.feeShare).toBeNull();
    expect(s.costs.fundingShare).toBeNull();
  });

  it("rolling Sharpe over a 3-day window", () => {
    // window [0.1, −0.1, 0.2]: mean 0.2/3, Σd² = 0.14/3 → var 0.07/3
    // window [−0.1, 0.2, 0]:  mean 0.1/3, Σd² = 0.14/3 → var 0.07/3
    const rs = rollingSharpe([0.1, -0.1, 0.2, 0], 3, 365);
    expect(Number.isNaN(rs[0]!) && Number.isNaN(rs[1]!)).toBe(true);
    expect(rs[2]).toBeCloseTo((0.2 / 3 / Math.sqrt(0.07 / 3)) * SQRT365, 12);
    expect(rs[3]).toBeCloseTo((0.1 / 3 / Math.sqrt(0.07 / 3)) * SQRT365, 12);
  });
});

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

describe("one set of statistics: the numbers are numerframe's", () => {
  it("skew, kurtosis, volatility and max drawdown equal the shared helpers on the same series", () => {
    expect(stats.skew).toBe(skewness(R));
    expect(stats.kurtosis).toBe(excessKurtosis(R));
    expect(stats.volatility).toBe(standardDeviation(R, 1) * SQRT365);
    expect(stats.maxDrawdown).toBe(maxDrawdown(daily.float64("equity")));
  });
});

describe("bad input", () => {
  it("lists every missing column of the daily contract at once", () => {
    const e = caught(() => performance(daily.drop(["turnover", "fee"])));
    expect(e).toBeInstanceOf(ContractError);
    expect(e).toMatchObject({ code: "MISSING_COLUMN", column: "fee", missing: ["fee", "turnover"] });
    expect(e.message).toMatch(/^performance: daily frame: missing columns "fee", "turnover"/);
    const text = daily.withColumn("equity", Array.from(daily.float64("equity"), String));
    expect(caught(() => performance(text))).toMatchObject({ code: "NON_NUMERIC_COLUMN", column: "equity" });
  });

  it("a malformed or impossible date is INVALID_DATE naming the row", () => {
    const bad = daily.withColumn("date", DATES.map((d, i) => (i === 2 ? "2024-02-30" : d)));
    const e = caught(() => performance(bad));
    expect(e).toBeInstanceOf(InvalidDateError);
    expect(e).toMatchObject({ code: "INVALID_DATE", column: "date", row: 2 });
    expect(caught(() => performance(daily.filter(() => false)))).toMatchObject({ code: "EMPTY_DAILY" });
  });

  it("names the column and date of a non-finite value", () => {
    const r = [...R];
    r[3] = Number.NaN;
    const bad = daily.withColumn("return", r);
    try {
      performance(bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PerformanceInputError);
      expect(e).toMatchObject({ code: "NON_FINITE", column: "return", date: "2024-01-30", row: 3 });
    }
  });

  it("refuses dates out of order", () => {
    const swapped = daily.withColumn("date", [DATES[1]!, DATES[0]!, ...DATES.slice(2)]);
    expect(() => performance(swapped)).toThrow(expect.objectContaining({ code: "DATES_NOT_INCREASING", date: DATES[0] }));
  });

  it("refuses bad options, naming the nearest valid key, and a bad tranche status", () => {
    expect(caught(() => performance(daily, { periodsPerYear: -1 }))).toMatchObject({ code: "INVALID_OPTION", option: "periodsPerYear" });
    const e = caught(() => performance(daily, { periodsPerYer: 252 } as never));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).problems).toEqual([{ path: "periodsPerYer", message: "unknown option", suggestion: "periodsPerYear" }]);
    expect(e.message).toBe('performance: option "periodsPerYer": unknown option (did you mean "periodsPerYear"?)');
    expect(caught(() => performance(daily, { tranches: [] as never }))).toMatchObject({ code: "INVALID_OPTION", option: "tranches" });
    expect(caught(() => performance({} as never))).toMatchObject({ code: "INVALID_OPTION", option: "daily" });
    const odd = NumerFrame.fromColumns({ status: ["closed", "pending"], net_pnl: [0.1, 0.2] });
    const s = caught(() => performance(daily, { tranches: odd }));
    expect(s).toBeInstanceOf(PerformanceInputError);
    expect(s).toMatchObject({ code: "INVALID_TRANCHE_STATUS", column: "status", row: 1 });
    expect(caught(() => performance(daily, { tranches: odd.drop(["net_pnl"]) }))).toMatchObject({ code: "MISSING_COLUMN", column: "net_pnl" });
  });

  it("rollingSharpe refuses a fractional window and a non-positive year", () => {
    expect(caught(() => rollingSharpe([0.1, 0.2, 0.3], 2.5, 365))).toMatchObject({ code: "INVALID_OPTION", option: "window" });
    expect(caught(() => rollingSharpe([0.1, 0.2, 0.3], 2, 0))).toMatchObject({ code: "INVALID_OPTION", option: "periodsPerYear" });
    // A window below 2 has no sample std: every value is NaN, as documented.
    expect(Array.from(rollingSharpe([0.1, 0.2], 1, 365)).every(Number.isNaN)).toBe(true);
  });
});
