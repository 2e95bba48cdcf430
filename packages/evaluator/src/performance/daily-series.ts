import { type NumerFrame, dailyContract, dayColumn, requireColumns, requireFrame } from "@nmrblox/numerframe";
import { PerformanceInputError } from "./errors.js";

/** The optional exposure columns of a daily frame (see numerframe's `dailyContract`). */
export type ExposureColumn = "long_exposure" | "short_exposure" | "gross_exposure";

/** A validated daily backtest series as typed arrays, one entry per day in date order. */
export interface DailySeries {
  readonly dates: readonly string[];
  readonly grossPnl: Float64Array;
  readonly fee: Float64Array;
  readonly slippage: Float64Array;
  readonly funding: Float64Array;
  readonly netPnl: Float64Array;
  readonly equity: Float64Array;
  readonly returns: Float64Array;
  readonly turnover: Float64Array;
  readonly positions: Float64Array;
  /** Exposure columns found in the frame (absent ones are left out). */
  readonly exposures: Partial<Record<ExposureColumn, Float64Array>>;
}

/**
 * Reads and checks a daily backtest frame against numerframe's `dailyContract`: every required
 * column present, numeric and finite, `date` as strictly increasing `YYYY-MM-DD` days, at least
 * one row. Exposure columns are read when present.
 *
 * @param daily - the backtest's daily frame
 * @returns the columns as typed arrays
 * @throws ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) listing every missing or mistyped
 *   column; InvalidDateError (INVALID_DATE) for a malformed date; PerformanceInputError
 *   (EMPTY_DAILY, DATES_NOT_INCREASING, NON_FINITE) naming the column, row and date;
 *   InvalidOptionError when `daily` is not a NumerFrame
 * @example
 * const s = readDailySeries(result.daily);
 * s.equity[s.equity.length - 1]; // final equity
 */
export function readDailySeries(daily: NumerFrame): DailySeries {
  requireFrame(daily, "daily", "performance");
  requireColumns(daily, dailyContract, "performance");
  if (daily.numRows === 0) throw new PerformanceInputError("EMPTY_DAILY", "performance: the daily frame has no rows", { column: "date" });
  const dates = daily.strings("date");
  const days = dayColumn(dates, "date", "performance: daily frame");
  for (let i = 1; i < days.length; i++) {
    if (days[i]! <= days[i - 1]!) {
      throw new PerformanceInputError(
        "DATES_NOT_INCREASING",
        `performance: daily dates must increase strictly; "${dates[i]!}" at row ${i} follows "${dates[i - 1]!}"`,
        { column: "date", row: i, date: dates[i]! },
      );
    }
  }
  const read = (name: string): Float64Array => {
    const values = daily.float64(name);
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i]!)) {
        throw new PerformanceInputError("NON_FINITE", `performance: column "${name}" is ${values[i]} on ${dates[i]!}`, {
          column: name,
          row: i,
          date: dates[i]!,
        });
      }
    }
    return values;
  };
  const exposures: DailySeries["exposures"] = {};
  for (const c of dailyContract.columns) {
    if (c.optional && daily.has(c.name)) exposures[c.name as ExposureColumn] = read(c.name);
  }
  return {
    dates,
    grossPnl: read("gross_pnl"),
    fee: read("fee"),
    slippage: read("slippage"),
    funding: read("funding"),
    netPnl: read("net_pnl"),
    equity: read("equity"),
    returns: read("return"),
    turnover: read("turnover"),
    positions: read("positions"),
    exposures,
  };
}
