import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";

/** A taker fee: rate × |traded notional|, rate per side as a fraction (0.00055 = 0.055 %). */
export const takerFeeTerm = z.strictObject({ type: z.literal("takerFee"), rate: z.number().min(0) });
/** A parsed taker fee term: `{ type: "takerFee", rate }`, rate per side as a fraction of traded notional. */
export type TakerFeeTerm = z.infer<typeof takerFeeTerm>;

/**
 * A taker fee term.
 *
 * @param rate - fee per side, as a fraction of traded notional (≥ 0)
 * @returns the term, plain data
 * @throws InvalidOptionError (INVALID_OPTION, `option` "rate") for a negative or non-numeric rate
 * @example
 * takerFee(0.00055); // { type: "takerFee", rate: 0.00055 }
 */
export function takerFee(rate: number): TakerFeeTerm {
  return parseOptions(takerFeeTerm, { type: "takerFee", rate }, "takerFee");
}

/**
 * Fee of trading |notional| at a taker rate.
 *
 * @param term - a taker fee term
 * @param notional - traded notional, a fraction of capital (sign ignored)
 * @returns the fee, ≥ 0, as a fraction of capital
 * @throws never throws; the term is trusted to be parsed already (by {@link takerFee}), so the hot
 * loop pays no validation per trade
 * @example
 * takerFeeCost(takerFee(0.001), -0.5); // 0.0005
 */
export function takerFeeCost(term: TakerFeeTerm, notional: number): number {
  return term.rate * Math.abs(notional);
}
