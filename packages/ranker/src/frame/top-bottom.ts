import { type NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { topBottomLabels } from "../rank.js";
import { mapPerEra } from "./per-era.js";

/** Options of `topBottom` (strict; `k` is required). */
export const topBottomOptions = z.strictObject({
  /** Rows per side and era. */
  k: z.number().int().positive(),
  /** Column to write; defaults to `<column>_top_bottom`. */
  outputColumn: z.string().min(1).optional(),
});
/** Options of `topBottom` as a caller writes them; see `topBottomOptions`. */
export type TopBottomOptions = z.input<typeof topBottomOptions>;

/**
 * Labels, within each era, the k highest values of `column` +1, the k lowest −1 and the rest 0
 * (Int8 column). NaN rows get 0 and are not counted; ties go by frame order (the earlier row
 * counts as lower). An era with fewer than 2k non-NaN rows gives each side floor(n / 2).
 *
 * @param frame - a frame with an era column
 * @param column - the numeric column to select on
 * @param options - see `topBottomOptions`
 * @returns a new frame with an Int8 label column and a provenance entry
 * @throws InvalidOptionError for a missing or bad `k` or an unknown option; MissingColumnError /
 *   NonNumericColumnError for the column
 * @example
 * const labels = topBottom(frame, "prediction", { k: 25 }); // column prediction_top_bottom
 */
export function topBottom(frame: NumerFrame, column: string, options: TopBottomOptions): NumerFrame {
  const opts = parseOptions(topBottomOptions, options, "topBottom");
  const out = mapPerEra(frame, frame.numeric(column), (v) => topBottomLabels(v, opts.k), new Int8Array(frame.numRows));
  const target = opts.outputColumn ?? `${column}_top_bottom`;
  return frame.withColumn(target, out).withProvenance({
    blox: "ranker.topBottom",
    options: { column, k: opts.k, outputColumn: target },
  });
}
