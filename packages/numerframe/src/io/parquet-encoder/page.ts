import { ByteWriter } from "./byte-writer.js";
import { ENCODING } from "./column-kind.js";
import { type EncoderCodec, compressInto } from "./compression.js";
import { ThriftWriter } from "./thrift-compact.js";

const DATA_PAGE = 0;
const DICTIONARY_PAGE = 2;

const headerWriter = new ThriftWriter(new ByteWriter(256));
const compressed = new ByteWriter(1 << 20);

/**
 * Appends one page to `out`: its Thrift PageHeader, then its body compressed (Parquet 1.0
 * layout: the whole body, levels and values, is compressed as one).
 *
 * @param body - the uncompressed body (read before this returns, never kept)
 * @param codec - the chunk's codec
 * @param numValues - values in the page, nulls included (for a dictionary page: its entries)
 * @param dictionary - a dictionary page (PLAIN entries) rather than a data page
 * @param encoding - a data page's value encoding (PLAIN or RLE_DICTIONARY)
 * @param out - where the page goes
 * @returns header plus uncompressed body size, for ColumnMetaData.total_uncompressed_size
 */
export function writePage(body: Uint8Array, codec: EncoderCodec, numValues: number, dictionary: boolean, encoding: number, out: ByteWriter): number {
  let stored = body;
  if (codec !== "none") {
    compressed.reset();
    compressInto(codec, body, compressed);
    stored = compressed.view();
  }
  const tw = headerWriter;
  tw.reset();
  tw.i32(1, dictionary ? DICTIONARY_PAGE : DATA_PAGE);
  tw.i32(2, body.length);
  tw.i32(3, stored.length);
  if (dictionary) {
    tw.structBegin(7);
    tw.i32(1, numValues);
    tw.i32(2, ENCODING.PLAIN);
    tw.structEnd();
  } else {
    tw.structBegin(5);
    tw.i32(1, numValues);
    tw.i32(2, encoding);
    tw.i32(3, ENCODING.RLE);
    tw.i32(4, ENCODING.RLE);
    tw.structEnd();
  }
  tw.end();
  const header = tw.out.view();
  out.bytes(header);
  out.bytes(stored);
  return header.length + body.length;
}
