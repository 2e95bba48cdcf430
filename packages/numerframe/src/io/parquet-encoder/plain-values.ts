import type { Data } from "apache-arrow";
import type { ByteWriter } from "./byte-writer.js";
import { type ChunkValues, int32Bytes } from "./chunk-values.js";
import { isValid } from "./levels.js";
import { packBooleans } from "./rle-hybrid.js";

type Fixed = Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array;
type FixedCtor = Int32ArrayConstructor | Uint32ArrayConstructor | Float32ArrayConstructor | Float64ArrayConstructor | BigInt64ArrayConstructor;

const CTOR = { int32: Int32Array, uint32: Uint32Array, float32: Float32Array, float64: Float64Array, int64: BigInt64Array } as const;

/**
 * The non-null values of a fixed-width chunk as one typed array: the Arrow buffer itself when
 * the chunk is one piece without nulls, else a compacted copy.
 */
function compact(pieces: readonly Data[], Ctor: FixedCtor, count: number): Fixed {
  const only = pieces[0];
  if (pieces.length === 1 && only !== undefined && only.nullCount === 0) return (only.values as Fixed).subarray(0, only.length);
  const out = new Ctor(count);
  let at = 0;
  for (const p of pieces) {
    const v = p.values as Fixed;
    if (p.nullCount === 0) {
      (out as Float64Array).set((v as Float64Array).subarray(0, p.length), at);
      at += p.length;
    } else for (let i = 0; i < p.length; i++) if (isValid(p, i)) out[at++] = v[i]!;
  }
  return out;
}

/**
 * PLAIN values of an INT32 / INT64 / FLOAT / DOUBLE chunk (little-endian, as typed arrays
 * hold them on every platform Node runs on). Integer chunks keep min and max statistics
 * (unsigned order for uint32); float chunks none, as NaN has no place in an order.
 *
 * @param pieces - the chunk's Arrow data
 * @param kind - the fixed-width kind
 * @param count - non-null values
 * @returns the chunk's values, PLAIN
 */
export function fixedValues(pieces: readonly Data[], kind: keyof typeof CTOR, count: number): ChunkValues {
  const values = compact(pieces, CTOR[kind], count);
  const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  const size = values.BYTES_PER_ELEMENT;
  let min: Uint8Array | undefined;
  let max: Uint8Array | undefined;
  if (count > 0 && kind !== "float32" && kind !== "float64") {
    const [lo, hi] = kind === "int64" ? bigRange(values as BigInt64Array) : range(values as Int32Array | Uint32Array);
    if (kind === "int64") {
      min = new Uint8Array(8);
      max = new Uint8Array(8);
      new DataView(min.buffer).setBigInt64(0, (values as BigInt64Array)[lo]!, true);
      new DataView(max.buffer).setBigInt64(0, (values as BigInt64Array)[hi]!, true);
    } else {
      min = int32Bytes(values[lo] as number);
      max = int32Bytes(values[hi] as number);
    }
  }
  return {
    count,
    dictionary: undefined,
    bytesPerValue: size,
    write: (from: number, to: number, out: ByteWriter) => out.bytes(bytes.subarray(from * size, to * size)),
    min,
    max,
  };
}

/** Positions of the smallest and largest value. */
function range(v: Int32Array | Uint32Array): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < v.length; i++) {
    const x = v[i]!;
    if (x < v[lo]!) lo = i;
    else if (x > v[hi]!) hi = i;
  }
  return [lo, hi];
}

function bigRange(v: BigInt64Array): [number, number] {
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < v.length; i++) {
    const x = v[i]!;
    if (x < v[lo]!) lo = i;
    else if (x > v[hi]!) hi = i;
  }
  return [lo, hi];
}

/**
 * PLAIN values of a BOOLEAN chunk: bit-packed, LSB first, a page's bits starting afresh.
 *
 * @param pieces - the chunk's Arrow data (bits at the piece's offset)
 * @param count - non-null values
 * @returns the chunk's values, PLAIN
 */
export function boolValues(pieces: readonly Data[], count: number): ChunkValues {
  const bits = new Uint8Array(count);
  let at = 0;
  for (const p of pieces) {
    const v = p.values as Uint8Array;
    const off = p.offset;
    const nulls = p.nullCount !== 0;
    for (let i = 0; i < p.length; i++) {
      if (nulls && !isValid(p, i)) continue;
      const b = off + i;
      bits[at++] = (v[b >> 3]! >> (b & 7)) & 1;
    }
  }
  return {
    count,
    dictionary: undefined,
    bytesPerValue: 1 / 8,
    write: (from: number, to: number, out: ByteWriter) => packBooleans(bits, from, to, out),
    min: undefined,
    max: undefined,
  };
}
