export { ParquetEncoder, type ParquetEncoderOptions } from "./parquet-encoder.js";
export { type ColumnKind, columnKind } from "./column-kind.js";
export type { EncoderCodec } from "./compression.js";
export { arrowSchemaEntry } from "./arrow-schema.js";
export type { LeafColumn } from "./file-metadata.js";
