import { type NumerFrame, MissingColumnError } from "@nmrblox/numerframe";
import { PerformanceInputError } from "./errors.js";

/** The numeric columns every daily backtest frame carries (besides `date`). */
export const DAILY_COLUMNS = [
  "gross_pnl",
  "fee",
  "slippage",
  "funding",
  "net_pnl",
  "equity",
  "return",
  "turnover",
  "positions",
] as const;

/** Exposure columns; optional for statistics, drawn in the exposure chart when present. */
export const EXPOSURE_COLUMNS = ["long_exposure", "short_exposure", "gross_exposure"] as const;

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
  readonly exposures: Partial<Record<(typeof EXPOSURE_COLUMNS)[number], Float64Array>>;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Reads and checks a daily backtest frame: every column of `DAILY_COLUMNS` present and finite,
 * `date` as strictly increasing `YYYY-MM-DD`, at least one row.
 */
export function readDailySeries(daily: NumerFrame): DailySeries {
  if (!daily.has("date")) throw new MissingColumnError("date", "performance: daily frame", daily.columnNames);
  if (daily.numRows === 0) throw new PerformanceInputError("EMPTY_DAILY", "performance: the daily frame has no rows", { column: "date" });
  const dates = daily.strings("date");
  for (let i = 0; i < dates.length; i++) {
    const d = dates[i]!;
    if (!DATE_RE.test(d)) {
      throw new PerformanceInputError("BAD_DATE", `performance: daily date "${d}" at row ${i} is not YYYY-MM-DD`, { column: "date", row: i, date: d });
    }
    if (i > 0 && d <= dates[i - 1]!) {
      throw new PerformanceInputError(
        "DATES_NOT_INCREASING",
        `performance: daily dates must increase strictly; "${d}" at row ${i} follows "${dates[i - 1]!}"`,
        { column: "date", row: i, date: d },
      );
    }
  }
  const read = (name: string): Float64Array => {
    if (!daily.has(name)) throw new MissingColumnError(name, "performance: daily frame", daily.columnNames);
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
  for (const name of EXPOSURE_COLUMNS) if (daily.has(name)) exposures[name] = read(name);
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
