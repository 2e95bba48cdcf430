import { MissingColumnError, type NumerFrame } from "@nmrblox/numerframe";
import { DuplicateRowError } from "./errors.js";

function indexOf(values: readonly string[]): { ids: Int32Array; count: number } {
  const map = new Map<string, number>();
  const ids = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let id = map.get(v);
    if (id === undefined) {
      id = map.size;
      map.set(v, id);
    }
    ids[i] = id;
  }
  return { ids, count: map.size };
}

/**
 * Keeps the rows of a (date, symbol) frame, such as signals, that the universe marks tradable
 * on that date. Rows the universe does not list are dropped: their tradability is unknown.
 * Columns, order and metadata of `signals` are kept; a provenance entry is added.
 */
export function filterTradable(signals: NumerFrame, universe: NumerFrame): NumerFrame {
  for (const c of ["date", "symbol"]) if (!signals.has(c)) throw new MissingColumnError(c, "filterTradable signals", signals.columnNames);
  for (const c of ["date", "symbol", "tradable"]) {
    if (!universe.has(c)) throw new MissingColumnError(c, "filterTradable universe", universe.columnNames);
  }
  const uDates = universe.strings("date");
  const uSymbols = universe.strings("symbol");
  const uTradable = universe.numeric("tradable");
  const sDates = signals.strings("date");
  const sSymbols = signals.strings("symbol");
  // One id space per key over both frames, so the universe becomes a dense (date × symbol) grid.
  const dates = indexOf([...uDates, ...sDates]);
  const syms = indexOf([...uSymbols, ...sSymbols]);
  const nu = uDates.length;
  // 0: not listed, 1: listed untradable, 2: listed tradable.
  const grid = new Uint8Array(dates.count * syms.count);
  for (let i = 0; i < nu; i++) {
    const at = dates.ids[i]! * syms.count + syms.ids[i]!;
    if (grid[at] !== 0) throw new DuplicateRowError("universe", uSymbols[i]!, uDates[i]!);
    grid[at] = uTradable[i] ? 2 : 1;
  }
  const keep = new Uint8Array(sDates.length);
  for (let i = 0; i < keep.length; i++) keep[i] = grid[dates.ids[nu + i]! * syms.count + syms.ids[nu + i]!] === 2 ? 1 : 0;
  return signals.filter(keep).withProvenance({ blox: "filterTradable", options: {} });
}
