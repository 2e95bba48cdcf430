import { z } from "zod";
import { fixedSlippageTerm } from "./fixed-slippage.js";
import { fundingTerm } from "./funding.js";
import { makerTakerFeeTerm } from "./maker-taker-fee.js";
import { sqrtImpactTerm } from "./sqrt-impact.js";
import { takerFeeTerm } from "./taker-fee.js";

/**
 * Any cost term. Terms are plain data (so a configuration can cross worker threads); a list
 * of terms composes by summing: fee terms into `fee`, slippage and impact into `slippage`,
 * funding into `funding`.
 */
export const costTerm = z.discriminatedUnion("type", [takerFeeTerm, makerTakerFeeTerm, fixedSlippageTerm, sqrtImpactTerm, fundingTerm]);
/** A parsed cost term, one of the five kinds, defaults filled in. */
export type CostTerm = z.infer<typeof costTerm>;
/** A cost term as a caller may write it, before defaults (e.g. `{ type: "sqrtImpact", k: 0.1 }`). */
export type CostTermInput = z.input<typeof costTerm>;

/** A list of cost terms; funding at most once. */
export const costTerms = z
  .array(costTerm)
  .refine((terms) => terms.filter((t) => t.type === "funding").length <= 1, { message: "funding() may appear at most once" });

/**
 * Which daily column a term's cost lands in.
 *
 * @param term - a cost term
 * @returns "fee", "slippage" or "funding"
 * @throws never throws for a term of one of the five kinds
 * @example
 * defaultCosts().map(costComponent); // ["fee", "slippage", "funding"]
 */
export function costComponent(term: CostTerm): "fee" | "slippage" | "funding" {
  switch (term.type) {
    case "takerFee":
    case "makerTakerFee":
      return "fee";
    case "fixedSlippage":
    case "sqrtImpact":
      return "slippage";
    case "funding":
      return "funding";
  }
}
