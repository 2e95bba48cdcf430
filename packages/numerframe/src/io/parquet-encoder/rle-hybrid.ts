import type { ByteWriter } from "./byte-writer.js";

/** Values that the hybrid encoder reads: dictionary indices or definition levels. */
export type HybridValues = Uint8Array | Int32Array;

/**
 * Bits needed for values 0..max (at least 1: a zero width is legal but some readers mishandle it).
 *
 * @param max - the largest value to store, >= 0
 * @returns the bit width, 1..32
 * @example
 * [bitWidthFor(0), bitWidthFor(4), bitWidthFor(255)]; // [1, 3, 8]
 */
export function bitWidthFor(max: number): number {
  return max <= 1 ? 1 : 32 - Math.clz32(max);
}

/**
 * Appends `values[from..to)` in Parquet's RLE / bit-packed hybrid encoding (no length prefix)
 * at `bitWidth` bits per value (1..24). Values are taken in groups of 8: a group of 8 equal
 * values starts an RLE run that takes every following repeat; other groups are bit-packed,
 * LSB first. Checking whole groups (not every position) keeps random data at a few compares
 * per group; only repeats shorter than 15 can be missed, at no cost in correctness. Only the
 * final bit-packed run is padded (with zeros), as the format allows, so the reader must know
 * the value count (a page header says it).
 *
 * @param values - non-negative integers below 2^bitWidth
 * @param from - first index, inclusive
 * @param to - last index, exclusive
 * @param bitWidth - bits per value, 1..24
 * @param out - where the bytes go
 * @example
 * // 0..7 at 3 bits: one bit-packed group, header 0x03, then 0x88 0xc6 0xfa (the spec's example)
 * encodeHybrid(Uint8Array.of(0, 1, 2, 3, 4, 5, 6, 7), 0, 8, 3, out);
 */
export function encodeHybrid(values: HybridValues, from: number, to: number, bitWidth: number, out: ByteWriter): void {
  let pending = from;
  let i = from;
  while (i + 8 <= to) {
    const v = values[i]!;
    if (
      values[i + 1] === v &&
      values[i + 2] === v &&
      values[i + 3] === v &&
      values[i + 4] === v &&
      values[i + 5] === v &&
      values[i + 6] === v &&
      values[i + 7] === v
    ) {
      let j = i + 8;
      while (j < to && values[j] === v) j++;
      if (i > pending) writeBitPacked(values, pending, i, bitWidth, out);
      writeRle(v, j - i, bitWidth, out);
      pending = i = j;
    } else i += 8;
  }
  if (pending < to) writeBitPacked(values, pending, to, bitWidth, out);
}

/** One RLE run: header `count << 1`, then the value in ceil(bitWidth / 8) little-endian bytes. */
function writeRle(value: number, count: number, bitWidth: number, out: ByteWriter): void {
  out.varint(count * 2);
  for (let w = 0; w < bitWidth; w += 8) out.byte((value >>> w) & 0xff);
}

/** The last, partial group of a run, zero-padded to 8 values. */
const tail = new Int32Array(8);

/** One bit-packed run of values[start..stop), the last group padded with zeros. */
function writeBitPacked(values: HybridValues, start: number, stop: number, bitWidth: number, out: ByteWriter): void {
  const groups = (stop - start + 7) >> 3;
  out.varint(groups * 2 + 1);
  out.ensure(groups * bitWidth);
  const whole = start + ((stop - start) & ~7);
  let p =
    bitWidth <= 4
      ? packSmall(values, start, whole, bitWidth, out.buf, out.pos)
      : bitWidth <= 8
        ? packNarrow(values, start, whole, bitWidth, out.buf, out.pos)
        : packWide(values, start, whole, bitWidth, out.buf, out.pos);
  if (whole < stop) {
    tail.fill(0);
    for (let k = whole; k < stop; k++) tail[k - whole] = values[k]!;
    p = packWide(tail, 0, 8, bitWidth, out.buf, p);
  }
  out.pos = p;
}

