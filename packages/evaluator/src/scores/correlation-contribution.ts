import { parseOptions } from "@nmrblox/numerframe";
import { gaussianRank } from "@nmrblox/ranker";
import { z } from "zod";
import { alignPair, keyedInputs, type ScoreInput } from "./align.js";
import { contributionFromRanks, prepareContributionTarget, prepareReference } from "./era-kernel.js";

/** Options of `correlationContribution`. */
export const correlationContributionOptions = z.strictObject({
  /** Score only the k lowest and k highest rows by the orthogonalized prediction (2k ≤ rows). */
  topBottom: z.number().int().positive().optional(),
});
/** Options of `correlationContribution`, as callers write them. */
export type CorrelationContributionOptions = z.input<typeof correlationContributionOptions>;

/**
 * Numerai's MMC (against the meta model) or BMC (against a benchmark), numerai-tools
 * `correlation_contribution`, for one era. Aligns (metaModel, predictions), then (target,
 * predictions), then (target, metaModel), each with the 80 % rule; p and m are
 * gaussianize(tieKeptRank(·)); p⊥ = p − m·(p·m)/(m·m); targets in [0, 1] are scaled by 4, then
 * centred; returns (t·p⊥)/n, or Σ t·p⊥ / 2k over the top and bottom k rows by p⊥.
 *
 * @param predictions - the era's predictions: an array in id order, or `{ids, values}`
 * @param metaModel - the meta model (MMC) or a benchmark (BMC), the same kind of input
 * @param target - the era's target, the same kind of input
 * @param options - `topBottom`: score only the k lowest and k highest rows by p⊥
 * @returns the contribution; NaN for a constant meta model or a one-row era
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or an argument that is neither an array nor `{ids, values}`; ScoreError
 *   (INSUFFICIENT_OVERLAP, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID, NON_NUMERIC_COLUMN, TOP_BOTTOM_TOO_LARGE)
 *   naming the input at fault
 * @example
 * const pred = [0.1, 0.4, 0.4, 0.9, 0.7, 0.2, 0.55, 0.3];
 * const meta = [0.2, 0.3, 0.5, 0.6, 0.9, 0.1, 0.45, 0.35];
 * correlationContribution(pred, meta, [0, 0.25, 0.5, 0.75, 1, 0.5, 0.5, 0.25]); // 0.2029250776012233
 */
export function correlationContribution(
  predictions: ScoreInput,
  metaModel: ScoreInput,
  target: ScoreInput,
  options: CorrelationContributionOptions = {},
): number {
  const opts = parseOptions(correlationContributionOptions, options, "correlationContribution");
  const fn = "correlationContribution";
  const [p, m, t] = keyedInputs(fn, [
    ["predictions", predictions],
    ["metaModel", metaModel],
    ["target", target],
  ]);
  const [m1, p1] = alignPair(fn, m!, p!);
  const [t2, p2] = alignPair(fn, t!, p1);
  const [t3, m3] = alignPair(fn, t2, m1);
  return correlationContributionAligned(p2.values, m3.values, t3.values, opts.topBottom);
}

/** MMC on aligned, NaN-free arrays in id order. */
export function correlationContributionAligned(
  predictions: Float64Array,
  metaModel: Float64Array,
  target: Float64Array,
  topBottom?: number,
): number {
  const g = gaussianRank(predictions);
  return contributionFromRanks(g, prepareReference(metaModel), prepareContributionTarget(target), topBottom);
}
