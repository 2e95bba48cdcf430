import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { runBacktest } from "@nmrblox/backtest";
import { fixedSlippage, takerFee } from "@nmrblox/cost-model";
import { type PerformanceStats, performance } from "@nmrblox/evaluator";
import { readParquet, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { tempDir } from "@nmrblox/fixtures";
import { mapSymbols, tradableUniverse } from "@nmrblox/universe-filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CryptoFiles, writeCryptoFiles } from "./data.js";
import { expectOk, runCli, runJson } from "./helpers.js";

let dir: string;
let data: CryptoFiles;

beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-backtest-");
  data = await writeCryptoFiles(dir);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

// A small book: 3 / 3, lag 1, hold 10, 5 tranches; fee 0.1 %, slippage 0.05 %, no funding.
const FLAGS = ["--long", "3", "--short", "3", "--hold", "10", "--tranches", "5", "--fee", "0.001", "--slippage", "0.0005", "--no-funding"];
const PORTFOLIO = { long: 3, short: 3, lagDays: 1, holdDays: 10, tranches: 5 };
const COSTS = [takerFee(0.001), fixedSlippage(0.0005)];

interface BacktestDoc {
  command: string;
  universe: string;
  options: { portfolio: Record<string, unknown>; costs: unknown[]; netting: boolean };
  performance: PerformanceStats;
  rows: { daily: number; tranches: number };
  files: string[];
}

describe("nmrblox backtest", () => {
  it("on CSV inputs with instruments gives the numbers of universe-filter + runBacktest + performance", async () => {
    const { signals, market, instruments } = data;
    const { mapping } = mapSymbols(signals, instruments);
    const universe = tradableUniverse({ signals, instruments, market, mapping });
    const expected = runBacktest({ signals, market, universe, portfolio: PORTFOLIO, costs: COSTS });
    const stats = performance(expected.daily, { periodsPerYear: 365, tranches: expected.tranches });
    // The run must trade: otherwise equal numbers would prove nothing.
    expect(expected.tranches.numRows).toBeGreaterThan(20);
    expect(stats.costs.fee).toBeGreaterThan(0);

    const out = join(dir, "out-csv");
    const { run, doc } = await runJson<BacktestDoc>(
      ["backtest", "--signals", data.files.signalsCsv, "--market", data.files.marketCsv, "--instruments", data.files.instrumentsParquet, ...FLAGS, "--out", out],
      { cwd: dir },
    );
    expectOk(run);
    expect(doc.command).toBe("backtest");
    expect(doc.universe).toBe("instruments");
    expect(doc.options.portfolio).toMatchObject(PORTFOLIO);
    expect(doc.options.costs).toEqual(COSTS);
    // JSON round-trips doubles exactly: the CLI's numbers are the library's, bit for bit.
    expect(doc.performance.totalReturn).toBe(stats.totalReturn);
    expect(doc.performance.sharpe).toBe(stats.sharpe);
    expect(doc.performance.maxDrawdown).toBe(stats.maxDrawdown);
    expect(doc.performance.costs).toEqual(stats.costs);
    expect(doc.performance.trancheHitRate).toBe(stats.trancheHitRate);
    expect(doc.rows).toMatchObject({ daily: expected.daily.numRows, tranches: expected.tranches.numRows });

    // --out wrote the library's daily frame.
    expect(doc.files.map((f) => f.slice(out.length + 1)).sort()).toEqual(["book.parquet", "daily.parquet", "tranches.parquet"]);
    const daily = await readParquet(join(out, "daily.parquet"));
    expect(daily.strings("date")).toEqual(expected.daily.strings("date"));
    expect(Array.from(daily.float64("equity"))).toEqual(Array.from(expected.daily.float64("equity")));
    expect(Array.from(daily.float64("net_pnl"))).toEqual(Array.from(expected.daily.float64("net_pnl")));
  });

  it("on Parquet and Arrow inputs gives the same numbers as on CSV, and as runBacktest without a universe", async () => {
    const expected = runBacktest({ signals: data.signals, market: data.market, portfolio: PORTFOLIO, costs: COSTS });
    const stats = performance(expected.daily, { periodsPerYear: 365, tranches: expected.tranches });
    const runs = await Promise.all(
      [
        [data.files.signalsParquet, data.files.marketParquet],
        [data.files.signalsCsv, data.files.marketCsv],
        [data.files.signalsArrow, data.files.marketParquet],
      ].map(([s, m]) => runJson<BacktestDoc>(["backtest", "--signals", s!, "--market", m!, ...FLAGS], { cwd: dir })),
    );
    for (const { run, doc } of runs) {
      expectOk(run);
      expect(doc.universe).toBe("none");
      expect(doc.performance.totalReturn).toBe(stats.totalReturn);
      expect(doc.performance.volatility).toBe(stats.volatility);
      expect(doc.performance.dailyHitRate).toBe(stats.dailyHitRate);
    }
  });

  it("maps differently named columns with --map", async () => {
    const renamed = data.signals.rename({ symbol: "ticker", prediction: "pred" });
    const path = join(dir, "renamed.csv");
    await writeCsv(renamed, path, { sidecar: false });
    const expected = runBacktest({ signals: data.signals, market: data.market, portfolio: PORTFOLIO, costs: COSTS });
    const stats = performance(expected.daily, { periodsPerYear: 365, tranches: expected.tranches });
    const [mapped, unmapped] = await Promise.all([
      runJson<BacktestDoc>(["backtest", "--signals", path, "--market", data.files.marketParquet, ...FLAGS, "--map", "ticker=symbol,pred=prediction"], { cwd: dir }),
      runCli(["backtest", "--signals", path, "--market", data.files.marketParquet, ...FLAGS], { cwd: dir }),
    ]);
    expectOk(mapped.run);
    expect(mapped.doc.performance.totalReturn).toBe(stats.totalReturn);
    // Without the mapping: a failed run (exit 1) naming the file and the missing columns, and the fix.
    expect(unmapped.code).toBe(1);
    expect(unmapped.stderr).toContain(path);
    expect(unmapped.stderr).toContain('"symbol"');
    expect(unmapped.stderr).toContain('"prediction"');
    expect(unmapped.stderr).toContain("--map ticker=symbol,pred=prediction");
  });

  it("layers the config file, --set and flags: flags win over --set, --set over the file", async () => {
    const cwd = join(dir, "configured");
    await writeCsv(data.signals, join(cwd, "s.csv"), { sidecar: false });
    await writeFile(
      join(cwd, "nmrblox.config.json"),
      JSON.stringify({ backtest: { portfolio: { long: 2, short: 2, holdDays: 7, tranches: 5 }, netting: false, costs: [{ type: "takerFee", rate: 0.002 }] } }),
    );
    const { run, doc } = await runJson<BacktestDoc>(
      ["backtest", "--signals", "s.csv", "--market", data.files.marketParquet, "--set", "portfolio.holdDays=9", "--set", "portfolio.short=4", "--short", "3"],
      { cwd },
    );
    expectOk(run);
    expect(doc.options.portfolio).toMatchObject({ long: 2, short: 3, holdDays: 9, tranches: 5 });
    expect(doc.options.netting).toBe(false);
    expect(doc.options.costs).toEqual([{ type: "takerFee", rate: 0.002 }]);
    const expected = runBacktest({
      signals: data.signals,
      market: data.market,
      portfolio: { long: 2, short: 3, holdDays: 9, tranches: 5 },
      netting: false,
      costs: [takerFee(0.002)],
    });
    expect(doc.performance.totalReturn).toBe(performance(expected.daily, { periodsPerYear: 365 }).totalReturn);
  });

  it("exits 2 naming a misspelled flag and the nearest one", async () => {
    const run = await runCli(["backtest", "--signals", data.files.signalsCsv, "--market", data.files.marketCsv, "--hodl", "5"]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('unknown flag "--hodl"');
    expect(run.stderr).toContain('did you mean "--hold"?');
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("exits 2 for bad usage, naming the flag, key or file; 1 for a failed run; stack traces only with --verbose", async () => {
    const base = ["backtest", "--signals", data.files.signalsCsv, "--market", data.files.marketParquet];
    const badConfig = join(dir, "bad.config.json");
    await writeFile(badConfig, JSON.stringify({ backtest: { portfolio: { shrot: 5 } }, bactest: {} }));
    const noPrediction = join(dir, "no-prediction.parquet");
    await writeParquet(data.signals.select(["date", "symbol"]), noPrediction);
    const cases: Array<[string[], number, string[]]> = [
      [[...base, "--long", "abc"], 2, ['--long: "abc" is not a whole number']],
      [[...base, "--weighting", "rnk"], 2, ["--weighting:", "equal", "rank"]],
      [[...base, "--set", "portfolio.holdDay=20"], 2, ['"portfolio.holdDay"', 'did you mean "portfolio.holdDays"?']],
      [[...base, "--config", badConfig], 2, [badConfig, '"backtest.portfolio.shrot"', 'did you mean "short"?', '"bactest"', 'did you mean "backtest"?']],
      [[...base, "--config", "missing.json"], 2, ["--config missing.json: no such file"]],
      [["backtest", "--signals", "nope.csv", "--market", data.files.marketParquet], 2, ["--signals nope.csv: no such file"]],
      [["backtest", "--signals", join(dir, "signals.xlsx"), "--market", data.files.marketParquet], 2, ['unknown file type ".xlsx"']],
      [["backtest", "--market", data.files.marketParquet], 2, ["--signals <file>", "not specified"]],
      [[...base, "--map", "predicton=prediction"], 2, ['--map: no input file has a column "predicton"', 'did you mean "prediction"?']],
      [["demo", "--small", "--map", "a=b"], 2, ['--map does not apply to "nmrblox demo"']],
      [["validate", data.files.signalsCsv, "--tournament", "crypto", "--set", "liveIds=1"], 2, ['--set does not apply to "nmrblox validate"']],
      [["backtest", "--signals", noPrediction, "--market", data.files.marketParquet], 1, ["--signals", noPrediction, 'missing column "prediction"']],
    ];
    const runs = await Promise.all(cases.map(([args]) => runCli(args, { cwd: dir })));
    runs.forEach((run, i) => {
      const [args, code, needles] = cases[i]!;
      expect(run.code, `${args.join(" ")}\n${run.stderr}`).toBe(code);
      for (const needle of needles) expect(run.stderr, args.join(" ")).toContain(needle);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    });
    const verbose = await runCli(["backtest", "--signals", noPrediction, "--market", data.files.marketParquet, "--verbose"], { cwd: dir });
    expect(verbose.code).toBe(1);
    expect(verbose.stderr).toMatch(/^\s+at /m);
  });

  it("with --json prints the error as the one JSON document on stdout", async () => {
    const { run, doc } = await runJson<{ exitCode: number; error: { code: string; option: string; suggestion: string } }>([
      "backtest",
      "--signals",
      data.files.signalsCsv,
      "--market",
      data.files.marketCsv,
      "--tranche",
      "3",
    ]);
    expect(run.code).toBe(2);
    expect(doc.exitCode).toBe(2);
    expect(doc.error).toMatchObject({ code: "INVALID_OPTION", option: "--tranche", suggestion: "--tranches" });
  });
});
