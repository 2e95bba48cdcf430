import { DAY_MS, dayNumber } from "@nmrblox/numerframe";
import { z } from "zod";
import { InvalidDateRangeError } from "./errors.js";

/** A point in time as options accept it: ms since the epoch, a Date, or an ISO string ("2024-01-31" is UTC midnight). */
export type DateInput = number | Date | string;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

function epochMs(value: number | string | Date): number {
  if (typeof value === "number") return value;
  if (value instanceof Date) return value.getTime();
  // A bare day goes through numerframe's day helper, which also refuses days such as 2024-02-30.
  return ISO_DAY.test(value) ? dayNumber(value) * DAY_MS : Date.parse(value);
}

/**
 * A date option (ms, Date or ISO string) parsed to ms since the epoch. Unreadable input is a
 * problem of that option, so `parseOptions` reports it by name like any other bad option.
 */
export const dateInput = z.union([z.number(), z.string(), z.date()]).transform((value, ctx) => {
  const ms = epochMs(value);
  if (!Number.isFinite(ms)) {
    ctx.addIssue({ code: "custom", message: `not a date: ${JSON.stringify(String(value))}` });
    return z.NEVER;
  }
  return ms;
});

/** Throws InvalidDateRangeError, naming both ends as ISO times, when `end < start` (ms). */
export function checkRange(start: number, end: number, context: string): void {
  if (end < start) throw new InvalidDateRangeError(new Date(start).toISOString(), new Date(end).toISOString(), context);
}
