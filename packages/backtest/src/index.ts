export { runBacktest, type BacktestInput, type BacktestResult } from "./run-backtest.js";
export { backtestOptions, portfolioOptions, type BacktestOptions, type ResolvedBacktestOptions, type PortfolioOptions } from "./options.js";
export { simulate, type Simulation, type DailyColumns, type TrancheColumns } from "./simulate.js";
export { sweep, sweepOptions, sweepConfigurations, SweepError, type SweepOptions } from "./sweep.js";
export { summarizeBacktest, SUMMARY_COLUMNS, type BacktestSummary } from "./summary.js";
