import { describe, expect, it } from "vitest";
import { z } from "zod";
import {
  InvalidOptionError,
  NumerFrame,
  NumerFrameError,
  checkOptionPaths,
  compareEras,
  marketContract,
  parseOptions,
  pearson,
  requireColumns,
  sortEras,
  standardDeviation,
  maxDrawdown,
} from "../src/index.js";
import { adoptPanel, dayCodes, marketPanel, sharePanel, stringCodes } from "../src/internal.js";
import { caught as caughtError } from "@nmrblox/fixtures";

const schema = z.strictObject({
  dryRun: z.boolean().default(false),
  portfolio: z.strictObject({ long: z.number().int().default(25), short: z.number().int().default(25) }).default({ long: 25, short: 25 }),
  fee: z.number().min(0).default(0),
});

const caught = (fn: () => unknown) => caughtError<unknown>(fn);

describe("parseOptions", () => {
  it("applies defaults and treats undefined as {}", () => {
    expect(parseOptions(schema, undefined, "f")).toEqual({ dryRun: false, portfolio: { long: 25, short: 25 }, fee: 0 });
  });

  it("names an unknown key and the nearest valid one, case-insensitively", () => {
    const e = caught(() => parseOptions(schema, { dryrun: true }, "submit")) as InvalidOptionError;
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.code).toBe("INVALID_OPTION");
    expect(e.option).toBe("dryrun");
    expect(e.problems).toEqual([{ path: "dryrun", message: "unknown option", suggestion: "dryRun" }]);
    expect(e.message).toBe('submit: option "dryrun": unknown option (did you mean "dryRun"?)');
  });

  it("lists every problem at once, nested paths dotted", () => {
    const e = caught(() => parseOptions(schema, { portfolio: { shrot: 5 }, fee: -1, x: 1 }, "runBacktest")) as InvalidOptionError;
    expect(e.problems.map((p) => [p.path, p.suggestion])).toEqual([
      ["portfolio.shrot", "short"],
      ["x", "fee"],
      ["fee", undefined],
    ]);
    expect(e.message.split("\n")[0]).toBe("runBacktest: 3 invalid options:");
  });

  it("is strict even over a schema that would strip unknown keys", () => {
    const loose = z.object({ columns: z.array(z.string()).optional() });
    const e = caught(() => parseOptions(loose, { colums: ["a"] }, "readParquet")) as InvalidOptionError;
    expect(e.problems[0]).toEqual({ path: "colums", message: "unknown option", suggestion: "columns" });
  });

  it("leaves loose objects open", () => {
    const open = z.looseObject({ a: z.number() });
    expect(parseOptions(open, { a: 1, b: 2 }, "f")).toEqual({ a: 1, b: 2 });
  });

  it("names a key that only another member of a discriminated union allows", () => {
    const term = z.discriminatedUnion("type", [
      z.strictObject({ type: z.literal("takerFee"), rate: z.number() }),
      z.strictObject({ type: z.literal("sqrtImpact"), k: z.number() }),
    ]);
    const terms = z.strictObject({ costs: z.array(term) });
    // "k" belongs to sqrtImpact: for a takerFee it is unknown (zod alone would report nothing
    // parseOptions could name), and the suggestion comes from takerFee's own keys (type, rate).
    const e = caught(() => parseOptions(terms, { costs: [{ type: "takerFee", rate: 0.001, k: 1 }] }, "bindCosts")) as InvalidOptionError;
    expect(e.problems).toEqual([{ path: "costs.0.k", message: "unknown option", suggestion: "type" }]);
    const near = caught(() => parseOptions(terms, { costs: [{ type: "sqrtImpact", k: 1, kk: 2 }] }, "bindCosts")) as InvalidOptionError;
    expect(near.problems).toEqual([{ path: "costs.0.kk", message: "unknown option", suggestion: "k" }]);
    const bare = caught(() => parseOptions(term, { type: "sqrtImpact", k: 1, rate: 2 }, "f")) as InvalidOptionError;
    expect(bare.problems.map((p) => [p.path, p.suggestion])).toEqual([["rate", "type"]]);
  });

  it("wraps type errors instead of letting a ZodError escape", () => {
    const e = caught(() => parseOptions(schema, { fee: "x" }, "f"));
    expect(NumerFrameError.isInstance(e)).toBe(true);
    expect((e as InvalidOptionError).problems[0]!.path).toBe("fee");
  });
});

describe("checkOptionPaths", () => {
  it("accepts existing dotted paths and names the nearest for a typo", () => {
    expect(() => checkOptionPaths(schema, ["portfolio.long", "fee"], "sweep")).not.toThrow();
    const e = caught(() => checkOptionPaths(schema, ["portfolio.lng", "fe"], "sweep")) as InvalidOptionError;
    expect(e.problems.map((p) => p.suggestion)).toEqual(["portfolio.long", "fee"]);
  });
});

describe("error root", () => {
  it("isInstance recognises errors by marker, not by class identity", () => {
    const e = new NumerFrameError("IO", "x");
    expect(NumerFrameError.isInstance(e)).toBe(true);
    // An error made by another copy of the package carries the same registry symbol.
    const foreign = Object.assign(new Error("y"), { [Symbol.for("nmrblox.error")]: true, code: "IO" });
    expect(NumerFrameError.isInstance(foreign)).toBe(true);
    expect(NumerFrameError.isInstance(new Error("z"))).toBe(false);
    expect(NumerFrameError.isInstance(null)).toBe(false);
  });

  it("NumerFrame.isInstance works the same way", () => {
    const f = NumerFrame.fromColumns({ a: [1, 2] });
    expect(NumerFrame.isInstance(f)).toBe(true);
    expect(NumerFrame.isInstance({ table: f.table })).toBe(false);
  });
});

