let sorts = 0;

/**
 * How many value vectors the ranker has sorted since it was loaded (every rank function sorts
 * once per call). Benchmarks and tests read it to check that work is shared: scoring ten
 * predictions against one meta model over an era sorts eleven vectors, not twenty.
 *
 * @returns the number of sorts so far in this module instance
 * @throws never
 * @example
 * const before = sortCount();
 * tieKeptRank([3, 1, 2]);
 * sortCount() - before; // 1
 */
export function sortCount(): number {
  return sorts;
}

/**
 * Stable ascending order of the non-NaN values of `x` (row numbers; ties keep row order) and
 * their count. Finite values are spread over n buckets by their position between the minimum
 * and the maximum (a monotone map, so bucket order is value order), then each small bucket is
 * insertion-sorted: about one pass over the data for the spread-out values ranks are taken of.
 * Infinite values, and buckets that grow large and unsorted (clustered data), fall back to the
 * radix sort below. −0 sorts as +0.
 */
export function argsortNonNaN(x: ArrayLike<number>): { order: Int32Array; count: number } {
  sorts++;
  const n = x.length;
  let count = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    count++;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const range = max - min;
  const scale = count / range;
  // An infinite value or range (which would make a bucket index NaN) or a zero range: no buckets.
  if (count < 2 || !Number.isFinite(range) || !(scale > 0 && Number.isFinite(scale))) {
    if (count >= 2 && min === max) {
      const order = new Int32Array(count);
      let c = 0;
      for (let i = 0; i < n; i++) if (!Number.isNaN(x[i]!)) order[c++] = i;
      return { order, count };
    }
    return radixArgsortNonNaN(x);
  }
  const last = count - 1;
  const bucketOf = new Int32Array(count);
  const starts = new Int32Array(count + 1);
  const rows = new Int32Array(count);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    const b = Math.min(last, Math.floor((v - min) * scale));
    bucketOf[c] = b;
    rows[c] = i;
    starts[b + 1]!++;
    c++;
  }
  for (let b = 0; b < count; b++) starts[b + 1] = starts[b + 1]! + starts[b]!;
  const next = starts.slice(0, count);
  const keys = new Float64Array(count);
  const order = new Int32Array(count);
  for (let j = 0; j < count; j++) {
    const at = next[bucketOf[j]!]!++;
    order[at] = rows[j]!;
    keys[at] = x[rows[j]!]! + 0; // −0 + 0 is +0
  }
  for (let b = 0; b < count; b++) {
    const s = starts[b]!;
    const e = starts[b + 1]!;
    if (e - s < 2) continue;
    if (e - s <= 32) {
      insertionSort(keys, order, s, e);
      continue;
    }
    let sorted = true;
    for (let i = s + 1; i < e; i++) {
      if (keys[i]! < keys[i - 1]!) {
        sorted = false;
        break;
      }
    }
    if (sorted) continue;
    const local = radixArgsortNonNaN(keys.subarray(s, e)).order;
    const segKeys = keys.slice(s, e);
    const segOrder = order.slice(s, e);
    for (let i = 0; i < local.length; i++) {
      keys[s + i] = segKeys[local[i]!]!;
      order[s + i] = segOrder[local[i]!]!;
    }
  }
  return { order, count };
}

/** Stable insertion sort of keys[s, e) carrying order along. */
function insertionSort(keys: Float64Array, order: Int32Array, s: number, e: number): void {
  for (let i = s + 1; i < e; i++) {
    const k = keys[i]!;
    const o = order[i]!;
    let j = i - 1;
    while (j >= s && keys[j]! > k) {
      keys[j + 1] = keys[j]!;
      order[j + 1] = order[j]!;
      j--;
    }
    keys[j + 1] = k;
    order[j + 1] = o;
  }
}

/**
 * The same order by an LSD radix sort on the IEEE-754 bit pattern, 8 bits per pass, skipping passes
 * in which every key shares the digit: for per-era vectors of thousands of rows this is several
 * times faster than a comparison sort. −0 sorts as +0.
 */
export function radixArgsortNonNaN(x: ArrayLike<number>): { order: Int32Array; count: number } {
  const n = x.length;
  let count = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(x[i]!)) count++;
  const keys = new Float64Array(count);
  let order = new Int32Array(count);
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (Number.isNaN(v)) continue;
    keys[c] = v + 0; // −0 + 0 is +0
    order[c] = i;
    c++;
  }
  const words = new Uint32Array(keys.buffer);
  // Sortable unsigned keys: negative numbers flip every bit, others flip the sign bit.
  let lo = new Uint32Array(count);
  let hi = new Uint32Array(count);
  // Little-endian: word 2i is the low half, 2i+1 the high half.
  for (let i = 0; i < count; i++) {
    const h = words[2 * i + 1]!;
    const l = words[2 * i]!;
    if (h & 0x80000000) {
      hi[i] = ~h >>> 0;
      lo[i] = ~l >>> 0;
    } else {
      hi[i] = (h | 0x80000000) >>> 0;
      lo[i] = l;
    }
  }
  let lo2 = new Uint32Array(count);
  let hi2 = new Uint32Array(count);
  let order2 = new Int32Array(count);
  const hist = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const src = pass < 4 ? lo : hi;
    const shift = (pass & 3) * 8;
    hist.fill(0);
    for (let i = 0; i < count; i++) hist[(src[i]! >>> shift) & 255]!++;
    let trivial = false;
    for (let d = 0; d < 256; d++) {
      if (hist[d] === count) {
        trivial = true;
        break;
      }
      if (hist[d] !== 0) break;
    }
    if (trivial) continue;
    let sum = 0;
    for (let d = 0; d < 256; d++) {
      const h = hist[d]!;
      hist[d] = sum;
      sum += h;
    }
    for (let i = 0; i < count; i++) {
      const dst = hist[(src[i]! >>> shift) & 255]!++;
      lo2[dst] = lo[i]!;
      hi2[dst] = hi[i]!;
      order2[dst] = order[i]!;
    }
    [lo, lo2] = [lo2, lo];
    [hi, hi2] = [hi2, hi];
    [order, order2] = [order2, order];
  }
  return { order, count };
}
