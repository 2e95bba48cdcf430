/**
 * Rolling Sharpe ratio of daily returns (fractions): over each trailing window of `window`
 * days, mean(r) / std(r, ddof 1) · √periodsPerYear. NaN for the first `window − 1` days and
 * where the window has no variance.
 */
export function rollingSharpe(returns: ArrayLike<number>, window: number, periodsPerYear: number): Float64Array {
  const n = returns.length;
  const out = new Float64Array(n).fill(Number.NaN);
  if (window < 2) return out;
  const scale = Math.sqrt(periodsPerYear);
  for (let t = window - 1; t < n; t++) {
    // Two passes per window keep the variance exact; 5 years × 90 days is ~160k additions.
    let s = 0;
    for (let i = t - window + 1; i <= t; i++) s += returns[i]!;
    const m = s / window;
    let ss = 0;
    for (let i = t - window + 1; i <= t; i++) ss += (returns[i]! - m) ** 2;
    const sd = Math.sqrt(ss / (window - 1));
    // A constant window leaves rounding noise, not variance.
    out[t] = sd > 1e-12 * Math.abs(m) && sd > 0 ? (m / sd) * scale : Number.NaN;
  }
  return out;
}
