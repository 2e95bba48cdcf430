import { DataType, Precision } from "apache-arrow";
import type { ThriftWriter } from "./thrift-compact.js";

/** Column types the TypeScript encoder writes; any other type sends the file to parquet-wasm. */
export type ColumnKind =
  | "int8"
  | "int16"
  | "uint8"
  | "uint16"
  | "int32"
  | "uint32"
  | "int64"
  | "float32"
  | "float64"
  | "bool"
  | "utf8"
  | "dict-utf8";

/** Parquet physical types (parquet.thrift `Type`). */
export const PHYSICAL = { BOOLEAN: 0, INT32: 1, INT64: 2, FLOAT: 4, DOUBLE: 5, BYTE_ARRAY: 6 } as const;

/** Parquet encodings (parquet.thrift `Encoding`). */
export const ENCODING = { PLAIN: 0, RLE: 3, RLE_DICTIONARY: 8 } as const;

/**
 * The encoder's kind for an Arrow type, or undefined when the type is not one it writes.
 *
 * @param type - an Arrow column type
 * @returns the kind, or undefined (timestamps, dates, decimals, lists, large strings, ...)
 */
export function columnKind(type: DataType): ColumnKind | undefined {
  if (DataType.isInt(type)) {
    const w = type.bitWidth;
    if (type.isSigned) return w === 8 ? "int8" : w === 16 ? "int16" : w === 32 ? "int32" : "int64";
    return w === 8 ? "uint8" : w === 16 ? "uint16" : w === 32 ? "uint32" : undefined;
  }
  if (DataType.isFloat(type)) return type.precision === Precision.SINGLE ? "float32" : type.precision === Precision.DOUBLE ? "float64" : undefined;
  if (DataType.isBool(type)) return "bool";
  if (DataType.isUtf8(type)) return "utf8";
  if (DataType.isDictionary(type) && DataType.isUtf8(type.dictionary)) return "dict-utf8";
  return undefined;
}

/** The physical type a kind is stored as. */
export function physicalType(kind: ColumnKind): number {
  switch (kind) {
    case "int64":
      return PHYSICAL.INT64;
    case "float32":
      return PHYSICAL.FLOAT;
    case "float64":
      return PHYSICAL.DOUBLE;
    case "bool":
      return PHYSICAL.BOOLEAN;
    case "utf8":
    case "dict-utf8":
      return PHYSICAL.BYTE_ARRAY;
    default:
      return PHYSICAL.INT32;
  }
}

/** Legacy ConvertedType and IntType of narrow and unsigned integers (what arrow-rs writes too). */
const INTEGER: Partial<Record<ColumnKind, { converted: number; bitWidth: number; signed: boolean }>> = {
  int8: { converted: 15, bitWidth: 8, signed: true },
  int16: { converted: 16, bitWidth: 16, signed: true },
  uint8: { converted: 11, bitWidth: 8, signed: false },
  uint16: { converted: 12, bitWidth: 16, signed: false },
  uint32: { converted: 13, bitWidth: 32, signed: false },
};

const CONVERTED_UTF8 = 0;
const OPTIONAL = 1;

/**
 * Writes one leaf SchemaElement (a list element): every column is OPTIONAL, so its pages
 * always carry definition levels and a null needs no change of schema between row groups.
 */
export function writeSchemaElement(tw: ThriftWriter, name: string, kind: ColumnKind): void {
  tw.elementBegin();
  tw.i32(1, physicalType(kind));
  tw.i32(3, OPTIONAL);
  tw.string(4, name);
  const int = INTEGER[kind];
  if (int !== undefined) {
    tw.i32(6, int.converted);
    tw.structBegin(10); // LogicalType union
    tw.structBegin(10); // INTEGER
    tw.i8(1, int.bitWidth);
    tw.bool(2, int.signed);
    tw.structEnd();
    tw.structEnd();
  } else if (kind === "utf8" || kind === "dict-utf8") {
    tw.i32(6, CONVERTED_UTF8);
    tw.structBegin(10);
    tw.structBegin(1); // STRING
    tw.structEnd();
    tw.structEnd();
  }
  tw.structEnd();
}
