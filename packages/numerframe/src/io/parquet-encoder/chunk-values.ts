import type { ByteWriter } from "./byte-writer.js";
import { type HybridValues, encodeHybrid } from "./rle-hybrid.js";

/**
 * The non-null values of one column chunk, ready to be cut into pages: either dictionary
 * indices (with the dictionary page's PLAIN body) or values written PLAIN.
 */
export interface ChunkValues {
  /** Non-null values in the chunk. */
  readonly count: number;
  /** The dictionary page: PLAIN-encoded entries and their number; absent for PLAIN chunks. */
  readonly dictionary: { readonly body: Uint8Array; readonly count: number } | undefined;
  /** Approximate encoded bytes per value, to size pages. */
  readonly bytesPerValue: number;
  /** Appends the encoded values [from, to) of a data page. */
  write(from: number, to: number, out: ByteWriter): void;
  /** Statistics bounds, PLAIN-encoded (no length prefix); absent when not kept or no value. */
  readonly min: Uint8Array | undefined;
  readonly max: Uint8Array | undefined;
}

/**
 * A dictionary-encoded chunk: data pages hold the bit width, then the indices in the RLE /
 * bit-packed hybrid.
 *
 * @param count - non-null values in the chunk
 * @param body - the dictionary page's PLAIN-encoded entries
 * @param entries - the number of entries
 * @param width - bits per index
 * @param indices - one index per non-null value
 * @param min - statistics lower bound, PLAIN-encoded (or undefined)
 * @param max - statistics upper bound, PLAIN-encoded (or undefined)
 * @returns the chunk's values
 * @throws never
 * @example
 * const values = dictionaryChunk(3, body, 2, 1, Uint8Array.of(0, 1, 1), undefined, undefined);
 */
export function dictionaryChunk(
  count: number,
  body: Uint8Array,
  entries: number,
  width: number,
  indices: HybridValues,
  min: Uint8Array | undefined,
  max: Uint8Array | undefined,
): ChunkValues {
  return {
    count,
    dictionary: { body, count: entries },
    bytesPerValue: width / 8,
    write: (from: number, to: number, out: ByteWriter) => {
      out.byte(width);
      encodeHybrid(indices, from, to, width, out);
    },
    min,
    max,
  };
}

/** A little-endian int32 as 4 bytes (statistics of INT32 columns). */
export function int32Bytes(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setInt32(0, v, true);
  return b;
}

let u8 = new Uint8Array(1 << 16);
let i32 = new Int32Array(1 << 16);

/**
 * Scratch index buffers shared by all chunks: a chunk's values are written to pages before
 * the next chunk is prepared, so one buffer serves them all (no 100 kB allocation per chunk).
 */
export function scratchU8(n: number): Uint8Array {
  if (u8.length < n) u8 = new Uint8Array(Math.max(n, 2 * u8.length));
  return u8.subarray(0, n);
}

/** As `scratchU8`, for indices that may pass 255. */
export function scratchI32(n: number): Int32Array {
  if (i32.length < n) i32 = new Int32Array(Math.max(n, 2 * i32.length));
  return i32.subarray(0, n);
}
