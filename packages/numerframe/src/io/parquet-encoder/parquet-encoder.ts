import type { Data } from "apache-arrow";
import { ByteWriter } from "./byte-writer.js";
import { type ChunkOptions, encodeColumnChunk } from "./column-chunk.js";
import { CODEC_ID, type EncoderCodec } from "./compression.js";
import { type LeafColumn, encodeFileMetaData, encodeRowGroup } from "./file-metadata.js";

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // "PAR1"

/** Options of `ParquetEncoder`. */
export interface ParquetEncoderOptions {
  codec: EncoderCodec;
  /** Target uncompressed bytes of values per data page (default 1 MiB). */
  pageBytes?: number;
  /** A string chunk with more distinct values than this is written PLAIN (default 2^16). */
  maxDictionaryEntries?: number;
  /** ... or with more dictionary bytes than this (default 1 MiB). */
  maxDictionaryBytes?: number;
  /** File key-value metadata, in order. */
  keyValue: ReadonlyArray<readonly [string, string]>;
}

/**
 * Writes a Parquet file a row group at a time: `start()` gives the leading magic, each
 * `rowGroup()` the bytes of one row group (column chunks in schema order), `finish()` the
 * footer. The caller writes the pieces in that order; the encoder keeps each row group's
 * metadata and one buffer, reused from row group to row group.
 */
export class ParquetEncoder {
  private readonly columns: readonly LeafColumn[];
  private readonly chunkOptions: ChunkOptions;
  private readonly keyValue: ReadonlyArray<readonly [string, string]>;
  private readonly codecId: number;
  private readonly rowGroups: Uint8Array[] = [];
  private readonly sink = new ByteWriter(1 << 20);
  private offset = 0;
  private rows = 0;

  constructor(columns: readonly LeafColumn[], options: ParquetEncoderOptions) {
    this.columns = columns;
    this.keyValue = options.keyValue;
    this.codecId = CODEC_ID[options.codec];
    this.chunkOptions = {
      codec: options.codec,
      pageBytes: options.pageBytes ?? 1 << 20,
      dictionary: { maxEntries: options.maxDictionaryEntries ?? 1 << 16, maxBytes: options.maxDictionaryBytes ?? 1 << 20 },
    };
  }

  /** The file's first bytes. */
  start(): Uint8Array {
    this.offset = MAGIC.length;
    return MAGIC.slice();
  }

  /**
   * Encodes one row group.
   *
   * @param columns - per column, its Arrow data pieces in row order (each column `rows` long)
   * @param rows - rows in the row group (> 0)
   * @returns the row group's bytes: a view of the encoder's buffer, valid until the next call
   *   (write it out before encoding the next row group)
   */
  rowGroup(columns: ReadonlyArray<readonly Data[]>, rows: number): Uint8Array {
    const start = this.offset;
    const sink = this.sink;
    sink.reset();
    const chunks = this.columns.map((c, i) => encodeColumnChunk(c.kind, columns[i]!, rows, this.chunkOptions, sink));
    this.offset += sink.pos;
    this.rowGroups.push(encodeRowGroup(this.columns, chunks, start, rows, this.rowGroups.length, this.codecId));
    this.rows += rows;
    return sink.view();
  }

  /** The footer: FileMetaData, its length (4 bytes, little-endian) and the closing magic. */
  finish(): Uint8Array {
    const meta = encodeFileMetaData(this.columns, this.rowGroups, this.rows, this.keyValue);
    const out = new Uint8Array(meta.length + 8);
    out.set(meta);
    new DataView(out.buffer).setUint32(meta.length, meta.length, true);
    out.set(MAGIC, meta.length + 4);
    return out;
  }
}
