import { NumerFrameError } from "@nmrblox/numerframe";
import type { z } from "zod";

/**
 * Error classes of @nmrblox/universe-filter. Each extends NumerFrameError (so `column`, `era`
 * and `row` point at the fault where known) and has a stable `code`.
 */

/** Base class of every universe-filter error. */
export class UniverseFilterError extends NumerFrameError {}

/** An option failed validation, or is not a known option; `option` is its dotted path. */
export class InvalidOptionError extends UniverseFilterError {
  readonly option: string;

  constructor(option: string, message: string) {
    super("INVALID_OPTION", `option "${option}": ${message}`);
    this.option = option;
  }
}

/** The same exchange symbol appears on two rows of an instruments or mapping frame. */
export class DuplicateExchangeSymbolError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  constructor(exchangeSymbol: string, frame: string, row: number) {
    super("DUPLICATE_EXCHANGE_SYMBOL", `${frame}: exchange symbol "${exchangeSymbol}" appears more than once (again at row ${row})`, {
      column: frame === "instruments" ? "symbol" : "exchange_symbol",
      row,
    });
    this.exchangeSymbol = exchangeSymbol;
  }
}

/** Two rows of a frame share a key that must be unique, such as (date, symbol). */
export class DuplicateRowError extends UniverseFilterError {
  readonly symbol: string;
  readonly date?: string;

  constructor(frame: string, symbol: string, date?: string) {
    super(
      "DUPLICATE_ROW",
      date === undefined
        ? `${frame}: symbol "${symbol}" appears more than once`
        : `${frame}: (date ${date}, symbol "${symbol}") appears more than once`,
      date === undefined ? { column: "symbol" } : { column: "symbol", era: date },
    );
    this.symbol = symbol;
    if (date !== undefined) this.date = date;
  }
}

/** An instrument row whose field cannot be used (a NaN or negative epoch, an empty name). */
export class InvalidInstrumentError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  constructor(exchangeSymbol: string, column: string, row: number, message: string) {
    super("INVALID_INSTRUMENT", `instruments: "${exchangeSymbol}" (row ${row}) column "${column}": ${message}`, { column, row });
    this.exchangeSymbol = exchangeSymbol;
  }
}

/** A mapping names an exchange symbol that the instruments frame does not list. */
export class UnknownExchangeSymbolError extends UniverseFilterError {
  readonly exchangeSymbol: string;

  constructor(exchangeSymbol: string, symbol: string) {
    super(
      "UNKNOWN_EXCHANGE_SYMBOL",
      `mapping: symbol "${symbol}" maps to exchange symbol "${exchangeSymbol}", which is not in instruments`,
      { column: "exchange_symbol" },
    );
    this.exchangeSymbol = exchangeSymbol;
  }
}

/** Parses options with a zod schema; the first issue becomes an InvalidOptionError naming its path. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, context: string): z.infer<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    const prefix = issue.path.map(String).join(".");
    const key = issue.keys[0] ?? "?";
    throw new InvalidOptionError(prefix === "" ? key : `${prefix}.${key}`, `${context}: unknown option`);
  }
  const path = issue.path.map(String).join(".") || "(options)";
  throw new InvalidOptionError(path, `${context}: ${issue.message}`);
}
