import { DataType, Dictionary, Field, Schema, Table, tableToIPC } from "apache-arrow";

/**
 * The `ARROW:schema` key-value entry arrow-rs writes and reads back: the Arrow schema as an IPC
 * message (continuation marker, length, flatbuffer), base64. With it, parquet-wasm restores
 * Arrow types the Parquet schema cannot say (Dictionary<Int32, Utf8> strings, Int8 exactly),
 * so a file from this encoder reads back like one from parquet-wasm's writer.
 *
 * @param schema - the frames' Arrow schema (schema-level metadata is dropped)
 * @returns the base64 text
 */
export function arrowSchemaEntry(schema: Schema): string {
  // Dictionary ids come from a per-process counter: number them by column so the same frame
  // gives the same bytes in every process (readers ignore the ids).
  const fields = schema.fields.map((f, i) =>
    DataType.isDictionary(f.type) ? new Field(f.name, new Dictionary(f.type.dictionary, f.type.indices, i, f.type.isOrdered), f.nullable, f.metadata) : f,
  );
  const stream = tableToIPC(new Table(new Schema(fields)), "stream");
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  // The stream starts with the schema message: 0xFFFFFFFF, its length, its bytes.
  const length = view.getInt32(4, true);
  return Buffer.from(stream.buffer, stream.byteOffset, 8 + length).toString("base64");
}
