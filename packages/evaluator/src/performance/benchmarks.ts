import { NumerFrame, dayColumn, marketContract, parseOptions, pearson, requireColumns, requireFrame } from "@nmrblox/numerframe";
import { TRADABLE, marketPanel, universeGrid } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { readDailySeries } from "./daily-series.js";

/** Options of `benchmarks`. */
export const benchmarkOptions = z.strictObject({
  /** The symbol bought and held (its carried close); default "BTC". */
  symbol: z.string().min(1).default("BTC"),
  /** Tradable universe (date, symbol, tradable) for the equal-weight long; default: every symbol with a close. */
  universe: z.custom<NumerFrame>((v) => NumerFrame.isInstance(v), { message: "expected a NumerFrame" }).optional(),
});
/** Options of `benchmarks`, as callers write them. */
export type BenchmarkOptions = z.input<typeof benchmarkOptions>;

/** The strategy beside two passive benchmarks over the same days. */
export interface Benchmarks {
  readonly symbol: string;
  readonly dates: readonly string[];
  /** The strategy's daily returns (the daily frame's `return`). */
  readonly strategy: Float64Array;
  /** Buy-and-hold of `symbol`: close_t / close_{t−1} − 1 on carried closes; 0 on the first day and before its first close; null when the market lacks the symbol. */
  readonly buyAndHold: Float64Array | null;
  /** Equal-weight long of the universe, rebalanced daily: mean over names tradable with an actual close on t−1 of close_t / close_{t−1} − 1; 0 when no name qualifies. */
  readonly equalWeight: Float64Array;
  /** Names in the equal-weight long per day. */
  readonly equalWeightNames: Int32Array;
  /** OLS beta of the strategy's daily returns on the benchmark's, cov / var (both ddof 1), days 2..T; null without variance or benchmark. */
  readonly beta: number | null;
  /** Pearson correlation of the same daily returns; null when undefined. */
  readonly correlation: number | null;
}

/**
 * The strategy's daily returns beside a buy-and-hold of one symbol (BTC by default) and an
 * equal-weight, daily-rebalanced long of the tradable universe, with the strategy's beta and
 * correlation to the buy-and-hold. Closes come from numerframe's market panel (carried
 * forward over missing days, as the backtest does).
 *
 * @param daily - the backtest's daily frame (its dates and `return`)
 * @param market - date, symbol, close
 * @param options - `symbol` (default "BTC"), `universe` (the tradable universe; default every symbol with a close)
 * @returns the three daily return series, names per day, beta and correlation
 * @throws InvalidOptionError for an unknown or malformed option or an argument that is not a
 *   NumerFrame; ContractError for a missing column; InvalidCloseError (INVALID_CLOSE) for a close
 *   ≤ 0 or infinite; DuplicateRowError; InvalidDateError; the errors of `performance` for the daily frame
 * @example
 * const b = benchmarks(result.daily, market, { symbol: "BTC", universe });
 * console.log(b.beta, b.correlation);
 */
export function benchmarks(daily: NumerFrame, market: NumerFrame, options: BenchmarkOptions = {}): Benchmarks {
  requireFrame(market, "market", "benchmarks");
  const opts = parseOptions(benchmarkOptions, options, "benchmarks");
  const s = readDailySeries(daily);
  requireColumns(market, marketContract, "benchmarks");
  const panel = marketPanel(market);
  const grid = opts.universe ? universeGrid(opts.universe) : null;
  const days = dayColumn(s.dates, "date", "benchmarks: daily frame");
  const T = days.length;
  const W = panel.nSymbols;
  const btc = panel.symbolIndex.get(opts.symbol);
  const buyAndHold = btc === undefined ? null : new Float64Array(T);
  const equalWeight = new Float64Array(T);
  const names = new Int32Array(T);
  for (let t = 1; t < T; t++) {
    const a = days[t - 1]! - panel.firstDay;
    const b = days[t]! - panel.firstDay;
    if (a < 0 || b >= panel.nDays) continue;
    if (buyAndHold && btc !== undefined) {
      const r = panel.close[b * W + btc]! / panel.close[a * W + btc]! - 1;
      buyAndHold[t] = Number.isFinite(r) ? r : 0;
    }
    let sum = 0;
    let n = 0;
    for (let j = 0; j < W; j++) {
      const before = panel.actualClose[a * W + j]!;
      if (Number.isNaN(before)) continue;
      if (grid) {
        const g = grid.symbolIndex.get(panel.symbols[j]!);
        const gt = days[t - 1]! - grid.firstDay;
        if (g === undefined || gt < 0 || gt >= grid.nDays || grid.state[gt * grid.nSymbols + g] !== TRADABLE) continue;
      }
      sum += panel.close[b * W + j]! / before - 1;
      n++;
    }
    equalWeight[t] = n > 0 ? sum / n : 0;
    names[t] = n;
  }
  let beta: number | null = null;
  let correlation: number | null = null;
  if (buyAndHold && T > 2) {
    const x = buyAndHold.subarray(1);
    const y = s.returns.subarray(1);
    const n = x.length;
    let mx = 0;
    let my = 0;
    for (let i = 0; i < n; i++) {
      mx += x[i]!;
      my += y[i]!;
    }
    mx /= n;
    my /= n;
    let sxy = 0;
    let sxx = 0;
    for (let i = 0; i < n; i++) {
      sxy += (x[i]! - mx) * (y[i]! - my);
      sxx += (x[i]! - mx) ** 2;
    }
    beta = sxx > 0 ? sxy / sxx : null;
    const c = pearson(y, x, n);
    correlation = Number.isFinite(c) ? c : null;
  }
  return { symbol: opts.symbol, dates: s.dates, strategy: s.returns, buyAndHold, equalWeight, equalWeightNames: names, beta, correlation };
}
