import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";

/**
 * A blended fee: a share `makerShare` of traded notional fills as maker, the rest as taker;
 * rates per side as fractions.
 */
export const makerTakerFeeTerm = z.strictObject({
  type: z.literal("makerTakerFee"),
  maker: z.number().min(0),
  taker: z.number().min(0),
  makerShare: z.number().min(0).max(1),
});
/** A parsed maker/taker fee term: maker and taker rates per side (fractions) and the maker share of traded notional (0..1). */
export type MakerTakerFeeTerm = z.infer<typeof makerTakerFeeTerm>;

/**
 * A maker/taker fee term.
 *
 * @param options - `maker` and `taker` rates per side (≥ 0) and the `makerShare` of traded notional (0..1)
 * @returns the term, plain data
 * @throws InvalidOptionError (INVALID_OPTION) naming a negative rate, a share outside [0, 1] or an unknown key
 * @example
 * makerTakerFee({ maker: 0.0002, taker: 0.00055, makerShare: 0.4 }); // Bybit VIP0, 40 % maker fills
 */
export function makerTakerFee(options: { maker: number; taker: number; makerShare: number }): MakerTakerFeeTerm {
  return parseOptions(makerTakerFeeTerm, { type: "makerTakerFee", ...options }, "makerTakerFee");
}

/**
 * The blended rate: makerShare·maker + (1 − makerShare)·taker.
 *
 * @param term - a maker/taker fee term
 * @returns the rate per side, as a fraction of traded notional
 * @throws never throws; the term is trusted to be parsed already (by {@link makerTakerFee})
 * @example
 * makerTakerRate(makerTakerFee({ maker: 0, taker: 0.001, makerShare: 0.5 })); // 0.0005
 */
export function makerTakerRate(term: MakerTakerFeeTerm): number {
  return term.makerShare * term.maker + (1 - term.makerShare) * term.taker;
}

/**
 * Fee of trading |notional| at the blended rate.
 *
 * @param term - a maker/taker fee term
 * @param notional - traded notional, a fraction of capital (sign ignored)
 * @returns the fee, ≥ 0, as a fraction of capital
 * @throws never throws; the term is trusted to be parsed already (by {@link makerTakerFee}), so
 * the hot loop pays no validation per trade
 * @example
 * makerTakerFeeCost(makerTakerFee({ maker: 0.0002, taker: 0.00055, makerShare: 0.4 }), 2); // 0.00082
 */
export function makerTakerFeeCost(term: MakerTakerFeeTerm, notional: number): number {
  return makerTakerRate(term) * Math.abs(notional);
}
