import { z } from "zod";

/**
 * Perpetual funding from the market's funding_rate (sum of the day's settlement rates): a
 * position held at the close of t−1 receives −q · close_t · rate_t on day t (positive rate:
 * longs pay, shorts receive).
 */
export const fundingTerm = z.strictObject({ type: z.literal("funding") });
/** The parsed funding term: `{ type: "funding" }`; it has no parameters, the rates come from the market. */
export type FundingTerm = z.infer<typeof fundingTerm>;

/**
 * The funding term.
 *
 * @returns the term, plain data
 * @throws never throws
 * @example
 * [takerFee(0.00055), funding()]; // fees and funding
 */
export function funding(): FundingTerm {
  return { type: "funding" };
}

/**
 * Funding cash flow of a held notional at a day's rate.
 *
 * @param heldNotional - q · close_t, negative for shorts
 * @param rate - the day's summed funding rate
 * @returns the cash flow as a fraction of capital, positive when received
 * @throws never throws
 * @example
 * fundingCashFlow(-2, 0.001); // 0.002: a short receives a positive rate
 */
export function fundingCashFlow(heldNotional: number, rate: number): number {
  return -heldNotional * rate;
}
