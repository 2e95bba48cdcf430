import type { ByteWriter } from "./byte-writer.js";

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
