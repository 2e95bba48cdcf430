import { gzipSync } from "node:zlib";
import type { ByteWriter } from "./byte-writer.js";
import { snappyCompressInto } from "./snappy.js";

/** Codecs the TypeScript encoder writes; zstd stays with parquet-wasm (Node 20 has no zstd). */
export type EncoderCodec = "none" | "snappy" | "gzip";

/** Parquet's CompressionCodec enum value of each codec. */
export const CODEC_ID: Record<EncoderCodec, number> = { none: 0, snappy: 1, gzip: 2 };

/**
 * Appends one page body, compressed with the column chunk's codec, to `out`.
 *
 * @param codec - the codec
 * @param body - the uncompressed page (levels and values)
 * @param out - where the stored bytes go
 */
export function compressInto(codec: EncoderCodec, body: Uint8Array, out: ByteWriter): void {
  if (codec === "snappy") snappyCompressInto(body, out);
  else out.bytes(codec === "gzip" ? gzipSync(body) : body);
}
