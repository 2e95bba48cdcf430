import { NumerFrame, excessKurtosis, mean, parseOptions, skewness, standardDeviation } from "@nmrblox/numerframe";
import { z } from "zod";
import { readDailySeries } from "./daily-series.js";
import { drawdownSummary } from "./drawdown.js";
import { type MonthlyReturn, monthlyReturns } from "./monthly-returns.js";
import { type TrancheStats, trancheStats } from "./tranche-stats.js";

/** Options of `performance`. */
export const performanceOptions = z.strictObject({
  /** Periods per year used to annualize; 365 for crypto's calendar days. */
  periodsPerYear: z.number().positive().default(365),
  /** The backtest's tranche frame (status, net_pnl), for the tranche hit rate. */
  tranches: z.custom<NumerFrame>((v) => NumerFrame.isInstance(v), { message: "expected a NumerFrame" }).optional(),
});
/** Options of `performance`, as callers write them. */
export type PerformanceOptions = z.input<typeof performanceOptions>;

/** Totals of the PnL components (fractions of initial capital 1) and costs as shares of gross PnL. */
export interface CostBreakdown {
  readonly grossPnl: number;
  /** Σ fee (positive: paid). */
  readonly fee: number;
  /** Σ slippage (positive: paid). */
  readonly slippage: number;
  /** Σ funding (signed: positive received, negative paid). */
  readonly funding: number;
  /** Σ net_pnl = gross − fee − slippage + funding. */
  readonly netPnl: number;
  /** fee / gross_pnl; null when gross PnL is 0. */
  readonly feeShare: number | null;
  /** slippage / gross_pnl; null when gross PnL is 0. */
  readonly slippageShare: number | null;
  /** funding / gross_pnl (signed); null when gross PnL is 0. */
  readonly fundingShare: number | null;
}

/** A day and its return (a fraction). */
export interface DayReturn {
  readonly date: string;
  readonly return: number;
}

/**
 * Trading statistics of a daily backtest series. Returns are fractions per day; annualized
 * figures use `periodsPerYear`. A statistic that is undefined for the series (no variance,
 * no drawdown, no closed tranche) is null.
 */
