import { type NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { rankMethod, writeRankedPerEra } from "./per-era.js";

/** Options of `rankPerEra` (strict: an unknown key is an `InvalidOptionError`). */
export const rankPerEraOptions = z.strictObject({
  /** `tieKept` (ties share their mean rank) or `tieBroken` (ties by frame order). */
  method: rankMethod,
  /** Column to write; defaults to replacing the ranked column. */
  outputColumn: z.string().min(1).optional(),
});
/** Options of `rankPerEra` as a caller writes them; see `rankPerEraOptions`. */
export type RankPerEraOptions = z.input<typeof rankPerEraOptions>;

/**
 * Replaces `column` (or writes `outputColumn`) with its percentile rank within each era,
 * (rank − 0.5) / n in (0, 1), n = the era's non-NaN count; NaN stays NaN. Ties with `tieBroken`
 * go by frame order within the era: sort by id first to break them as Numerai does.
 *
 * @param frame - a frame with an era column
 * @param column - the numeric column to rank
 * @param options - see `rankPerEraOptions`
 * @returns a new frame with the ranks and a provenance entry
 * @throws InvalidOptionError for an unknown or bad option; MissingColumnError /
 *   NonNumericColumnError for the column
 * @example
 * const ranked = rankPerEra(frame, "prediction", { outputColumn: "prediction_rank" });
 */
export function rankPerEra(frame: NumerFrame, column: string, options: RankPerEraOptions = {}): NumerFrame {
  const opts = parseOptions(rankPerEraOptions, options, "rankPerEra");
  return writeRankedPerEra(frame, column, opts, "ranker.rankPerEra", (ranks) => ranks);
}
