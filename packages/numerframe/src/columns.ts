import {
  type Data,
  DataType,
  Dictionary,
  Int32,
  Type,
  Utf8,
  type Vector,
  makeData,
  makeVector,
  vectorFromArray,
} from "apache-arrow";
import { NullValueError, NumerFrameError } from "./errors.js";

/** Numeric column storage: the typed array Arrow keeps, or a Float64Array where nulls became NaN. */
export type NumericArray =
  | Float64Array
  | Float32Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/** What `NumerFrame.column()` returns: a typed array for numbers, strings decoded once. */
export type ColumnArray = NumericArray | readonly string[];

/** Values accepted when building a column. */
export type ColumnInput = NumericArray | BigInt64Array | readonly string[] | readonly number[] | readonly boolean[] | Vector;

/**
 * True for the typed arrays a numeric column is stored in ({@link NumericArray}). 64-bit integer
 * arrays and DataView are excluded: their values are not JavaScript numbers.
 *
 * @param x - anything
 * @returns whether `x` is a numeric column array
 * @throws never throws
 * @example
 * [isNumericArray(Float64Array.of(1)), isNumericArray([1]), isNumericArray(new BigInt64Array(1))]; // [true, false, false]
 */
export function isNumericArray(x: unknown): x is NumericArray {
  return ArrayBuffer.isView(x) && !(x instanceof DataView) && !(x instanceof BigInt64Array) && !(x instanceof BigUint64Array);
}

/** True for Arrow types that `column()` returns as a typed array. */
export function isNumericType(type: DataType): boolean {
  return DataType.isInt(type) || DataType.isFloat(type) || DataType.isBool(type) || DataType.isDecimal(type);
}

export function isStringType(type: DataType): boolean {
  return (
    DataType.isUtf8(type) ||
    DataType.isLargeUtf8(type) ||
    (DataType.isDictionary(type) && (DataType.isUtf8(type.dictionary) || DataType.isLargeUtf8(type.dictionary)))
  );
}

export function isTemporalType(type: DataType): boolean {
  return DataType.isDate(type) || DataType.isTimestamp(type);
}

const stringCache = new WeakMap<Data, readonly string[]>();

/** Decodes a string, dictionary-of-string or date column once; the result is cached per Arrow chunk. */
export function decodeStrings(vector: Vector, column: string): readonly string[] {
  const first = vector.data[0];
  if (first !== undefined && vector.data.length === 1) {
    const hit = stringCache.get(first);
    if (hit !== undefined) return hit;
  }
  const out = new Array<string>(vector.length);
  let at = 0;
  for (const chunk of vector.data) {
    decodeChunk(chunk, out, at, column);
    at += chunk.length;
  }
  if (first !== undefined && vector.data.length === 1) stringCache.set(first, out);
  return out;
}

function checkNulls(chunk: Data, column: string, rowOffset: number): void {
  if (chunk.nullCount === 0) return;
  for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) throw new NullValueError(column, rowOffset + i);
}

function decodeChunk(chunk: Data, out: string[], at: number, column: string): void {
  checkNulls(chunk, column, at);
  const type = chunk.type as DataType;
  if (DataType.isDictionary(type)) {
    const dict = decodeStrings(chunk.dictionary as Vector, column);
    const keys = chunk.values as ArrayLike<number>;
    for (let i = 0; i < chunk.length; i++) out[at + i] = dict[Number(keys[i])]!;
    return;
  }
  if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
    const offsets = chunk.valueOffsets as Int32Array | BigInt64Array;
    const bytes = chunk.values as Uint8Array;
    const o0 = Number(offsets[0]);
    const oN = Number(offsets[chunk.length]);
    let ascii = true;
    for (let i = o0; i < oN; i++) {
      if (bytes[i]! > 127) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      // One latin1 decode of the whole buffer, then cheap slices: far faster than per-row TextDecoder.
      const all = Buffer.from(bytes.buffer, bytes.byteOffset + o0, oN - o0).toString("latin1");
      for (let i = 0; i < chunk.length; i++) out[at + i] = all.slice(Number(offsets[i]) - o0, Number(offsets[i + 1]) - o0);
    } else {
      const dec = new TextDecoder();
      for (let i = 0; i < chunk.length; i++) out[at + i] = dec.decode(bytes.subarray(Number(offsets[i]), Number(offsets[i + 1])));
    }
    return;
  }
  if (isTemporalType(type)) {
    const vec = makeVector(chunk);
    for (let i = 0; i < chunk.length; i++) out[at + i] = formatTemporal(vec.get(i));
    return;
  }
  const vec = makeVector(chunk);
  for (let i = 0; i < chunk.length; i++) out[at + i] = String(vec.get(i));
}

