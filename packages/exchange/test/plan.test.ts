import { NumerFrame, NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  type InstrumentInput,
  contractSpecs,
  decimalsOf,
  derivePlanId,
  formatPlan,
  orderLinkId,
  rebalancePlan,
  signBybitRequest,
} from "../src/index.js";

describe("signBybitRequest", () => {
  it("is hex HMAC-SHA256 of timestamp + key + recvWindow + payload (values from openssl dgst -sha256 -hmac)", () => {
    expect(
      signBybitRequest({
        apiKey: "XXXXXXXXXX",
        apiSecret: "YYYYYYYYYY",
        timestamp: 1658384314791,
        recvWindow: 5000,
        payload: "category=option&symbol=BTC-29JUL22-25000-C",
      }),
    ).toBe("37813c67fafb3017e92354eb88f218e7e52a98f9f5eb74cfcf0b21f17edb143b");
    expect(
      signBybitRequest({
        apiKey: "test-key-AAAA",
        apiSecret: "test-secret-BBBB",
        timestamp: 1700000000000,
        recvWindow: 5000,
        payload: '{"category":"linear","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"60300.0"}',
      }),
    ).toBe("5b896452a87ae74d089b9daffdcaf32110c988a418ade09f20d757615396d96a");
  });
});

describe("contractSpecs", () => {
  it("reads Bybit's instruments-info entries and plain specs, with exact decimals", () => {
    const specs = contractSpecs([
      { symbol: "BTCUSDT", status: "Trading", lotSizeFilter: { qtyStep: "0.001", minOrderQty: "0.001", maxOrderQty: "100", minNotionalValue: "5" }, priceFilter: { tickSize: "0.10" } },
      { symbol: "1000PEPEUSDT", qtyStep: 100, minOrderQty: 100, tickSize: 1e-7 },
    ]);
    expect(specs.get("BTCUSDT")).toMatchObject({ qtyStep: 0.001, minOrderQty: 0.001, maxOrderQty: 100, minNotionalValue: 5, tickSize: 0.1, qtyDecimals: 3, priceDecimals: 2, status: "Trading" });
    expect(specs.get("1000PEPEUSDT")).toMatchObject({ qtyStep: 100, maxOrderQty: Infinity, minNotionalValue: 0, qtyDecimals: 0, priceDecimals: 7 });
    expect([decimalsOf("0.001"), decimalsOf("100"), decimalsOf(1e-7), decimalsOf(2.5e-8), decimalsOf("0.10")]).toEqual([3, 0, 7, 9, 2]);
  });

  it("refuses a missing step and a repeated symbol, naming the symbol", () => {
    const bad = () => contractSpecs([{ symbol: "ETHUSDT", qtyStep: "", minOrderQty: "0.01", tickSize: "0.01" }]);
    expect(bad).toThrow(/ETHUSDT: qtyStep/);
    try {
      bad();
    } catch (e) {
      expect(NumerFrameError.isInstance(e) && e.code === "INVALID_INSTRUMENT" && e.symbol === "ETHUSDT").toBe(true);
    }
    const spec = { symbol: "ETHUSDT", qtyStep: "0.01", minOrderQty: "0.01", tickSize: "0.01" };
    expect(() => contractSpecs([spec, spec])).toThrow(expect.objectContaining({ code: "DUPLICATE_EXCHANGE_SYMBOL", symbol: "ETHUSDT" }));
  });
});

