import { NumerFrame, NumerFrameError, parseOptions, requireColumns } from "@nmrblox/numerframe";
import { dayCodes, marketPanel, stringCodes } from "@nmrblox/numerframe/internal";
import { z } from "zod";

/** Options of {@link rollingBeta}. */
export const rollingBetaOptions = z.strictObject({
  /** The market symbol betas are measured against. */
  benchmark: z.string().min(1).default("BTC"),
  /** Daily returns up to and including the signal date that enter the estimate. */
  windowDays: z.number().int().min(2).default(60),
  /** Fewer return pairs than this in the window: the symbol gets beta 1 (the market's own). */
  minDays: z.number().int().min(2).default(20),
});
/** Options of {@link rollingBeta}, as callers write them. */
export type RollingBetaOptions = z.input<typeof rollingBetaOptions>;

/**
 * Point-in-time beta of each signal row's symbol to a benchmark (BTC by default): the slope of
 * its daily close-to-close returns on the benchmark's over the `windowDays` days up to and
 * including the signal date (known at its close, so usable for that date's basket). A day counts
 * when both symbols have actual closes on it and on the day before. A symbol with fewer than
 * `minDays` such days, or not in the market, gets beta 1; a window where the benchmark did not
 * move gets 1 as well. The benchmark's own beta is 1.
 *
 * @param market - date, symbol, close (numerframe's market contract)
 * @param signals - the (date, symbol) rows to measure, e.g. the signals frame
 * @param options - `benchmark` ("BTC"), `windowDays` (60), `minDays` (20)
 * @returns a frame date, symbol, beta with one row per signals row, in its order
 * @throws InvalidOptionError for a bad option; NumerFrameError UNKNOWN_SYMBOL when the benchmark
 *   is not in the market (`symbol`, `option` "benchmark"); the market panel's errors
 *   (INVALID_CLOSE, DUPLICATE_ROW, INVALID_DATE, EMPTY_MARKET)
 * @example
 * const betas = rollingBeta(market, signals, { benchmark: "BTC", windowDays: 60 });
 * selectBaskets(signals, { weighting: "optimized", neutralizers: betas });
 */
export function rollingBeta(market: NumerFrame, signals: NumerFrame, options: RollingBetaOptions = {}): NumerFrame {
  const opts = parseOptions(rollingBetaOptions, options, "rollingBeta");
  requireColumns(signals, ["date", "symbol"], "rollingBeta");
  const panel = marketPanel(market);
  const b = panel.symbolIndex.get(opts.benchmark);
  if (b === undefined) {
    throw new NumerFrameError("UNKNOWN_SYMBOL", `rollingBeta: benchmark "${opts.benchmark}" is not in the market`, {
      symbol: opts.benchmark,
      option: "benchmark",
    });
  }
  const { nDays, nSymbols, actualClose } = panel;
  const days = dayCodes(signals, "date");
  const { codes, labels } = stringCodes(signals, "symbol");
  const rows = signals.numRows;
  const beta = new Float64Array(rows).fill(1);

  // Benchmark returns by day (NaN where it has no close on the day or the day before).
  const rb = new Float64Array(nDays).fill(Number.NaN);
  for (let t = 1; t < nDays; t++) rb[t] = actualClose[t * nSymbols + b]! / actualClose[(t - 1) * nSymbols + b]! - 1;

  // Rows by symbol label, so each symbol's prefix sums are built once.
  const byLabel: number[][] = labels.map(() => []);
  for (let i = 0; i < rows; i++) byLabel[codes[i]!]!.push(i);
  const count = new Float64Array(nDays + 1);
  const sx = new Float64Array(nDays + 1);
  const sy = new Float64Array(nDays + 1);
  const sxy = new Float64Array(nDays + 1);
  const syy = new Float64Array(nDays + 1);
  for (let k = 0; k < labels.length; k++) {
    const s = panel.symbolIndex.get(labels[k]!);
    if (s === undefined || s === b) continue;
    // Prefix sums over days of the pairs (symbol return x, benchmark return y) where both exist.
    for (let t = 0; t < nDays; t++) {
      let x = Number.NaN;
      if (t > 0) x = actualClose[t * nSymbols + s]! / actualClose[(t - 1) * nSymbols + s]! - 1;
      const y = rb[t]!;
      const ok = !Number.isNaN(x) && !Number.isNaN(y);
      count[t + 1] = count[t]! + (ok ? 1 : 0);
      sx[t + 1] = sx[t]! + (ok ? x : 0);
      sy[t + 1] = sy[t]! + (ok ? y : 0);
      sxy[t + 1] = sxy[t]! + (ok ? x * y : 0);
      syy[t + 1] = syy[t]! + (ok ? y * y : 0);
    }
    for (const i of byLabel[k]!) {
      // Window of days (d − windowDays, d], clipped to the panel.
      const hi = Math.min(days[i]! - panel.firstDay, nDays - 1) + 1;
      const lo = Math.max(0, hi - opts.windowDays);
      if (hi <= 0) continue;
      const c = count[hi]! - count[lo]!;
      if (c < opts.minDays) continue;
      const mx = (sx[hi]! - sx[lo]!) / c;
      const my = (sy[hi]! - sy[lo]!) / c;
      const cov = (sxy[hi]! - sxy[lo]!) / c - mx * my;
      const varY = (syy[hi]! - syy[lo]!) / c - my * my;
      if (varY > 0) beta[i] = cov / varY;
    }
  }
  return NumerFrame.fromColumns(
    { date: signals.strings("date"), symbol: signals.strings("symbol"), beta },
    { eraCol: "date", idCol: "symbol", kind: "crypto" },
    { allowEmpty: true },
  ).withProvenance({ blox: "rollingBeta", options: opts });
}
