import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import type { CostMarket } from "./cost-market.js";
import { type CostTerm, type CostTermInput, costTerms } from "./cost-term.js";
import { fundingCashFlow } from "./funding.js";
import { makerTakerRate } from "./maker-taker-fee.js";
import { type SqrtImpactTerm, averageDailyTurnover, sqrtImpactCost } from "./sqrt-impact.js";

/**
 * Cost terms compiled against one market: functions of (symbol column s, day row t, amount)
 * for the backtest's inner loop. Trade costs take |traded notional| at the day's close and
 * return a cost ≥ 0; funding takes the held notional q·close_t (negative for shorts) and
 * returns a cash flow (positive = received).
 */
export interface BoundCosts {
  fee(s: number, t: number, notional: number): number;
  slippage(s: number, t: number, notional: number): number;
  funding(s: number, t: number, heldNotional: number): number;
  /** Sum of the linear fee rates and linear slippage rates (impact excluded). */
  readonly feeRate: number;
  readonly slippageRate: number;
  readonly hasFunding: boolean;
}

// The list is wrapped so that problems are named as the backtest names them: "costs.0.rate".
const bindCostsInput = z.strictObject({ costs: costTerms });

/**
 * Compiles a list of cost terms for a market.
 *
 * @param terms - cost terms (`takerFee`, `makerTakerFee`, `fixedSlippage`, `sqrtImpact`, `funding`), or their plain data
 * @param market - day × symbol funding rates and USD turnover
 * @returns fee, slippage and funding functions of (symbol column, day row, amount)
 * @throws InvalidOptionError (INVALID_OPTION) naming the term at fault ("costs.0.rate"), an
 *   unknown key or type, or funding listed twice
 * @example
 * const bound = bindCosts([takerFee(0.00055), funding()], market);
 * bound.fee(0, 0, 0.25); // 0.00055 × 0.25
 */
export function bindCosts(terms: readonly CostTermInput[], market: CostMarket): BoundCosts {
  const parsed: CostTerm[] = parseOptions(bindCostsInput, { costs: terms }, "bindCosts").costs;
  let feeRate = 0;
  let slippageRate = 0;
  let hasFunding = false;
  const impacts: Array<{ term: SqrtImpactTerm; adv: Float64Array }> = [];
  for (const term of parsed) {
    switch (term.type) {
      case "takerFee":
        feeRate += term.rate;
        break;
      case "makerTakerFee":
        feeRate += makerTakerRate(term);
        break;
      case "fixedSlippage":
        slippageRate += term.rate;
        break;
      case "sqrtImpact":
        impacts.push({ term, adv: averageDailyTurnover(market, term.advWindowDays) });
        break;
      case "funding":
        hasFunding = true;
        break;
    }
  }
  const nS = market.nSymbols;
  const rates = market.fundingRate;
  return {
    feeRate,
    slippageRate,
    hasFunding,
    fee: (_s, _t, notional) => feeRate * Math.abs(notional),
    slippage:
      impacts.length === 0
        ? (_s, _t, notional) => slippageRate * Math.abs(notional)
        : (s, t, notional) => {
            let cost = slippageRate * Math.abs(notional);
            for (const { term, adv } of impacts) cost += sqrtImpactCost(term, notional, adv[t * nS + s]!);
            return cost;
          },
    funding: hasFunding ? (s, t, held) => fundingCashFlow(held, rates[t * nS + s]!) : () => 0,
  };
}
