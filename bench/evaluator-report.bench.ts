// The evaluator's trading half: statistics, factor analysis and the full HTML report for a
// 5-year daily backtest (target: report < 3 s).
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { factorAnalysis, performance, renderReport } from "@nmrblox/evaluator";
import { syntheticBacktest, syntheticMarketAndSignals } from "../packages/evaluator/test/synthetic-backtest.js";
import { bench, printResults } from "./harness.js";

const DAYS = 5 * 365 + 1;
const backtest = syntheticBacktest(DAYS, 7, DAYS);
const { market, signals } = syntheticMarketAndSignals(DAYS, 100);
const factor = factorAnalysis(signals, market);
const outDir = join(tmpdir(), `nmrblox-report-bench-${process.pid}`);

await bench({ name: "performance, 5y daily", rows: DAYS, runs: 20, run: () => performance(backtest.daily, { tranches: backtest.tranches }) });
await bench({ name: "factorAnalysis, 5y x 100 symbols, 5 horizons", rows: signals.numRows, runs: 5, run: () => factorAnalysis(signals, market) });
await bench({
  name: "renderReport, 5y daily + 1826 eras + factor (9 charts)",
  rows: DAYS,
  runs: 5,
  targetMs: 3000,
  run: () => renderReport({ ...backtest, factor }, { outDir, title: "Benchmark report" }),
});
await rm(outDir, { recursive: true, force: true });
printResults("evaluator: trading statistics, factor analysis, report");
