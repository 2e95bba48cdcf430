/**
 * Stable ascending order of the non-NaN values of `x` (row numbers; ties keep row order) and
 * their count. An LSD radix sort on the IEEE-754 bit pattern, 8 bits per pass, skipping passes
 * in which every key shares the digit: for per-era vectors of thousands of rows this is several
 * times faster than a comparison sort. −0 sorts as +0.
 */
export function argsortNonNaN(x: ArrayLike<number>): { order: Int32Array; count: number } {
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
