import { fixedSlippage, takerFee } from "@nmrblox/cost-model";
import { selectBaskets, selectBasketsOptions, trancheBook } from "@nmrblox/portfolio";
import { describe, expect, it } from "vitest";
import { portfolioOptions, runBacktest } from "../src/index.js";
import { days } from "./frames.js";
import { syntheticMarket } from "./synthetic-market.js";

const data = syntheticMarket({ symbols: 40, days: 150, seed: 7, gapRate: 0.03, delistRate: 0.25 });
const portfolio = { long: 6, short: 6, lagDays: 1, holdDays: 12, tranches: 12, leverage: 1.5 };
const base = runBacktest({ ...data, portfolio });
const capital = portfolio.leverage / portfolio.tranches;

/** Naive reference: closes carried forward by walking each symbol's rows by date. */
function carriedCloses(): Map<string, Map<string, number>> {
  const m = data.market;
  const bySymbol = new Map<string, Array<[string, number]>>();
  const sym = m.strings("symbol");
  const date = m.strings("date");
  const close = m.numeric("close");
  for (let i = 0; i < m.numRows; i++) {
    if (!bySymbol.has(sym[i]!)) bySymbol.set(sym[i]!, []);
    bySymbol.get(sym[i]!)!.push([date[i]!, close[i]!]);
  }
  const all = days("2022-01-01", 150);
  const out = new Map<string, Map<string, number>>();
  for (const [s, rows] of bySymbol) {
    const byDate = new Map(rows);
    const carried = new Map<string, number>();
    let last = Number.NaN;
    for (const d of all) {
      if (byDate.has(d)) last = byDate.get(d)!;
      carried.set(d, last);
    }
    out.set(s, carried);
  }
  return out;
}

