import { NumerFrame, isoDay, parseOptions } from "@nmrblox/numerframe";
import { marketPanel } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { checkMarketSpan, checkOverlap } from "./plan-checks.js";
import { TrancheBookEngine } from "./tranche-book-engine.js";
import { planTranches } from "./tranche-plan.js";

/** Options of {@link trancheBook}: timing in calendar days, capital as fractions of 1.0. */
export const trancheBookOptions = z.strictObject({
  /** Days from signal date d to entry e = d + lagDays (≥ 0). */
  lagDays: z.number().int().min(0).default(1),
  /** Days from entry to exit x = e + holdDays (≥ 1). */
  holdDays: z.number().int().min(1).default(30),
  /** Overlapping tranches; each gets capital leverage / tranches. */
  tranches: z.number().int().min(1).default(20),
  /** Gross leverage of the full book (> 0). */
  leverage: z.number().positive().default(1),
  /** Cap on one symbol's net weight across the book at entry (fraction of capital 1.0). */
  maxWeight: z.number().positive().optional(),
});
/** Tranche book options as a caller writes them (defaults optional); see `trancheBookOptions`. */
export type TrancheBookOptions = z.input<typeof trancheBookOptions>;

/**
 * The positions of every opened tranche: one tranche per basket date, entered at the actual
 * close of e = d + lag with capital leverage / tranches split half long, half short, weights
 * within a leg as in the baskets (symbols without a close on e dropped and their weight
 * respread); exits at the (carried) close of e + hold.
 *
 * @param baskets - what `selectBaskets` returns: date, symbol, side, weight
 * @param market - a frame meeting `marketContract`: date, symbol, close (> 0; NaN = no close)
 * @param options - `lagDays` (default 1), `holdDays` (30), `tranches` (20), `leverage` (1), `maxWeight`
 * @returns the book frame (it meets `bookContract`): tranche (Int32, 0-based in entry order),
 *   signal_date, entry, exit, symbol, quantity (negative for shorts), notional (quantity × entry close)
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown or out-of-range option, or a
 *   holdDays that keeps more than 2 × tranches open at once (gross exposure above twice the
 *   leverage); ContractError (MISSING_COLUMN) for a frame without its columns; NumerFrameError
 *   DATE_OUT_OF_RANGE for a market date more than 1,096 days outside the baskets' dates (+ lag
 *   + hold); NumerFrameError INVALID_TURNOVER for a negative turnover_usd; InvalidCloseError
 *   (INVALID_CLOSE) for a zero, negative or infinite close; DuplicateRowError (DUPLICATE_ROW);
 *   InvalidDateError (INVALID_DATE); UnknownSymbolError (UNKNOWN_SYMBOL) for a basket symbol
 *   absent from the market; NumerFrameError (EMPTY_MARKET) for a market without rows
 * @example
 * const book = trancheBook(selectBaskets(signals), market, { lagDays: 1, holdDays: 30, tranches: 20 });
 */
export function trancheBook(baskets: NumerFrame, market: NumerFrame, options: TrancheBookOptions = {}): NumerFrame {
  const opts = parseOptions(trancheBookOptions, options, "trancheBook");
  checkMarketSpan(market, baskets, opts.lagDays + opts.holdDays, "trancheBook");
  const panel = marketPanel(market);
  const plan = planTranches(baskets, panel, opts.lagDays, opts.holdDays);
  checkOverlap(plan, opts.holdDays, opts.tranches, "trancheBook", "");
  const engine = new TrancheBookEngine(plan, panel, opts);
  for (let t = 0; t < panel.nDays; t++) engine.step(t);
  return bookFrame(engine).withProvenance({ blox: "trancheBook", options: opts });
}

/**
 * The book frame of an engine's opened tranches (see {@link trancheBook}).
 *
 * @param engine - a tranche book engine, stepped as far as wanted
 * @returns tranche, signal_date, entry, exit, symbol, quantity, notional; string columns stay
 *   strings when there are no rows
 * @example
 * const book = bookFrame(engine);
 */
export function bookFrame(engine: TrancheBookEngine): NumerFrame {
  const { plan, panel } = engine;
  const n = engine.posStart[engine.opened]!;
  const tranche = new Int32Array(n);
  const signal = new Array<string>(n);
  const entry = new Array<string>(n);
  const exit = new Array<string>(n);
  const symbol = new Array<string>(n);
  const quantity = new Float64Array(n);
  const notional = new Float64Array(n);
  for (let k = 0; k < engine.opened; k++) {
    const d = isoDay(plan.signalDay[engine.planIndex[k]!]!);
    const e = engine.entryRow[k]!;
    const eDate = isoDay(panel.firstDay + e);
    const xDate = isoDay(panel.firstDay + engine.exitRow[k]!);
    for (let j = engine.posStart[k]!; j < engine.posStart[k + 1]!; j++) {
      const s = engine.posSymbol[j]!;
      tranche[j] = k;
      signal[j] = d;
      entry[j] = eDate;
      exit[j] = xDate;
      symbol[j] = panel.symbols[s]!;
      quantity[j] = engine.posQty[j]!;
      notional[j] = engine.posQty[j]! * panel.close[e * panel.nSymbols + s]!;
    }
  }
  return NumerFrame.fromColumns(
    { tranche, signal_date: signal, entry, exit, symbol, quantity, notional },
    { idCol: "symbol", roles: { signal_date: "other" }, kind: "crypto" },
    { allowEmpty: true, strings: ["signal_date", "entry", "exit", "symbol"] },
  );
}
