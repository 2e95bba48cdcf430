import { drawdownSeries } from "@nmrblox/numerframe";

/** The worst drawdown of an equity curve and how long it lasted. */
export interface DrawdownSummary {
  /** min_t(equity_t / max(1, max_{s≤t} equity_s) − 1): 0 or negative, a fraction. */
  readonly maxDrawdown: number;
  /** Last day at the peak before the worst trough; null when the peak is the starting capital 1. */
  readonly peakDate: string | null;
  /** Day of the worst drawdown; null when there is no drawdown. */
  readonly troughDate: string | null;
  /** First day after the trough back at or above the peak; null when not recovered (or no drawdown). */
  readonly recoveryDate: string | null;
  /** Days under water in the episode of the worst drawdown (to the last day when not recovered). */
  readonly maxDrawdownDays: number;
  /** Days under water in the longest episode of all. */
  readonly longestDrawdownDays: number;
}

/**
 * The worst drawdown of an equity curve, its peak, trough and recovery dates, and under-water
 * durations in days. Built on numerframe's `drawdownSeries` (starting capital 1 is the first
 * peak), so the depth is the same number as the backtest summary's.
 *
 * @param dates - one `YYYY-MM-DD` day per equity value
 * @param equity - the equity curve in units of the initial capital
 * @returns the max drawdown with its dates and durations (dates null when there is none)
 * @throws nothing: an empty or rising curve has a drawdown of 0
 * @example
 * drawdownSummary(["2024-01-01", "2024-01-02", "2024-01-03"], [1.1, 1.0, 1.2]);
 * // { maxDrawdown: -0.0909, peakDate: "2024-01-01", troughDate: "2024-01-02", recoveryDate: "2024-01-03", ... }
 */
export function drawdownSummary(dates: readonly string[], equity: ArrayLike<number>): DrawdownSummary {
  const dd = drawdownSeries(equity);
  const n = dd.length;
  let trough = -1;
  let worst = 0;
  for (let t = 0; t < n; t++) {
    if (dd[t]! < worst) {
      worst = dd[t]!;
      trough = t;
    }
  }
  let longest = 0;
  let run = 0;
  for (let t = 0; t < n; t++) {
    run = dd[t]! < 0 ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  if (trough < 0) {
    return { maxDrawdown: 0, peakDate: null, troughDate: null, recoveryDate: null, maxDrawdownDays: 0, longestDrawdownDays: longest };
  }
  let start = trough;
  while (start > 0 && dd[start - 1]! < 0) start--;
  let end = trough;
  while (end + 1 < n && dd[end + 1]! < 0) end++;
  return {
    maxDrawdown: worst,
    peakDate: start > 0 ? dates[start - 1]! : null,
    troughDate: dates[trough]!,
    recoveryDate: end + 1 < n ? dates[end + 1]! : null,
    maxDrawdownDays: end - start + 1,
    longestDrawdownDays: longest,
  };
}

/** One drawdown episode: from a peak, down to its trough, back to the peak (or not yet). */
export interface DrawdownEpisode {
  /** Last day at the peak before the episode; null when the peak is the starting capital 1 (before day one). */
  readonly start: string | null;
  /** Day of the episode's lowest equity relative to the peak. */
  readonly trough: string;
  /** First day back at or above the peak; null when not recovered by the last day. */
  readonly recovery: string | null;
  /** equity_trough / peak − 1: a negative fraction. */
  readonly depth: number;
  /** Days under water, from the first day below the peak to the day before recovery (or the last day). */
  readonly days: number;
}

/**
 * The deepest drawdown episodes of an equity curve (pyfolio's "worst drawdown periods"). An
 * episode is a maximal run of days below the running peak (starting capital 1 is the first
 * peak, as in numerframe's `drawdownSeries`); episodes are ranked by depth.
 *
 * @param dates - one `YYYY-MM-DD` day per equity value
 * @param equity - the equity curve in units of the initial capital
 * @param count - how many episodes to return (the deepest first)
 * @returns up to `count` episodes, deepest first; empty when the curve never falls below its peak
 * @throws nothing
 * @example
 * topDrawdowns(["d1", "d2", "d3", "d4", "d5"], [1.1, 1.0, 1.2, 0.9, 1.3], 2);
 * // [{ start: "d3", trough: "d4", recovery: "d5", depth: -0.25, days: 1 },
 * //  { start: "d1", trough: "d2", recovery: "d3", depth: -0.0909, days: 1 }]
 */
export function topDrawdowns(dates: readonly string[], equity: ArrayLike<number>, count = 5): DrawdownEpisode[] {
  const dd = drawdownSeries(equity);
  const n = dd.length;
  const episodes: DrawdownEpisode[] = [];
  let t = 0;
  while (t < n) {
    if (dd[t]! >= 0) {
      t++;
      continue;
    }
    const first = t;
    let trough = t;
    while (t < n && dd[t]! < 0) {
      if (dd[t]! < dd[trough]!) trough = t;
      t++;
    }
    episodes.push({
      start: first > 0 ? dates[first - 1]! : null,
      trough: dates[trough]!,
      recovery: t < n ? dates[t]! : null,
      depth: dd[trough]!,
      days: t - first,
    });
  }
  // Deepest first; equal depths keep time order (the sort is stable).
  return episodes.sort((a, b) => a.depth - b.depth).slice(0, Math.max(0, count));
}
