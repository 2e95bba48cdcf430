import { NumerFrameError, type ErrorLocation } from "@nmrblox/numerframe";

/**
 * A daily or tranche frame that `performance` cannot use: a missing column, a non-finite value,
 * dates out of order, or a bad option. `code` is stable; `column`, `row` and `date` say where.
 */
export class PerformanceInputError extends NumerFrameError {
  /** The daily or signal date at fault, when there is one. */
  readonly date?: string;

  constructor(code: string, message: string, where: ErrorLocation & { date?: string } = {}) {
    const { date, ...location } = where;
    super(code, message, location);
    if (date !== undefined) this.date = date;
  }
}
