import { z } from "zod";
import { parseCostOptions } from "./parse-options.js";

/** A taker fee: rate × |traded notional|, rate per side as a fraction (0.00055 = 0.055 %). */
export const takerFeeTerm = z.object({ type: z.literal("takerFee"), rate: z.number().min(0) });
export type TakerFeeTerm = z.infer<typeof takerFeeTerm>;

/** A taker fee term; `rate` per side, as a fraction of traded notional. */
export function takerFee(rate: number): TakerFeeTerm {
  return parseCostOptions(takerFeeTerm, { type: "takerFee", rate }, "takerFee");
}

/** Fee of trading |notional| (fraction of capital) at a taker rate. */
export function takerFeeCost(term: TakerFeeTerm, notional: number): number {
  return term.rate * Math.abs(notional);
}