/** Packs whole groups of 8 values of at most 4 bits: a group is one 32-bit word, bitWidth bytes. */
function packSmall(v: HybridValues, start: number, stop: number, w: number, b: Uint8Array, p: number): number {
  const w2 = 2 * w;
  const w3 = 3 * w;
  const w4 = 4 * w;
  const w5 = 5 * w;
  const w6 = 6 * w;
  const w7 = 7 * w;
  for (let k = start; k < stop; k += 8) {
    const c =
      v[k]! | (v[k + 1]! << w) | (v[k + 2]! << w2) | (v[k + 3]! << w3) | (v[k + 4]! << w4) | (v[k + 5]! << w5) | (v[k + 6]! << w6) | (v[k + 7]! << w7);
    b[p] = c & 0xff;
    if (w > 1) b[p + 1] = (c >>> 8) & 0xff;
    if (w > 2) b[p + 2] = (c >>> 16) & 0xff;
    if (w > 3) b[p + 3] = c >>> 24;
    p += w;
  }
  return p;
}

/**
 * Packs whole groups of 8 values of at most 8 bits: each group is two 32-bit halves of four
 * values (4 x bitWidth bits each), whose bytes are then written out, bitWidth per group.
 */
function packNarrow(v: HybridValues, start: number, stop: number, w: number, b: Uint8Array, p: number): number {
  const w2 = 2 * w;
  const w3 = 3 * w;
  const half = 4 * w;
  const straddle = half & 7;
  const loBytes = half >> 3;
  for (let k = start; k < stop; k += 8) {
    const lo = v[k]! | (v[k + 1]! << w) | (v[k + 2]! << w2) | (v[k + 3]! << w3);
    const hi = v[k + 4]! | (v[k + 5]! << w) | (v[k + 6]! << w2) | (v[k + 7]! << w3);
    let bit = 0;
    for (let q = 0; q < loBytes; q++, bit += 8) b[p++] = (lo >>> bit) & 0xff;
    if (straddle !== 0) {
      // The byte that holds the top bits of `lo` and the first bits of `hi`.
      b[p++] = ((lo >>> bit) | (hi << straddle)) & 0xff;
      bit += 8;
    }
    for (; bit < 2 * half; bit += 8) b[p++] = (hi >>> (bit - half)) & 0xff;
  }
  return p;
}

/** Packs whole groups of 8 values of any width up to 24 bits through an accumulator. */
function packWide(v: HybridValues, start: number, stop: number, w: number, b: Uint8Array, p: number): number {
  let acc = 0;
  let bits = 0;
  for (let k = start; k < stop; k++) {
    acc |= v[k]! << bits;
    bits += w;
    while (bits >= 8) {
      b[p++] = acc & 0xff;
      acc >>>= 8;
      bits -= 8;
    }
  }
  return p;
}

/**
 * Bit-packs booleans (0/1 bytes) LSB first, as Parquet's PLAIN encoding of BOOLEAN.
 *
 * @param bits - 0/1 values
 * @param from - first index, inclusive
 * @param to - last index, exclusive
 * @param out - where the ceil((to - from) / 8) bytes go
 */
export function packBooleans(bits: Uint8Array, from: number, to: number, out: ByteWriter): void {
  const n = to - from;
  out.ensure((n + 7) >> 3);
  const b = out.buf;
  let p = out.pos;
  let k = from;
  for (; k + 8 <= to; k += 8) {
    b[p++] =
      bits[k]! | (bits[k + 1]! << 1) | (bits[k + 2]! << 2) | (bits[k + 3]! << 3) | (bits[k + 4]! << 4) | (bits[k + 5]! << 5) | (bits[k + 6]! << 6) | (bits[k + 7]! << 7);
  }
  if (k < to) {
    let acc = 0;
    for (let s = 0; k < to; k++, s++) acc |= bits[k]! << s;
    b[p++] = acc;
  }
  out.pos = p;
}
