/**
 * Divides by the population standard deviation (ddof 0) without centring, as numerai-tools'
 * `variance_normalize`. Any NaN, or a zero standard deviation, gives all NaN.
 *
 * @param x - the values
 * @returns x / std(x)
 * @throws never: a NaN or a zero standard deviation gives all NaN
 * @example
 * varianceNormalize([1, 3]); // [1, 3] (std 1)
 */
export function varianceNormalize(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i]!;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = x[i]! - mean;
    ss += d * d;
  }
  const std = Math.sqrt(ss / n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = x[i]! / std;
  if (!(std > 0)) out.fill(NaN);
  return out;
}
