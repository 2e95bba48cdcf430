import { describe, expect, it } from "vitest";
import { type BacktestResult, runBacktest } from "../src/index.js";
import { col, expectClose, marketFrame, signalsFrame } from "./frames.js";
import { syntheticMarket } from "./synthetic-market.js";

const N = Number.NaN;
const sum = (values: ArrayLike<number>) => Array.from(values).reduce((a, b) => a + b, 0);

/** |a − b| ≤ 1e-12: attribution and daily totals are the same sums in another order. */
function expectSums(actual: number, expected: number, label: string): void {
  if (!(Math.abs(actual - expected) <= 1e-12)) throw new Error(`${label}: ${actual}, expected ${expected} (diff ${actual - expected})`);
}

/** Every attribution column sums over symbols (and months) to the daily frame's totals. */
function checkSums(r: BacktestResult, label: string): void {
  const { daily, attribution, monthlyAttribution } = r;
  const pairs: Array<[string, string]> = [
    ["price_pnl", "gross_pnl"],
    ["funding", "funding"],
    ["fee", "fee"],
    ["slippage", "slippage"],
    ["net_pnl", "net_pnl"],
  ];
  for (const [a, d] of pairs) {
    expectSums(sum(attribution.numeric(a)), sum(daily.numeric(d)), `${label} ${a}`);
    expectSums(sum(monthlyAttribution.numeric(a)), sum(daily.numeric(d)), `${label} monthly ${a}`);
  }
  // Per month too: the month's rows sum to the month's days.
  const months = monthlyAttribution.strings("month");
  const dates = daily.strings("date");
  for (const month of new Set(months)) {
    for (const [a, d] of pairs) {
      const m = sum(monthlyAttribution.numeric(a).filter((_, i) => months[i] === month));
      const dd = sum(daily.numeric(d).filter((_, i) => dates[i]!.startsWith(month)));
      expectSums(m, dd, `${label} ${month} ${a}`);
    }
  }
  // Held symbol-days: the positions held at the close of t−1 earn day t.
  const positions = daily.numeric("positions");
  const held = sum(positions.subarray(0, positions.length - 1));
  expect(sum(attribution.numeric("days_long")) + sum(attribution.numeric("days_short"))).toBe(held);
  // The legs add up to the day's gross PnL and funding.
  const gross = daily.numeric("gross_pnl");
  const funding = daily.numeric("funding");
  const lp = daily.numeric("long_price_pnl");
  const sp = daily.numeric("short_price_pnl");
  const lf = daily.numeric("long_funding");
  const sf = daily.numeric("short_funding");
  for (let t = 0; t < daily.numRows; t++) {
    expectSums(lp[t]! + sp[t]!, gross[t]!, `${label} legs price ${t}`);
    expectSums(lf[t]! + sf[t]!, funding[t]!, `${label} legs funding ${t}`);
  }
}

describe("attribution on the synthetic market", () => {
  const data = syntheticMarket({ symbols: 60, days: 200, seed: 11, gapRate: 0.03, delistRate: 0.2 });
  const portfolio = { long: 8, short: 8, lagDays: 1, holdDays: 20, tranches: 10 };

  it("sums exactly to the daily totals (price, funding, fee, slippage, net), per run and per month, netting on", () => {
    const r = runBacktest({ ...data, portfolio });
    expect(r.attribution.numRows).toBeGreaterThan(30);
    expect(new Set(r.monthlyAttribution.strings("month")).size).toBe(7); // 2022-01 .. 2022-07
    checkSums(r, "netted");
  });

  it("sums exactly to the daily totals without netting, and nets to less cost with it", () => {
    const off = runBacktest({ ...data, portfolio, netting: false });
    checkSums(off, "not netted");
    const on = runBacktest({ ...data, portfolio });
    expect(sum(on.attribution.numeric("fee"))).toBeLessThan(sum(off.attribution.numeric("fee")));
    // Price and funding do not depend on netting.
    expectClose(on.attribution.numeric("price_pnl"), Array.from(off.attribution.numeric("price_pnl")), "price");
  });

  it("has long and short legs of the right sign of funding pressure and exposures", () => {
    const r = runBacktest({ ...data, portfolio });
    // A day with only longs held has no short-leg PnL.
    const sp = r.daily.numeric("short_price_pnl");
    const short = r.daily.numeric("short_exposure");
    for (let t = 1; t < r.daily.numRows; t++) if (short[t - 1] === 0) expect(sp[t]).toBe(0);
    expect(sum(r.daily.numeric("long_price_pnl"))).not.toBe(0);
  });

  it("names each symbol's exchange symbol and sums its months to its run", () => {
    const r = runBacktest({ ...data, portfolio });
    const symbols = r.attribution.strings("symbol");
    expect(r.attribution.strings("exchange_symbol")).toEqual(symbols.map((s) => `${s}USDT`));
    const mSym = r.monthlyAttribution.strings("symbol");
    const mNet = r.monthlyAttribution.numeric("net_pnl");
    const net = r.attribution.numeric("net_pnl");
    symbols.forEach((s, i) => expectSums(sum(mNet.filter((_, k) => mSym[k] === s)), net[i]!, `months of ${s}`));
  });
});

