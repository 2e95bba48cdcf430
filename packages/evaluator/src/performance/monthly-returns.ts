/** One calendar month of a daily return series. */
export interface MonthlyReturn {
  /** `YYYY-MM`. */
  readonly month: string;
  /** Π(1 + r_t) − 1 over the month's days, a fraction (the equity ratio month end / previous month end). */
  readonly return: number;
  /** Days of the series in that month (the first and last months may be partial). */
  readonly days: number;
}

/**
 * Compounds daily returns (fractions) by calendar month of their `YYYY-MM-DD` dates.
 *
 * @param dates - one `YYYY-MM-DD` day per return, in order
 * @param returns - daily returns, fractions
 * @returns one entry per calendar month: Π(1 + r) − 1 and the number of days
 * @throws nothing
 * @example
 * monthlyReturns(["2024-03-31", "2024-04-01"], [0.5, -0.5]);
 * // [{ month: "2024-03", return: 0.5, days: 1 }, { month: "2024-04", return: -0.5, days: 1 }]
 */
export function monthlyReturns(dates: readonly string[], returns: ArrayLike<number>): MonthlyReturn[] {
  const out: MonthlyReturn[] = [];
  let month = "";
  let growth = 1;
  let days = 0;
  for (let t = 0; t < dates.length; t++) {
    const m = dates[t]!.slice(0, 7);
    if (m !== month) {
      if (days > 0) out.push({ month, return: growth - 1, days });
      month = m;
      growth = 1;
      days = 0;
    }
    growth *= 1 + returns[t]!;
    days++;
  }
  if (days > 0) out.push({ month, return: growth - 1, days });
  return out;
}

/** One calendar year of a daily return series. */
export interface AnnualReturn {
  /** `YYYY`. */
  readonly year: string;
  /** Π(1 + r_t) − 1 over the year's days, a fraction. */
  readonly return: number;
  /** Days of the series in that year (the first and last years may be partial). */
  readonly days: number;
}

/**
 * Compounds daily returns (fractions) by calendar year of their `YYYY-MM-DD` dates.
 *
 * @param dates - one `YYYY-MM-DD` day per return, in order
 * @param returns - daily returns, fractions
 * @returns one entry per calendar year: Π(1 + r) − 1 and the number of days
 * @throws nothing
 * @example
 * annualReturns(["2023-12-31", "2024-01-01", "2024-01-02"], [0.1, 0.1, -0.5]);
 * // [{ year: "2023", return: 0.1, days: 1 }, { year: "2024", return: -0.45, days: 2 }]
 */
export function annualReturns(dates: readonly string[], returns: ArrayLike<number>): AnnualReturn[] {
  const out: AnnualReturn[] = [];
  let year = "";
  let growth = 1;
  let days = 0;
  for (let t = 0; t < dates.length; t++) {
    const y = dates[t]!.slice(0, 4);
    if (y !== year) {
      if (days > 0) out.push({ year, return: growth - 1, days });
      year = y;
      growth = 1;
      days = 0;
    }
    growth *= 1 + returns[t]!;
    days++;
  }
  if (days > 0) out.push({ year, return: growth - 1, days });
  return out;
}
