// `@nmrblox/evaluator/trading`: trading statistics of a backtest and factor analysis of signals
// against prices. No chart stack: the report is `@nmrblox/evaluator/report`.
export { performance, performanceOptions, type PerformanceOptions, type PerformanceStats, type CostBreakdown, type DayReturn } from "./performance/performance.js";
export { PerformanceInputError, type PerformanceErrorCode } from "./performance/errors.js";
export { readDailySeries, type DailySeries, type ExposureColumn } from "./performance/daily-series.js";
export { drawdownSummary, type DrawdownSummary } from "./performance/drawdown.js";
export { monthlyReturns, type MonthlyReturn } from "./performance/monthly-returns.js";
export { rollingSharpe } from "./performance/rolling-sharpe.js";
export { trancheStats, type TrancheStats } from "./performance/tranche-stats.js";
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
