import { NumerFrame, NumerFrameError, dailyContract, requireColumns, tranchesContract } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  ContractError,
  DuplicateRowError,
  InvalidCloseError,
  InvalidOptionError,
  UnknownSymbolError,
  runBacktest,
} from "../src/index.js";
import { marketFrame, signalsFrame } from "./frames.js";

const market = marketFrame("2024-01-01", { X: [1, 2, 3, 4], Y: [4, 3, 2, 1] });
const signals = signalsFrame([
  ["2024-01-01", "X", 0.9],
  ["2024-01-01", "Y", 0.1],
]);

function caught(f: () => unknown): NumerFrameError & { problems?: InvalidOptionError["problems"] } {
  try {
    f();
  } catch (e) {
    // Every error a user can meet is an nmrblox error with a code from the one union.
    expect(NumerFrameError.isInstance(e)).toBe(true);
    return e as NumerFrameError;
  }
  throw new Error("expected an error");
}

describe("bad input", () => {
  it("names a signal for a symbol absent from the market", () => {
    const e = caught(() => runBacktest({ market, signals: signalsFrame([...[["2024-01-01", "X", 0.9]] as Array<[string, string, number]>, ["2024-01-02", "ZZZ", 0.5]]) }));
    expect(e).toBeInstanceOf(UnknownSymbolError);
    expect(e.symbol).toBe("ZZZ");
    expect(e.date).toBe("2024-01-02");
    expect(e.code).toBe("UNKNOWN_SYMBOL");
  });

  it("names bad portfolio options", () => {
    const hold = caught(() => runBacktest({ market, signals, portfolio: { holdDays: -2 } }));
    expect(hold).toBeInstanceOf(InvalidOptionError);
    expect(hold.option).toBe("portfolio.holdDays");
    expect(caught(() => runBacktest({ market, signals, portfolio: { tranches: 0 } })).option).toBe("portfolio.tranches");
    expect(caught(() => runBacktest({ market, signals, portfolio: { lagDays: -1 } })).option).toBe("portfolio.lagDays");
    expect(caught(() => runBacktest({ market, signals, portfolio: { leverage: 0 } })).option).toBe("portfolio.leverage");
    expect(caught(() => runBacktest({ market, signals, costs: [{ type: "fixedSlippage", rate: -0.1 }] })).option).toBe("costs.0.rate");
    expect(caught(() => runBacktest({ market, signals, costs: [{ type: "takerFee", rate: -0.1 }] })).code).toBe("INVALID_OPTION");
  });

  it("names a market without close, with duplicate rows or a non-positive close", () => {
    const noClose = market.drop(["close"]);
    const e = caught(() => runBacktest({ market: noClose, signals }));
    expect(e).toBeInstanceOf(ContractError);
    expect(e.code).toBe("MISSING_COLUMN");
    expect(e.column).toBe("close");
    const dup = market.concat(market.take(Int32Array.from([0])));
    expect(caught(() => runBacktest({ market: dup, signals }))).toBeInstanceOf(DuplicateRowError);
    const bad = market.withColumn("close", Float64Array.from([1, 2, 0, 4, 4, 3, 2, 1]));
    expect(caught(() => runBacktest({ market: bad, signals }))).toBeInstanceOf(InvalidCloseError);
    const dupSignals = signals.concat(signals.take(Int32Array.from([1])));
    expect(caught(() => runBacktest({ market, signals: dupSignals }))).toBeInstanceOf(DuplicateRowError);
  });

  it.each([
    ["zero", 0],
    ["negative", -3],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("gives INVALID_CLOSE for a %s close, naming the symbol and date", (_, value) => {
    // Row 6 is Y on 2024-01-03 (X's four rows come first).
    const closes = Float64Array.from([1, 2, 3, 4, 4, 3, value, 1]);
    const e = caught(() => runBacktest({ market: market.withColumn("close", closes), signals }));
    expect(e).toBeInstanceOf(InvalidCloseError);
    expect([e.code, e.column, e.symbol, e.date]).toEqual(["INVALID_CLOSE", "close", "Y", "2024-01-03"]);
  });

  it("names a frame that is not a NumerFrame as an option", () => {
    const e = caught(() => runBacktest({ market, signals: { numRows: 2 } as never }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.option).toBe("signals");
    expect(caught(() => runBacktest({ market, signals, universe: [] as never })).option).toBe("universe");
  });

  it("returns empty frames that still meet their contracts when no tranche can open", () => {
    const late = signalsFrame([
      ["2024-02-01", "X", 0.9],
      ["2024-02-01", "Y", 0.1],
    ]);
    const r = runBacktest({ market, signals: late });
    expect(r.daily.numRows).toBe(0);
    expect(r.tranches.numRows).toBe(0);
    expect(r.daily.strings("date")).toEqual([]);
    expect(() => requireColumns(r.daily, dailyContract, "test")).not.toThrow();
    expect(() => requireColumns(r.tranches, tranchesContract, "test")).not.toThrow();
  });
});

describe("strict options", () => {
  it("names a misspelled top-level option and the nearest valid one", () => {
    const e = caught(() => runBacktest({ market, signals, nettng: false } as never));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.problems).toEqual([{ path: "nettng", message: "unknown option", suggestion: "netting" }]);
    expect(e.message).toBe('runBacktest: option "nettng": unknown option (did you mean "netting"?)');
  });

  it("names misspelled nested options by their dotted path", () => {
    const short = caught(() => runBacktest({ market, signals, portfolio: { shrot: 5 } } as never));
    expect(short.problems).toEqual([{ path: "portfolio.shrot", message: "unknown option", suggestion: "short" }]);
    const vol = caught(() => runBacktest({ market, signals, portfolio: { targetVolatility: { target: 0.2, windowDay: 5 } } } as never));
    expect(vol.problems).toEqual([{ path: "portfolio.targetVolatility.windowDay", message: "unknown option", suggestion: "windowDays" }]);
    const cost = caught(() => runBacktest({ market, signals, costs: [{ type: "takerFee", rte: 0.001 }] } as never));
    expect(cost.problems?.map((p) => [p.path, p.suggestion])).toEqual([
      ["costs.0.rte", "rate"],
      ["costs.0.rate", undefined],
    ]);
  });

  it("lists every problem at once", () => {
    const e = caught(() => runBacktest({ market, signals, nettng: false, portfolio: { shrot: 5, long: 0 } } as never));
    expect(e.problems?.map((p) => p.path)).toEqual(["nettng", "portfolio.shrot", "portfolio.long"]);
  });
});

describe("the daily frame and its contract", () => {
  it("has exactly the contract's columns, in the contract's order", () => {
    const r = runBacktest({ market, signals, portfolio: { holdDays: 2 } });
    expect(r.daily.columnNames).toEqual(dailyContract.columns.map((c) => c.name));
    expect(r.daily.numRows).toBe(3);
  });
});
