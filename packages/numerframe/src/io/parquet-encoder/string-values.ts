import type { Data, Vector } from "apache-arrow";
import { ByteDictionary, compareBytes } from "./byte-dictionary.js";
import type { ByteWriter } from "./byte-writer.js";
import { type ChunkValues, dictionaryChunk, scratchI32 } from "./chunk-values.js";
import { isValid } from "./levels.js";
import { bitWidthFor } from "./rle-hybrid.js";

/** UTF-8 strings as Arrow lays them out: entry i is bytes[offsets[i]..offsets[i + 1]). */
interface Utf8Run {
  offsets: Int32Array;
  bytes: Uint8Array;
}

/** Dictionary limits past which a chunk is written PLAIN instead (arrow-rs falls back likewise). */
export interface DictionaryLimits {
  maxEntries: number;
  maxBytes: number;
}

/** One Utf8 run of a dictionary vector (copied together when Arrow split it into chunks). */
function flatUtf8(vector: Vector): Utf8Run {
  const parts = vector.data;
  if (parts.length === 1) return { offsets: parts[0]!.valueOffsets as Int32Array, bytes: parts[0]!.values as Uint8Array };
  let n = 0;
  let size = 0;
  for (const d of parts) {
    n += d.length;
    const o = d.valueOffsets as Int32Array;
    size += o[d.length]! - o[0]!;
  }
  const offsets = new Int32Array(n + 1);
  const bytes = new Uint8Array(size);
  let at = 0;
  let pos = 0;
  for (const d of parts) {
    const o = d.valueOffsets as Int32Array;
    const b = d.values as Uint8Array;
    bytes.set(b.subarray(o[0]!, o[d.length]!), pos);
    for (let i = 0; i < d.length; i++) offsets[at + i] = pos + o[i]! - o[0]!;
    at += d.length;
    pos += o[d.length]! - o[0]!;
  }
  offsets[n] = pos;
  return { offsets, bytes };
}

/**
 * The values of a string chunk (Utf8 or Dictionary<Utf8> pieces): dictionary-encoded when the
 * distinct strings stay within `limits`, else PLAIN. Dictionary<Utf8> pieces add only the
 * entries their rows use, each once; Utf8 rows are hashed as bytes, never decoded.
 *
 * @param pieces - the chunk's Arrow data
 * @param count - non-null values
 * @param limits - dictionary size limits
 * @returns the chunk's values, with byte-wise min and max
 */
export function stringValues(pieces: readonly Data[], count: number, limits: DictionaryLimits): ChunkValues {
  const dict = new ByteDictionary(limits.maxEntries, limits.maxBytes);
  const indices = scratchI32(count);
  let at = 0;
  for (const p of pieces) {
    at = p.dictionary !== undefined ? addDictionaryPiece(p, dict, indices, at) : addUtf8Piece(p, dict, indices, at);
    if (at < 0) return plainStrings(pieces, count);
  }
  const n = dict.size;
  const body = new Uint8Array(4 * n + dict.byteLength);
  const view = new DataView(body.buffer);
  let lo = 0;
  let hi = 0;
  const o = dict.offsets;
  const b = dict.bytes;
  for (let e = 0, pos = 0; e < n; e++) {
    const len = o[e + 1]! - o[e]!;
    view.setInt32(pos, len, true);
    body.set(b.subarray(o[e]!, o[e + 1]!), pos + 4);
    pos += 4 + len;
    if (compareBytes(b, o[e]!, len, b, o[lo]!, o[lo + 1]! - o[lo]!) < 0) lo = e;
    if (compareBytes(b, o[e]!, len, b, o[hi]!, o[hi + 1]! - o[hi]!) > 0) hi = e;
  }
  const width = bitWidthFor(n - 1);
  return dictionaryChunk(count, body, n, width, indices, n > 0 ? b.slice(o[lo]!, o[lo + 1]!) : undefined, n > 0 ? b.slice(o[hi]!, o[hi + 1]!) : undefined);
}

/** Adds a Utf8 piece's rows; returns the next index position, or -1 past the limits. */
function addUtf8Piece(p: Data, dict: ByteDictionary, indices: Int32Array, at: number): number {
  const offsets = p.valueOffsets as Int32Array;
  const bytes = p.values as Uint8Array;
  const nulls = p.nullCount !== 0;
  for (let i = 0; i < p.length; i++) {
    if (nulls && !isValid(p, i)) continue;
    const e = dict.add(bytes, offsets[i]!, offsets[i + 1]!);
    if (e < 0) return -1;
    indices[at++] = e;
  }
  return at;
}

