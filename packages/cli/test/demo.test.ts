import { readFile, rm, stat } from "node:fs/promises";
import { join } from "node:path";
import { runBacktest } from "@nmrblox/backtest";
import { defaultCosts } from "@nmrblox/cost-model";
import { type PerformanceStats, performance } from "@nmrblox/evaluator";
import { tempDir } from "@nmrblox/fixtures";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { mapSymbols, tradableUniverse } from "@nmrblox/universe-filter";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, type runCli, runJson } from "./helpers.js";

interface DemoDoc {
  command: string;
  range: { symbols: number; start: string; end: string; seed: number };
  portfolio: Record<string, number>;
  runs: Record<"with funding" | "without funding", PerformanceStats>;
  scores: Array<{ score: string; eras: number; mean: number }>;
  inputs: { signals: string; targets: string; market: string; instruments: string };
  report: string;
}

let dir: string;
let demo: { run: Awaited<ReturnType<typeof runCli>>; doc: DemoDoc };

beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-demo-");
  demo = await runJson<DemoDoc>(["demo", "--small", "--out", "demo"], { cwd: dir });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe("nmrblox demo --small --json", () => {
  it("prints one JSON document with the headline study's numbers, equal to the libraries' own", async () => {
    const { run, doc } = demo;
    expectOk(run);
    expect(doc.command).toBe("demo");
    expect(doc.range).toEqual({ symbols: 60, start: "2024-01-01", end: "2024-06-30", seed: 42 });
    expect(doc.portfolio).toEqual({ long: 5, short: 5, lagDays: 1, holdDays: 30, tranches: 20 });
    // The same study through the libraries: synthetic data, universe, backtest with default costs.
    const { signals, instruments, market } = syntheticCrypto(doc.range);
    const { mapping } = mapSymbols(signals, instruments);
    const universe = tradableUniverse({ signals, instruments, market, mapping });
    const result = runBacktest({ signals, market, universe, portfolio: doc.portfolio, costs: defaultCosts() });
    const stats = performance(result.daily, { periodsPerYear: 365, tranches: result.tranches });
    expect(doc.runs["with funding"].totalReturn).toBe(stats.totalReturn);
    expect(doc.runs["with funding"].sharpe).toBe(stats.sharpe);
    expect(doc.runs["with funding"].costs).toEqual(stats.costs);
    // Funding is the only difference between the two runs: the same fees, different funding.
    expect(doc.runs["without funding"].costs.fee).toBe(stats.costs.fee);
    expect(doc.runs["without funding"].costs.funding).toBe(0);
    expect(stats.costs.funding).not.toBe(0);
    expect(doc.scores.map((s) => s.score)).toEqual(["prediction_corr"]);
    expect(doc.scores[0]!.eras).toBeGreaterThan(100);
  });

  it("writes the inputs, the report and summary.json, and nothing but the document on stdout", async () => {
    const { run, doc } = demo;
    expect(JSON.parse(await readFile(join(dir, "demo", "summary.json"), "utf8"))).toEqual(JSON.parse(run.stdout));
    for (const path of [...Object.values(doc.inputs), doc.report]) expect((await stat(path)).size).toBeGreaterThan(100);
    expect(await readFile(doc.report, "utf8")).toContain("<svg");
    // Steps went to stderr? Not with --json: stderr stays free of them; no progress bar on a pipe.
    expect(run.stderr).toBe("");
  });

  it("leaves files that nmrblox backtest and score reproduce the study from (the README example)", async () => {
    const { doc } = demo;
    const [backtest, score] = await Promise.all([
      runJson<{ performance: PerformanceStats }>(
        ["backtest", "--signals", "demo/data/signals.csv", "--market", "demo/data/market.parquet", "--instruments", "demo/data/instruments.parquet", "--long", "5", "--short", "5"],
        { cwd: dir },
      ),
      runJson<{ summary: Array<{ score: string; eras: number; mean: number }> }>(
        ["score", "--predictions", "demo/data/signals.csv", "--targets", "demo/data/targets.csv"],
        { cwd: dir },
      ),
    ]);
    expectOk(backtest.run);
    expect(backtest.doc.performance.totalReturn).toBe(doc.runs["with funding"].totalReturn);
    expect(backtest.doc.performance.costs).toEqual(doc.runs["with funding"].costs);
    expectOk(score.run);
    expect(score.doc.summary[0]).toMatchObject({ score: "prediction_corr", eras: doc.scores[0]!.eras, mean: doc.scores[0]!.mean });
  });
});
