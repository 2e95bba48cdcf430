/**
 * The statistics every package shares: one Pearson, one set of moments, one drawdown. Numerai's
 * scores, the backtest summary, the evaluator's trading statistics and factor analysis all use
 * these, so a number means the same thing wherever it is printed.
 */

/**
 * Pearson correlation of `x[0..n)` and `y[0..n)` as numpy's `corrcoef` computes it: two passes,
 * centred sums, `sxy / √sxx / √syy`, clipped to [−1, 1].
 *
 * @param x - first series
 * @param y - second series, same length
 * @param n - how many leading values to use (default: `x.length`)
 * @returns the correlation; NaN with fewer than two values or a constant side
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * pearson([1, 2, 3], [2, 4, 7]); // 0.9934
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>, n: number = x.length): number {
  if (n < 2) return Number.NaN;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i]!;
    sy += y[i]!;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return Number.NaN;
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return Math.min(1, Math.max(-1, r));
}

/**
 * Arithmetic mean.
 *
 * @param values - the values
 * @returns their mean; NaN for none
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * mean([1, 2, 6]); // 3
 */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/**
 * Mean of the non-NaN values.
 *
 * @param values - the values, NaN for missing
 * @returns the mean of the others; NaN when all are NaN
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * nanMean([1, NaN, 3]); // 2
 */
export function nanMean(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      c++;
    }
  }
  return s / c;
}

/**
 * Standard deviation with `ddof` degrees of freedom removed: ddof 1 is the sample standard
 * deviation (pandas' default), ddof 0 the population one (numpy's default).
 *
 * @param values - the values
 * @param ddof - delta degrees of freedom, 0 or 1
 * @returns the standard deviation; NaN when `values.length <= ddof`
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * standardDeviation([1, 2, 3, 4], 1); // 1.2910
 */
export function standardDeviation(values: ArrayLike<number>, ddof: 0 | 1): number {
  const n = values.length;
  if (n <= ddof) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) * (values[i]! - m);
  return Math.sqrt(ss / (n - ddof));
}

/** Central moments m2, m3, m4 (population: divided by n). */
function centralMoments(values: ArrayLike<number>): [number, number, number] {
  const n = values.length;
  const m = mean(values);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    const d2 = d * d;
    m2 += d2;
    m3 += d2 * d;
    m4 += d2 * d2;
  }
  return [m2 / n, m3 / n, m4 / n];
}

/**
 * Skewness g1 = m3 / m2^1.5 with population moments (scipy.stats.skew's default).
 *
 * @param values - the values
 * @returns the skewness; NaN with fewer than three values or no variance
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * skewness([1, 2, 10]); // 0.6746
 */
export function skewness(values: ArrayLike<number>): number {
  if (values.length < 3) return Number.NaN;
  const [m2, m3] = centralMoments(values);
  return m2 > 0 ? m3 / m2 ** 1.5 : Number.NaN;
}

/**
 * Excess kurtosis g2 = m4 / m2² − 3 with population moments (scipy.stats.kurtosis's default:
 * Fisher, biased; a normal sample gives about 0).
 *
 * @param values - the values
 * @returns the excess kurtosis; NaN with fewer than four values or no variance
 * @throws never throws; degenerate input gives NaN rather than an error so that one empty or
 *   constant era does not abort a whole report
 * @example
 * excessKurtosis([1, 2, 3, 4]); // -1.36
 */
export function excessKurtosis(values: ArrayLike<number>): number {
  if (values.length < 4) return Number.NaN;
  const [m2, , m4] = centralMoments(values);
  return m2 > 0 ? m4 / (m2 * m2) - 3 : Number.NaN;
}

/**
 * Drawdown per day: equity_t / max(1, max_{s≤t} equity_s) − 1, with the starting capital 1 as
 * the first peak.
 *
 * @param equity - the equity curve in units of the initial capital
 * @returns one value per day, 0 or a negative fraction
 * @throws never throws; an empty curve gives an empty series
 * @example
 * drawdownSeries([1.1, 0.99, 1.2]); // [0, -0.1, 0]
 */
export function drawdownSeries(equity: ArrayLike<number>): Float64Array {
  const out = new Float64Array(equity.length);
  let peak = 1;
  for (let t = 0; t < equity.length; t++) {
    const e = equity[t]!;
    if (e > peak) peak = e;
    out[t] = e / peak - 1;
  }
  return out;
}

/**
 * The worst drawdown, min_t(equity_t / max(1, max_{s≤t} equity_s) − 1).
 *
 * @param equity - the equity curve in units of the initial capital
 * @returns 0 or a negative fraction (0 for an empty curve)
 * @throws never throws
 * @example
 * maxDrawdown([1.1, 0.99, 1.2]); // -0.1
 */
export function maxDrawdown(equity: ArrayLike<number>): number {
  let peak = 1;
  let worst = 0;
  for (let t = 0; t < equity.length; t++) {
    const e = equity[t]!;
    if (e > peak) peak = e;
    const d = e / peak - 1;
    if (d < worst) worst = d;
  }
  return worst;
}
