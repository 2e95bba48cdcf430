/**
 * Trailing medians over a daily series: `out[t]` is the median of the finite values among
 * `values[start + t - lookback] .. values[start + t - 1]`, i.e. the `lookback` days strictly
 * before day t; day t itself never counts. NaN when the window holds no finite value. An even
 * count takes the mean of the two middle values. Runs in O(days × lookback) with one sorted
 * buffer, no allocation per day.
 */
export function trailingMedians(
  values: Float64Array,
  start: number,
  days: number,
  lookback: number,
  out: Float64Array,
  outStart: number,
): void {
  const sorted = new Float64Array(lookback);
  let k = 0;
  for (let t = 0; t < days; t++) {
    if (t - 1 - lookback >= 0) {
      const leaving = values[start + t - 1 - lookback]!;
      if (Number.isFinite(leaving)) k = removeSorted(sorted, k, leaving);
    }
    if (t >= 1) {
      const entering = values[start + t - 1]!;
      if (Number.isFinite(entering)) k = insertSorted(sorted, k, entering);
    }
    out[outStart + t] = k === 0 ? Number.NaN : (k & 1) === 1 ? sorted[k >> 1]! : (sorted[(k >> 1) - 1]! + sorted[k >> 1]!) / 2;
  }
}

function lowerBound(sorted: Float64Array, k: number, x: number): number {
  let lo = 0;
  let hi = k;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(sorted: Float64Array, k: number, x: number): number {
  const at = lowerBound(sorted, k, x);
  sorted.copyWithin(at + 1, at, k);
  sorted[at] = x;
  return k + 1;
}

function removeSorted(sorted: Float64Array, k: number, x: number): number {
  const at = lowerBound(sorted, k, x);
  sorted.copyWithin(at, at + 1, k);
  return k - 1;
}
