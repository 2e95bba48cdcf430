import { NumerFrameError } from "./error.js";

/**
 * A close price that is zero, negative or infinite (NaN means "no close that day" and is not
 * an error). The same code everywhere the market frame is read: universe filter, portfolio,
 * backtest, factor analysis.
 */
export class InvalidCloseError extends NumerFrameError {
  readonly value: number;

  /**
   * @param date - the market date (YYYY-MM-DD)
   * @param symbol - the symbol (or exchange symbol) of the row
   * @param value - the close found
   */
  constructor(date: string, symbol: string, value: number) {
    super("INVALID_CLOSE", `market: close must be > 0 and finite, found ${value} on ${date} for ${symbol}`, { column: "close", symbol, date });
    this.value = value;
  }
}

/**
 * Two rows share the same (date, symbol) in a frame where keys must be unique, or the same
 * symbol in a frame keyed by symbol alone (a symbol mapping).
 */
export class DuplicateRowError extends NumerFrameError {
  /**
   * @param frame - the frame's name ("market")
   * @param date - the repeated date, or undefined for a frame keyed by symbol alone
   * @param symbol - the repeated symbol
   */
  constructor(frame: string, date: string | undefined, symbol: string) {
    super(
      "DUPLICATE_ROW",
      date === undefined ? `${frame}: more than one row for symbol ${symbol}` : `${frame}: more than one row for date ${date}, symbol ${symbol}`,
      date === undefined ? { symbol } : { symbol, date },
    );
  }
}

/** A symbol that must be priced has no row at all in the market frame. */
export class UnknownSymbolError extends NumerFrameError {
  /**
   * @param symbol - the symbol
   * @param date - the date it was needed (a signal date)
   * @param context - who needed it ("runBacktest")
   */
  constructor(symbol: string, date: string, context: string) {
    super("UNKNOWN_SYMBOL", `${context}: symbol ${symbol} (signal date ${date}) is not in the market frame`, { symbol, date });
  }
}
