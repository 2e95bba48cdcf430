import { nanMean, parseOptions } from "@nmrblox/numerframe";
import { gaussianRank } from "@nmrblox/ranker";
import { z } from "zod";
import { alignPair, keyedInputs, type ScoreInput } from "./align.js";
import { corrFromRanks, prepareCorrTarget } from "./era-kernel.js";

/** Options of `numeraiCorr`. */
export const numeraiCorrOptions = z.strictObject({
  /** Score only the k lowest and k highest predictions (2k ≤ rows after alignment). */
  topBottom: z.number().int().positive().optional(),
  /** Raise the centred target to the power 1.5 (Numerai's CORR); false correlates with the centred target. */
  targetPow15: z.boolean().default(true),
});
/** Options of `numeraiCorr`, as callers write them. */
export type NumeraiCorrOptions = z.input<typeof numeraiCorrOptions>;

/**
 * Numerai's CORR (numerai-tools `numerai_corr`) for one era: centre the target by the mean of
 * all its non-NaN values, align by id (80 % rule), p = pow15(gaussianize(tieKeptRank(pred))),
 * t = pow15(centred target), return Pearson(p, t). Constant predictions or targets give NaN.
 * Fails (TARGET_POWER) when pow15 distorts the target (Pearson(pow15(t), t) < 0.9).
 *
 * @param predictions - the era's predictions: an array in id order, or `{ids, values}`
 * @param target - the era's target, the same kind of input
 * @param options - `topBottom` (k lowest and k highest), `targetPow15` (default true)
 * @returns CORR in [−1, 1]; NaN for constant predictions or targets
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or an argument that is neither an array nor `{ids, values}`; ScoreError
 *   (INSUFFICIENT_OVERLAP, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID, NON_NUMERIC_COLUMN, TARGET_POWER,
 *   TOP_BOTTOM_TOO_LARGE) naming the input at fault
 * @example
 * numeraiCorr([0.1, 0.4, 0.4, 0.9, 0.7, 0.2, 0.55, 0.3], [0, 0.25, 0.5, 0.75, 1, 0.5, 0.5, 0.25]); // 0.77151343125295
 */
export function numeraiCorr(predictions: ScoreInput, target: ScoreInput, options: NumeraiCorrOptions = {}): number {
  const opts = parseOptions(numeraiCorrOptions, options, "numeraiCorr");
  const [t, p] = keyedInputs("numeraiCorr", [
    ["target", target],
    ["predictions", predictions],
  ]);
  const mean = nanMean(t!.values);
  const [ta, pa] = alignPair("numeraiCorr", t!, p!);
  return numeraiCorrAligned(pa.values, ta.values, mean, opts);
}

/** CORR on aligned, NaN-free arrays in id order, the target centred by `targetMean`. */
export function numeraiCorrAligned(
  predictions: Float64Array,
  target: Float64Array,
  targetMean: number,
  opts: { topBottom?: number | undefined; targetPow15: boolean },
): number {
  const g = gaussianRank(predictions);
  return corrFromRanks(g, prepareCorrTarget(target, targetMean, opts.targetPow15), opts.topBottom);
}