/** Dates at midnight UTC become `YYYY-MM-DD`; other instants full ISO strings. */
export function formatTemporal(value: unknown): string {
  const ms = value instanceof Date ? value.getTime() : Number(value);
  const iso = new Date(ms).toISOString();
  return ms % 86_400_000 === 0 ? iso.slice(0, 10) : iso;
}

/**
 * Returns a numeric column as one typed array. Single-chunk columns without nulls are returned
 * without a copy; floats with nulls get NaN; integers with nulls become Float64Array with NaN.
 */
export function numericArray(vector: Vector, column: string): NumericArray {
  const type = vector.type as DataType;
  if (DataType.isBool(type)) {
    const out = new Uint8Array(vector.length);
    let at = 0;
    for (const chunk of vector.data) {
      checkNulls(chunk, column, at);
      const v = makeVector(chunk);
      for (let i = 0; i < chunk.length; i++) out[at + i] = v.get(i) ? 1 : 0;
      at += chunk.length;
    }
    return out;
  }
  const hasNulls = vector.nullCount > 0;
  const isBig = DataType.isInt(type) && type.bitWidth === 64;
  if (DataType.isDecimal(type) || isBig || (hasNulls && DataType.isInt(type)) || (DataType.isFloat(type) && type.precision === 0)) {
    // 64-bit ints, decimals, half floats and nullable ints: widen to float64 with NaN for null.
    // A 64-bit value that a double cannot hold exactly is an error, never a rounding.
    const out = new Float64Array(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const v = vector.get(i);
      out[i] = v === null || v === undefined ? Number.NaN : Number(v);
      if (isBig && typeof v === "bigint" && !Number.isSafeInteger(out[i])) throw new UnsafeColumnError(column, i, v);
    }
    return out;
  }
  const arr = vector.toArray() as NumericArray;
  if (!hasNulls) return arr;
  const copy = arr.slice() as Float32Array | Float64Array;
  let at = 0;
  for (const chunk of vector.data) {
    for (let i = 0; i < chunk.length; i++) if (!chunk.getValid(i)) copy[at + i] = Number.NaN;
    at += chunk.length;
  }
  return copy;
}

const encoder = new TextEncoder();

/** Builds a Utf8 vector from strings without per-value builder overhead. */
export function utf8Vector(values: readonly string[]): Vector<Utf8> {
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  for (let i = 0; i < values.length; i++) {
    total += Buffer.byteLength(values[i]!, "utf8");
    offsets[i + 1] = total;
  }
  const bytes = new Uint8Array(total);
  for (let i = 0; i < values.length; i++) encoder.encodeInto(values[i]!, bytes.subarray(offsets[i]!, offsets[i + 1]!));
  return makeVector(makeData({ type: new Utf8(), length: values.length, nullCount: 0, valueOffsets: offsets, data: bytes }));
}

/**
 * Builds a string column: dictionary-encoded when values repeat (eras, dates, symbols), which
 * keeps memory small and makes the era index a pass over integer keys; plain Utf8 otherwise.
 */
export function stringVector(values: readonly string[], column = "?"): Vector {
  const codes = new Map<string, number>();
  const keys = new Int32Array(values.length);
  const limit = Math.max(16, values.length >>> 1);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "string") throw new NullValueError(column, i);
    let code = codes.get(v);
    if (code === undefined) {
      if (codes.size >= limit) return utf8Vector(values);
      code = codes.size;
      codes.set(v, code);
    }
    keys[i] = code;
  }
  const dictionary = utf8Vector([...codes.keys()]);
  const type = new Dictionary(new Utf8(), new Int32());
  return makeVector(makeData({ type, length: values.length, nullCount: 0, data: keys, dictionary }));
}

/**
 * The same dictionary column under a new dictionary id. Arrow refuses a schema in which two
 * different dictionaries share an id, which happens when columns decoded from separate IPC
 * messages (Parquet column groups, other tables) are put side by side.
 */
export function withFreshDictionaryId(vector: Vector): Vector {
  const type = vector.type as DataType;
  if (!DataType.isDictionary(type)) return vector;
  const fresh = new Dictionary(type.dictionary, type.indices, null, type.isOrdered);
  return makeVector(vector.data.map((d) => d.clone(fresh)));
}

/** A 64-bit integer column holds a value beyond ±2^53: as a number it would be rounded. */
export class UnsafeColumnError extends NumerFrameError {
  constructor(column: string, row: number, value: bigint) {
    super(
      "UNSAFE_INTEGER",
      `column "${column}" row ${row}: ${value} is beyond ±2^53 and cannot be read as a number without rounding; read it with bigints()`,
      { column, row },
    );
  }
}

