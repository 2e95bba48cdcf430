/** Milliseconds in one UTC day. */
export const DAY_MS = 86_400_000;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Days since 1970-01-01 of an ISO day "YYYY-MM-DD", or NaN when it is not a real calendar day. */
export function dayNumber(iso: string): number {
  const m = ISO_DAY.exec(iso);
  if (!m) return Number.NaN;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return isoDay(ms / DAY_MS) === iso ? ms / DAY_MS : Number.NaN;
}

/** The ISO day "YYYY-MM-DD" of a day number (days since 1970-01-01, UTC). */
export function isoDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** True for Monday to Friday (1970-01-01 was a Thursday). */
export function isWeekday(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return dow !== 0 && dow !== 6;
}
