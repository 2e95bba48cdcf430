export { DAY_MS, dayNumber, isoDay } from "@nmrblox/numerframe";

/** True for Monday to Friday (1970-01-01 was a Thursday). */
export function isWeekday(day: number): boolean {
  const dow = (((day + 4) % 7) + 7) % 7; // 0 = Sunday
  return dow !== 0 && dow !== 6;
}
