import { InvalidOptionError, NumerFrame, dayNumber, isoDay, marketContract, parseOptions, requireColumns } from "@nmrblox/numerframe";
import { marketPanel } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { selectBaskets, selectBasketsOptions } from "./select-baskets.js";
import { TrancheBookEngine } from "./tranche-book-engine.js";
import { planTranches } from "./tranche-plan.js";
import { trancheBookOptions } from "./tranche-book.js";

const { universe: _universe, ...basketShape } = selectBasketsOptions.shape;

/**
 * Options of {@link targetBook}: the backtest's portfolio options (basket selection, tranche
 * timing and sizing, maxWeight; volatility targeting is not among them, as it needs the
 * backtest's realized returns), the capital in USDT, and the day whose close is wanted.
 */
export const targetBookOptions = z.strictObject({
  ...basketShape,
  ...trancheBookOptions.shape,
  /** Account capital in USDT: the book's fractions of capital 1.0 are scaled by it. */
  capital: z.number().positive().finite(),
  /** The day (ISO) whose close the book is wanted at; default the last market date. */
  asOf: z
    .string()
    .refine((s) => !Number.isNaN(dayNumber(s)), "must be an ISO day YYYY-MM-DD")
    .optional(),
});
/** Target book options as a caller writes them (defaults optional); see `targetBookOptions`. */
export type TargetBookOptions = z.input<typeof targetBookOptions>;

/**
 * The positions the backtest's tranche book holds at the close of `asOf`, in contracts for a
 * capital in USDT: the same baskets (selection on each signal date among symbols tradable on
 * it), lag, hold, tranches, weighting, leverage and maxWeight, stepped through the very engine
 * the backtest uses, up to and including `asOf`'s exits and entry. A tranche entering on
 * `asOf` is in the book; one exiting on `asOf` is not. Quantities are per market row's
 * contract (closes are per exchange contract, so a 1000PEPEUSDT quantity counts 1000-PEPE
 * contracts), ready for `@nmrblox/exchange`'s `rebalancePlan`.
 *
 * @param signals - date, symbol, prediction (signalsContract)
 * @param market - date, symbol, close, and optionally exchange_symbol (marketContract)
 * @param universe - date, symbol, tradable, or undefined to treat every symbol as tradable
 * @param options - long, short, weighting, lagDays, holdDays, tranches, leverage, maxWeight,
 *   capital (USDT, required), asOf (default the last market date)
 * @returns a frame, one row per symbol held (sorted by symbol): symbol, exchange_symbol (when
 *   the market has it: the symbol's contract on its latest row up to asOf), quantity (signed
 *   contracts), close (the carried close of asOf), notional (quantity × close, USDT), weight
 *   (notional / capital)
 * @throws InvalidOptionError for an unknown option, a missing capital, or an asOf outside the
 *   market's dates; ContractError, InvalidCloseError, DuplicateRowError, InvalidDateError,
 *   UnknownSymbolError as selectBaskets and trancheBook do
 * @example
 * const target = targetBook(signals, market, universe, { long: 25, short: 25, holdDays: 30, tranches: 20, capital: 10_000 });
 * // rebalancePlan(await client.positions(), target, instruments, { prices })
 */
export function targetBook(signals: NumerFrame, market: NumerFrame, universe: NumerFrame | undefined, options: TargetBookOptions): NumerFrame {
  const opts = parseOptions(targetBookOptions, options, "targetBook");
  requireColumns(market, marketContract, "targetBook");
  const panel = marketPanel(market);
  const lastDay = panel.firstDay + panel.nDays - 1;
  const asOfDay = opts.asOf === undefined ? lastDay : dayNumber(opts.asOf);
  if (asOfDay < panel.firstDay || asOfDay > lastDay) {
    throw new InvalidOptionError("targetBook", [
      { path: "asOf", message: `${opts.asOf} is outside the market's dates ${isoDay(panel.firstDay)} .. ${isoDay(lastDay)}` },
    ]);
  }
  const baskets = selectBaskets(signals, {
    long: opts.long,
    short: opts.short,
    weighting: opts.weighting,
    ...(universe !== undefined ? { universe } : {}),
  });
  const plan = planTranches(baskets, panel, opts.lagDays, opts.holdDays);
  const engine = new TrancheBookEngine(plan, panel, opts);
  const asOfRow = asOfDay - panel.firstDay;
  for (let t = 0; t <= asOfRow; t++) engine.step(t);

  const held: number[] = [];
  for (let s = 0; s < panel.nSymbols; s++) if (engine.holders[s]! > 0 && engine.quantity[s] !== 0) held.push(s);
  // panel.symbols are in code-point order, so `held` is sorted by symbol.
  const n = held.length;
  const symbol = new Array<string>(n);
  const quantity = new Float64Array(n);
  const close = new Float64Array(n);
  const notional = new Float64Array(n);
  const weight = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const s = held[i]!;
    symbol[i] = panel.symbols[s]!;
    quantity[i] = engine.quantity[s]! * opts.capital;
    close[i] = panel.close[asOfRow * panel.nSymbols + s]!;
    notional[i] = quantity[i]! * close[i]!;
    weight[i] = notional[i]! / opts.capital;
  }
  const columns: Record<string, string[] | Float64Array> = { symbol };
  if (market.has("exchange_symbol")) columns.exchange_symbol = exchangeSymbols(market, symbol, isoDay(asOfDay));
  Object.assign(columns, { quantity, close, notional, weight });
  const { capital: _capital, ...recorded } = opts;
  return NumerFrame.fromColumns(columns, { idCol: "symbol", kind: "crypto" }, { allowEmpty: true, strings: Object.keys(columns).filter((c) => c.endsWith("symbol")) }).withProvenance({
    blox: "targetBook",
    options: { ...recorded, asOf: isoDay(asOfDay), capital: opts.capital },
  });
}

/** Each symbol's exchange_symbol on its latest market row dated on or before `asOf`. */
function exchangeSymbols(market: NumerFrame, symbols: readonly string[], asOf: string): string[] {
  const wanted = new Map(symbols.map((s, i) => [s, i]));
  const out = new Array<string>(symbols.length).fill("");
  const latest = new Array<string>(symbols.length).fill("");
  const date = market.strings("date");
  const sym = market.strings("symbol");
  const ex = market.strings("exchange_symbol");
  for (let r = 0; r < date.length; r++) {
    const i = wanted.get(sym[r]!);
    if (i === undefined) continue;
    const d = date[r]!;
    // ISO days compare as strings.
    if (d <= asOf && d >= latest[i]!) {
      latest[i] = d;
      out[i] = ex[r]!;
    }
  }
  return out;
}
