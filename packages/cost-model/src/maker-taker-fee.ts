import { z } from "zod";
import { parseCostOptions } from "./parse-options.js";

/**
 * A blended fee: a share `makerShare` of traded notional fills as maker, the rest as taker;
 * rates per side as fractions.
 */
export const makerTakerFeeTerm = z.object({
  type: z.literal("makerTakerFee"),
  maker: z.number().min(0),
  taker: z.number().min(0),
  makerShare: z.number().min(0).max(1),
});
export type MakerTakerFeeTerm = z.infer<typeof makerTakerFeeTerm>;

/** A maker/taker fee term (e.g. Bybit VIP0: maker 0.0002, taker 0.00055). */
export function makerTakerFee(options: { maker: number; taker: number; makerShare: number }): MakerTakerFeeTerm {
  return parseCostOptions(makerTakerFeeTerm, { type: "makerTakerFee", ...options }, "makerTakerFee");
}

/** The blended rate: makerShare·maker + (1 − makerShare)·taker. */
export function makerTakerRate(term: MakerTakerFeeTerm): number {
  return term.makerShare * term.maker + (1 - term.makerShare) * term.taker;
}

/** Fee of trading |notional| at the blended rate. */
export function makerTakerFeeCost(term: MakerTakerFeeTerm, notional: number): number {
  return makerTakerRate(term) * Math.abs(notional);
}
