/**
 * Pearson correlation as numpy's `corrcoef` computes it (two-pass, centred sums, clipped to
 * [−1, 1]); NaN when either input is constant or has fewer than two values.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
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
  const r = sxy / Math.sqrt(sxx) / Math.sqrt(syy);
  return r > 1 ? 1 : r < -1 ? -1 : r;
}

/** Mean of the non-NaN values (NaN when there are none). */
export function nanMean(x: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < x.length; i++) {
    const v = x[i]!;
    if (!Number.isNaN(v)) {
      s += v;
      c++;
    }
  }
  return s / c;
}

/** Population standard deviation (ddof 0). */
export function populationStd(x: ArrayLike<number>): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i]! - m) * (x[i]! - m);
  return Math.sqrt(ss / n);
}
