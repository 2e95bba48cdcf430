import { NumerFrameError } from "./errors.js";

/**
 * UTC calendar days, the time unit of every crypto frame: a day is the integer number of days
 * since 1970-01-01 (UTC), written `YYYY-MM-DD`. Frames keep dates as ISO strings; hot loops
 * work on day numbers.
 */
export const DAY_MS = 86_400_000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A value in a date column that is not a `YYYY-MM-DD` calendar day. */
export class InvalidDateError extends NumerFrameError {
  readonly value: string;

  constructor(column: string, row: number, value: string, context?: string) {
    super(
      "INVALID_DATE",
      `${context ? `${context}: ` : ""}column "${column}" row ${row} holds ${JSON.stringify(value)}, expected a YYYY-MM-DD day`,
      { column, row },
    );
    this.value = value;
  }
}

/** The day number of an ISO day `YYYY-MM-DD`, or NaN when malformed or not a real date (2024-02-30). */
export function dayNumber(iso: string): number {
  const m = ISO_DAY.exec(iso);
  if (m === null) return Number.NaN;
  const day = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS;
  // Date.UTC rolls impossible days over into the next month: refuse what does not round-trip.
  return isoDay(day) === iso ? day : Number.NaN;
}

const isoCache = new Map<number, string>();

/** The ISO day `YYYY-MM-DD` of a day number. */
export function isoDay(day: number): string {
  let s = isoCache.get(day);
  if (s === undefined) {
    s = new Date(day * DAY_MS).toISOString().slice(0, 10);
    // A few thousand distinct days recur over millions of rows; the bound keeps memory flat.
    if (isoCache.size < 100_000) isoCache.set(day, s);
  }
  return s;
}

/** The day an instant (epoch milliseconds) falls in. */
export function dayOfEpochMs(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/**
 * Day numbers of a column of ISO days, each distinct string parsed once; a malformed value is
 * an InvalidDateError naming the column, row and `context` (e.g. the frame's name).
 */
export function dayColumn(values: readonly string[], column: string, context?: string): Int32Array {
  const out = new Int32Array(values.length);
  const cache = new Map<string, number>();
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let d = cache.get(v);
    if (d === undefined) {
      d = dayNumber(v);
      if (Number.isNaN(d)) throw new InvalidDateError(column, i, v, context);
      cache.set(v, d);
    }
    out[i] = d;
  }
  return out;
}
