import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";

/** Fixed slippage: rate × |traded notional|, rate per side as a fraction (0.0005 = 0.05 %). */
export const fixedSlippageTerm = z.strictObject({ type: z.literal("fixedSlippage"), rate: z.number().min(0) });
/** A parsed fixed slippage term: `{ type: "fixedSlippage", rate }`, rate per side as a fraction of traded notional. */
export type FixedSlippageTerm = z.infer<typeof fixedSlippageTerm>;

/**
 * A fixed slippage term.
 *
 * @param rate - slippage per side, as a fraction of traded notional (≥ 0)
 * @returns the term, plain data
 * @throws InvalidOptionError (INVALID_OPTION, `option` "rate") for a negative or non-numeric rate
 * @example
 * fixedSlippage(0.0005); // { type: "fixedSlippage", rate: 0.0005 }
 */
export function fixedSlippage(rate: number): FixedSlippageTerm {
  return parseOptions(fixedSlippageTerm, { type: "fixedSlippage", rate }, "fixedSlippage");
}

/**
 * Slippage of trading |notional| at a fixed rate.
 *
 * @param term - a fixed slippage term
 * @param notional - traded notional, a fraction of capital (sign ignored)
 * @returns the slippage, ≥ 0, as a fraction of capital
 * @throws never throws; the term is trusted to be parsed already (by {@link fixedSlippage}), so
 * the hot loop pays no validation per trade
 * @example
 * fixedSlippageCost(fixedSlippage(0.0005), 0.5); // 0.00025
 */
export function fixedSlippageCost(term: FixedSlippageTerm, notional: number): number {
  return term.rate * Math.abs(notional);
}
