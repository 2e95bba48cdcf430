import { InvalidDateRangeError, InvalidOptionError } from "./errors.js";

/** Milliseconds in a UTC day. */
export const DAY_MS = 86_400_000;

/** A point in time as accepted by options: ms since the epoch, a Date, or an ISO string ("2024-01-31" is UTC midnight). */
export type DateInput = number | Date | string;

/** Milliseconds since the epoch for a DateInput; unreadable input raises InvalidOptionError naming `option`. */
export function toEpochMs(value: DateInput, option: string): number {
  let ms: number;
  if (typeof value === "number") ms = value;
  else if (value instanceof Date) ms = value.getTime();
  else if (/^\d{4}-\d{2}-\d{2}$/.test(value)) ms = Date.parse(`${value}T00:00:00Z`);
  else ms = Date.parse(value);
  if (!Number.isFinite(ms)) throw new InvalidOptionError(option, `not a date: ${JSON.stringify(String(value))}`);
  return ms;
}

/** Whole UTC days since 1970-01-01 for a time in ms. */
export function epochDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The ISO day ("YYYY-MM-DD") of an epoch day number. */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** Checks `start <= end` (ms); raises InvalidDateRangeError naming both as ISO times. */
export function checkRange(start: number, end: number, context: string): void {
  if (end < start) {
    throw new InvalidDateRangeError(new Date(start).toISOString(), new Date(end).toISOString(), context);
  }
}

/**
 * A date column's values as ISO days: strings "2024-01-31..." keep their first ten
 * characters, 8-digit numbers (YYYYMMDD, legacy Signals) become "2024-01-31".
 */
export function normalizeIsoDays(values: ArrayLike<string | number>): string[] {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === "number") {
      const s = String(Math.trunc(v));
      out[i] = s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
    } else {
      out[i] = /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v.slice(0, 10);
    }
  }
  return out;
}
