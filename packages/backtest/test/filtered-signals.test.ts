import { NumerFrame } from "@nmrblox/numerframe";
import type { Vector } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { runBacktest } from "../src/index.js";
import { syntheticMarket } from "./synthetic-market.js";

const data = syntheticMarket({ symbols: 30, days: 120, seed: 21, gapRate: 0.02, delistRate: 0.2 });
const portfolio = { long: 5, short: 5, holdDays: 10, tranches: 8 };

// The signals plus rows for a symbol the market has never heard of.
const date = [...data.signals.strings("date"), "2022-01-05", "2022-02-01"];
const symbol = [...data.signals.strings("symbol"), "ZZZ", "ZZZ"];
const prediction = Float64Array.from([...data.signals.float64("prediction"), 0.99, 0.01]);
const signals = NumerFrame.fromColumns({ date, symbol, prediction });
// Keep two rows in three, and never ZZZ.
const keep = Uint8Array.from(symbol, (s, i) => (s !== "ZZZ" && i % 3 !== 1 ? 1 : 0));

function dictionaryLabels(frame: NumerFrame, column: string): string[] {
  const chunk = (frame.table.getChild(column) as Vector).data[0]!;
  return Array.from(chunk.dictionary as Vector, String);
}

describe("a filtered signals frame", () => {
  const filtered = signals.filter(keep);
  const kept = Array.from(keep.keys()).filter((i) => keep[i] === 1);
  const rebuilt = NumerFrame.fromColumns({
    date: kept.map((i) => date[i]!),
    symbol: kept.map((i) => symbol[i]!),
    prediction: Float64Array.from(kept, (i) => prediction[i]!),
  });

  it("still carries the dropped symbol in its dictionary (what used to raise a false UnknownSymbolError)", () => {
    expect(filtered.numRows).toBe(kept.length);
    expect(filtered.strings("symbol")).not.toContain("ZZZ");
    expect(dictionaryLabels(filtered, "symbol")).toContain("ZZZ");
    expect(() => runBacktest({ signals, market: data.market, portfolio })).toThrow(/ZZZ/);
  });

  it("backtests exactly like the same rows in a freshly built frame", () => {
    const a = runBacktest({ signals: filtered, market: data.market, portfolio });
    const b = runBacktest({ signals: rebuilt, market: data.market, portfolio });
    expect(a.daily.numRows).toBeGreaterThan(100);
    for (const [x, y] of [
      [a.daily, b.daily],
      [a.tranches, b.tranches],
      [a.book, b.book],
    ] as const) {
      expect(x.columnNames).toEqual(y.columnNames);
      for (const c of x.columnNames) {
        const numeric = x.typeOf(c).toString().startsWith("Float") || x.typeOf(c).toString().startsWith("Int");
        if (numeric) expect(Array.from(x.numeric(c)), c).toEqual(Array.from(y.numeric(c)));
        else expect(x.strings(c), c).toEqual(y.strings(c));
      }
    }
  });
});
