import { z } from "zod";
import type { CostMarket } from "./cost-market.js";
import { parseCostOptions } from "./parse-options.js";

/**
 * Square-root market impact, charged as slippage: cost = k · N · √(N · capitalUsd / ADV),
 * N = |traded notional| as a fraction of capital, ADV = mean actual turnover_usd of the symbol
 * over the advWindowDays calendar days ending on the trade day (missing days skipped; no data:
 * no impact).
 */
export const sqrtImpactTerm = z.object({
  type: z.literal("sqrtImpact"),
  k: z.number().min(0),
  advWindowDays: z.number().int().min(1).default(20),
  /** USD value of capital 1.0, to compare traded notional with USD turnover. */
  capitalUsd: z.number().positive().default(1_000_000),
});
export type SqrtImpactTerm = z.infer<typeof sqrtImpactTerm>;

/** A square-root impact term. */
export function sqrtImpact(options: { k: number; advWindowDays?: number; capitalUsd?: number }): SqrtImpactTerm {
  return parseCostOptions(sqrtImpactTerm, { type: "sqrtImpact", ...options }, "sqrtImpact");
}

/** Impact cost of trading |notional| (fraction of capital) against an average daily USD turnover. */
export function sqrtImpactCost(term: SqrtImpactTerm, notional: number, adv: number): number {
  if (!(adv > 0)) return 0;
  const n = Math.abs(notional);
  return term.k * n * Math.sqrt((n * term.capitalUsd) / adv);
}

/** Trailing average daily turnover per (day, symbol) cell: mean of actual values over the window ending on the day. */
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
