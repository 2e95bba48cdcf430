import { type NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { RankerError } from "../errors.js";
import { neutralizer } from "../neutralize.js";
import { mapPerEra } from "./per-era.js";

/** Options of `neutralizePerEra` (strict). */
export const neutralizePerEraOptions = z.strictObject({
  /** Share of the fitted exposure removed: 1 removes it all, 0.5 half. */
  proportion: z.number().default(1),
  /** Column to write; defaults to replacing the input column. */
  outputColumn: z.string().min(1).optional(),
});
/** Options of `neutralizePerEra` as a caller writes them; see `neutralizePerEraOptions`. */
export type NeutralizePerEraOptions = z.input<typeof neutralizePerEraOptions>;

/**
 * Neutralizes `column` against `featureCols` (plus an intercept) within each era, exactly as
 * `neutralize` does on arrays. The values are used as they are: rank or gaussianize them first
 * for Numerai's feature-neutral predictions. NaN in a feature is a RankerError naming the
 * feature and era; an era whose values contain NaN or are constant becomes all NaN.
 *
 * @param frame - a frame with an era column
 * @param column - the numeric column to neutralize
 * @param featureCols - the neutralizer columns
 * @param options - see `neutralizePerEraOptions`, or the proportion alone
 * @returns a new frame with the residuals and a provenance entry
 * @throws InvalidOptionError for an unknown or bad option; RankerError NAN_NEUTRALIZER naming the
 *   feature, era and row of a NaN; MissingColumnError / NonNumericColumnError for a column
 * @example
 * const neutral = neutralizePerEra(frame, "prediction", frame.featureCols, { proportion: 0.5 });
 */
export function neutralizePerEra(
  frame: NumerFrame,
  column: string,
  featureCols: readonly string[],
  options: NeutralizePerEraOptions | number = {},
): NumerFrame {
  const opts = parseOptions(
    neutralizePerEraOptions,
    typeof options === "number" ? { proportion: options } : options,
    "neutralizePerEra",
  );
  const features = featureCols.map((c) => frame.numeric(c));
  const codes = frame.eraIndex().codes;
  const eras = frame.eras();
  features.forEach((f, j) => {
    for (let r = 0; r < f.length; r++) {
      if (Number.isNaN(f[r]!)) {
        const era = eras[codes[r]!]!;
        throw new RankerError("NAN_NEUTRALIZER", `neutralizePerEra: feature "${featureCols[j]}" has NaN at row ${r} (era ${era})`, {
          column: featureCols[j]!,
          era,
          row: r,
        });
      }
    }
  });
  const out = mapPerEra(frame, frame.numeric(column), (v, rows) => {
    const cols = features.map((f) => {
      const c = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) c[i] = f[rows[i]!]!;
      return c;
    });
    return neutralizer(cols).neutralize(v, opts.proportion);
  });
  const target = opts.outputColumn ?? column;
  return frame.withColumn(target, out).withProvenance({
    blox: "ranker.neutralizePerEra",
    options: { column, featureCols: [...featureCols], proportion: opts.proportion, outputColumn: target },
  });
}
