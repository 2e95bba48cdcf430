import { type NumerFrame, bookContract, requireColumns, requireFrame } from "@nmrblox/numerframe";

/** How much a tranche's baskets differ from the previous tranche's. */
export interface BasketTurnover {
  readonly tranche: number;
  readonly signalDate: string;
  /** Share of this tranche's long names that were not long in the previous tranche; NaN without long names. */
  readonly long: number;
  /** The same for the short basket. */
  readonly short: number;
}

/**
 * Turnover of the top (long) and bottom (short) baskets from tranche to tranche, read from the
 * backtest's book (tranche, signal_date, symbol, quantity: > 0 long, < 0 short). Tranches are
 * taken in signal-date order; the first has no predecessor and is left out.
 *
 * @param book - the backtest's book frame
 * @returns one entry per tranche after the first
 * @throws ContractError for a missing or mistyped column; InvalidOptionError when `book` is not a NumerFrame
 * @example
 * basketTurnover(result.book).map((b) => b.long); // e.g. [0.2, 0.16, ...]
 */
export function basketTurnover(book: NumerFrame): BasketTurnover[] {
  requireFrame(book, "book", "performance");
  requireColumns(book, bookContract, "performance");
  const tranche = book.numeric("tranche");
  const dates = book.strings("signal_date");
  const symbols = book.strings("symbol");
  const quantity = book.numeric("quantity");
  const baskets = new Map<number, { date: string; long: Set<string>; short: Set<string> }>();
  for (let i = 0; i < tranche.length; i++) {
    let b = baskets.get(tranche[i]!);
    if (b === undefined) baskets.set(tranche[i]!, (b = { date: dates[i]!, long: new Set(), short: new Set() }));
    if (quantity[i]! > 0) b.long.add(symbols[i]!);
    else if (quantity[i]! < 0) b.short.add(symbols[i]!);
  }
  const ordered = [...baskets].sort((a, b) => (a[1].date < b[1].date ? -1 : a[1].date > b[1].date ? 1 : a[0] - b[0]));
  const changed = (now: Set<string>, before: Set<string>) => {
    if (now.size === 0) return Number.NaN;
    let fresh = 0;
    for (const s of now) if (!before.has(s)) fresh++;
    return fresh / now.size;
  };
  const out: BasketTurnover[] = [];
  for (let k = 1; k < ordered.length; k++) {
    const [id, b] = ordered[k]!;
    const prev = ordered[k - 1]![1];
    out.push({ tranche: id, signalDate: b.date, long: changed(b.long, prev.long), short: changed(b.short, prev.short) });
  }
  return out;
}
