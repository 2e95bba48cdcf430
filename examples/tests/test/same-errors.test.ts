// Issue 14: the same bad input gives the same error, whichever blox meets it first.
import { runBacktest } from "@nmrblox/backtest";
import { factorAnalysis } from "@nmrblox/evaluator";
import { NumerFrame, NumerFrameError } from "@nmrblox/numerframe";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { tradableUniverse } from "@nmrblox/universe-filter";
import { describe, expect, it } from "vitest";

const data = syntheticCrypto({ symbols: 20, start: "2024-01-01", end: "2024-03-31", seed: 11 });

/** The market with one close replaced by `value` (the row of BTC's 40th day). */
function withBadClose(value: number): { market: NumerFrame; symbol: string; date: string } {
  const cols = data.market.toColumns();
  const symbols = data.market.strings("symbol");
  const dates = data.market.strings("date");
  const rows = symbols.flatMap((s, i) => (s === "BTC" ? [i] : []));
  const row = rows[40]!;
  const close = Float64Array.from(data.market.float64("close"));
  close[row] = value;
  return { market: NumerFrame.fromColumns({ ...cols, close }, data.market.meta), symbol: "BTC", date: dates[row]! };
}

function codeOf(fn: () => unknown): Pick<NumerFrameError, "code" | "symbol" | "date"> {
  try {
    fn();
  } catch (e) {
    expect(NumerFrameError.isInstance(e)).toBe(true);
    const err = e as NumerFrameError;
    return { code: err.code, symbol: err.symbol, date: err.date };
  }
  throw new Error("expected an error");
}

describe("a bad close is INVALID_CLOSE in the universe filter, the backtest and factor analysis", () => {
  it.each([0, -5, Number.POSITIVE_INFINITY])("close %s", (value) => {
    const { market, symbol, date } = withBadClose(value);
    const expected = { code: "INVALID_CLOSE", symbol, date };
    expect(codeOf(() => tradableUniverse({ signals: data.signals, instruments: data.instruments, market }))).toEqual(expected);
    expect(codeOf(() => runBacktest({ signals: data.signals, market }))).toEqual(expected);
    expect(codeOf(() => factorAnalysis(data.signals, market))).toEqual(expected);
  });
});

describe("a filtered signals frame", () => {
  it("backtests like a frame built fresh from the same rows", () => {
    const keep = data.signals.strings("symbol").map((s) => s !== "ETH");
    const filtered = data.signals.filter(keep);
    const fresh = NumerFrame.fromColumns(
      Object.fromEntries(filtered.columnNames.map((c) => [c, filtered.typeOf(c).toString().includes("Utf8") || filtered.typeOf(c).toString().includes("Dictionary") ? [...filtered.strings(c)] : filtered.column(c)])) as never,
      filtered.meta,
    );
    const universe = tradableUniverse({ signals: data.signals, instruments: data.instruments, market: data.market }, { minListingDays: 0 });
    const a = runBacktest({ signals: filtered, market: data.market, universe, portfolio: { long: 3, short: 3 } });
    const b = runBacktest({ signals: fresh, market: data.market, universe, portfolio: { long: 3, short: 3 } });
    expect([...a.daily.float64("equity")]).toEqual([...b.daily.float64("equity")]);
    expect(a.daily.numRows).toBeGreaterThan(30);
  });
});
