import { caught as caughtError } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { InvalidCloseError, InvalidOptionError, NumerFrameError, UnknownSymbolError, selectBaskets, trancheBook, volatilityScale } from "../src/index.js";

const dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"];
const market = NumerFrame.fromColumns({
  date: dates.flatMap((d) => [d, d, d, d]),
  symbol: dates.flatMap(() => ["A", "B", "C", "D"]),
  close: new Float64Array(24).fill(10),
});
// 01-01: only A and D have signals (long A, short D); 01-02: all four (long A, B; short C, D).
const signals = NumerFrame.fromColumns({
  date: ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-02"],
  symbol: ["A", "D", "A", "B", "C", "D"],
  prediction: Float64Array.from([0.9, 0.1, 0.9, 0.8, 0.2, 0.1]),
});
const baskets = selectBaskets(signals, { long: 2, short: 2 });

describe("trancheBook", () => {
  it("gives each tranche leverage / tranches, half long, half short, equal within the leg", () => {
    // leverage 2, tranches 2: capital 1 per tranche, legs 0.5. Tranche 0: A 0.5, D −0.5.
    // Tranche 1: A, B 0.25 each; C, D −0.25 each. Quantities = notional / 10.
    const book = trancheBook(baskets, market, { lagDays: 1, holdDays: 3, tranches: 2, leverage: 2 });
    expect(book.strings("symbol")).toEqual(["D", "A", "D", "C", "B", "A"]);
    expect(Array.from(book.numeric("notional"))).toEqual([-0.5, 0.5, -0.25, -0.25, 0.25, 0.25]);
    expect(Array.from(book.numeric("quantity"))).toEqual([-0.05, 0.05, -0.025, -0.025, 0.025, 0.025]);
    expect(book.strings("entry")).toEqual(["2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03", "2024-01-03", "2024-01-03"]);
    expect(book.strings("exit")).toEqual(["2024-01-05", "2024-01-05", "2024-01-06", "2024-01-06", "2024-01-06", "2024-01-06"]);
  });

  it("caps a symbol's net book weight with maxWeight and spreads the excess over the leg", () => {
    // Tranche 0 already holds A +0.5 and D −0.5 when tranche 1 enters on 01-03. maxWeight 0.6:
    // room A = 0.6 − 0.5 = 0.1 < 0.25 → A 0.1, B gets the rest 0.5 − 0.1 = 0.4 (room 0.6);
    // short side mirrors it: D −0.1, C −0.4.
    const book = trancheBook(baskets, market, { lagDays: 1, holdDays: 3, tranches: 2, leverage: 2, maxWeight: 0.6 });
    const notional = Array.from(book.numeric("notional")).map((x) => Math.round(x * 1e12) / 1e12);
    expect(notional).toEqual([-0.5, 0.5, -0.1, -0.4, 0.4, 0.1]);
  });

  it("names unknown symbols and bad options", () => {
    const other = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01"],
      symbol: ["A", "Z"],
      prediction: Float64Array.from([0.9, 0.1]),
    });
    expect(() => trancheBook(selectBaskets(other), market)).toThrow(UnknownSymbolError);
    expect(() => trancheBook(baskets, market, { holdDays: -1 })).toThrow(InvalidOptionError);
    expect(() => trancheBook(baskets, market, { tranches: 0 })).toThrow(/tranches/);
    expect(() => trancheBook(baskets, market, { lagDays: -1 })).toThrow(/lagDays/);
    expect(() => trancheBook(baskets, market, { leverage: 0 })).toThrow(/leverage/);
    const typo = caught(() => trancheBook(baskets, market, { holdDay: 3 } as never)) as InvalidOptionError;
    expect(typo.problems).toEqual([{ path: "holdDay", message: "unknown option", suggestion: "holdDays" }]);
  });

  it.each([
    ["zero", 0],
    ["negative", -10],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("gives INVALID_CLOSE for a %s close, naming the symbol and date", (_, value) => {
    // Row 9 is B on 2024-01-03 (four symbols a day).
    const closes = new Float64Array(24).fill(10);
    closes[9] = value;
    const e = caught(() => trancheBook(baskets, market.withColumn("close", closes)));
    expect(e).toBeInstanceOf(InvalidCloseError);
    expect([e.code, e.column, e.symbol, e.date]).toEqual(["INVALID_CLOSE", "close", "B", "2024-01-03"]);
  });

  it("names a market without close and a baskets frame without weights", () => {
    const noClose = caught(() => trancheBook(baskets, market.drop(["close"])));
    expect([noClose.code, noClose.column]).toEqual(["MISSING_COLUMN", "close"]);
    const noWeight = caught(() => trancheBook(baskets.drop(["weight"]), market));
    expect([noWeight.code, noWeight.column]).toEqual(["MISSING_COLUMN", "weight"]);
  });
});

describe("volatilityScale", () => {
  const returns = Float64Array.from([0.01, -0.01, 0.01, -0.01]);
  it("scales by target / (std ddof 1 · √365), capped at maxLeverage / leverage", () => {
    // mean 0; Σ(r − mean)² = 4 · 0.0001 = 0.0004; var = 0.0004 / 3; realized = √(0.0004/3) · √365.
    const realized = Math.sqrt(0.0004 / 3) * Math.sqrt(365);
    const opts = { target: 0.1, windowDays: 30, minDays: 2, maxLeverage: 2 };
    expect(volatilityScale(returns, 0, 4, opts, 1)).toBeCloseTo(0.1 / realized, 14);
    expect(volatilityScale(returns, 0, 4, { ...opts, target: 10 }, 1)).toBe(2);
    expect(volatilityScale(returns, 0, 1, opts, 1)).toBe(1);
    // Window of the last 2: [0.01, −0.01] → var = 0.0002 / 1.
    expect(volatilityScale(returns, 0, 4, { ...opts, windowDays: 2 }, 1)).toBeCloseTo(0.1 / (Math.sqrt(0.0002) * Math.sqrt(365)), 14);
  });
});

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

describe("trancheBook bad input", () => {
  it("names a hold that keeps more than 2 × tranches open at once", () => {
    // Signals on 01-01 and 01-02, hold 3: 2 tranches open at once; tranches 1 allows 2, not 3.
    expect(trancheBook(baskets, market, { holdDays: 3, tranches: 1 }).numRows).toBeGreaterThan(0);
    const three = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-03", "2024-01-03"],
      symbol: ["A", "D", "A", "D", "A", "D"],
      prediction: Float64Array.from([0.9, 0.1, 0.9, 0.1, 0.9, 0.1]),
    });
    let error: unknown;
    try {
      trancheBook(selectBaskets(three, { long: 1, short: 1 }), market, { holdDays: 3, tranches: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect((error as InvalidOptionError).option).toBe("holdDays");
    expect((error as Error).message).toContain("up to 3 tranches open at once");
    expect((error as Error).message).toContain("more than 2 × tranches (1)");
  });

  it("names a market date far outside the baskets' dates", () => {
    const typo = NumerFrame.fromColumns({
      date: [...dates.flatMap((d) => [d, d, d, d]), "2999-12-31"],
      symbol: [...dates.flatMap(() => ["A", "B", "C", "D"]), "A"],
      close: new Float64Array(25).fill(10),
    });
    let error: unknown;
    try {
      trancheBook(baskets, typo);
    } catch (e) {
      error = e;
    }
    expect(NumerFrameError.isInstance(error)).toBe(true);
    expect((error as NumerFrameError).code).toBe("DATE_OUT_OF_RANGE");
    expect((error as NumerFrameError).date).toBe("2999-12-31");
  });
});
