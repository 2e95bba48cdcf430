import type { Data } from "apache-arrow";
import { type ChunkValues, dictionaryChunk, int32Bytes, scratchI32, scratchU8 } from "./chunk-values.js";
import { isValid } from "./levels.js";
import { type HybridValues, bitWidthFor } from "./rle-hybrid.js";

type SmallInts = Int8Array | Int16Array | Uint8Array | Uint16Array;
type SmallKind = "int8" | "int16" | "uint8" | "uint16";

/** Value offset that maps each kind's range onto slots 0..2^bits - 1 in numeric order. */
const BIAS = { int8: 128, int16: 32768, uint8: 0, uint16: 0 } as const;

/** Presence of each slot in the current chunk; all 0 between chunks. */
const seen8 = new Uint8Array(256);
const seen16 = new Uint8Array(65536);
/** Dictionary index of each slot, for chunks whose values are too sparse for a range. */
const index16 = new Int32Array(65536);

/**
 * Dictionary-encodes a chunk of 8- or 16-bit integers: every such column has at most 2^16
 * distinct values, so the dictionary always fits. When the values' range needs no more bits
 * than their distinct count (features 0..4: 5 values, range 0..4, 3 bits) the dictionary is
 * the whole range and an index is the value minus the range's start: no lookup per value, and
 * for non-negative 8-bit values the Arrow bytes themselves are the indices. Sparser values get
 * a dictionary of exactly the values present, in ascending order.
 *
 * @param pieces - the chunk's Arrow data (typed values, nulls skipped)
 * @param kind - the integer kind
 * @param count - non-null values in the pieces (> 0)
 * @returns the chunk's values, dictionary-encoded, with min and max
 */
export function smallIntValues(pieces: readonly Data[], kind: SmallKind, count: number): ChunkValues {
  const bias = BIAS[kind];
  const narrow = kind === "int8" || kind === "uint8";
  const seen = narrow ? seen8 : seen16;
  const mask = smallValueMask(pieces);
  if (mask !== 0) {
    for (let v = 0; v < 32; v++) if ((mask >>> v) & 1) seen[v + bias] = 1;
  } else {
    for (const p of pieces) {
      if (p.nullCount === 0) markAll(p.values as SmallInts, p.length, bias, seen);
      else markValid(p, bias, seen);
    }
  }
  let min = -1;
  let max = -1;
  let distinct = 0;
  for (let s = 0; s < seen.length; s++) {
    if (seen[s] === 0) continue;
    if (min < 0) min = s;
    max = s;
    distinct++;
  }
  const width = bitWidthFor(distinct - 1);
  // Start the range at value 0 when that costs no bit: indices are then the values themselves.
  const lo = min >= bias && bitWidthFor(max - bias) === width ? bias : min;
  let indices: HybridValues;
  let entries: number;
  let body: Uint8Array;
  if (bitWidthFor(max - lo) === width) {
    entries = max - lo + 1;
    body = new Uint8Array(4 * entries);
    const view = new DataView(body.buffer);
    for (let e = 0; e < entries; e++) view.setInt32(4 * e, lo + e - bias, true);
    indices = narrow && lo === bias ? byteIndices(pieces, count) : offsetIndices(pieces, bias - lo, narrow ? scratchU8(count) : scratchI32(count));
  } else {
    entries = distinct;
    body = new Uint8Array(4 * entries);
    const view = new DataView(body.buffer);
    for (let s = min, e = 0; s <= max; s++) {
      if (seen[s] === 0) continue;
      index16[s] = e;
      view.setInt32(4 * e++, s - bias, true);
    }
    indices = mappedIndices(pieces, bias, narrow ? scratchU8(count) : scratchI32(count));
  }
  seen.fill(0, min, max + 1);
  return dictionaryChunk(count, body, entries, width, indices, int32Bytes(min - bias), int32Bytes(max - bias));
}

/**
 * The set of values as a bit mask when every value lies in 0..31 and no piece has nulls (the
 * usual feature column), else 0: a pass with no memory writes, cheaper than marking a table.
 */
function smallValueMask(pieces: readonly Data[]): number {
  let mask = 0;
  for (const p of pieces) {
    if (p.nullCount !== 0) return 0;
    const m = maskOf(p.values as SmallInts, p.length);
    if (m === 0) return 0;
    mask |= m;
  }
  return mask;
}

function maskOf(values: SmallInts, n: number): number {
  let mask = 0;
  let any = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    mask |= 1 << v;
    any |= v;
  }
  // A negative value (sign bits set) or one past 31 shows in `any`'s high bits.
  return (any & ~31) === 0 ? mask : 0;
}

function markAll(values: SmallInts, n: number, bias: number, seen: Uint8Array): void {
  for (let i = 0; i < n; i++) seen[values[i]! + bias] = 1;
}

function markValid(p: Data, bias: number, seen: Uint8Array): void {
  const values = p.values as SmallInts;
  for (let i = 0; i < p.length; i++) if (isValid(p, i)) seen[values[i]! + bias] = 1;
}

/**
 * Indices of non-negative 8-bit values: their bytes, as they are (one piece without nulls)
 * or copied together.
 */
function byteIndices(pieces: readonly Data[], count: number): Uint8Array {
  const bytes = (p: Data) => {
    const v = p.values as Int8Array | Uint8Array;
    return new Uint8Array(v.buffer, v.byteOffset, p.length);
  };
  const only = pieces[0]!;
  if (pieces.length === 1 && only.nullCount === 0) return bytes(only);
  const out = scratchU8(count);
  let at = 0;
  for (const p of pieces) {
    const b = bytes(p);
    if (p.nullCount === 0) {
      out.set(b, at);
      at += b.length;
    } else for (let i = 0; i < p.length; i++) if (isValid(p, i)) out[at++] = b[i]!;
  }
  return out;
}

/** Indices as value + shift (the range dictionary's start moved to 0). */
function offsetIndices(pieces: readonly Data[], shift: number, out: Uint8Array | Int32Array): HybridValues {
  let at = 0;
  for (const p of pieces) {
    const v = p.values as SmallInts;
    const nulls = p.nullCount !== 0;
    for (let i = 0; i < p.length; i++) if (!nulls || isValid(p, i)) out[at++] = v[i]! + shift;
  }
  return out;
}

/** Indices looked up per value (sparse values: the dictionary holds only those present). */
function mappedIndices(pieces: readonly Data[], bias: number, out: Uint8Array | Int32Array): HybridValues {
  let at = 0;
  for (const p of pieces) {
    const v = p.values as SmallInts;
    const nulls = p.nullCount !== 0;
    for (let i = 0; i < p.length; i++) if (!nulls || isValid(p, i)) out[at++] = index16[v[i]! + bias]!;
  }
  return out;
}
