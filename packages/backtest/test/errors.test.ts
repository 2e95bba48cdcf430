import { NumerFrame, type NumerFrameError, dailyContract, requireColumns, tranchesContract } from "@nmrblox/numerframe";
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
import { caught as caughtError } from "@nmrblox/fixtures";

const market = marketFrame("2024-01-01", { X: [1, 2, 3, 4], Y: [4, 3, 2, 1] });
const signals = signalsFrame([
  ["2024-01-01", "X", 0.9],
  ["2024-01-01", "Y", 0.1],
]);

const caught = (fn: () => unknown) => caughtError<NumerFrameError & { problems?: InvalidOptionError["problems"] }>(fn);

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
  it("has the contract's columns in the contract's order, then the leg columns", () => {
    const r = runBacktest({ market, signals, portfolio: { holdDays: 2 } });
    // The contract's columns in its order, then the legs (long/short price PnL and funding).
    expect(r.daily.columnNames).toEqual([
      ...dailyContract.columns.map((c) => c.name),
      "long_price_pnl",
      "long_funding",
      "short_price_pnl",
      "short_funding",
    ]);
    expect(r.daily.numRows).toBe(3);
  });
});

describe("bad input that used to pass silently", () => {
  const daily = (n: number) => {
    const rows: Array<[string, string, number]> = [];
    const ds = Array.from({ length: n }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
    for (const d of ds) rows.push([d, "X", 0.9], [d, "Y", 0.1]);
    return signalsFrame(rows);
  };
  const long = marketFrame("2024-01-01", { X: Array.from({ length: 90 }, (_, t) => 10 + (t % 5)), Y: Array.from({ length: 90 }, (_, t) => 20 - (t % 4)) });

  it("names a hold that keeps more than 2 × tranches open (gross exposure above twice the leverage)", () => {
    // Daily signals, hold 50, 20 tranches: 50 tranches open at once, 2.5 × leverage.
    const e = caught(() => runBacktest({ market: long, signals: daily(60), portfolio: { holdDays: 50, tranches: 20 } }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.code).toBe("INVALID_OPTION");
    expect(e.option).toBe("portfolio.holdDays");
    expect(e.message).toContain("up to 50 tranches open at once");
    expect(e.message).toContain("portfolio.tranches (20)");
    expect(e.message).toContain("at least 25");
    // At the bound (40 = 2 × 20) the book runs.
    expect(runBacktest({ market: long, signals: daily(60), portfolio: { holdDays: 40, tranches: 20 } }).tranches.numRows).toBeGreaterThan(0);
  });

  it("names a market row dated far outside the signals' range instead of building a huge panel", () => {
    const typo = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-02", "2999-01-01"],
      symbol: ["X", "X", "Y"],
      close: Float64Array.of(1, 2, 3),
      turnover_usd: Float64Array.of(1, 1, 1),
      funding_rate: Float64Array.of(0, 0, 0),
    });
    const e = caught(() => runBacktest({ market: typo, signals }));
    expect(e.code).toBe("DATE_OUT_OF_RANGE");
    expect(e.date).toBe("2999-01-01");
    expect(e.row).toBe(2);
    expect(e.column).toBe("date");
    // Three years of history before the signals is fine.
    const history = marketFrame("2021-01-02", { X: Array.from({ length: 1190 }, () => 5), Y: Array.from({ length: 1190 }, () => 6) });
    expect(runBacktest({ market: history, signals: signalsFrame([["2024-01-01", "X", 0.9], ["2024-01-01", "Y", 0.1]]), portfolio: { holdDays: 2 } }).daily.numRows).toBeGreaterThan(0);
  });

  it("names a negative turnover_usd with its symbol and date", () => {
    const bad = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-02", "2024-01-01", "2024-01-02"],
      symbol: ["X", "X", "Y", "Y"],
      close: Float64Array.of(1, 2, 3, 4),
      turnover_usd: Float64Array.of(1e6, 1e6, -5, 1e6),
      funding_rate: Float64Array.of(0, 0, 0, 0),
    });
    const e = caught(() => runBacktest({ market: bad, signals }));
    expect(e.code).toBe("INVALID_TURNOVER");
    expect(e.symbol).toBe("Y");
    expect(e.date).toBe("2024-01-01");
    expect(e.column).toBe("turnover_usd");
  });
});
