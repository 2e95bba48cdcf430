import type { CostTerm } from "./cost-term.js";
import { fixedSlippage } from "./fixed-slippage.js";
import { funding } from "./funding.js";
import { takerFee } from "./taker-fee.js";

/** Taker fee per side of the reference study (Bybit VIP0, 0.055 %). */
export const DEFAULT_TAKER_FEE = 0.00055;
/** Slippage per side of the reference study (0.05 %). */
export const DEFAULT_SLIPPAGE = 0.0005;

/**
 * The reference study's costs: taker 0.055 % and slippage 0.05 % per side, plus funding.
 *
 * @returns a fresh list of terms, so a caller may push to it without touching the defaults
 * @throws never throws
 * @example
 * defaultCosts(); // [takerFee(0.00055), fixedSlippage(0.0005), funding()]
 */
export function defaultCosts(): CostTerm[] {
  return [takerFee(DEFAULT_TAKER_FEE), fixedSlippage(DEFAULT_SLIPPAGE), funding()];
}
