import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { universeSummary } from "../src/index.js";

describe("universeSummary", () => {
  const universe = NumerFrame.fromColumns({
    date: ["2024-01-02", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-01", "2024-01-02"],
    symbol: ["A", "A", "B", "B", "C", "C"],
    exchange_symbol: ["AUSDT", "AUSDT", "", "", "CUSDT", "CUSDT"],
    tradable: new Uint8Array([1, 0, 0, 0, 1, 1]),
    reason: ["ok", "too_new", "unmapped", "unmapped", "ok", "ok"],
  });

  it("counts tradable rows per date and rows per reason", () => {
    const { perDate, reasons } = universeSummary(universe);
    // Reason columns follow the rule order: unmapped is checked before too_new.
    expect(perDate.columnNames).toEqual(["date", "symbols", "tradable", "unmapped", "too_new"]);
    expect(perDate.strings("date")).toEqual(["2024-01-01", "2024-01-02"]);
    expect(Array.from(perDate.numeric("symbols"))).toEqual([3, 3]);
    expect(Array.from(perDate.numeric("tradable"))).toEqual([1, 2]);
    expect(Array.from(perDate.numeric("too_new"))).toEqual([1, 0]);
    expect(Array.from(perDate.numeric("unmapped"))).toEqual([1, 1]);
    expect(reasons.strings("reason")).toEqual(["ok", "unmapped", "too_new"]);
    expect(Array.from(reasons.numeric("count"))).toEqual([3, 2, 1]);
  });

  it("accepts a boolean tradable column and names a missing one", () => {
    const asBool = universe.withColumn("tradable", [true, false, false, false, true, true]);
    expect(Array.from(universeSummary(asBool).perDate.numeric("tradable"))).toEqual([1, 2]);
    expect(() => universeSummary(universe.drop(["reason"]))).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "reason" }));
    expect(() => universeSummary(universe.drop(["tradable", "reason"]))).toThrow(/universeSummary: universe frame: missing columns "tradable", "reason"/);
  });
});

