import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import type { CostMarket } from "./cost-market.js";

/**
 * Square-root market impact, charged as slippage: cost = k · N · √(N · capitalUsd / ADV),
 * N = |traded notional| as a fraction of capital, ADV = mean actual turnover_usd of the symbol
 * over the advWindowDays calendar days ending on the trade day (missing days skipped; no data:
 * no impact).
 */
export const sqrtImpactTerm = z.strictObject({
  type: z.literal("sqrtImpact"),
  k: z.number().min(0),
  advWindowDays: z.number().int().min(1).default(20),
  /** USD value of capital 1.0, to compare traded notional with USD turnover. */
  capitalUsd: z.number().positive().default(1_000_000),
});
/** A parsed square-root impact term, defaults filled in (`advWindowDays` 20, `capitalUsd` 1e6). */
export type SqrtImpactTerm = z.infer<typeof sqrtImpactTerm>;

/**
 * A square-root impact term.
 *
 * @param options - `k` (≥ 0), `advWindowDays` (default 20, ≥ 1), `capitalUsd` (default 1e6, > 0)
 * @returns the term with defaults filled in, plain data
 * @throws InvalidOptionError (INVALID_OPTION) naming a value out of range or an unknown key
 * @example
 * sqrtImpact({ k: 0.1 }); // { type: "sqrtImpact", k: 0.1, advWindowDays: 20, capitalUsd: 1000000 }
 */
export function sqrtImpact(options: { k: number; advWindowDays?: number; capitalUsd?: number }): SqrtImpactTerm {
  return parseOptions(sqrtImpactTerm, { type: "sqrtImpact", ...options }, "sqrtImpact");
}

/**
 * Impact cost of trading |notional| (fraction of capital) against an average daily USD turnover.
 *
 * @param term - a square-root impact term
 * @param notional - traded notional, a fraction of capital (sign ignored)
 * @param adv - average daily USD turnover of the symbol; NaN or ≤ 0 means no data
 * @returns the cost, ≥ 0, as a fraction of capital; 0 without turnover data
 * @throws never throws; a missing ADV yields 0 rather than an error because thin history is
 * common for newly listed symbols
 * @example
 * sqrtImpactCost(sqrtImpact({ k: 0.1 }), 0.01, 1e6); // 0.1 · 0.01 · √0.01 = 0.0001
 */
export function sqrtImpactCost(term: SqrtImpactTerm, notional: number, adv: number): number {
  if (!(adv > 0)) return 0;
  const n = Math.abs(notional);
  return term.k * n * Math.sqrt((n * term.capitalUsd) / adv);
}

/**
 * Trailing average daily turnover per (day, symbol) cell: the mean of the actual values over
 * the window ending on the day.
 *
 * @param market - day × symbol turnover (NaN where missing)
 * @param windowDays - window length in calendar days
 * @returns a matrix of the market's shape (row-major by day); NaN where the window holds no value
 * @throws never throws for a market whose matrices hold `nDays × nSymbols` cells
 * @example
 * averageDailyTurnover({ nDays: 2, nSymbols: 1, turnoverUsd: Float64Array.of(1e6, 3e6), fundingRate: new Float64Array(2) }, 2); // [1e6, 2e6]
 */
export function averageDailyTurnover(market: CostMarket, windowDays: number): Float64Array {
  const { nDays, nSymbols, turnoverUsd } = market;
  const adv = new Float64Array(nDays * nSymbols).fill(Number.NaN);
  for (let s = 0; s < nSymbols; s++) {
    let sum = 0;
    let count = 0;
    for (let t = 0; t < nDays; t++) {
      const v = turnoverUsd[t * nSymbols + s]!;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
      if (t >= windowDays) {
        const old = turnoverUsd[(t - windowDays) * nSymbols + s]!;
        if (!Number.isNaN(old)) {
          sum -= old;
          count--;
        }
      }
      if (count > 0) adv[t * nSymbols + s] = sum / count;
    }
  }
  return adv;
}
