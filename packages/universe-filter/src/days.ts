import { InvalidDateError } from "./errors.js";

const MS_PER_DAY = 86_400_000;
const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The UTC day number (days since 1970-01-01) of an ISO day `YYYY-MM-DD`, or NaN if malformed. */
export function dayNumber(date: string): number {
  const m = ISO_DAY.exec(date);
  if (m === null) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  // Date.UTC rolls 2024-02-30 over to March; refuse days that do not round-trip.
  return new Date(ms).toISOString().slice(0, 10) === date ? ms / MS_PER_DAY : Number.NaN;
}

/** The ISO day `YYYY-MM-DD` of a UTC day number. */
export function dayString(day: number): string {
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** The UTC day an epoch-millisecond instant falls in. */
export function dayOfEpochMs(ms: number): number {
  return Math.floor(ms / MS_PER_DAY);
}

/** Day numbers of a column of ISO days; each distinct string is parsed once. */
export function dayColumn(values: readonly string[], frame: string, column: string): Int32Array {
  const out = new Int32Array(values.length);
  const cache = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let d = cache.get(v);
    if (d === undefined) {
      d = dayNumber(v);
      if (Number.isNaN(d)) throw new InvalidDateError(frame, column, i, v);
      cache.set(v, d);
    }
    out[i] = d;
  }
  return out;
}
