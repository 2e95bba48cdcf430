import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** The codes a `FactorInputError` carries, each one of numerframe's `ErrorCode`s. */
export const FACTOR_ERROR_CODES = ["EMPTY_SIGNALS"] as const satisfies readonly ErrorCode[];

/** A stable code of a `FactorInputError`. */
export type FactorErrorCode = (typeof FACTOR_ERROR_CODES)[number];

/**
 * Signals that factor analysis cannot use and that no shared error describes: an empty
 * signals frame. Everything else is the error every package raises for the same fault: the
 * market's bad close is numerframe's `InvalidCloseError` (INVALID_CLOSE), a repeated (date,
 * symbol) a `DuplicateRowError`, a malformed date an `InvalidDateError`, a missing column a
 * `ContractError`, a bad option an `InvalidOptionError`.
 *
 * @example
 * try { factorAnalysis(signals, market); } catch (e) {
 *   if (e instanceof FactorInputError) console.error(e.code); // EMPTY_SIGNALS
 * }
 */
export class FactorInputError extends NumerFrameError {
  declare readonly code: FactorErrorCode;

  /**
   * @param code - the stable code
   * @param message - a sentence for people
   * @param where - the column, row, date or symbol at fault
   */
  constructor(code: FactorErrorCode, message: string, where: ErrorLocation = {}) {
    super(code, message, where);
  }
}
