import { NumerFrameError } from "@nmrblox/numerframe";

/**
 * Signals or market data that factor analysis cannot use: a missing column, a duplicate
 * (date, symbol), a close ≤ 0, a malformed date or a bad option. `code` is stable; `column`,
 * `row`, `date` and `symbol` say where.
 */
export class FactorInputError extends NumerFrameError {
  readonly date?: string;
  readonly symbol?: string;

  constructor(code: string, message: string, where: { column?: string; row?: number; date?: string; symbol?: string } = {}) {
    const { date, symbol, ...location } = where;
    super(code, message, location);
    if (date !== undefined) this.date = date;
    if (symbol !== undefined) this.symbol = symbol;
  }
}
