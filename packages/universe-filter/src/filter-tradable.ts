import { type NumerFrame, requireColumns, universeContract } from "@nmrblox/numerframe";
import { TRADABLE, cellState, dayCodes, stringCodes, universeGrid } from "@nmrblox/numerframe/internal";
import { keyedRowsContract } from "./contracts.js";

/**
 * Keeps the rows of a (date, symbol) frame, such as signals, that the universe marks tradable
 * on that date. Rows the universe does not list are dropped: their tradability is unknown.
 * Columns, order and metadata of `signals` are kept; a provenance entry is added.
 *
 * @param signals - a frame with date (`YYYY-MM-DD`) and symbol columns; other columns are kept
 * @param universe - a frame meeting numerframe's `universeContract` (date, symbol, tradable as
 *   booleans or 0/1), such as `tradableUniverse`'s output
 * @returns the tradable rows of `signals`
 * @throws ContractError (MISSING_COLUMN / NON_NUMERIC_COLUMN) for a missing or mistyped column;
 *   InvalidDateError (INVALID_DATE) for a malformed date; DuplicateRowError (DUPLICATE_ROW) for a
 *   (date, symbol) the universe lists twice
 * @example
 * const tradableSignals = filterTradable(signals, tradableUniverse({ signals, instruments, market }));
 */
export function filterTradable(signals: NumerFrame, universe: NumerFrame): NumerFrame {
  requireColumns(signals, keyedRowsContract, "filterTradable");
  requireColumns(universe, universeContract, "filterTradable");
  // numerframe's one reading of a universe: a dense day × symbol grid, cached per frame.
  const grid = universeGrid(universe);
  const days = dayCodes(signals, "date");
  const { codes, labels } = stringCodes(signals, "symbol");
  const column = Int32Array.from(labels, (s) => grid.symbolIndex.get(s) ?? -1);
  const keep = new Uint8Array(days.length);
  for (let i = 0; i < keep.length; i++) keep[i] = cellState(grid, days[i]!, column[codes[i]!]!) === TRADABLE ? 1 : 0;
  return signals.filter(keep).withProvenance({ blox: "filterTradable", options: {} });
}