export interface PerformanceStats {
  readonly periodsPerYear: number;
  /** T: rows of the daily series. */
  readonly days: number;
  readonly start: string;
  readonly end: string;
  /** equity_T − 1. */
  readonly totalReturn: number;
  /** equity_T^(periodsPerYear / T) − 1; −1 when equity_T ≤ 0. */
  readonly cagr: number;
  /** mean(r) per day. */
  readonly meanReturn: number;
  /** std(r, ddof 1) · √periodsPerYear. */
  readonly volatility: number | null;
  /** mean(r) / std(r, ddof 1) · √periodsPerYear. */
  readonly sharpe: number | null;
  /** mean(r) / √(mean(min(r, 0)²)) · √periodsPerYear, the mean over all T days. */
  readonly sortino: number | null;
  /** min_t(equity_t / max(1, max_{s≤t} equity_s) − 1): 0 or negative. */
  readonly maxDrawdown: number;
  /** Days under water in the episode of the max drawdown (to the end when not recovered). */
  readonly maxDrawdownDays: number;
  /** Days under water in the longest episode. */
  readonly longestDrawdownDays: number;
  readonly drawdownPeak: string | null;
  readonly drawdownTrough: string | null;
  readonly drawdownRecovery: string | null;
  /** CAGR / |max drawdown|; null when the max drawdown is 0. */
  readonly calmar: number | null;
  /** Share of days with r > 0 among days whose previous day's close held positions (positions_{t−1} > 0; none before day one). */
  readonly dailyHitRate: number | null;
  /** Days counted by the daily hit rate. */
  readonly activeDays: number;
  /** Share of closed tranches with net_pnl > 0; null without tranches or closed tranches. */
  readonly trancheHitRate: number | null;
  readonly tranches: TrancheStats | null;
  /** mean(turnover_t) over the T days; turnover is traded notional / equity_{t−1}. */
  readonly averageTurnover: number;
  /** mean(gross_exposure_t) when the column is present. */
  readonly averageGrossExposure: number | null;
  readonly costs: CostBreakdown;
  /** Skewness of r: m3 / m2^1.5, population moments (scipy default). */
  readonly skew: number | null;
  /** EXCESS kurtosis of r: m4 / m2² − 3, population moments (scipy default; normal ≈ 0). */
  readonly kurtosis: number | null;
  readonly bestDay: DayReturn;
  readonly worstDay: DayReturn;
  /** Π(1 + r) − 1 per calendar month. */
  readonly monthlyReturns: readonly MonthlyReturn[];
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/**
 * The statistics of docs/backtest-accounting.md ("Statistics") over a daily backtest frame
 * (numerframe's `dailyContract`: date, gross_pnl, fee, slippage, funding, net_pnl, equity,
 * return, turnover, positions; exposures optional), plus skew, excess kurtosis, best/worst
 * day, monthly returns and the cost breakdown. Moments and the drawdown come from numerframe's
 * shared statistics, so they match the backtest summary.
 *
 * @param daily - the backtest's daily frame
 * @param options - `periodsPerYear` (default 365) and the `tranches` frame for the tranche hit rate
 * @returns every statistic; one that is undefined for the series is null
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one); ContractError for a missing or non-numeric column; InvalidDateError
 *   for a malformed date; PerformanceInputError (EMPTY_DAILY, DATES_NOT_INCREASING,
 *   NON_FINITE, INVALID_TRANCHE_STATUS) naming the column, row and date
 * @example
 * const stats = performance(result.daily, { periodsPerYear: 365, tranches: result.tranches });
 * console.log(stats.sharpe, stats.maxDrawdown, stats.trancheHitRate);
 */
export function performance(daily: NumerFrame, options: PerformanceOptions = {}): PerformanceStats {
  const { periodsPerYear, tranches } = parseOptions(performanceOptions, options, "performance");
  const s = readDailySeries(daily);
  const T = s.dates.length;
  const r = s.returns;
  const scale = Math.sqrt(periodsPerYear);

  const finalEquity = s.equity[T - 1]!;
  const totalReturn = finalEquity - 1;
  const cagr = finalEquity > 0 ? finalEquity ** (periodsPerYear / T) - 1 : -1;

  const m = mean(r);
  const sd = standardDeviation(r, 1);
  const hasVariance = sd > 0 && sd > 1e-12 * Math.abs(m);
  let downside = 0;
  for (let t = 0; t < T; t++) if (r[t]! < 0) downside += r[t]! * r[t]!;
  const downsideDeviation = Math.sqrt(downside / T);

  const dd = drawdownSummary(s.dates, s.equity);

  let activeDays = 0;
  let hits = 0;
  let best = 0;
  let worst = 0;
  let turnover = 0;
  const totals = { grossPnl: 0, fee: 0, slippage: 0, funding: 0, netPnl: 0 };
  for (let t = 0; t < T; t++) {
    if (t > 0 && s.positions[t - 1]! > 0) {
      activeDays++;
      if (r[t]! > 0) hits++;
    }
    if (r[t]! > r[best]!) best = t;
    if (r[t]! < r[worst]!) worst = t;
    turnover += s.turnover[t]!;
    totals.grossPnl += s.grossPnl[t]!;
    totals.fee += s.fee[t]!;
    totals.slippage += s.slippage[t]!;
    totals.funding += s.funding[t]!;
    totals.netPnl += s.netPnl[t]!;
  }
  const share = (x: number) => (totals.grossPnl !== 0 ? x / totals.grossPnl : null);
  const tranche = tranches ? trancheStats(tranches) : null;
  const grossExposure = s.exposures.gross_exposure;

  return {
    periodsPerYear,
    days: T,
    start: s.dates[0]!,
    end: s.dates[T - 1]!,
    totalReturn,
    cagr,
    meanReturn: m,
    volatility: finiteOrNull(sd * scale),
    sharpe: hasVariance ? (m / sd) * scale : null,
    sortino: downsideDeviation > 0 ? (m / downsideDeviation) * scale : null,
    maxDrawdown: dd.maxDrawdown,
    maxDrawdownDays: dd.maxDrawdownDays,
    longestDrawdownDays: dd.longestDrawdownDays,
    drawdownPeak: dd.peakDate,
    drawdownTrough: dd.troughDate,
    drawdownRecovery: dd.recoveryDate,
    calmar: dd.maxDrawdown < 0 ? cagr / Math.abs(dd.maxDrawdown) : null,
    dailyHitRate: activeDays > 0 ? hits / activeDays : null,
    activeDays,
    trancheHitRate: tranche?.hitRate ?? null,
    tranches: tranche,
    averageTurnover: turnover / T,
    averageGrossExposure: grossExposure ? mean(grossExposure) : null,
    costs: {
      ...totals,
      feeShare: share(totals.fee),
      slippageShare: share(totals.slippage),
      fundingShare: share(totals.funding),
    },
    skew: hasVariance ? finiteOrNull(skewness(r)) : null,
    kurtosis: hasVariance ? finiteOrNull(excessKurtosis(r)) : null,
    bestDay: { date: s.dates[best]!, return: r[best]! },
    worstDay: { date: s.dates[worst]!, return: r[worst]! },
    monthlyReturns: monthlyReturns(s.dates, r),
  };
}
