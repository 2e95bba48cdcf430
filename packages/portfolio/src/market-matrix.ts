import { MissingColumnError, type NumerFrame, isoDay } from "@nmrblox/numerframe";
import { columnCodes, columnDays } from "./column-codes.js";
import { DuplicateRowError, InvalidPriceError } from "./errors.js";

/**
 * The market frame as dense day x symbol matrices (row-major by day: cell `t * nSymbols + s`),
 * every calendar day from the first to the last market date. Built once per backtest; the
 * inner loops read only these typed arrays.
 */
export interface MarketMatrix {
  /** Day number (days since 1970-01-01) of matrix row 0. */
  readonly firstDay: number;
  readonly nDays: number;
  readonly nSymbols: number;
  /** Symbols in code-point order; column s of every matrix. */
  readonly symbols: readonly string[];
  readonly symbolIndex: ReadonlyMap<string, number>;
  /** Close carried forward from the last actual close, indefinitely; NaN before the first one. */
  readonly close: Float64Array;
  /** 1 where the day has an actual (non-NaN) close for the symbol. */
  readonly hasClose: Uint8Array;
  /** Daily USD turnover; NaN where the row is missing. */
  readonly turnoverUsd: Float64Array;
  /** Sum of the day's funding settlement rates (fractions); 0 where missing. */
  readonly fundingRate: Float64Array;
}

/** `YYYY-MM-DD` of matrix row `t`. */
export function matrixDate(matrix: MarketMatrix, t: number): string {
  return isoDay(matrix.firstDay + t);
}

/**
 * Builds the market matrices from a frame with columns date, symbol, close (> 0; NaN means
 * missing) and optionally turnover_usd and funding_rate. Duplicate (date, symbol) rows and
 * non-positive closes are errors.
 */
export function marketMatrix(market: NumerFrame): MarketMatrix {
  for (const c of ["date", "symbol", "close"]) {
    if (!market.has(c)) throw new MissingColumnError(c, "market", market.columnNames);
  }
  const n = market.numRows;
  const days = columnDays(market, "date");
  const { codes, labels, index } = columnCodes(market, "symbol");
  const close = market.float64("close");
  const turnover = market.has("turnover_usd") ? market.float64("turnover_usd") : null;
  const funding = market.has("funding_rate") ? market.float64("funding_rate") : null;

  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    if (d < first) first = d;
    if (d > last) last = d;
  }
  const nDays = n === 0 ? 0 : last - first + 1;
  const nSymbols = labels.length;
  const cells = nDays * nSymbols;
  const actual = new Float64Array(cells).fill(Number.NaN);
  const hasClose = new Uint8Array(cells);
  const seen = new Uint8Array(cells);
  const turnoverUsd = new Float64Array(cells).fill(Number.NaN);
  const fundingRate = new Float64Array(cells);
  for (let i = 0; i < n; i++) {
    const cell = (days[i]! - first) * nSymbols + codes[i]!;
    if (seen[cell]) throw new DuplicateRowError("market", isoDay(days[i]!), labels[codes[i]!]!);
    seen[cell] = 1;
    const c = close[i]!;
    if (!Number.isNaN(c)) {
      if (!(c > 0) || c === Infinity) throw new InvalidPriceError(isoDay(days[i]!), labels[codes[i]!]!, c);
      actual[cell] = c;
      hasClose[cell] = 1;
    }
    if (turnover !== null) turnoverUsd[cell] = turnover[i]!;
    if (funding !== null) {
      const f = funding[i]!;
      if (!Number.isNaN(f)) fundingRate[cell] = f;
    }
  }
  // Carry the last actual close forward: a delisted symbol is held (and exits) at its last price.
  const carried = actual;
  for (let t = 1; t < nDays; t++) {
    const row = t * nSymbols;
    const prev = row - nSymbols;
    for (let s = 0; s < nSymbols; s++) {
      if (hasClose[row + s] === 0) carried[row + s] = carried[prev + s]!;
    }
  }
  return { firstDay: first, nDays, nSymbols, symbols: labels, symbolIndex: index, close: carried, hasClose, turnoverUsd, fundingRate };
}
