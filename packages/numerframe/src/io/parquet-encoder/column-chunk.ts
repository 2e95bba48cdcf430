import type { Data } from "apache-arrow";
import { ByteWriter } from "./byte-writer.js";
import type { ChunkValues } from "./chunk-values.js";
import { type ColumnKind, ENCODING } from "./column-kind.js";
import type { EncoderCodec } from "./compression.js";
import { smallIntValues } from "./int-values.js";
import { definitionLevels } from "./levels.js";
import { writePage } from "./page.js";
import { boolValues, fixedValues } from "./plain-values.js";
import { encodeHybrid } from "./rle-hybrid.js";
import { type DictionaryLimits, stringValues } from "./string-values.js";

/** How column chunks are cut and stored. */
export interface ChunkOptions {
  codec: EncoderCodec;
  /** Target uncompressed bytes of values per data page. */
  pageBytes: number;
  dictionary: DictionaryLimits;
}

/** What ColumnMetaData says of an encoded column chunk. */
export interface EncodedChunk {
  /** Stored bytes (headers and compressed bodies). */
  size: number;
  uncompressedSize: number;
  /** Offset of the dictionary page within the chunk (0), or -1 when there is none. */
  dictionaryPageOffset: number;
  /** Offset of the first data page within the chunk. */
  dataPageOffset: number;
  /** Values in the chunk, nulls included (its rows). */
  numValues: number;
  nullCount: number;
  encodings: number[];
  min: Uint8Array | undefined;
  max: Uint8Array | undefined;
}

const NO_VALUES: ChunkValues = { count: 0, dictionary: undefined, bytesPerValue: 1, write: () => undefined, min: undefined, max: undefined };

const scratch = new ByteWriter(1 << 20);

function chunkValues(kind: ColumnKind, pieces: readonly Data[], count: number, opts: ChunkOptions): ChunkValues {
  if (count === 0) return NO_VALUES;
  switch (kind) {
    case "int8":
    case "int16":
    case "uint8":
    case "uint16":
      return smallIntValues(pieces, kind, count);
    case "bool":
      return boolValues(pieces, count);
    case "utf8":
    case "dict-utf8":
      return stringValues(pieces, count, opts.dictionary);
    default:
      return fixedValues(pieces, kind, count);
  }
}

/**
 * Encodes one column chunk: an optional dictionary page, then data pages of about
 * `pageBytes` of values each, every page with its definition levels (RLE, bit width 1).
 *
 * @param kind - the column's kind
 * @param pieces - the chunk's Arrow data, in row order
 * @param rows - rows in the chunk (> 0)
 * @param opts - codec, page size and dictionary limits
 * @param sink - where the chunk's pages go
 * @returns the chunk's metadata (offsets relative to where it starts in `sink`)
 */
export function encodeColumnChunk(kind: ColumnKind, pieces: readonly Data[], rows: number, opts: ChunkOptions, sink: ByteWriter): EncodedChunk {
  const { levels, nulls } = definitionLevels(pieces, rows);
  const values = chunkValues(kind, pieces, rows - nulls, opts);
  const start = sink.pos;
  let uncompressedSize = 0;
  const dict = values.dictionary;
  if (dict !== undefined) uncompressedSize += writePage(dict.body, opts.codec, dict.count, true, ENCODING.PLAIN, sink);
  const dataPageOffset = sink.pos - start;
  const encoding = dict !== undefined ? ENCODING.RLE_DICTIONARY : ENCODING.PLAIN;
  const rowsPerPage = Math.max(1, Math.floor(opts.pageBytes / Math.max(values.bytesPerValue, 1 / 8)));
  const out = scratch;
  let v0 = 0;
  for (let r0 = 0; r0 < rows; r0 += rowsPerPage) {
    const r1 = Math.min(rows, r0 + rowsPerPage);
    let v1 = v0 + (r1 - r0);
    out.reset();
    out.u32le(0);
    if (levels === undefined) {
      // Every row has a value: one RLE run of ones.
      out.varint((r1 - r0) * 2);
      out.byte(1);
    } else {
      encodeHybrid(levels, r0, r1, 1, out);
      v1 = v0;
      for (let r = r0; r < r1; r++) v1 += levels[r]!;
    }
    const levelBytes = out.pos - 4;
    out.buf[0] = levelBytes & 0xff;
    out.buf[1] = (levelBytes >>> 8) & 0xff;
    out.buf[2] = (levelBytes >>> 16) & 0xff;
    out.buf[3] = levelBytes >>> 24;
    values.write(v0, v1, out);
    uncompressedSize += writePage(out.view(), opts.codec, r1 - r0, false, encoding, sink);
    v0 = v1;
  }
  return {
    size: sink.pos - start,
    uncompressedSize,
    dictionaryPageOffset: dict !== undefined ? 0 : -1,
    dataPageOffset,
    numValues: rows,
    nullCount: nulls,
    encodings: dict !== undefined ? [ENCODING.PLAIN, ENCODING.RLE, ENCODING.RLE_DICTIONARY] : [ENCODING.PLAIN, ENCODING.RLE],
    min: values.min,
    max: values.max,
  };
}
