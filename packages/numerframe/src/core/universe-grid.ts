import type { NumerFrame } from "../numer-frame.js";
import { requireColumns, universeContract } from "./contracts.js";
import { DuplicateRowError } from "./market-errors.js";
import { dayCodes, stringCodes } from "./string-codes.js";
import { isoDay } from "../days.js";

/** Cell states of a universe grid. */
export const UNLISTED = 0;
export const UNTRADABLE = 1;
export const TRADABLE = 2;

/**
 * A universe frame (date, symbol, tradable) as a dense day × symbol grid, built once per frame
 * (cached): the one way every package reads tradability.
 */
export interface UniverseGrid {
  readonly firstDay: number;
  readonly nDays: number;
  readonly nSymbols: number;
  /** Symbols that have rows, in code-point order. */
  readonly symbols: readonly string[];
  readonly symbolIndex: ReadonlyMap<string, number>;
  /** Cell `t * nSymbols + s`: UNLISTED (0), UNTRADABLE (1) or TRADABLE (2). */
  readonly state: Uint8Array;
  /** 1 for symbols tradable on at least one day. */
  readonly everTradable: Uint8Array;
}

const cache = new WeakMap<NumerFrame, UniverseGrid>();

/**
 * The universe grid of a universe frame.
 *
 * @param universe - a frame meeting `universeContract` (tradable as booleans or 0/1)
 * @returns the grid; treat its arrays as read-only
 * @throws ContractError for a missing column; InvalidDateError for a bad date;
 *   DuplicateRowError (DUPLICATE_ROW) for a repeated (date, symbol)
 * @example
 * const g = universeGrid(universe);
 * const ok = g.state[(day - g.firstDay) * g.nSymbols + g.symbolIndex.get("BTC")!] === TRADABLE;
 */
export function universeGrid(universe: NumerFrame): UniverseGrid {
  let grid = cache.get(universe);
  if (grid === undefined) {
    grid = buildGrid(universe);
    cache.set(universe, grid);
  }
  return grid;
}

function buildGrid(universe: NumerFrame): UniverseGrid {
  requireColumns(universe, universeContract, "universe");
  const n = universe.numRows;
  const days = dayCodes(universe, "date");
  const { codes, labels, index } = stringCodes(universe, "symbol");
  const flags = universe.numeric("tradable");
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    if (days[i]! < first) first = days[i]!;
    if (days[i]! > last) last = days[i]!;
  }
  const nDays = n === 0 ? 0 : last - first + 1;
  const nSymbols = labels.length;
  const state = new Uint8Array(nDays * nSymbols);
  const everTradable = new Uint8Array(nSymbols);
  for (let i = 0; i < n; i++) {
    const cell = (days[i]! - first) * nSymbols + codes[i]!;
    if (state[cell] !== UNLISTED) throw new DuplicateRowError("universe", isoDay(days[i]!), labels[codes[i]!]!);
    const ok = flags[i] ? TRADABLE : UNTRADABLE;
    state[cell] = ok;
    if (ok === TRADABLE) everTradable[codes[i]!] = 1;
  }
  return { firstDay: n === 0 ? 0 : first, nDays, nSymbols, symbols: labels, symbolIndex: index, state, everTradable };
}

/**
 * The state of one (day, symbol) cell.
 *
 * @param grid - a universe grid
 * @param day - a day number (days since 1970-01-01)
 * @param symbol - the column of the symbol in the grid, or −1 for a symbol the universe lacks
 * @returns UNLISTED, UNTRADABLE or TRADABLE
 * @example
 * cellState(g, dayNumber("2024-01-01"), g.symbolIndex.get("BTC") ?? -1);
 */
export function cellState(grid: UniverseGrid, day: number, symbol: number): number {
  const t = day - grid.firstDay;
  if (symbol < 0 || t < 0 || t >= grid.nDays) return UNLISTED;
  return grid.state[t * grid.nSymbols + symbol]!;
}
