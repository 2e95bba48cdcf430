import { describe, expect, it } from "vitest";
import { InvalidDateError, NumerFrameError, dayColumn, dayNumber, dayOfEpochMs, isoDay } from "../src/index.js";

describe("UTC day numbers", () => {
  it("convert ISO days both ways", () => {
    expect(dayNumber("1970-01-01")).toBe(0);
    expect(dayNumber("1970-01-02")).toBe(1);
    // 2024-03-01 = 19783: 54 years from 1970 with 13 leap days = 54*365 + 13 = 19723, plus Jan 31 + Feb 29 = 60.
    expect(dayNumber("2024-03-01")).toBe(19783);
    expect(isoDay(19783)).toBe("2024-03-01");
    expect(isoDay(-1)).toBe("1969-12-31");
    expect(dayOfEpochMs(Date.UTC(2024, 2, 1, 23, 59, 59))).toBe(19783);
  });

  it("refuse malformed and impossible days", () => {
    for (const bad of ["2024-02-30", "2024-13-01", "2024-1-05", "20240105", "2024-01-05T00:00:00Z", ""]) {
      expect(Number.isNaN(dayNumber(bad))).toBe(true);
    }
    expect(dayNumber("2024-02-29")).toBe(19782);
    for (const bad of ["2023-02-29", "1900-02-29", "2024-04-31", "2024-00-10", "2024-01-00", "2024-01-0a", "2024/01/05", "+024-01-05"]) {
      expect(Number.isNaN(dayNumber(bad)), bad).toBe(true);
    }
    expect(dayNumber("2000-02-29")).toBe(11016); // divisible by 400: a leap year
  });

  it("agree with the calendar of Date on every day from 1900 to 2100 and on sampled days of years 0000–9999", () => {
    const first = dayNumber("1900-01-01");
    expect(first).toBe(Date.UTC(1900, 0, 1) / 86_400_000);
    for (let day = first; day <= dayNumber("2100-12-31"); day++) {
      if (dayNumber(isoDay(day)) !== day) expect.fail(`${isoDay(day)} gave ${dayNumber(isoDay(day))}, expected ${day}`);
    }
    for (let day = dayNumber("0000-01-01"); day <= dayNumber("9999-12-31"); day += 97) {
      if (dayNumber(isoDay(day)) !== day) expect.fail(`${isoDay(day)} gave ${dayNumber(isoDay(day))}, expected ${day}`);
    }
    expect(isoDay(dayNumber("0000-03-01"))).toBe("0000-03-01");
  });

  it("parse a column and name the bad row", () => {
    expect(Array.from(dayColumn(["2024-03-01", "2024-02-29", "2024-03-01"], "date"))).toEqual([19783, 19782, 19783]);
    const err = (() => {
      try {
        dayColumn(["2024-03-01", "2024-03-32"], "date", "signals");
      } catch (e) {
        return e;
      }
    })() as InvalidDateError;
    expect(err).toBeInstanceOf(InvalidDateError);
    expect(err).toBeInstanceOf(NumerFrameError);
    expect([err.column, err.row, err.value]).toEqual(["date", 1, "2024-03-32"]);
    expect(err.message).toBe('signals: column "date" row 1 holds "2024-03-32", expected a YYYY-MM-DD day');
  });
});
