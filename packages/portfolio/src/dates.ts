import { InvalidDateError } from "./errors.js";

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of a `YYYY-MM-DD` UTC calendar day. */
export function epochDay(value: string, column: string, row: number): number {
  const m = ISO_DAY.exec(value);
  if (m === null) throw new InvalidDateError(column, value, row);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (isoDay(ms / MS_PER_DAY) !== value) throw new InvalidDateError(column, value, row);
  return ms / MS_PER_DAY;
}

const isoCache = new Map<number, string>();

/** `YYYY-MM-DD` of a day number (days since 1970-01-01, UTC). */
export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
    // A few thousand distinct days recur over millions of output rows; the bound keeps memory flat.
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}

/**
 * Day numbers of a date column; each distinct string is parsed once (columns repeat a few
 * thousand dates over millions of rows).
 */
export function epochDays(values: readonly string[], column: string): Int32Array {
  const out = new Int32Array(values.length);
  const cache = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let d = cache.get(v);
    if (d === undefined) {
      d = epochDay(v, column, i);
      cache.set(v, d);
    }
    out[i] = d;
  }
  return out;
}

/** Integer codes of a string column plus the distinct values in code-point order. */
export function sortedCodes(values: readonly string[]): { codes: Int32Array; labels: string[]; index: Map<string, number> } {
  const first = new Map<string, number>();
  const raw = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let c = first.get(v);
    if (c === undefined) {
      c = first.size;
      first.set(v, c);
    }
    raw[i] = c;
  }
  const labels = [...first.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  const remap = new Int32Array(labels.length);
  for (const [label, c] of first) remap[c] = index.get(label)!;
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = remap[raw[i]!]!;
  return { codes, labels, index };
}
