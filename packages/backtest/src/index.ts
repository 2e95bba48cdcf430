export { runBacktest, type BacktestInput, type BacktestResult } from "./run-backtest.js";
export { backtestOptions, portfolioOptions, type BacktestOptions, type ResolvedBacktestOptions, type PortfolioOptions } from "./options.js";
export { sweep } from "./sweep.js";
export { sweepConfigurations } from "./sweep-grid.js";
export { sweepOptions, sweepPoolOptions, sweepRunOptions, type SweepOptions, type SweepPoolOptions, type SweepRunOptions, type SweepResult } from "./sweep-options.js";
export { SweepPool } from "./sweep-pool.js";
export { SweepError } from "./sweep-error.js";
export { summarizeBacktest, SUMMARY_COLUMNS, type BacktestSummary } from "./summary.js";
export { ATTRIBUTION_COLUMNS } from "./attribution.js";
export { LEG_COLUMNS } from "./simulate.js";
// Every error runBacktest and sweep throw: the classes of @nmrblox/numerframe, not copies, so
// `instanceof` and `NumerFrameError.isInstance` agree whichever package they are imported from.
export {
  NumerFrameError,
  InvalidOptionError,
  ContractError,
  DuplicateRowError,
  InvalidCloseError,
  InvalidDateError,
  UnknownSymbolError,
} from "@nmrblox/numerframe";