describe("era order", () => {
  it("orders legacy era labels naturally and the live era last", () => {
    const labels = ["eraX", ...Array.from({ length: 120 }, (_, i) => `era${120 - i}`)];
    const sorted = sortEras(labels);
    expect(sorted.slice(0, 3)).toEqual(["era1", "era2", "era3"]);
    expect(sorted.slice(-2)).toEqual(["era120", "eraX"]);
  });

  it("orders numeric labels numerically and ISO days chronologically", () => {
    expect(sortEras(["0575", "99", "1000"])).toEqual(["99", "0575", "1000"]);
    expect(sortEras(["2024-01-10", "2023-12-31", "2024-01-09"])).toEqual(["2023-12-31", "2024-01-09", "2024-01-10"]);
    expect(compareEras("575", "0575")).toBeGreaterThan(0);
    expect(compareEras("0575", "575")).toBeLessThan(0);
  });

  it("the era index uses that order", () => {
    const f = NumerFrame.fromColumns({ era: ["era10", "era2", "era1", "eraX", "era2"], target: [1, 2, 3, 4, 5] });
    expect(f.eras()).toEqual(["era1", "era2", "era10", "eraX"]);
  });
});

describe("requireColumns", () => {
  it("lists every missing column and wrong kind at once", () => {
    const f = NumerFrame.fromColumns({ date: ["2024-01-01"], close: ["x"] });
    const e = caught(() => requireColumns(f, marketContract, "runBacktest")) as NumerFrameError & { missing: string[] };
    expect(e.code).toBe("MISSING_COLUMN");
    expect(e.missing).toEqual(["symbol"]);
    expect(e.message).toContain('column "close" must be number');
    expect(e.message.startsWith("runBacktest: market frame:")).toBe(true);
  });
});

describe("stringCodes and the market panel", () => {
  const market = NumerFrame.fromColumns({
    date: ["2024-01-01", "2024-01-01", "2024-01-03", "2024-01-03"],
    symbol: ["BTC", "ETH", "BTC", "ETH"],
    close: [100, 10, 110, Number.NaN],
    funding_rate: [0.001, 0, 0.002, 0],
  });

  it("codes only labels that occur, even after a filter", () => {
    const filtered = market.filter((i) => market.strings("symbol")[i] === "ETH");
    expect(stringCodes(filtered, "symbol").labels).toEqual(["ETH"]);
    expect([...dayCodes(filtered, "date")]).toEqual([19723, 19725]);
  });

  it("lays closes out densely, carries them forward and caches the panel", () => {
    const p = marketPanel(market);
    expect(p).toBe(marketPanel(market));
    expect([p.nDays, p.nSymbols, p.symbols]).toEqual([3, 2, ["BTC", "ETH"]]);
    expect([...p.actualClose]).toEqual([100, 10, NaN, NaN, 110, NaN]);
    expect([...p.close]).toEqual([100, 10, 100, 10, 110, 10]);
    expect([...p.hasRow]).toEqual([1, 1, 0, 0, 1, 1]);
    expect([...p.fundingRate]).toEqual([0.001, 0, 0, 0, 0.002, 0]);
  });

  it("shares a panel through SharedArrayBuffers and adopts it for a rebuilt frame", () => {
    const shared = sharePanel(marketPanel(market));
    expect(shared.close.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect([...shared.close]).toEqual([100, 10, 100, 10, 110, 10]);
    // A copy of the frame (as a worker rebuilds it from IPC bytes) takes the shared panel as is.
    const copy = market.select(market.columnNames);
    const adopted = adoptPanel(copy, shared);
    expect(marketPanel(copy)).toBe(adopted);
    expect(adopted.close).toBe(shared.close);
    expect(adopted.symbolIndex.get("ETH")).toBe(1);
    expect([...adopted.fundingRate]).toEqual([0.001, 0, 0, 0, 0.002, 0]);
    const e = caught(() => adoptPanel(market.select(market.columnNames), { ...shared, nDays: 4 })) as NumerFrameError;
    expect([e.code, e.option]).toEqual(["INVALID_OPTION", "panel"]);
  });

  it("names a bad close and a duplicate row with their codes", () => {
    const bad = NumerFrame.fromColumns({ date: ["2024-01-01", "2024-01-02"], symbol: ["A", "A"], close: [1, -5] });
    const e = caught(() => marketPanel(bad)) as NumerFrameError;
    expect([e.code, e.symbol, e.date]).toEqual(["INVALID_CLOSE", "A", "2024-01-02"]);
    const dup = NumerFrame.fromColumns({ date: ["2024-01-01", "2024-01-01"], symbol: ["A", "A"], close: [1, 2] });
    expect((caught(() => marketPanel(dup)) as NumerFrameError).code).toBe("DUPLICATE_ROW");
  });
});

describe("stats", () => {
  it("pearson matches a hand computation and is NaN for a constant side", () => {
    // x = 1,2,3; y = 2,4,7: sxy = 5, sxx = 2, syy = 12.666…
    expect(pearson([1, 2, 3], [2, 4, 7])).toBeCloseTo(5 / Math.sqrt(2 * (38 / 3)), 14);
    expect(pearson([1, 1, 1], [1, 2, 3])).toBeNaN();
  });

  it("standard deviation and drawdown", () => {
    expect(standardDeviation([1, 2, 3, 4], 1)).toBeCloseTo(Math.sqrt(5 / 3), 14);
    expect(standardDeviation([1, 2, 3, 4], 0)).toBeCloseTo(Math.sqrt(5 / 4), 14);
    expect(maxDrawdown([1.1, 0.99, 1.2])).toBeCloseTo(0.99 / 1.1 - 1, 14);
  });
});
