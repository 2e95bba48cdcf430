/**
 * The market data cost terms read: dense day × symbol matrices, row-major by day (cell
 * `t * nSymbols + s`). The market panel the backtest builds from a market frame has this shape.
 */
export interface CostMarket {
  readonly nDays: number;
  readonly nSymbols: number;
  /** Sum of the day's funding settlement rates (fractions); 0 where missing. */
  readonly fundingRate: Float64Array;
  /** Daily USD turnover; NaN where missing. */
  readonly turnoverUsd: Float64Array;
}