describe("attribution worked by hand (scenario A of hand-computed.test.ts)", () => {
  // X long 0.025 / Y short −0.01 from 01-03 to 01-07; Y long 0.01 / X short −0.025 from 01-08, open at 01-10.
  const r = runBacktest({
    market: marketFrame(
      "2024-01-01",
      { X: [10, 10, 10, 11, 12, 12, 11, 10, 10, 8], Y: [20, 20, 25, 20, 20, 22, 22, 25, 24, 25] },
      { X: [0, 0, 0.01, 0.001, 0.002, N, 0.001, 0.005, 0.002, 0], Y: [0, 0, 0, 0.002, 0, -0.001, 0, 0, 0, -0.001] },
    ),
    signals: signalsFrame([
      ["2024-01-01", "X", 0.9],
      ["2024-01-01", "Y", 0.1],
      ["2024-01-06", "X", 0.2],
      ["2024-01-06", "Y", 0.7],
    ]),
    portfolio: { lagDays: 2, holdDays: 4, tranches: 2 },
  });

  it("pins the daily legs", () => {
    //                                     03  04      05     06     07      08  09     10
    expectClose(col(r.daily, "long_price_pnl"), [0, 0.025, 0.025, 0, -0.025, 0, -0.01, 0.01], "long price");
    expectClose(col(r.daily, "short_price_pnl"), [0, 0.05, 0, -0.02, 0, 0, 0, 0.05], "short price");
    expectClose(col(r.daily, "long_funding"), [0, -0.000275, -0.0006, 0, -0.000275, 0, 0, 0.00025], "long funding");
    expectClose(col(r.daily, "short_funding"), [0, 0.0004, 0, -0.00022, 0, 0, 0.0005, 0], "short funding");
  });

  it("pins the per-symbol attribution", () => {
    expect(r.attribution.strings("symbol")).toEqual(["X", "Y"]);
    // X: long 0.025·(1 + 1 + 0 − 1), short −0.025·(0 − 2); Y: short −0.01·(−5 + 0 + 2 + 0), long 0.01·(−1 + 1).
    expectClose(col(r.attribution, "price_pnl"), [0.075, 0.03], "price");
    expectClose(col(r.attribution, "funding"), [-0.000275 - 0.0006 - 0.000275 + 0.0005, 0.0004 - 0.00022 + 0.00025], "funding");
    // Fees: entries 0.25 each at 01-03 and 01-08, exits X 0.025·11, Y 0.01·22 on 01-07.
    expectClose(col(r.attribution, "fee"), [0.00055 * (0.25 + 0.275 + 0.25), 0.00055 * (0.25 + 0.22 + 0.25)], "fee");
    expect(col(r.attribution, "days_long")).toEqual([4, 2]);
    expect(col(r.attribution, "days_short")).toEqual([2, 4]);
    expect(col(r.attribution, "stale_close_days")).toEqual([0, 0]);
    expect(r.monthlyAttribution.strings("month")).toEqual(["2024-01", "2024-01"]);
    expect(r.warnings).toEqual([]);
    expect(r.staleCloseDays).toBe(0);
  });
});

describe("a long gap in closes while held", () => {
  it("is counted and warned about, not carried silently", () => {
    // G has no rows from day 5 to day 104 (100 days) while the tranche holds it (hold 120).
    const closes = Array.from({ length: 130 }, (_, t) => (t >= 5 && t < 105 ? N : 10 + (t % 3)));
    const market = marketFrame("2024-01-01", { G: closes, H: Array.from({ length: 130 }, () => 20) });
    const signals = signalsFrame([
      ["2024-01-01", "G", 0.9],
      ["2024-01-01", "H", 0.1],
    ]);
    const r = runBacktest({ market, signals, portfolio: { holdDays: 120, tranches: 1 } });
    expect(r.staleCloseDays).toBe(100);
    expect(r.warnings).toHaveLength(1);
    expect(r.warnings[0]).toMatchObject({ code: "STALE_CLOSE", symbol: "G", days: 100, longest: 100, from: "2024-01-06", to: "2024-04-14" });
    expect(r.attribution.strings("symbol")).toEqual(["G", "H"]);
    expect(col(r.attribution, "stale_close_days")).toEqual([100, 0]);
  });
});

describe("frames on demand", () => {
  it("builds each frame once, on first access", () => {
    const data = syntheticMarket({ symbols: 20, days: 60, seed: 3 });
    const r = runBacktest({ ...data, portfolio: { long: 3, short: 3, holdDays: 5, tranches: 5 } });
    expect(r.book).toBe(r.book);
    expect(r.attribution).toBe(r.attribution);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(["daily", "tranches", "book", "attribution", "monthlyAttribution", "warnings"]));
  });
});