describe("invariants on a seeded synthetic market", () => {
  it("is dollar neutral at entry and sizes each tranche to leverage / tranches", () => {
    const { book } = base;
    const tranche = book.numeric("tranche");
    const notional = book.numeric("notional");
    const long = new Map<number, number>();
    const short = new Map<number, number>();
    for (let i = 0; i < book.numRows; i++) {
      const m = notional[i]! > 0 ? long : short;
      m.set(tranche[i]!, (m.get(tranche[i]!) ?? 0) + Math.abs(notional[i]!));
    }
    expect(long.size).toBe(base.tranches.numRows);
    for (const [k, l] of long) {
      expect(l).toBeCloseTo(capital / 2, 12);
      expect(short.get(k)!).toBeCloseTo(capital / 2, 12);
    }
  });

  it("has gross exposure at entry prices = leverage x active tranches / tranches", () => {
    const { book, daily } = base;
    const entry = book.strings("entry");
    const exit = book.strings("exit");
    const notional = book.numeric("notional");
    for (const d of daily.strings("date")) {
      let gross = 0;
      const active = new Set<number>();
      for (let i = 0; i < book.numRows; i++) {
        if (entry[i]! <= d && d < exit[i]!) {
          gross += Math.abs(notional[i]!);
          active.add(book.numeric("tranche")[i]!);
        }
      }
      expect(gross).toBeCloseTo((portfolio.leverage * active.size) / portfolio.tranches, 12);
    }
  });

  it("matches a naive recomputation of gross PnL, funding and netted costs from the book", () => {
    const closes = carriedCloses();
    const m = data.market;
    const rate = new Map<string, number>();
    const ms = m.strings("symbol");
    const md = m.strings("date");
    const mr = m.numeric("funding_rate");
    for (let i = 0; i < m.numRows; i++) rate.set(`${md[i]}|${ms[i]}`, Number.isNaN(mr[i]!) ? 0 : mr[i]!);
    const { book, daily } = base;
    const sym = book.strings("symbol");
    const entry = book.strings("entry");
    const exit = book.strings("exit");
    const qty = book.numeric("quantity");
    const dates = daily.strings("date");
    const gross = daily.numeric("gross_pnl");
    const fund = daily.numeric("funding");
    const fee = daily.numeric("fee");
    for (let t = 1; t < dates.length; t++) {
      const d = dates[t]!;
      const prev = dates[t - 1]!;
      let g = 0;
      let f = 0;
      const traded = new Map<string, number>();
      for (let i = 0; i < book.numRows; i++) {
        const c = closes.get(sym[i]!)!;
        if (entry[i]! <= prev && prev < exit[i]!) {
          g += qty[i]! * (c.get(d)! - c.get(prev)!);
          f += -qty[i]! * c.get(d)! * (rate.get(`${d}|${sym[i]}`) ?? 0);
        }
        if (entry[i] === d) traded.set(sym[i]!, (traded.get(sym[i]!) ?? 0) + qty[i]!);
        if (exit[i] === d) traded.set(sym[i]!, (traded.get(sym[i]!) ?? 0) - qty[i]!);
      }
      let notional = 0;
      for (const [s, q] of traded) notional += Math.abs(q) * closes.get(s)!.get(d)!;
      expect(gross[t]).toBeCloseTo(g, 12);
      expect(fund[t]).toBeCloseTo(f, 12);
      expect(fee[t]).toBeCloseTo(0.00055 * notional, 12);
    }
  });

  it("books what selectBaskets and trancheBook compose, every basket option forwarded", () => {
    // The frames are inputs, not options: universe is runBacktest's, neutralizers come from neutralizeBeta.
    const basketKeys = Object.keys(selectBasketsOptions.shape).filter((k) => k !== "universe" && k !== "neutralizers");
    expect(Object.keys(portfolioOptions.shape)).toEqual(expect.arrayContaining(basketKeys));
    const options = { long: 5, short: 7, weighting: "rank" as const, lagDays: 2, holdDays: 9, tranches: 6, leverage: 1.2, maxWeight: 0.05 };
    const { book } = runBacktest({ ...data, portfolio: options, costs: [] });
    const { long, short, weighting, ...sizing } = options;
    const composed = trancheBook(selectBaskets(data.signals, { long, short, weighting }), data.market, sizing);
    expect(book.numRows).toBeGreaterThan(100);
    for (const c of ["tranche", "quantity", "notional"]) expect(Array.from(book.numeric(c)), c).toEqual(Array.from(composed.numeric(c)));
    for (const c of ["signal_date", "entry", "exit", "symbol"]) expect(book.strings(c), c).toEqual(composed.strings(c));
  });

  it("keeps equity = 1 + Σ net and return = net / previous equity", () => {
    const net = base.daily.numeric("net_pnl");
    const equity = base.daily.numeric("equity");
    const ret = base.daily.numeric("return");
    let e = 1;
    for (let t = 0; t < net.length; t++) {
      expect(ret[t]).toBeCloseTo(net[t]! / e, 14);
      e += net[t]!;
      expect(equity[t]).toBeCloseTo(e, 12);
    }
  });

  it("gives net = gross with zero costs and no funding", () => {
    const flat = runBacktest({ ...data, portfolio, costs: [] });
    expect(Array.from(flat.daily.numeric("net_pnl"))).toEqual(Array.from(flat.daily.numeric("gross_pnl")));
    expect(Array.from(flat.tranches.numeric("net_pnl"))).toEqual(Array.from(flat.tranches.numeric("gross_pnl")));
    const zero = runBacktest({ ...data, portfolio, costs: [takerFee(0), fixedSlippage(0)] });
    expect(Array.from(zero.daily.numeric("net_pnl"))).toEqual(Array.from(zero.daily.numeric("gross_pnl")));
  });

  it("never costs more with netting than without, day by day", () => {
    const off = runBacktest({ ...data, portfolio, netting: false });
    const on = base.daily;
    const onCost = on.numeric("fee").map((f, i) => f + on.numeric("slippage")[i]!);
    const offCost = off.daily.numeric("fee").map((f, i) => f + off.daily.numeric("slippage")[i]!);
    let saved = 0;
    for (let t = 0; t < onCost.length; t++) {
      expect(onCost[t]!).toBeLessThanOrEqual(offCost[t]! + 1e-15);
      saved += offCost[t]! - onCost[t]!;
    }
    expect(saved).toBeGreaterThan(0);
    // Without netting, tranche PnL sums to the equity change exactly.
    const sumTranches = Array.from(off.tranches.numeric("net_pnl")).reduce((a, b) => a + b, 0);
    const eq = off.daily.numeric("equity");
    expect(sumTranches).toBeCloseTo(eq[eq.length - 1]! - 1, 12);
  });

  it("scales new tranches by target / trailing realized volatility with targetVolatility", () => {
    const target = { target: 0.3, windowDays: 20, minDays: 5, maxLeverage: 3 };
    const r = runBacktest({ ...data, portfolio: { ...portfolio, targetVolatility: target } });
    const ret = r.daily.numeric("return");
    const dates = r.daily.strings("date");
    const entry = r.book.strings("entry");
    const notional = r.book.numeric("notional");
    const grossByEntry = new Map<string, number>();
    for (let i = 0; i < r.book.numRows; i++) grossByEntry.set(entry[i]!, (grossByEntry.get(entry[i]!) ?? 0) + Math.abs(notional[i]!));
    let scaled = 0;
    for (const [d, gross] of grossByEntry) {
      const t = dates.indexOf(d);
      let scale = 1;
      if (t >= target.minDays) {
        const w = Array.from(ret.slice(Math.max(0, t - target.windowDays), t));
        const mean = w.reduce((a, b) => a + b, 0) / w.length;
        const sd = Math.sqrt(w.reduce((a, b) => a + (b - mean) ** 2, 0) / (w.length - 1)) * Math.sqrt(365);
        scale = Math.min(target.target / sd, target.maxLeverage / portfolio.leverage);
      }
      if (scale !== 1) scaled++;
      expect(gross).toBeCloseTo(capital * scale, 12);
    }
    expect(scaled).toBeGreaterThan(10);
  });
});
