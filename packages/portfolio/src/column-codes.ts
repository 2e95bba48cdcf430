import { InvalidDateError, type NumerFrame, dayColumn, dayNumber } from "@nmrblox/numerframe";
import { DataType, type Vector } from "apache-arrow";
import { sortedCodes } from "./sorted-codes.js";

/** Dictionary keys and labels of a single-chunk, null-free dictionary column, else null. */
function dictionaryOf(frame: NumerFrame, column: string): { keys: ArrayLike<number>; labels: string[] } | null {
  const vector = frame.table.getChild(column) as Vector | null;
  if (vector === null || vector.data.length !== 1 || vector.nullCount > 0) return null;
  const type = vector.type as DataType;
  if (!DataType.isDictionary(type) || !DataType.isUtf8(type.dictionary)) return null;
  const chunk = vector.data[0]!;
  const labels = Array.from(chunk.dictionary as Vector, (v) => String(v));
  return { keys: chunk.values as ArrayLike<number>, labels };
}

/**
 * Integer codes of a string column with labels in code-point order. Dictionary columns (what
 * NumerFrame builds for repeated strings) are coded from their keys without touching a string per row.
 */
export function columnCodes(frame: NumerFrame, column: string): { codes: Int32Array; labels: string[]; index: Map<string, number> } {
  const dict = dictionaryOf(frame, column);
  if (dict === null) return sortedCodes(frame.strings(column));
  const { keys, labels: raw } = dict;
  const distinct = [...new Set(raw)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  distinct.forEach((l, i) => index.set(l, i));
  const remap = Int32Array.from(raw, (l) => index.get(l)!);
  const codes = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) codes[i] = remap[keys[i]!]!;
  return { codes, labels: distinct, index };
}

/** Day numbers (days since 1970-01-01) of a `YYYY-MM-DD` column; dictionary entries are parsed once. */
export function columnDays(frame: NumerFrame, column: string): Int32Array {
  const dict = dictionaryOf(frame, column);
  if (dict === null) return dayColumn(frame.strings(column), column);
  const { keys, labels } = dict;
  const parsed = Float64Array.from(labels, dayNumber);
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const d = parsed[keys[i]!]!;
    if (Number.isNaN(d)) throw new InvalidDateError(column, i, labels[keys[i]!]!);
    out[i] = d;
  }
  return out;
}
