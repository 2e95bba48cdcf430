import { type ColumnInput, NumerFrame, isoDay } from "@nmrblox/numerframe";
import { Utf8, vectorFromArray } from "apache-arrow";
import { z } from "zod";
import { marketMatrix } from "./market-matrix.js";
import { parseOptions } from "./parse-options.js";
import { TrancheBookEngine } from "./tranche-book-engine.js";
import { planTranches } from "./tranche-plan.js";

/** Options of {@link trancheBook}: timing in calendar days, capital as fractions of 1.0. */
export const trancheBookOptions = z.object({
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
export type TrancheBookOptions = z.input<typeof trancheBookOptions>;

/**
 * The positions of every opened tranche: one tranche per basket date, entered at the actual
 * close of e = d + lag with capital leverage / tranches split half long, half short, weights
 * within a leg as in the baskets (symbols without a close on e dropped and their weight
 * respread); exits at the (carried) close of e + hold. Needs the market frame for entry closes.
 *
 * Returns the book frame: tranche (Int32, 0-based in entry order), signal_date, entry, exit,
 * symbol, quantity (negative for shorts), notional (quantity x entry close).
 */
export function trancheBook(baskets: NumerFrame, market: NumerFrame, options: TrancheBookOptions = {}): NumerFrame {
  const opts = parseOptions(trancheBookOptions, options, "trancheBook");
  const matrix = marketMatrix(market);
  const plan = planTranches(baskets, matrix, opts.lagDays, opts.holdDays);
  const engine = new TrancheBookEngine(plan, matrix, opts);
  for (let t = 0; t < matrix.nDays; t++) engine.step(t);
  return bookFrame(engine).withProvenance({ blox: "trancheBook", options: opts });
}

/** The book frame of an engine's opened tranches (see {@link trancheBook}). */
export function bookFrame(engine: TrancheBookEngine): NumerFrame {
  const { plan, matrix } = engine;
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
    const eDate = isoDay(matrix.firstDay + e);
    const xDate = isoDay(matrix.firstDay + engine.exitRow[k]!);
    for (let j = engine.posStart[k]!; j < engine.posStart[k + 1]!; j++) {
      const s = engine.posSymbol[j]!;
      tranche[j] = k;
      signal[j] = d;
      entry[j] = eDate;
      exit[j] = xDate;
      symbol[j] = matrix.symbols[s]!;
      quantity[j] = engine.posQty[j]!;
      notional[j] = engine.posQty[j]! * matrix.close[e * matrix.nSymbols + s]!;
    }
  }
  return NumerFrame.fromColumns(
    {
      tranche,
      signal_date: stringColumn(signal),
      entry: stringColumn(entry),
      exit: stringColumn(exit),
      symbol: stringColumn(symbol),
      quantity,
      notional,
    },
    { idCol: "symbol", roles: { signal_date: "other" }, kind: "crypto" },
    { allowEmpty: true },
  );
}

/** A string column that stays Utf8 even when empty (an empty JS array would become Float64). */
export function stringColumn(values: readonly string[]): ColumnInput {
  return values.length === 0 ? vectorFromArray([] as string[], new Utf8()) : values;
}
