import { InvalidOptionError, type OptionProblem, mean, standardDeviation } from "@nmrblox/numerframe";

/**
 * Rolling Sharpe ratio of daily returns (fractions): over each trailing window of `window`
 * days, mean(r) / std(r, ddof 1) · √periodsPerYear, with numerframe's `mean` and
 * `standardDeviation` (two passes per window, so the variance is exact).
 *
 * @param returns - daily returns, fractions
 * @param window - days in the trailing window (an integer; below 2 every value is NaN)
 * @param periodsPerYear - periods per year for annualizing (365 for crypto)
 * @returns one value per day: NaN for the first `window − 1` days and where the window has no variance
 * @throws InvalidOptionError when `window` is not an integer or `periodsPerYear` is not positive
 * @example
 * rollingSharpe([0.1, -0.1, 0.2, 0], 3, 365); // [NaN, NaN, 8.34, 4.17]
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, periodsPerYear: number): Float64Array {
  const problems: OptionProblem[] = [];
  if (!Number.isInteger(window)) problems.push({ path: "window", message: `expected an integer number of days, found ${window}` });
  if (!(periodsPerYear > 0) || !Number.isFinite(periodsPerYear)) problems.push({ path: "periodsPerYear", message: `expected a positive number, found ${periodsPerYear}` });
  if (problems.length > 0) throw new InvalidOptionError("rollingSharpe", problems);
  const r = returns instanceof Float64Array ? returns : Float64Array.from(returns);
  const n = r.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (window < 2) return out;
  const scale = Math.sqrt(periodsPerYear);
  for (let t = window - 1; t < n; t++) {
    const w = r.subarray(t - window + 1, t + 1);
    const m = mean(w);
    const sd = standardDeviation(w, 1);
    // A constant window leaves rounding noise, not variance.
    out[t] = sd > 1e-12 * Math.abs(m) && sd > 0 ? (m / sd) * scale : Number.NaN;
  }
  return out;
}
