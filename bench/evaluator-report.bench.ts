// The evaluator's trading half: statistics, factor analysis and the full HTML report for a
// 5-year daily backtest (target: report < 3 s), headline and full tear sheet.
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { factorAnalysis, performance, renderReport } from "@nmrblox/evaluator";
import { syntheticBacktest, syntheticMarketAndSignals, syntheticTearSheet } from "../packages/evaluator/test/synthetic-backtest.js";
import { bench, printResults } from "./harness.js";

const DAYS = 5 * 365 + 1;
const backtest = syntheticBacktest(DAYS, 7, DAYS);
// The full tear sheet: leg columns, attribution of 100 symbols, book, market with BTC, universe.
const tearSheet = { ...syntheticTearSheet(DAYS, 100), scores: backtest.scores };
const { market, signals } = syntheticMarketAndSignals(DAYS, 100);
const factor = factorAnalysis(signals, market);
const outDir = join(tmpdir(), `nmrblox-report-bench-${process.pid}`);

await bench({ name: "performance, 5y daily", rows: DAYS, runs: 20, run: () => performance(backtest.daily, { tranches: backtest.tranches }) });
await bench({ name: "factorAnalysis, 5y x 100 symbols, 5 horizons", rows: signals.numRows, runs: 5, run: () => factorAnalysis(signals, market) });
await bench({
  name: "renderReport, 5y daily + 1826 eras + factor (headline report)",
  rows: DAYS,
  runs: 5,
  targetMs: 3000,
  run: () => renderReport({ ...backtest, factor }, { outDir, title: "Benchmark report" }),
});
await bench({
  name: "renderReport, 5y full tear sheet (22 charts)",
  rows: DAYS,
  runs: 5,
  targetMs: 3000,
  run: () => renderReport({ ...tearSheet, factor }, { outDir, title: "Benchmark tear sheet" }),
});
// CPU time of one render of each: on a shared, loaded machine the wall-clock medians above include waiting for a core.
for (const [name, input] of [["headline report", { ...backtest, factor }], ["full tear sheet", { ...tearSheet, factor }]] as const) {
  const cpu0 = process.cpuUsage();
  await renderReport(input, { outDir, title: "Benchmark report" });
  const cpu = process.cpuUsage(cpu0);
  console.log(`renderReport ${name}: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU (user + system) for one render`);
}
await rm(outDir, { recursive: true, force: true });
printResults("evaluator: trading statistics, factor analysis, report");
