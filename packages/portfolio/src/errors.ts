import { NumerFrameError } from "@nmrblox/numerframe";

/** Base class of portfolio errors; `code` is stable, the message names the option, symbol or date. */
export class PortfolioError extends NumerFrameError {
  readonly symbol?: string;
  readonly date?: string;

  constructor(code: string, message: string, where: { column?: string; symbol?: string; date?: string } = {}) {
    super(code, message, where.column !== undefined ? { column: where.column } : {});
    if (where.symbol !== undefined) this.symbol = where.symbol;
    if (where.date !== undefined) this.date = where.date;
  }
}

/** An option is out of range or of the wrong type; `option` is its dotted path. */
export class InvalidOptionError extends PortfolioError {
  readonly option: string;

  constructor(option: string, message: string) {
    super("INVALID_OPTION", `option "${option}": ${message}`);
    this.option = option;
  }
}

/** Two rows share the same (date, symbol) in a frame where keys must be unique. */
export class DuplicateRowError extends PortfolioError {
  constructor(frame: string, date: string, symbol: string) {
    super("DUPLICATE_ROW", `${frame}: more than one row for date ${date}, symbol ${symbol}`, { symbol, date });
  }
}

/** A close price is zero, negative or infinite. */
export class InvalidPriceError extends PortfolioError {
  constructor(date: string, symbol: string, value: number) {
    super("INVALID_CLOSE", `market: close must be > 0, found ${value} on ${date} for ${symbol}`, { column: "close", symbol, date });
  }
}

/** A symbol that must be traded has no row at all in the market frame. */
export class UnknownSymbolError extends PortfolioError {
  constructor(symbol: string, date: string, context: string) {
    super("UNKNOWN_SYMBOL", `${context}: symbol ${symbol} (signal date ${date}) is not in the market frame`, { symbol, date });
  }
}

