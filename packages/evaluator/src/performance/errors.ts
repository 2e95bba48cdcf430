import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** The codes a `PerformanceInputError` carries, each one of numerframe's `ErrorCode`s. */
export const PERFORMANCE_ERROR_CODES = ["EMPTY_DAILY", "DATES_NOT_INCREASING", "NON_FINITE", "INVALID_TRANCHE_STATUS"] as const satisfies readonly ErrorCode[];

/** A stable code of a `PerformanceInputError`. */
export type PerformanceErrorCode = (typeof PERFORMANCE_ERROR_CODES)[number];

/**
 * A daily or tranche frame that `performance` cannot use: no rows, dates out of order, a
 * non-finite value or a tranche status other than "open"/"closed". `column`, `row` and `date`
 * say where. (A missing column is a `ContractError`, a malformed date an `InvalidDateError`,
 * a bad option an `InvalidOptionError`.)
 *
 * @example
 * try { performance(daily); } catch (e) {
 *   if (e instanceof PerformanceInputError && e.code === "NON_FINITE") console.error(e.column, e.date);
 * }
 */
export class PerformanceInputError extends NumerFrameError {
  declare readonly code: PerformanceErrorCode;

  /**
   * @param code - the stable code
   * @param message - a sentence for people
   * @param where - the column, row and date at fault
   */
  constructor(code: PerformanceErrorCode, message: string, where: ErrorLocation = {}) {
    super(code, message, where);
  }
}
