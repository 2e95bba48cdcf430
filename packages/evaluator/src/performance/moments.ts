/** Arithmetic mean; NaN for an empty array. */
export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Sample standard deviation (ddof 1); NaN with fewer than two values. */
export function sampleStd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return Number.NaN;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i]! - m) ** 2;
  return Math.sqrt(ss / (n - 1));
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
 * Skewness g1 = m3 / m2^1.5 with population moments (scipy.stats.skew default, as pyfolio
 * reports it); NaN with fewer than three values or no variance.
 */
export function skewness(values: ArrayLike<number>): number {
  if (values.length < 3) return Number.NaN;
  const [m2, m3] = centralMoments(values);
  return m2 > 0 ? m3 / m2 ** 1.5 : Number.NaN;
}

/**
 * Excess kurtosis g2 = m4 / m2² − 3 with population moments (scipy.stats.kurtosis default:
 * Fisher, biased; a normal sample gives about 0); NaN with fewer than four values or no variance.
 */
export function excessKurtosis(values: ArrayLike<number>): number {
  if (values.length < 4) return Number.NaN;
  const [m2, , m4] = centralMoments(values);
  return m2 > 0 ? m4 / (m2 * m2) - 3 : Number.NaN;
}
