import { type NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { gaussianize } from "../gaussianize.js";
import { rankMethod, writeRankedPerEra } from "./per-era.js";

/** Options of `gaussianizePerEra` (strict). */
export const gaussianizePerEraOptions = z.strictObject({
  /** Rank method applied before the inverse normal CDF. */
  method: rankMethod,
  /** Column to write; defaults to replacing the input column. */
  outputColumn: z.string().min(1).optional(),
});
/** Options of `gaussianizePerEra` as a caller writes them; see `gaussianizePerEraOptions`. */
export type GaussianizePerEraOptions = z.input<typeof gaussianizePerEraOptions>;

/**
 * Within each era: percentile rank, then the inverse standard-normal CDF (Numerai's
 * `gaussian(tie_kept_rank(x))`), giving z-scores with mean ≈ 0; NaN stays NaN.
 *
 * @param frame - a frame with an era column
 * @param column - the numeric column
 * @param options - see `gaussianizePerEraOptions`
 * @returns a new frame with the z-scores and a provenance entry
 * @throws InvalidOptionError for an unknown or bad option; MissingColumnError /
 *   NonNumericColumnError for the column
 * @example
 * const g = gaussianizePerEra(frame, "prediction", { outputColumn: "g" });
 */
export function gaussianizePerEra(frame: NumerFrame, column: string, options: GaussianizePerEraOptions = {}): NumerFrame {
  const opts = parseOptions(gaussianizePerEraOptions, options, "gaussianizePerEra");
  return writeRankedPerEra(frame, column, opts, "ranker.gaussianizePerEra", gaussianize);
}
