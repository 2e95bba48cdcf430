export { ScoreError, type ScoreErrorCode } from "./errors.js";
export { alignById, MIN_OVERLAP, type IdSeries, type ScoreInput } from "./align.js";
export { numeraiCorr, numeraiCorrOptions, type NumeraiCorrOptions } from "./numerai-corr.js";
export {
  correlationContribution,
  correlationContributionOptions,
  type CorrelationContributionOptions,
} from "./correlation-contribution.js";
export {
  featureNeutralCorr,
  featureNeutralCorrOptions,
  type FeatureNeutralCorrOptions,
  type FeatureColumns,
} from "./feature-neutral-corr.js";
export { maxFeatureCorrelation, type MaxFeatureCorrelation } from "./max-feature-correlation.js";
export { churn, churnOptions, type ChurnOptions } from "./churn.js";
export { turnover } from "./turnover.js";
export { stakeWeight, type Stakes } from "./stake-weight.js";
export {
  generateNeutralizedWeights,
  generateNeutralizedWeightsOptions,
  type GenerateNeutralizedWeightsOptions,
  type NeutralizedWeights,
} from "./neutralized-weights.js";
export type { ScoreColumns } from "./score-columns.js";
export { alpha } from "./alpha.js";
export { metaPortfolioContribution } from "./meta-portfolio-contribution.js";
export {
  trueContribution,
  trueContributionDetails,
  trueContributionOptions,
  type TrueContributionOptions,
  type TrueContribution,
} from "./true-contribution.js";
export { scoreByEra, scoreByEraOptions, scoreMetric, scoreColumnName, type ScoreByEraOptions, type ScoreMetric } from "./score-by-era.js";
export {
  summarizeScores,
  summarizeScoresOptions,
  summarizeScoreSeries,
  type SummarizeScoresOptions,
  type ScoreSummary,
} from "./summarize-scores.js";
export { scoreParquetByEra, scoreParquetByEraOptions, type ScoreParquetByEraOptions } from "./score-parquet.js";
export { scoreByEraParallel, scoreByEraParallelOptions, type ScoreByEraParallelOptions } from "./score-parallel.js";
