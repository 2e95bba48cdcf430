import { NumerFrameError } from "@nmrblox/numerframe";

/**
 * Error classes of @nmrblox/universe-filter. Each extends NumerFrameError (so `column`, `row`
 * and friends point at the fault where known) and has a stable `code` from numerframe's one
 * `ErrorCode` union. Options, duplicate rows, bad closes and bad dates fail with numerframe's
 * own classes (re-exported from this package's index).
 */

/** Base class of the errors only the universe filter raises. */
export class UniverseFilterError extends NumerFrameError {}

/** The same exchange symbol appears on two rows of an instruments or mapping frame. */
export class DuplicateExchangeSymbolError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  /**
   * @param exchangeSymbol - the repeated exchange symbol
   * @param frame - "instruments" or "mapping"
   * @param row - the row where it appears again
   */
  constructor(exchangeSymbol: string, frame: string, row: number) {
    super("DUPLICATE_EXCHANGE_SYMBOL", `${frame}: exchange symbol "${exchangeSymbol}" appears more than once (again at row ${row})`, {
      column: frame === "instruments" ? "symbol" : "exchange_symbol",
      row,
    });
    this.exchangeSymbol = exchangeSymbol;
  }
}

/** An instrument row whose field cannot be used (a NaN or negative epoch, an empty name). */
export class InvalidInstrumentError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  /**
   * @param exchangeSymbol - the instrument's exchange symbol
   * @param column - the column at fault
   * @param row - the row
   * @param message - what is wrong
   */
  constructor(exchangeSymbol: string, column: string, row: number, message: string) {
    super("INVALID_INSTRUMENT", `instruments: "${exchangeSymbol}" (row ${row}) column "${column}": ${message}`, { column, row });
    this.exchangeSymbol = exchangeSymbol;
  }
}

/** A mapping names an exchange symbol that the instruments frame does not list. */
export class UnknownExchangeSymbolError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  /**
   * @param exchangeSymbol - the exchange symbol the mapping names
   * @param symbol - the Numerai symbol mapped to it
   */
  constructor(exchangeSymbol: string, symbol: string) {
    super(
      "UNKNOWN_EXCHANGE_SYMBOL",
      `mapping: symbol "${symbol}" maps to exchange symbol "${exchangeSymbol}", which is not in instruments`,
      { column: "exchange_symbol", symbol },
    );
    this.exchangeSymbol = exchangeSymbol;
  }
}
