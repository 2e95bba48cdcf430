import { backtestOptions } from "@nmrblox/backtest";
import { InvalidOptionError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { layer, parseSets } from "../src/config.js";
import { UsageError, exitCodeOf, formatOf, parseColumnMap } from "../src/index.js";
import { jsonSafe, table } from "../src/format.js";
import { Console, type Io } from "../src/io.js";
import { rate } from "../src/parsers.js";

describe("the CLI's small parts", () => {
  it("reads file types from extensions and names the flag for an unknown one", () => {
    expect(["a.csv", "b.PARQUET", "c.arrow", "d.feather"].map((p) => formatOf(p, "--x"))).toEqual(["csv", "parquet", "arrow", "arrow"]);
    expect(() => formatOf("s.parqet", "--signals")).toThrow(/--signals s\.parqet: unknown file type "\.parqet".*did you mean "\.parquet"\?/);
  });

  it("parses --map pairs across repeated flags and rejects malformed or doubled ones", () => {
    expect([...parseColumnMap(["ticker=symbol, pred = prediction", "era_id=era"])]).toEqual([
      ["ticker", "symbol"],
      ["pred", "prediction"],
      ["era_id", "era"],
    ]);
    expect(() => parseColumnMap(["ticker"])).toThrow(UsageError);
    expect(() => parseColumnMap(["a=b,a=c"])).toThrow(/mapped twice/);
  });

  it("parses --set values as JSON when they are JSON and checks the paths", () => {
    expect(parseSets(["portfolio.holdDays=20", "netting=false", "portfolio.weighting=rank", "costs=[]"], backtestOptions, "t")).toEqual([
      ["portfolio.holdDays", 20],
      ["netting", false],
      ["portfolio.weighting", "rank"],
      ["costs", []],
    ]);
    expect(() => parseSets(["portfolio.shrot=3"], backtestOptions, "t")).toThrow(InvalidOptionError);
    expect(() => parseSets(["portfolio.shrot=3"], backtestOptions, "t")).toThrow(/did you mean "portfolio.short"\?/);
    expect(() => parseSets(["holdDays"], backtestOptions, "t")).toThrow(/not key=value/);
  });

  it("layers file, --set and flags, flags last, leaving the file's object untouched", () => {
    const file = { portfolio: { long: 2, short: 2 }, netting: false };
    const merged = layer(file, [["portfolio.long", 3], ["portfolio.holdDays", 9]], [["portfolio.long", 5], ["netting", undefined]]);
    expect(merged).toEqual({ portfolio: { long: 5, short: 2, holdDays: 9 }, netting: false });
    expect(file.portfolio.long).toBe(2);
  });

  it("reads rates as fractions or percentages", () => {
    expect(rate("--fee")("0.00055")).toBe(0.00055);
    expect(rate("--fee")("0.055%")).toBeCloseTo(0.00055, 15);
    expect(() => rate("--fee")("cheap")).toThrow(/--fee: "cheap" is not a rate/);
  });

  it("maps errors to exit codes: 2 for bad usage, 1 for a failed run", () => {
    expect(exitCodeOf(new UsageError("x"))).toBe(2);
    expect(exitCodeOf(new InvalidOptionError("f", [{ path: "a", message: "bad" }]))).toBe(2);
    expect(exitCodeOf(new Error("boom"))).toBe(1);
  });

  it("aligns tables (numbers right, text left) and makes JSON out of NaN and typed arrays", () => {
    expect(table([{ name: "a", v: "1.50" }, { name: "bbb", v: "-12.25" }])).toBe(["name       v", "----  ------", "a       1.50", "bbb   -12.25"].join("\n"));
    expect(jsonSafe({ a: Number.NaN, b: Float64Array.of(1, Number.POSITIVE_INFINITY), c: [1, undefined], f: () => 1 })).toEqual({ a: null, b: [1, null], c: [1, undefined] });
  });

  it("draws progress only on a terminal and not with --quiet", () => {
    const written: string[] = [];
    const stream = (isTTY: boolean) => ({ isTTY, columns: 80, write: (s: string) => written.push(s), cursorTo: () => true, clearLine: () => true, moveCursor: () => true, on: () => undefined });
    const io = (isTTY: boolean): Io => ({ stdout: stream(false), stderr: stream(isTTY), env: {}, cwd: "/" });
    for (const [tty, quiet] of [
      [false, false],
      [true, true],
    ] as const) {
      written.length = 0;
      const p = new Console(io(tty), { json: false, quiet, verbose: false }).progress("days");
      p(5, 10);
      p.end();
      expect(written).toEqual([]);
    }
    const p = new Console(io(true), { json: true, quiet: false, verbose: false }).progress("days");
    p(10, 10);
    p.end();
    expect(written.join("")).toMatch(/days\s+\|\u2588+\| 10\/10 100%/);
  });
});
