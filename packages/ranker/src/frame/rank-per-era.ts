import type { NumerFrame } from "@nmrblox/numerframe";
import { z } from "zod";
import { parseOptions } from "../options.js";
import { rankFunction } from "../rank.js";
import { mapPerEra } from "./per-era.js";

/** Options of `rankPerEra`. */
export const rankPerEraOptions = z.object({
  /** `tieKept` (ties share their mean rank) or `tieBroken` (ties by frame order). */
  method: z.enum(["tieKept", "tieBroken"]).default("tieKept"),
  /** Column to write; defaults to replacing the ranked column. */
  outputColumn: z.string().min(1).optional(),
});
export type RankPerEraOptions = z.input<typeof rankPerEraOptions>;

/**
 * Replaces `column` (or writes `outputColumn`) with its percentile rank within each era,
 * (rank − 0.5) / n in (0, 1), n = the era's non-NaN count; NaN stays NaN. Ties with `tieBroken`
 * go by frame order within the era: sort by id first to break them as Numerai does.
 */
export function rankPerEra(frame: NumerFrame, column: string, options: RankPerEraOptions = {}): NumerFrame {
  const opts = parseOptions(rankPerEraOptions, options, "rankPerEra");
  const rank = rankFunction(opts.method);
  const out = mapPerEra(frame, frame.numeric(column), (v) => rank(v));
  const target = opts.outputColumn ?? column;
  return frame.withColumn(target, out).withProvenance({
    blox: "ranker.rankPerEra",
    options: { column, method: opts.method, outputColumn: target },
  });
}