const lot = (qtyStep: string, minOrderQty: string, tickSize: string, extra: { maxOrderQty?: string; status?: string } = {}) => ({
  lotSizeFilter: { qtyStep, minOrderQty, maxOrderQty: extra.maxOrderQty ?? "1000000", minNotionalValue: "5" },
  priceFilter: { tickSize },
  status: extra.status ?? "Trading",
});
const instruments: InstrumentInput[] = [
  { symbol: "BTCUSDT", ...lot("0.001", "0.001", "0.1") },
  { symbol: "ETHUSDT", ...lot("0.01", "0.01", "0.01") },
  { symbol: "1000PEPEUSDT", ...lot("100", "100", "0.0000001") },
  { symbol: "SOLUSDT", ...lot("0.1", "0.1", "0.01", { maxOrderQty: "10" }) },
  { symbol: "XRPUSDT", ...lot("1", "1", "0.0001") },
  { symbol: "ADAUSDT", ...lot("1", "10", "0.0001") },
  { symbol: "LTCUSDT", ...lot("0.1", "0.1", "0.01") },
  { symbol: "DOGEUSDT", ...lot("1", "1", "0.00001", { status: "Closed" }) },
];
const prices = { BTCUSDT: 60000, ETHUSDT: 3000, "1000PEPEUSDT": 0.0123456, SOLUSDT: 150, XRPUSDT: 0.5, ADAUSDT: 2, LTCUSDT: 80, DOGEUSDT: 0.1 };
const current = { BTCUSDT: 0.01, ETHUSDT: -1, "1000PEPEUSDT": 40000, DOGEUSDT: 100, LTCUSDT: 1 };
const target = { BTCUSDT: 0.0042, ETHUSDT: 0.503, SOLUSDT: -25.04, XRPUSDT: 6, ADAUSDT: 5, LTCUSDT: 1.2 };

