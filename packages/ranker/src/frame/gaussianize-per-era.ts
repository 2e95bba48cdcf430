import type { NumerFrame } from "@nmrblox/numerframe";
import { z } from "zod";
import { gaussianize } from "../gaussianize.js";
import { parseOptions } from "../options.js";
import { rankFunction } from "../rank.js";
import { mapPerEra } from "./per-era.js";

/** Options of `gaussianizePerEra`. */
export const gaussianizePerEraOptions = z.object({
  /** Rank method applied before the inverse normal CDF. */
  method: z.enum(["tieKept", "tieBroken"]).default("tieKept"),
  /** Column to write; defaults to replacing the input column. */
  outputColumn: z.string().min(1).optional(),
});
export type GaussianizePerEraOptions = z.input<typeof gaussianizePerEraOptions>;

/**
 * Within each era: percentile rank, then the inverse standard-normal CDF (Numerai's
 * `gaussian(tie_kept_rank(x))`), giving z-scores with mean ≈ 0; NaN stays NaN.
 */
export function gaussianizePerEra(frame: NumerFrame, column: string, options: GaussianizePerEraOptions = {}): NumerFrame {
  const opts = parseOptions(gaussianizePerEraOptions, options, "gaussianizePerEra");
  const rank = rankFunction(opts.method);
  const out = mapPerEra(frame, frame.numeric(column), (v) => gaussianize(rank(v)));
  const target = opts.outputColumn ?? column;
  return frame.withColumn(target, out).withProvenance({
    blox: "ranker.gaussianizePerEra",
    options: { column, method: opts.method, outputColumn: target },
  });
}
