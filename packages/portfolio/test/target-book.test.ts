import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, targetBook } from "../src/index.js";

const dates = ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05", "2024-01-06"];
const market = NumerFrame.fromColumns({
  date: dates.flatMap((d) => [d, d, d, d]),
  symbol: dates.flatMap(() => ["A", "B", "C", "D"]),
  // B's contract changes from 01-03 on (a relisting as a 1000-unit contract, say).
  exchange_symbol: dates.flatMap((d) => ["AUSDT", d < "2024-01-03" ? "BUSDT" : "1000BUSDT", "CUSDT", "DUSDT"]),
  close: new Float64Array(24).fill(10),
});
// 01-01: only A and D have signals (long A, short D); 01-02: all four (long A, B; short C, D).
const signals = NumerFrame.fromColumns({
  date: ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-02"],
  symbol: ["A", "D", "A", "B", "C", "D"],
  prediction: Float64Array.from([0.9, 0.1, 0.9, 0.8, 0.2, 0.1]),
});
const options = { long: 2, short: 2, lagDays: 1, holdDays: 3, tranches: 2, leverage: 2, capital: 1000 };
const held = (asOf: string) => {
  const f = targetBook(signals, market, undefined, { ...options, asOf });
  const q = f.numeric("quantity");
  return Object.fromEntries(f.strings("symbol").map((s, i) => [s, Math.round(q[i]! * 1e9) / 1e9]));
};

describe("targetBook", () => {
  it("holds what the tranche book holds at each close, in contracts for the capital", () => {
    // Tranche 0 (01-01's basket) enters 01-02 with capital 1: A +0.5 / 10, D −0.5 / 10, exits 01-05.
    // Tranche 1 (01-02's) enters 01-03: A, B +0.25 / 10; C, D −0.25 / 10, exits 01-06. × 1000 USDT.
    expect(held("2024-01-01")).toEqual({});
    expect(held("2024-01-02")).toEqual({ A: 50, D: -50 });
    expect(held("2024-01-03")).toEqual({ A: 75, B: 25, C: -25, D: -75 });
    expect(held("2024-01-04")).toEqual({ A: 75, B: 25, C: -25, D: -75 });
    expect(held("2024-01-05")).toEqual({ A: 25, B: 25, C: -25, D: -25 });
    expect(held("2024-01-06")).toEqual({});
  });

  it("gives exchange symbols as of the day, closes, notionals and weights", () => {
    const f = targetBook(signals, market, undefined, { ...options, asOf: "2024-01-04" });
    expect(f.columnNames).toEqual(["symbol", "exchange_symbol", "quantity", "close", "notional", "weight"]);
    expect(f.strings("exchange_symbol")).toEqual(["AUSDT", "1000BUSDT", "CUSDT", "DUSDT"]);
    expect(Array.from(f.numeric("close"))).toEqual([10, 10, 10, 10]);
    expect(Array.from(f.numeric("notional")).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([750, 250, -250, -750]);
    expect(Array.from(f.numeric("weight")).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([0.75, 0.25, -0.25, -0.75]);
    // Default asOf: the last market date (everything has exited by then).
    expect(targetBook(signals, market, undefined, options).numRows).toBe(0);
    expect(targetBook(signals, market, undefined, options).provenance.at(-1)).toMatchObject({ blox: "targetBook", options: { asOf: "2024-01-06", capital: 1000 } });
  });

  it("only trades symbols tradable on the signal date when a universe is given", () => {
    // D is untradable on 01-01: one eligible symbol, no basket, so tranche 0 never exists; tranche 1 alone.
    const universe = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02", "2024-01-02", "2024-01-02"],
      symbol: ["A", "D", "A", "B", "C", "D"],
      tradable: Uint8Array.from([1, 0, 1, 1, 1, 1]),
    });
    const f = targetBook(signals, market, universe, { ...options, asOf: "2024-01-03" });
    expect(f.strings("symbol")).toEqual(["A", "B", "C", "D"]);
    expect(Array.from(f.numeric("quantity")).map((x) => Math.round(x * 1e9) / 1e9)).toEqual([25, 25, -25, -25]);
  });

  it("refuses a missing capital, an asOf outside the market and options it does not know", () => {
    const { capital: _c, ...noCapital } = options;
    expect(() => targetBook(signals, market, undefined, noCapital as never)).toThrow(expect.objectContaining({ code: "INVALID_OPTION", option: "capital" }));
    expect(() => targetBook(signals, market, undefined, { ...options, asOf: "2024-01-07" })).toThrow(
      /option "asOf": 2024-01-07 is outside the market's dates 2024-01-01 \.\. 2024-01-06/,
    );
    expect(() => targetBook(signals, market, undefined, { ...options, targetVolatility: { target: 0.2 } } as never)).toThrow(InvalidOptionError);
    expect(() => targetBook(signals, market, undefined, { ...options, holdDay: 3 } as never)).toThrow(/did you mean "holdDays"/);
  });
});
