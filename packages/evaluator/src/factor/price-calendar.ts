import { type NumerFrame, MissingColumnError, dayNumber } from "@nmrblox/numerframe";
import { FactorInputError } from "./errors.js";

/**
 * Daily closes on every calendar day from the first to the last market date, one row per day
 * and one column per symbol (`day * width + symbol`). `actual` holds the closes as given (NaN
 * where missing); `carried` carries the last actual close forward, indefinitely, as the
 * backtest does for delisted symbols.
 */
export interface PriceCalendar {
  readonly firstDay: number;
  readonly days: number;
  readonly width: number;
  readonly symbolIds: ReadonlyMap<string, number>;
  readonly actual: Float64Array;
  readonly carried: Float64Array;
}

/** Builds the calendar of closes from a market frame (date, symbol, close). */
export function buildPriceCalendar(market: NumerFrame): PriceCalendar {
  for (const c of ["date", "symbol", "close"]) {
    if (!market.has(c)) throw new MissingColumnError(c, "factorAnalysis: market frame", market.columnNames);
  }
  const dates = market.strings("date");
  const symbols = market.strings("symbol");
  const close = market.float64("close");
  const n = dates.length;
  const dayOf = new Float64Array(n);
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const symbolIds = new Map<string, number>();
  const symbolOf = new Int32Array(n);
  const dayCache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    let d = dayCache.get(dates[i]!);
    if (d === undefined) {
      d = dayNumber(dates[i]!);
      dayCache.set(dates[i]!, d);
    }
    if (Number.isNaN(d)) {
      throw new FactorInputError("BAD_DATE", `factorAnalysis: market date "${dates[i]!}" at row ${i} is not YYYY-MM-DD`, { column: "date", row: i });
    }
    dayOf[i] = d;
    if (d < first) first = d;
    if (d > last) last = d;
    const s = symbols[i]!;
    let id = symbolIds.get(s);
    if (id === undefined) {
      id = symbolIds.size;
      symbolIds.set(s, id);
    }
    symbolOf[i] = id;
  }
  if (n === 0) throw new FactorInputError("EMPTY_MARKET", "factorAnalysis: the market frame has no rows", { column: "date" });
  const days = last - first + 1;
  const width = symbolIds.size;
  const actual = new Float64Array(days * width).fill(Number.NaN);
  const seen = new Uint8Array(days * width);
  for (let i = 0; i < n; i++) {
    const cell = (dayOf[i]! - first) * width + symbolOf[i]!;
    if (seen[cell]) {
      throw new FactorInputError("DUPLICATE_ROW", `factorAnalysis: market has two rows for ${symbols[i]!} on ${dates[i]!}`, {
        column: "symbol",
        row: i,
        date: dates[i]!,
        symbol: symbols[i]!,
      });
    }
    seen[cell] = 1;
    const c = close[i]!;
    if (c <= 0) {
      throw new FactorInputError("BAD_CLOSE", `factorAnalysis: close ${c} of ${symbols[i]!} on ${dates[i]!} is not positive`, {
        column: "close",
        row: i,
        date: dates[i]!,
        symbol: symbols[i]!,
      });
    }
    actual[cell] = c;
  }
  const carried = new Float64Array(days * width);
  for (let j = 0; j < width; j++) {
    let lastClose = Number.NaN;
    for (let d = 0; d < days; d++) {
      const v = actual[d * width + j]!;
      if (!Number.isNaN(v)) lastClose = v;
      carried[d * width + j] = lastClose;
    }
  }
  return { firstDay: first, days, width, symbolIds, actual, carried };
}
