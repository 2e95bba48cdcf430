import { runBacktest } from "@nmrblox/backtest";
import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { targetBook } from "@nmrblox/portfolio";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { describe, expect, it } from "vitest";
import { rebalancePlan } from "../src/index.js";

// The live path's promise: what targetBook asks to hold is what the backtest held.
describe("targetBook against the backtest", () => {
  const world = syntheticCrypto({ seed: 7, symbols: 40, start: "2024-01-01", end: "2024-05-31" });
  const { signals, market } = world;
  // A point-in-time universe: symbols with a perpetual trading that day, less about one in seven at random.
  const random = mulberry32(11);
  const listed = new Set(market.strings("date").map((d, i) => `${d}|${market.strings("symbol")[i]}`));
  const sd = signals.strings("date");
  const ss = signals.strings("symbol");
  const universe = NumerFrame.fromColumns({
    date: sd.slice(),
    symbol: ss.slice(),
    tradable: Uint8Array.from(sd, (d, i) => (listed.has(`${d}|${ss[i]}`) && random() < 0.86 ? 1 : 0)),
  });
  const portfolio = { long: 6, short: 4, weighting: "rank" as const, lagDays: 2, holdDays: 9, tranches: 5, leverage: 1.5, maxWeight: 0.12 };
  const capital = 25_000;
  const { book } = runBacktest({ signals, market, universe, portfolio });
  const entry = book.strings("entry");
  const exit = book.strings("exit");
  const symbol = book.strings("symbol");
  const quantity = book.numeric("quantity");
  const days = [...new Set(market.strings("date"))].sort();
  const exchangeOf = new Map<string, string>();
  const ms = market.strings("symbol");
  const mx = market.strings("exchange_symbol");
  for (let i = 0; i < ms.length; i++) exchangeOf.set(ms[i]!, mx[i]!);

  it("holds, at every day's close, the backtest book's open positions (entry ≤ day < exit) times the capital", () => {
    let compared = 0;
    for (const day of days) {
      const expected = new Map<string, number>();
      for (let j = 0; j < book.numRows; j++) {
        if (entry[j]! <= day && day < exit[j]!) expected.set(symbol[j]!, (expected.get(symbol[j]!) ?? 0) + quantity[j]! * capital);
      }
      for (const [s, q] of expected) if (Math.abs(q) < 1e-9) expected.delete(s);
      const target = targetBook(signals, market, universe, { ...portfolio, capital, asOf: day });
      const got = target.strings("symbol");
      const q = target.numeric("quantity");
      expect([...got]).toEqual([...expected.keys()].sort());
      for (let i = 0; i < got.length; i++) {
        const want = expected.get(got[i]!)!;
        // Same engine, same arithmetic up to the order of a sum: equal to 1e-12 relative.
        expect(Math.abs(q[i]! - want)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(want)));
        compared++;
      }
      expect([...target.strings("exchange_symbol")]).toEqual(got.map((s) => exchangeOf.get(s)));
    }
    expect(days.length).toBeGreaterThan(140);
    expect(compared).toBeGreaterThan(1000);
  });

  it("feeds rebalancePlan directly, keyed by exchange symbol", () => {
    const asOf = days[100]!;
    const target = targetBook(signals, market, universe, { ...portfolio, capital, asOf });
    const exchange = target.strings("exchange_symbol");
    const close = target.numeric("close");
    const specs = exchange.map((s) => ({ symbol: s, qtyStep: "0.0001", minOrderQty: "0.0001", tickSize: "0.0001" }));
    const prices = Object.fromEntries(exchange.map((s, i) => [s, close[i]!]));
    const plan = rebalancePlan({}, target, specs, { prices, asOf });
    expect(plan.orders.map((o) => o.symbol).sort()).toEqual([...exchange].sort());
    expect(plan.orders.every((o) => o.leg === "open" && !o.reduceOnly)).toBe(true);
    // Gross exposure at the target: the book's gross notional (leverage · open tranches / tranches of the capital at entry, marked to asOf).
    const notional = target.numeric("notional");
    const gross = Array.from(notional).reduce((a, x) => a + Math.abs(x), 0);
    expect(plan.summary.target.gross).toBeCloseTo(gross, 6);
  });
});