/** Exact 64-bit integers of an integer column (Int64 without a copy when it has one chunk and no nulls). */
export function bigintArray(vector: Vector, column: string): BigInt64Array {
  const type = vector.type as DataType;
  if (!DataType.isInt(type)) throw new NumerFrameError("NON_NUMERIC_COLUMN", `column "${column}" is ${typeIdName(type)}, not an integer column`, { column });
  for (const chunk of vector.data) checkNulls(chunk, column, 0);
  if (type.bitWidth === 64 && type.isSigned && vector.data.length === 1) return vector.data[0]!.values as BigInt64Array;
  const out = new BigInt64Array(vector.length);
  for (let i = 0; i < vector.length; i++) out[i] = BigInt(vector.get(i) as number | bigint);
  return out;
}

/** Builds an Arrow vector from any accepted column input. */
export function toVector(values: ColumnInput, column: string): Vector {
  if (isNumericArray(values)) return makeVector(values);
  if (values instanceof BigInt64Array) return makeVector(values);
  if (!Array.isArray(values)) {
    const v = values as unknown;
    if (typeof v === "object" && v !== null && "type" in v && "data" in v && Array.isArray((v as Vector).data)) return withFreshDictionaryId(v as Vector);
    const kind = v === null ? "null" : ArrayBuffer.isView(v) ? (v as object).constructor.name : typeof v;
    throw new NumerFrameError("UNSUPPORTED_COLUMN", `column "${column}": ${kind} is not a column (give a typed array, an array of numbers, strings or booleans, or an Arrow vector)`, { column });
  }
  const arr = values as readonly unknown[];
  const first = arr.find((v) => v !== null && v !== undefined);
  if (typeof first === "string") return stringVector(arr as readonly string[], column);
  if (typeof first === "boolean") return vectorFromArray(arr as boolean[]);
  const out = new Float64Array(arr.length);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    out[i] = v === null || v === undefined ? Number.NaN : Number(v);
  }
  return makeVector(out);
}

/** Gathers rows `indices` of a vector into a new single-chunk vector of the same logical type. */
export function takeVector(vector: Vector, indices: Int32Array, column: string): Vector {
  const type = vector.type as DataType;
  if (DataType.isDictionary(type) && vector.data.length === 1 && vector.nullCount === 0) {
    const chunk = vector.data[0]!;
    const keys = chunk.values as Int32Array;
    const ctor = keys.constructor as new (n: number) => Int32Array;
    const out = new ctor(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = keys[indices[i]!]!;
    return makeVector(makeData({ type, length: indices.length, nullCount: 0, data: out, dictionary: chunk.dictionary! }));
  }
  if (isStringType(type) && vector.nullCount === 0) {
    const src = decodeStrings(vector, column);
    const out = new Array<string>(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]!]!;
    return stringVector(out, column);
  }
  if (isNumericType(type) && !DataType.isBool(type) && !DataType.isDecimal(type)) {
    const src = numericArray(vector, column);
    const ctor = src.constructor as new (n: number) => NumericArray;
    const out = new ctor(indices.length);
    for (let i = 0; i < indices.length; i++) out[i] = src[indices[i]!]!;
    return makeVector(out);
  }
  const values = new Array<unknown>(indices.length);
  for (let i = 0; i < indices.length; i++) values[i] = vector.get(indices[i]!);
  return vectorFromArray(values, type);
}

/** Concatenates vectors of one column into a single chunk. */
export function concatVectors(parts: readonly Vector[], column: string): Vector {
  const type = parts[0]!.type as DataType;
  const total = parts.reduce((n, p) => n + p.length, 0);
  if (isStringType(type) && parts.every((p) => p.nullCount === 0)) {
    const out = new Array<string>(total);
    let at = 0;
    for (const p of parts) {
      const s = decodeStrings(p, column);
      for (let i = 0; i < s.length; i++) out[at + i] = s[i]!;
      at += s.length;
    }
    return stringVector(out, column);
  }
  if (isNumericType(type) && !DataType.isBool(type) && !DataType.isDecimal(type)) {
    const arrays = parts.map((p) => numericArray(p, column));
    const ctor = arrays[0]!.constructor as new (n: number) => NumericArray;
    const out = new ctor(total);
    let at = 0;
    for (const a of arrays) {
      out.set(a as never, at);
      at += a.length;
    }
    return makeVector(out);
  }
  const values: unknown[] = [];
  for (const p of parts) for (let i = 0; i < p.length; i++) values.push(p.get(i));
  return vectorFromArray(values, type);
}

/** Makes a column single-chunk, so hot loops see one typed array (Parquet reads give one chunk per row group). */
export function singleChunk(vector: Vector, column: string): Vector {
  const type = vector.type as DataType;
  if (vector.data.length <= 1) {
    if (DataType.isFloat(type) && type.precision !== 0 && vector.nullCount > 0) {
      return makeVector(numericArray(vector, column));
    }
    return vector;
  }
  if (DataType.isFloat(type) && type.precision !== 0) return makeVector(numericArray(vector, column));
  return concatVectors(vector.data.map((d) => makeVector(d)), column);
}

export const typeIdName = (type: DataType): string => Type[type.typeId] ?? String(type);
