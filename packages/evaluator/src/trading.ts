// `@nmrblox/evaluator/trading`: trading statistics of a backtest and factor analysis of signals
// against prices. No chart stack: the report is `@nmrblox/evaluator/report`.
export { performance, performanceOptions, type PerformanceOptions, type PerformanceStats, type CostBreakdown, type DayReturn } from "./performance/performance.js";
export { PerformanceInputError, type PerformanceErrorCode } from "./performance/errors.js";
export { readDailySeries, type DailySeries, type ExposureColumn } from "./performance/daily-series.js";
export { drawdownSummary, topDrawdowns, type DrawdownSummary, type DrawdownEpisode } from "./performance/drawdown.js";
export { monthlyReturns, annualReturns, type MonthlyReturn, type AnnualReturn } from "./performance/monthly-returns.js";
export { rollingSharpe } from "./performance/rolling-sharpe.js";
export { trancheStats, trancheHitRateByMonth, closedTranchePnl, type TrancheStats, type TrancheMonth } from "./performance/tranche-stats.js";
export { benchmarks, benchmarkOptions, type BenchmarkOptions, type Benchmarks } from "./performance/benchmarks.js";
export { legSeries, topContributors, attributionContract, LEG_COLUMNS, type LegSeries, type Contribution } from "./performance/attribution.js";
export { basketTurnover, type BasketTurnover } from "./performance/basket-turnover.js";
export {
  factorAnalysis,
  factorAnalysisOptions,
  type FactorAnalysisOptions,
  type FactorAnalysis,
  type QuantileReturn,
  type QuantileTurnover,
  type SeriesSummary,
} from "./factor/factor-analysis.js";
export { FactorInputError, type FactorErrorCode } from "./factor/errors.js";
