import { standardDeviation } from "@nmrblox/numerframe";
import { z } from "zod";

/** Options of volatility targeting: new tranches are scaled by target / trailing realized volatility. */
export const targetVolatilityOptions = z.strictObject({
  /** Target annualized volatility of daily returns (fraction, e.g. 0.2 = 20 %; 365 periods a year). */
  target: z.number().positive(),
  /** Trailing window of daily returns, in days. */
  windowDays: z.number().int().min(2).default(30),
  /** Fewer daily returns than this before the entry day: scale 1. */
  minDays: z.number().int().min(2).default(10),
  /** Cap on the scaled leverage: scale ≤ maxLeverage / leverage. */
  maxLeverage: z.number().positive().default(2),
});
/** Volatility-targeting options as a caller writes them; see `targetVolatilityOptions`. */
export type TargetVolatilityOptions = z.input<typeof targetVolatilityOptions>;

/**
 * Capital scale of a tranche entering after `count` known daily returns `returns[start ..
 * start+count-1]` (returns up to the day before entry, so sizing never sees the entry day):
 * min(target / (std(last windowDays, ddof 1) · √365), maxLeverage / leverage); 1 while fewer
 * than minDays returns exist; the cap when realized volatility is 0.
 *
 * @param returns - daily returns
 * @param start - index of the first known return
 * @param count - how many returns are known before the entry day
 * @param options - parsed `targetVolatilityOptions`
 * @param leverage - the book's gross leverage
 * @returns the scale of the entering tranche's capital
 * @throws never: the options are parsed by the caller (`trancheBook`, `runBacktest`)
 * @example
 * volatilityScale(Float64Array.of(0.01, -0.01, 0.01, -0.01), 0, 4, { target: 0.1, windowDays: 30, minDays: 2, maxLeverage: 2 }, 1); // ≈ 0.4533
 */
export function volatilityScale(
  returns: Float64Array,
  start: number,
  count: number,
  options: z.infer<typeof targetVolatilityOptions>,
  leverage: number,
): number {
  if (count < options.minDays) return 1;
  const n = Math.min(count, options.windowDays);
  const from = start + count - n;
  const realized = standardDeviation(returns.subarray(from, from + n), 1) * Math.sqrt(365);
  const cap = options.maxLeverage / leverage;
  return realized > 0 ? Math.min(options.target / realized, cap) : cap;
}