describe("rebalancePlan", () => {
  const plan = rebalancePlan(current, target, instruments, { prices, minNotional: 100, asOf: "2026-01-05" });

  it("turns a known position set into reduce legs first, then open legs, rounded to each qtyStep", () => {
    const rows = plan.orders.map((o) => [o.symbol, o.leg, o.part, o.side, o.qtyText, o.reduceOnly, o.limitPriceText]);
    expect(rows).toEqual([
      // Closes and shrinks: reduce-only. Sells sit maxSlippage (0.5 %) below the last price, rounded up onto the tick.
      ["1000PEPEUSDT", "reduce", 0, "Sell", "40000", true, "0.0122839"], // 0.0123456 · 0.995 = 0.012283872 → 0.0122839
      ["BTCUSDT", "reduce", 0, "Sell", "0.006", true, "59700.0"], // 0.010 → round(0.0042) = 0.004
      ["ETHUSDT", "reduce", 0, "Buy", "1.00", true, "3015.00"], // a flip: close the short first ...
      // Opens: buys 0.5 % above the last price, rounded down onto the tick.
      ["ETHUSDT", "open", 0, "Buy", "0.50", false, "3015.00"], // ... then open the long, 0.503 → 0.50
      ["SOLUSDT", "open", 0, "Sell", "10.0", false, "149.25"], // -25.04 → -25.0, split at maxOrderQty 10
      ["SOLUSDT", "open", 1, "Sell", "10.0", false, "149.25"],
      ["SOLUSDT", "open", 2, "Sell", "5.0", false, "149.25"],
    ]);
    for (const o of plan.orders) expect(o.orderLinkId).toBe(orderLinkId(plan.planId, o.symbol, o.leg, o.part));
    expect(new Set(plan.orders.map((o) => o.orderLinkId)).size).toBe(7);
    expect(plan.orders[0]!.orderLinkId).toMatch(/^nmx-[0-9a-f]{32}$/);
  });

  it("reports every leg it does not send, with the threshold missed", () => {
    expect(plan.skipped.map((s) => [s.symbol, s.leg, s.side, s.qtyText, s.reason])).toEqual([
      ["ADAUSDT", "open", "Buy", "5", "below_min_order_qty"], // 5 < minOrderQty 10
      ["DOGEUSDT", "reduce", "Sell", "100", "not_trading"], // contract Closed
      ["LTCUSDT", "open", "Buy", "0.2", "below_min_notional"], // 0.2 · 80 = 16 USDT < minNotional 100
      ["XRPUSDT", "open", "Buy", "6", "below_min_notional_value"], // 6 · 0.5 = 3 USDT < Bybit's 5
    ]);
    expect(plan.skipped[2]!.detail).toBe("notional 16 USDT < minNotional option 100");
  });

  it("estimates fees, slippage and exposures before, after and at the target", () => {
    const s = plan.summary;
    // 493.824 + 360 + 3000 + 1500 + 1500 + 1500 + 750
    expect(s.turnover).toBeCloseTo(9103.824, 9);
    expect(s.estimatedFee).toBeCloseTo(0.00055 * 9103.824, 12);
    expect(s.estimatedSlippage).toBeCloseTo(0.0005 * 9103.824, 12);
    expect(s.estimatedCost).toBeCloseTo(0.00105 * 9103.824, 12);
    expect([s.orders, s.skipped]).toEqual([7, 4]);
    // Before: long 600 + 493.824 + 10 + 80, short 3000.
    expect(s.before.long).toBeCloseTo(1183.824, 9);
    expect(s.before).toMatchObject({ short: 3000 });
    expect(s.before.net).toBeCloseTo(-1816.176, 9);
    // After: BTC 240, ETH 1500, DOGE 10 and LTC 80 (their legs skipped); SOL short 3750.
    expect(s.after.long).toBeCloseTo(1830, 9);
    expect(s.after.short).toBeCloseTo(3750, 9);
    expect(s.after.gross).toBeCloseTo(5580, 9);
    // Target as asked: 252 + 1509 + 3 + 10 + 96 long, 3756 short.
    expect(s.target.long).toBeCloseTo(1870, 9);
    expect(s.target.short).toBeCloseTo(3756, 9);
    const eth = plan.positions.find((p) => p.symbol === "ETHUSDT")!;
    expect(eth).toMatchObject({ current: -1, target: 0.503, targetRounded: 0.5, planned: 0.5, qtyStep: 0.01 });
    const doge = plan.positions.find((p) => p.symbol === "DOGEUSDT")!;
    expect(doge).toMatchObject({ current: 100, targetRounded: 0, planned: 100 });
  });

  it("derives the plan id from the day and the positions only, so a recomputed plan reuses its orderLinkIds", () => {
    const again = rebalancePlan(current, target, instruments, { prices: { ...prices, BTCUSDT: 61000 }, minNotional: 100, asOf: "2026-01-05" });
    expect(again.planId).toBe(plan.planId);
    expect(again.orders.map((o) => o.orderLinkId)).toEqual(plan.orders.map((o) => o.orderLinkId));
    expect(again.orders[1]!.limitPriceText).toBe("60695.0"); // 61000 · 0.995
    const nextDay = rebalancePlan(current, target, instruments, { prices, minNotional: 100, asOf: "2026-01-06" });
    expect(nextDay.planId).not.toBe(plan.planId);
    // Zero entries do not change the intent.
    expect(derivePlanId("2026-01-05", new Map([["A", 1], ["B", 0]]), new Map())).toBe(derivePlanId("2026-01-05", new Map([["A", 1]]), new Map()));
    expect(plan.planId).toMatch(/^[0-9a-f]{16}$/);
  });

  it("accepts Maps, rows (as the client returns them) and a frame with exchange_symbol and quantity", () => {
    const frame = NumerFrame.fromColumns({
      symbol: ["BTC", "ETH", "SOL", "XRP", "ADA", "LTC"],
      exchange_symbol: ["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT", "ADAUSDT", "LTCUSDT"],
      quantity: Float64Array.of(0.0042, 0.503, -25.04, 6, 5, 1.2),
    });
    const rows = Object.entries(current).map(([symbol, quantity]) => ({ symbol, quantity, positionIdx: 0 }));
    const other = rebalancePlan(rows, frame, instruments, { prices, minNotional: 100, asOf: "2026-01-05" });
    expect(other.orders).toEqual(plan.orders);
    expect(rebalancePlan(new Map(Object.entries(current)), target, instruments, { prices, minNotional: 100, asOf: "2026-01-05" }).planId).toBe(plan.planId);
  });

  it("plans nothing when positions already sit on the rounded target", () => {
    const same = rebalancePlan({ BTCUSDT: 0.004 }, { BTCUSDT: 0.00404 }, instruments, { prices });
    expect(same.orders).toEqual([]);
    expect(same.skipped).toEqual([]);
    expect(same.summary.turnover).toBe(0);
  });

  it("exempts closes to zero from minNotional and reduce-only legs from minNotionalValue", () => {
    const p = rebalancePlan({ XRPUSDT: 4, LTCUSDT: 0.2 }, { XRPUSDT: 0 }, instruments, { prices, minNotional: 100 });
    expect(p.orders.map((o) => [o.symbol, o.side, o.qtyText, o.reduceOnly])).toEqual([
      ["LTCUSDT", "Sell", "0.2", true], // 16 USDT, a full close
      ["XRPUSDT", "Sell", "4", true], // 2 USDT < minNotionalValue 5, a full close
    ]);
  });

  it("names the symbol when a price or an instrument is missing, and refuses bad holdings", () => {
    const err = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return e as NumerFrameError;
      }
      throw new Error("did not throw");
    };
    const noPrice = err(() => rebalancePlan({ BTCUSDT: 1 }, { ETHUSDT: 1 }, instruments, { prices: { BTCUSDT: 60000 } }));
    expect([noPrice.code, noPrice.symbol, noPrice.name]).toEqual(["MISSING_PRICE", "ETHUSDT", "MissingPriceError"]);
    const zeroPrice = err(() => rebalancePlan({}, { ETHUSDT: 1 }, instruments, { prices: { ETHUSDT: 0 } }));
    expect(zeroPrice.message).toBe("last price of ETHUSDT must be a finite number > 0, got 0");
    const noSpec = err(() => rebalancePlan({}, { AVAXUSDT: 1 }, instruments, { prices: { AVAXUSDT: 30 } }));
    expect([noSpec.code, noSpec.symbol]).toEqual(["MISSING_INSTRUMENT", "AVAXUSDT"]);
    const nan = err(() => rebalancePlan({}, { BTCUSDT: Number.NaN }, instruments, { prices }));
    expect([nan.code, nan.symbol, nan.message]).toEqual(["NON_FINITE", "BTCUSDT", "target holdings, BTCUSDT: quantity must be a finite number, got NaN"]);
    const twice = err(() => rebalancePlan([{ symbol: "BTCUSDT", quantity: 1 }, { symbol: "BTCUSDT", quantity: 2 }], {}, instruments, { prices }));
    expect([twice.code, twice.symbol]).toEqual(["DUPLICATE_ROW", "BTCUSDT"]);
    const hedge = err(() => rebalancePlan([{ symbol: "BTCUSDT", quantity: 1, positionIdx: 1 }], {}, instruments, { prices }));
    expect([hedge.code, hedge.symbol]).toEqual(["POSITION_MODE", "BTCUSDT"]);
    for (const e of [noPrice, noSpec, nan, twice, hedge]) expect(NumerFrameError.isInstance(e)).toBe(true);
  });

  it("is strict about options and suggests the nearest name", () => {
    expect(() => rebalancePlan({}, {}, instruments, { prices, maxSlipage: 0.01 } as never)).toThrow(/option "maxSlipage": unknown option \(did you mean "maxSlippage"\?\)/);
    expect(() => rebalancePlan({}, {}, instruments, { prices, asOf: "2026-02-30" })).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "asOf" }));
    expect(() => rebalancePlan({}, {}, instruments, {} as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "prices" }));
  });
});

