import { ByteWriter } from "./byte-writer.js";
import type { EncodedChunk } from "./column-chunk.js";
import { type ColumnKind, physicalType, writeSchemaElement } from "./column-kind.js";
import { CT, ThriftWriter } from "./thrift-compact.js";

/** A leaf column of the file schema. */
export interface LeafColumn {
  name: string;
  kind: ColumnKind;
}

/**
 * Encodes one RowGroup struct (a list element of FileMetaData.row_groups) right after its
 * chunks are written, so only these bytes, not the chunks, stay in memory until the footer.
 *
 * @param columns - the schema's leaves, in order
 * @param chunks - the row group's encoded chunks, in column order
 * @param start - file offset of the first chunk
 * @param rows - rows in the row group
 * @param ordinal - the row group's index in the file
 * @param codec - Parquet CompressionCodec value of every chunk
 * @returns the RowGroup's Thrift compact bytes
 */
export function encodeRowGroup(columns: readonly LeafColumn[], chunks: readonly EncodedChunk[], start: number, rows: number, ordinal: number, codec: number): Uint8Array {
  const tw = new ThriftWriter(new ByteWriter(64 * columns.length + 64));
  tw.elementBegin();
  tw.listBegin(1, CT.STRUCT, chunks.length);
  let at = start;
  let uncompressed = 0;
  let stored = 0;
  chunks.forEach((c, i) => {
    const col = columns[i]!;
    tw.elementBegin(); // ColumnChunk
    tw.i64(2, at);
    tw.structBegin(3); // ColumnMetaData
    tw.i32(1, physicalType(col.kind));
    tw.listBegin(2, CT.I32, c.encodings.length);
    for (const e of c.encodings) tw.elementI32(e);
    tw.listBegin(3, CT.BINARY, 1);
    tw.elementString(col.name);
    tw.i32(4, codec);
    tw.i64(5, c.numValues);
    tw.i64(6, c.uncompressedSize);
    tw.i64(7, c.size);
    tw.i64(9, at + c.dataPageOffset);
    if (c.dictionaryPageOffset >= 0) tw.i64(11, at + c.dictionaryPageOffset);
    tw.structBegin(12); // Statistics
    tw.i64(3, c.nullCount);
    if (c.max !== undefined) tw.binary(5, c.max);
    if (c.min !== undefined) tw.binary(6, c.min);
    tw.structEnd();
    tw.structEnd();
    tw.structEnd();
    at += c.size;
    uncompressed += c.uncompressedSize;
    stored += c.size;
  });
  tw.i64(2, uncompressed);
  tw.i64(3, rows);
  tw.i64(5, start);
  tw.i64(6, stored);
  if (ordinal < 0x8000) tw.i16(7, ordinal);
  tw.structEnd();
  return tw.out.toBytes();
}

/**
 * Encodes FileMetaData from the schema, the row groups' pre-encoded structs and the key-value
 * metadata (format version 2: RLE_DICTIONARY data pages and logical types; pages are v1).
 *
 * @param columns - the schema's leaves
 * @param rowGroups - encoded RowGroup structs, in file order
 * @param numRows - rows in the file
 * @param keyValue - key-value metadata, in order
 * @returns the Thrift compact bytes of FileMetaData
 */
export function encodeFileMetaData(columns: readonly LeafColumn[], rowGroups: readonly Uint8Array[], numRows: number, keyValue: ReadonlyArray<readonly [string, string]>): Uint8Array {
  let total = 256 + 48 * columns.length;
  for (const g of rowGroups) total += g.length;
  for (const [k, v] of keyValue) total += 3 * (k.length + v.length) + 16;
  const tw = new ThriftWriter(new ByteWriter(total));
  tw.i32(1, 2);
  tw.listBegin(2, CT.STRUCT, columns.length + 1);
  tw.elementBegin(); // the root
  tw.string(4, "schema");
  tw.i32(5, columns.length);
  tw.structEnd();
  for (const c of columns) writeSchemaElement(tw, c.name, c.kind);
  tw.i64(3, numRows);
  tw.listBegin(4, CT.STRUCT, rowGroups.length);
  for (const g of rowGroups) tw.raw(g);
  tw.listBegin(5, CT.STRUCT, keyValue.length);
  for (const [k, v] of keyValue) {
    tw.elementBegin();
    tw.string(1, k);
    tw.string(2, v);
    tw.structEnd();
  }
  tw.string(6, "nmrblox numerframe parquet-encoder");
  // ColumnOrder TYPE_ORDER for every column: statistics use each type's defined order.
  tw.listBegin(7, CT.STRUCT, columns.length);
  for (let i = 0; i < columns.length; i++) {
    tw.elementBegin();
    tw.structBegin(1);
    tw.structEnd();
    tw.structEnd();
  }
  tw.end();
  return tw.out.toBytes();
}
