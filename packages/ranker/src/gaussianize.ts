import { argsortNonNaN } from "./argsort.js";

// Wichura (1988), Algorithm AS 241 "PPND16": the inverse normal CDF to about 1e-16 relative.
const A = [
  3.387132872796366608, 133.14166789178437745, 1971.5909503065514427, 13731.693765509461125,
  45921.953931549871457, 67265.770927008700853, 33430.575583588128105, 2509.0809287301226727,
] as const;
const B = [
  1, 42.313330701600911252, 687.1870074920579083, 5394.1960214247511077, 21213.794301586595867,
  39307.89580009271061, 28729.085735721942674, 5226.495278852854561,
] as const;
const C = [
  1.42343711074968357734, 4.6303378461565452959, 5.7694972214606914055, 3.64784832476320460504,
  1.27045825245236838258, 0.24178072517745061177, 0.0227238449892691845833, 7.7454501427834140764e-4,
] as const;
const D = [
  1, 2.05319162663775882187, 1.6763848301838038494, 0.68976733498510000455, 0.14810397642748007459,
  0.0151986665636164571966, 5.475938084995344946e-4, 1.05075007164441684324e-9,
] as const;
const E = [
  6.6579046435011037772, 5.4637849111641143699, 1.7848265399172913358, 0.29656057182850489123,
  0.026532189526576123093, 0.0012426609473880784386, 2.71155556874348757815e-5, 2.01033439929228813265e-7,
] as const;
const F = [
  1, 0.59983220655588793769, 0.13692988092273580531, 0.0148753612908506148525, 7.868691311456132591e-4,
  1.8463183175100546818e-5, 1.4215117583164458887e-7, 2.04426310338993978564e-15,
] as const;

function poly(c: readonly number[], r: number): number {
  let s = c[7]!;
  for (let i = 6; i >= 0; i--) s = s * r + c[i]!;
  return s;
}

/**
 * Inverse of the standard normal CDF (Wichura's AS241). 0 → −∞, 1 → +∞; outside [0, 1] or NaN
 * gives NaN.
 *
 * @param p - a probability
 * @returns the z with Φ(z) = p
 * @throws never: p outside [0, 1] gives NaN
 * @example
 * inverseNormalCdf(0.975); // 1.9599639845400536
 */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  const q = p - 0.5;
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q;
    return (q * poly(A, r)) / poly(B, r);
  }
  let r = q < 0 ? p : 1 - p;
  if (r === 0) return q < 0 ? -Infinity : Infinity;
  r = Math.sqrt(-Math.log(r));
  const value = r <= 5 ? poly(C, r - 1.6) / poly(D, r - 1.6) : poly(E, r - 5) / poly(F, r - 5);
  return q < 0 ? -value : value;
}

/**
 * Inverse standard-normal CDF of each value (percentile ranks in, z-scores out); NaN stays NaN.
 *
 * @param u - values in [0, 1], usually percentile ranks
 * @returns one z-score per value
 * @throws never: NaN stays NaN; 0 and 1 map to −∞ and +∞
 * @example
 * gaussianize([0.5, 0.975]); // [0, 1.9599639845400536]
 */
export function gaussianize(u: ArrayLike<number>): Float64Array {
  const out = new Float64Array(u.length);
  for (let i = 0; i < out.length; i++) out[i] = inverseNormalCdf(u[i]!);
  return out;
}

// Inverse-normal tables by rank count n: entry h (2 ≤ h ≤ 2n) holds AS241 at (h/2 − 0.5)/n, the
// tie-kept rank of a tie group whose ordinal ranks s+1..e sum to h = s + 1 + e over its size.
// Entries are filled on first use (NaN marks "not yet": AS241 is never NaN inside (0, 1)), so a
// table costs one AS241 per distinct rank ever met and every later era of the same size reads it.
const TABLES = new Map<number, Float64Array>();
const MAX_TABLES = 64;

function tableFor(n: number): Float64Array {
  let t = TABLES.get(n);
  if (t === undefined) {
    if (TABLES.size >= MAX_TABLES) TABLES.delete(TABLES.keys().next().value!);
    t = new Float64Array(2 * n + 1).fill(NaN);
    TABLES.set(n, t);
  }
  return t;
}

/**
 * gaussianize(tieKeptRank(x)) in one pass, bitwise equal to it: the values are sorted once and
 * each tie group's z-score is AS241 at the same rank value (average 1-based rank − 0.5) / n,
 * evaluated once per distinct rank and kept in a per-n table for later calls. NaN stays NaN and
 * leaves n; results are finite.
 *
 * @param x - the values (an era's predictions, meta model or benchmark)
 * @returns one z-score per value
 * @throws never: NaN stays NaN and is not counted
 * @example
 * gaussianRank([0.1, 0.4, 0.4, 0.9]); // gaussianize([0.125, 0.5, 0.5, 0.875]) = [-1.1503, 0, 0, 1.1503]
 */
export function gaussianRank(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const { order, count } = argsortNonNaN(x);
  if (count === 0) return out;
  const table = tableFor(count);
  let start = 0;
  while (start < count) {
    const v = x[order[start]!]!;
    let end = start + 1;
    while (end < count && x[order[end]!]! === v) end++;
    const h = start + 1 + end;
    let z = table[h]!;
    // Same expression as tieKeptRank's ((start + 1 + end) / 2 − 0.5) / count, so the same double.
    if (Number.isNaN(z)) z = table[h] = inverseNormalCdf((h / 2 - 0.5) / count);
    for (let i = start; i < end; i++) out[order[i]!] = z;
    start = end;
  }
  return out;
}