describe("formatPlan", () => {
  it("lays the plan out for a terminal", async () => {
    const plan = rebalancePlan({ BTCUSDT: 0.01 }, { BTCUSDT: 0.004, ETHUSDT: -0.5, XRPUSDT: 6 }, instruments, {
      prices,
      asOf: "2026-01-05",
      planId: "demo",
    });
    expect(formatPlan(plan).split("\n")).toEqual([
      "Plan demo for 2026-01-05: 2 orders, 1 skipped (dry run unless executed)",
      "side    qty  symbol     limit  notional  est. fee  reduce-only",
      "Sell  0.006  BTCUSDT  59700.0    360.00      0.20  yes",
      "Sell   0.50  ETHUSDT  2985.00   1500.00      0.83",
      "Skipped (not sent):",
      "  Buy 6 XRPUSDT (open): below_min_notional_value, notional 3 USDT < minNotionalValue 5",
      "exposure USDT    long    short    gross       net",
      "before         600.00     0.00   600.00    600.00",
      "after          240.00  1500.00  1740.00  -1260.00",
      "target         243.00  1500.00  1743.00  -1257.00",
      "Turnover 1860.00 USDT; estimated cost 1.95 USDT (fee 1.02 + slippage 0.93); limit prices within 0.5 % of the last price",
    ]);
  });
});
