import { z } from "zod";

/**
 * Perpetual funding from the market's funding_rate (sum of the day's settlement rates): a
 * position held at the close of t−1 receives −q · close_t · rate_t on day t (positive rate:
 * longs pay, shorts receive).
 */
export const fundingTerm = z.object({ type: z.literal("funding") });
export type FundingTerm = z.infer<typeof fundingTerm>;

/** The funding term. */
export function funding(): FundingTerm {
  return { type: "funding" };
}

/** Funding cash flow (positive = received) of a held notional q·close_t (negative for shorts) at a day's rate. */
export function fundingCashFlow(heldNotional: number, rate: number): number {
  return -heldNotional * rate;
}
