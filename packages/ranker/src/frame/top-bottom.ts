import { type NumerFrame, eraRows } from "@nmrblox/numerframe";
import { z } from "zod";
import { parseOptions } from "../options.js";
import { topBottomLabels } from "../rank.js";

/** Options of `topBottom`. */
export const topBottomOptions = z.object({
  /** Rows per side and era. */
  k: z.number().int().positive(),
  /** Column to write; defaults to `<column>_top_bottom`. */
  outputColumn: z.string().min(1).optional(),
});
export type TopBottomOptions = z.input<typeof topBottomOptions>;

/**
 * Labels, within each era, the k highest values of `column` +1, the k lowest −1 and the rest 0
 * (Int8 column). NaN rows get 0 and are not counted; ties go by frame order (the earlier row
 * counts as lower). An era with fewer than 2k non-NaN rows gives each side floor(n / 2).
 */
export function topBottom(frame: NumerFrame, column: string, options: TopBottomOptions): NumerFrame {
  const opts = parseOptions(topBottomOptions, options, "topBottom");
  const values = frame.numeric(column);
  const index = frame.eraIndex();
  const out = new Int8Array(frame.numRows);
  for (let e = 0; e < index.eras.length; e++) {
    const rows = eraRows(index, e);
    const v = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = values[rows[i]!]!;
    const labels = topBottomLabels(v, opts.k);
    for (let i = 0; i < rows.length; i++) out[rows[i]!] = labels[i]!;
  }
  const target = opts.outputColumn ?? `${column}_top_bottom`;
  return frame.withColumn(target, out).withProvenance({
    blox: "ranker.topBottom",
    options: { column, k: opts.k, outputColumn: target },
  });
}