/** Adds a Dictionary<Utf8> piece: its used entries once each, its keys remapped. */
function addDictionaryPiece(p: Data, dict: ByteDictionary, indices: Int32Array, at: number): number {
  const { offsets, bytes } = flatUtf8(p.dictionary!);
  const remap = new Int32Array(offsets.length - 1).fill(-1);
  const keys = p.values as Int32Array;
  const nulls = p.nullCount !== 0;
  for (let i = 0; i < p.length; i++) {
    if (nulls && !isValid(p, i)) continue;
    const k = keys[i]!;
    let e = remap[k]!;
    if (e < 0) {
      e = dict.add(bytes, offsets[k]!, offsets[k + 1]!);
      if (e < 0) return -1;
      remap[k] = e;
    }
    indices[at++] = e;
  }
  return at;
}

/** The non-null strings of a chunk, copied into one run, for PLAIN pages. */
function gather(pieces: readonly Data[], count: number): Utf8Run {
  const runs = pieces.map((p) => (p.dictionary !== undefined ? flatUtf8(p.dictionary) : { offsets: p.valueOffsets as Int32Array, bytes: p.values as Uint8Array }));
  let size = 0;
  pieces.forEach((p, j) => {
    const { offsets } = runs[j]!;
    const keys = p.dictionary !== undefined ? (p.values as Int32Array) : undefined;
    const nulls = p.nullCount !== 0;
    for (let i = 0; i < p.length; i++) {
      if (nulls && !isValid(p, i)) continue;
      const k = keys === undefined ? i : keys[i]!;
      size += offsets[k + 1]! - offsets[k]!;
    }
  });
  const out = { offsets: new Int32Array(count + 1), bytes: new Uint8Array(size) };
  let at = 0;
  let pos = 0;
  pieces.forEach((p, j) => {
    const { offsets, bytes } = runs[j]!;
    const keys = p.dictionary !== undefined ? (p.values as Int32Array) : undefined;
    const nulls = p.nullCount !== 0;
    for (let i = 0; i < p.length; i++) {
      if (nulls && !isValid(p, i)) continue;
      const k = keys === undefined ? i : keys[i]!;
      const s = offsets[k]!;
      const e = offsets[k + 1]!;
      for (let q = s; q < e; q++) out.bytes[pos++] = bytes[q]!;
      out.offsets[++at] = pos;
    }
  });
  return out;
}

/** PLAIN BYTE_ARRAY values: a 4-byte little-endian length before each string's bytes. */
function plainStrings(pieces: readonly Data[], count: number): ChunkValues {
  const { offsets, bytes } = gather(pieces, count);
  let lo = 0;
  let hi = 0;
  for (let i = 1; i < count; i++) {
    const s = offsets[i]!;
    const len = offsets[i + 1]! - s;
    if (compareBytes(bytes, s, len, bytes, offsets[lo]!, offsets[lo + 1]! - offsets[lo]!) < 0) lo = i;
    else if (compareBytes(bytes, s, len, bytes, offsets[hi]!, offsets[hi + 1]! - offsets[hi]!) > 0) hi = i;
  }
  return {
    count,
    dictionary: undefined,
    bytesPerValue: count === 0 ? 4 : 4 + bytes.length / count,
    write: (from: number, to: number, out: ByteWriter) => {
      out.ensure(4 * (to - from) + offsets[to]! - offsets[from]!);
      const b = out.buf;
      let p = out.pos;
      for (let i = from; i < to; i++) {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        const len = e - s;
        b[p] = len & 0xff;
        b[p + 1] = (len >>> 8) & 0xff;
        b[p + 2] = (len >>> 16) & 0xff;
        b[p + 3] = len >>> 24;
        p += 4;
        for (let q = s; q < e; q++) b[p++] = bytes[q]!;
      }
      out.pos = p;
    },
    min: count > 0 ? bytes.slice(offsets[lo]!, offsets[lo + 1]!) : undefined,
    max: count > 0 ? bytes.slice(offsets[hi]!, offsets[hi + 1]!) : undefined,
  };
}
