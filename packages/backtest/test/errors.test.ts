import { DuplicateRowError, InvalidOptionError, InvalidPriceError, UnknownSymbolError } from "@nmrblox/portfolio";
import { MissingColumnError, NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { runBacktest } from "../src/index.js";
import { marketFrame, signalsFrame } from "./frames.js";

const market = marketFrame("2024-01-01", { X: [1, 2, 3, 4], Y: [4, 3, 2, 1] });
const signals = signalsFrame([
  ["2024-01-01", "X", 0.9],
  ["2024-01-01", "Y", 0.1],
]);

function caught(f: () => unknown): Error & { code?: string; option?: string; symbol?: string; column?: string } {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("bad input", () => {
  it("names a signal for a symbol absent from the market", () => {
    const e = caught(() => runBacktest({ market, signals: signalsFrame([...[["2024-01-01", "X", 0.9]] as Array<[string, string, number]>, ["2024-01-02", "ZZZ", 0.5]]) }));
    expect(e).toBeInstanceOf(UnknownSymbolError);
    expect(e.symbol).toBe("ZZZ");
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
    expect(e).toBeInstanceOf(MissingColumnError);
    expect(e.column).toBe("close");
    const dup = market.concat(market.take(Int32Array.from([0])));
    expect(caught(() => runBacktest({ market: dup, signals }))).toBeInstanceOf(DuplicateRowError);
    const bad = market.withColumn("close", Float64Array.from([1, 2, 0, 4, 4, 3, 2, 1]));
    expect(caught(() => runBacktest({ market: bad, signals }))).toBeInstanceOf(InvalidPriceError);
    const dupSignals = signals.concat(signals.take(Int32Array.from([1])));
    expect(caught(() => runBacktest({ market, signals: dupSignals }))).toBeInstanceOf(DuplicateRowError);
  });

  it("returns empty frames when no tranche can open", () => {
    const late = signalsFrame([
      ["2024-02-01", "X", 0.9],
      ["2024-02-01", "Y", 0.1],
    ]);
    const r = runBacktest({ market, signals: late });
    expect(r.daily.numRows).toBe(0);
    expect(r.tranches.numRows).toBe(0);
    expect(r.daily.typeOf("date").toString()).toBe("Utf8");
    expect(NumerFrame.fromColumns({ a: [1] }).numRows).toBe(1);
  });
});
