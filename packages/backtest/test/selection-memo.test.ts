import { basketSelection } from "@nmrblox/portfolio/internal";
import { describe, expect, it } from "vitest";
import { selectionMemo } from "../src/selection-memo.js";
import { syntheticMarket } from "./synthetic-market.js";

const data = syntheticMarket({ symbols: 16, days: 40, seed: 9 });

describe("selectionMemo", () => {
  it("selects each distinct basket setting once, whatever the key order, and equals basketSelection", () => {
    const select = selectionMemo(data.signals, undefined);
    const a = select(data.signals, { long: 3, short: 2, weighting: "rank" });
    expect(select(data.signals, { weighting: "rank", short: 2, long: 3 })).toBe(a);
    const direct = basketSelection(data.signals, { long: 3, short: 2, weighting: "rank" });
    expect([a.count, [...a.row], [...a.side], [...a.weight]]).toEqual([direct.count, [...direct.row], [...direct.side], [...direct.weight]]);
    // Any difference, nested ones included, is another selection.
    expect(select(data.signals, { long: 3, short: 3, weighting: "rank" })).not.toBe(a);
    const opt1 = select(data.signals, { long: 3, short: 3, weighting: "optimized", optimizer: { maxPosition: 0.5 } });
    const opt2 = select(data.signals, { long: 3, short: 3, weighting: "optimized", optimizer: { maxPosition: 0.4 } });
    expect(opt2).not.toBe(opt1);
    expect(select(data.signals, { long: 3, short: 3, weighting: "optimized", optimizer: { maxPosition: 0.5 } })).toBe(opt1);
  });

  it("falls through for a frame it was not made for", () => {
    const select = selectionMemo(data.signals, undefined);
    const other = data.signals.select(data.signals.columnNames);
    const first = select(other, { long: 2, short: 2 });
    expect(select(other, { long: 2, short: 2 })).not.toBe(first);
    expect([...select(other, { long: 2, short: 2 }).row]).toEqual([...first.row]);
  });
});
