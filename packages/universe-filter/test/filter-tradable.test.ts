import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { ContractError, DuplicateRowError, InvalidDateError, filterTradable, tradableUniverse } from "../src/index.js";
import { day, instruments, market, series } from "./fixtures.js";

describe("filterTradable", () => {
  const signals = NumerFrame.fromColumns(
    {
      date: [day(1), day(1), day(2), day(2), day(3)],
      symbol: ["BTC", "USDC", "BTC", "NEW", "BTC"],
      prediction: [0.9, 0.8, 0.7, 0.6, 0.5],
    },
    { source: { name: "hand" } },
  );

  it("keeps only rows tradable on their date, in signal order, with columns and metadata", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }, { symbol: "USDCUSDT" }, { symbol: "NEWUSDT", launch_time: Date.UTC(2024, 0, 3) }]);
    const mkt = market([...series("BTC", 0, 3), ...series("USDC", 0, 3), ...series("NEW", 2, 3)]);
    const universe = tradableUniverse({ signals, instruments: inst, market: mkt }, { minListingDays: 0, minMedianTurnoverUsd: 0 });
    const kept = filterTradable(signals, universe);
    // USDC is a stablecoin; NEW launches on day 2 (2024-01-03), so day(2) = launch day is tradable.
    expect(kept.strings("date")).toEqual([day(1), day(2), day(2), day(3)]);
    expect(kept.strings("symbol")).toEqual(["BTC", "BTC", "NEW", "BTC"]);
    expect(Array.from(kept.float64("prediction"))).toEqual([0.9, 0.7, 0.6, 0.5]);
    expect(kept.meta.source).toEqual({ name: "hand" });
    expect(kept.provenance.map((p) => p.blox)).toEqual(["filterTradable"]);
  });

  it("drops rows the universe does not list", () => {
    const universe = NumerFrame.fromColumns({
      date: [day(1), day(2)],
      symbol: ["BTC", "BTC"],
      exchange_symbol: ["BTCUSDT", "BTCUSDT"],
      tradable: new Uint8Array([1, 0]),
      reason: ["ok", "no_close"],
    });
    const kept = filterTradable(signals, universe);
    expect(kept.strings("date")).toEqual([day(1)]);
    expect(kept.strings("symbol")).toEqual(["BTC"]);
  });

  it("names duplicate universe rows, missing columns and bad dates", () => {
    const dup = NumerFrame.fromColumns({ date: [day(1), day(1)], symbol: ["BTC", "BTC"], tradable: new Uint8Array([1, 0]) });
    expect(() => filterTradable(signals, dup)).toThrow(DuplicateRowError);
    expect(() => filterTradable(signals, dup)).toThrow(/universe: more than one row for date 2024-01-02, symbol BTC/);
    expect(() => filterTradable(signals, dup.drop(["tradable"]))).toThrow(ContractError);
    expect(() => filterTradable(signals, dup.drop(["tradable"]))).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "tradable" }));
    expect(() => filterTradable(signals.drop(["date"]), dup)).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "date" }));
    const textTradable = dup.withColumn("tradable", ["yes", "no"]);
    expect(() => filterTradable(signals, textTradable)).toThrow(expect.objectContaining({ code: "NON_NUMERIC_COLUMN", column: "tradable" }));
    const badDate = signals.withColumn("date", ["2024-01-02", "2024-13-01", "2024-01-03", "2024-01-03", "2024-01-04"]);
    expect(() => filterTradable(badDate, dup.take(new Int32Array([0])))).toThrow(InvalidDateError);
  });

  it("reads a boolean tradable column and a filtered signals frame (unused dictionary labels) alike", () => {
    const universe = NumerFrame.fromColumns({
      date: [day(1), day(1), day(2), day(2), day(3)],
      symbol: ["BTC", "USDC", "BTC", "NEW", "BTC"],
      tradable: [true, false, true, true, false],
    });
    const kept = filterTradable(signals, universe);
    expect(Array.from(kept.float64("prediction"))).toEqual([0.9, 0.7, 0.6]);
    // signals.filter keeps the whole dictionary; USDC no longer occurs in the rows.
    const noUsdc = signals.filter(Uint8Array.from(signals.strings("symbol"), (s) => (s === "USDC" ? 0 : 1)));
    expect(noUsdc.numRows).toBe(4);
    const keptFiltered = filterTradable(noUsdc, universe);
    expect(keptFiltered.strings("symbol")).toEqual(["BTC", "BTC", "NEW"]);
    expect(Array.from(keptFiltered.float64("prediction"))).toEqual([0.9, 0.7, 0.6]);
    // A symbol or date the universe does not know is dropped, not an error.
    const other = NumerFrame.fromColumns({ date: [day(9), day(1)], symbol: ["BTC", "XYZ"], prediction: [1, 2] });
    expect(filterTradable(other, universe).numRows).toBe(0);
  });
});
