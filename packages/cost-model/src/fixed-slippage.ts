import { z } from "zod";
import { parseCostOptions } from "./parse-options.js";

/** Fixed slippage: rate × |traded notional|, rate per side as a fraction (0.0005 = 0.05 %). */
export const fixedSlippageTerm = z.object({ type: z.literal("fixedSlippage"), rate: z.number().min(0) });
export type FixedSlippageTerm = z.infer<typeof fixedSlippageTerm>;

/** A fixed slippage term; `rate` per side, as a fraction of traded notional. */
export function fixedSlippage(rate: number): FixedSlippageTerm {
  return parseCostOptions(fixedSlippageTerm, { type: "fixedSlippage", rate }, "fixedSlippage");
}

/** Slippage of trading |notional| at a fixed rate. */
export function fixedSlippageCost(term: FixedSlippageTerm, notional: number): number {
  return term.rate * Math.abs(notional);
}
