/**
 * Average ranks (1-based, ties share the mean of their positions) of the finite values
 * `values[0..n)` into `out`. `sorted` is scratch space of at least n entries. The values are
 * sorted natively (no comparator) and each rank found by binary search, which is several times
 * faster in V8 than sorting an index permutation with a comparator.
 */
export function averageRanks(values: Float64Array, n: number, out: Float64Array, sorted: Float64Array): void {
  const s = sorted.subarray(0, n);
  s.set(values.subarray(0, n));
  s.sort();
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! < v) lo = mid + 1;
      else hi = mid;
    }
    const first = lo;
    hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (s[mid]! <= v) lo = mid + 1;
      else hi = mid;
    }
    // Positions first .. lo − 1 hold v: ranks first + 1 .. lo, whose mean is (first + 1 + lo) / 2.
    out[i] = (first + 1 + lo) / 2;
  }
}

/** Reusable buffers for ranking up to `capacity` values at a time. */
export class RankScratch {
  readonly rx: Float64Array;
  readonly ry: Float64Array;
  readonly sorted: Float64Array;

  constructor(capacity: number) {
    this.rx = new Float64Array(capacity);
    this.ry = new Float64Array(capacity);
    this.sorted = new Float64Array(capacity);
  }
}
