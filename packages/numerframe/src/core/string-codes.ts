import { DataType, type Vector } from "apache-arrow";
import { dayColumn, dayNumber, InvalidDateError } from "../days.js";
import type { NumerFrame } from "../numer-frame.js";

/** A string column as integer codes: `labels[codes[i]]` is row i's value. */
export interface StringCodes {
  /** Code of every row. */
  readonly codes: Int32Array;
  /** The distinct values that occur in the rows, in code-point order. */
  readonly labels: readonly string[];
  /** Value to code. */
  readonly index: ReadonlyMap<string, number>;
}

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

const byCodePoint = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Codes of raw first-seen codes, relabelled so that labels are sorted. */
function sortLabels(raw: Int32Array, firstSeen: readonly string[]): StringCodes {
  const labels = [...new Set(firstSeen)].sort(byCodePoint);
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  const remap = Int32Array.from(firstSeen, (l) => index.get(l)!);
  const codes = new Int32Array(raw.length);
  for (let i = 0; i < raw.length; i++) codes[i] = remap[raw[i]!]!;
  return { codes, labels, index };
}

/**
 * Integer codes of a string column, labels in code-point order. Only values that occur in the
 * rows are labels: a filtered frame's unused dictionary entries are not. Dictionary columns
 * are coded from their keys without touching a string per row.
 *
 * @param frame - the frame
 * @param column - a string column (null-free)
 * @returns codes, sorted labels and the value-to-code index (cached per frame and column: read-only)
 * @throws MissingColumnError when the column is missing; NullValueError on a null
 * @example
 * const { codes, labels } = stringCodes(signals, "symbol");
 */
export function stringCodes(frame: NumerFrame, column: string): StringCodes {
  return cached(codeCache, frame, column, computeStringCodes);
}

// Frames are immutable, so a column's codes are computed once per frame: a backtest sweep reads
// the same signals' symbols and dates for every configuration. Callers treat them as read-only.
const codeCache = new WeakMap<NumerFrame, Map<string, StringCodes>>();
const dayCache = new WeakMap<NumerFrame, Map<string, Int32Array>>();

function cached<T>(cache: WeakMap<NumerFrame, Map<string, T>>, frame: NumerFrame, column: string, compute: (f: NumerFrame, c: string) => T): T {
  let perColumn = cache.get(frame);
  if (perColumn === undefined) {
    perColumn = new Map();
    cache.set(frame, perColumn);
  }
  let value = perColumn.get(column);
  if (value === undefined) {
    value = compute(frame, column);
    perColumn.set(column, value);
  }
  return value;
}

function computeStringCodes(frame: NumerFrame, column: string): StringCodes {
  const dict = dictionaryOf(frame, column);
  const n = frame.numRows;
  const raw = new Int32Array(n);
  const firstSeen: string[] = [];
  if (dict === null) {
    const values = frame.strings(column);
    const seen = new Map<string, number>();
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      let c = seen.get(v);
      if (c === undefined) {
        c = firstSeen.length;
        seen.set(v, c);
        firstSeen.push(v);
      }
      raw[i] = c;
    }
    return sortLabels(raw, firstSeen);
  }
  const { keys, labels } = dict;
  const used = new Int32Array(labels.length).fill(-1);
  for (let i = 0; i < n; i++) {
    const k = keys[i]!;
    let c = used[k]!;
    if (c < 0) {
      c = firstSeen.length;
      used[k] = c;
      firstSeen.push(labels[k]!);
    }
    raw[i] = c;
  }
  return sortLabels(raw, firstSeen);
}

/**
 * Day numbers (days since 1970-01-01, UTC) of a `YYYY-MM-DD` column; dictionary entries are parsed once.
 *
 * @param frame - the frame
 * @param column - a `YYYY-MM-DD` string column
 * @returns one day number per row (cached per frame and column: read-only)
 * @throws InvalidDateError naming the column, row and value of the first bad date
 * @example
 * const days = dayCodes(market, "date");
 */
export function dayCodes(frame: NumerFrame, column: string): Int32Array {
  return cached(dayCache, frame, column, computeDayCodes);
}

function computeDayCodes(frame: NumerFrame, column: string): Int32Array {
  const dict = dictionaryOf(frame, column);
  if (dict === null) return dayColumn(frame.strings(column), column);
  const { keys, labels } = dict;
  const parsed = new Float64Array(labels.length).fill(Number.NaN);
  const out = new Int32Array(keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    let d = parsed[k]!;
    if (Number.isNaN(d)) {
      d = dayNumber(labels[k]!);
      if (Number.isNaN(d)) throw new InvalidDateError(column, i, labels[k]!);
      parsed[k] = d;
    }
    out[i] = d;
  }
  return out;
}
