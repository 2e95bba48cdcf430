import { InvalidOptionError, type NumerFrame, eraRows, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { RankerError } from "../errors.js";
import { rankFunction } from "../rank.js";
import { rankMethod } from "./per-era.js";

/** Options of `ensemble` (strict). */
export const ensembleOptions = z.strictObject({
  /** One non-negative weight per column (default equal); they are divided by their sum. */
  weights: z.array(z.number().nonnegative()).optional(),
  /** Rank method applied per column within each era. */
  method: rankMethod,
  outputColumn: z.string().min(1).default("prediction_ensemble"),
});
/** Options of `ensemble` as a caller writes them; see `ensembleOptions`. */
export type EnsembleOptions = z.input<typeof ensembleOptions>;

/**
 * Per-era rank average: within each era every column is turned into percentile ranks in (0, 1),
 * then averaged with `weights` (Σ wᵢ·rankᵢ / Σ wᵢ). A NaN in any column gives NaN for that row.
 *
 * @param frame - a frame with an era column
 * @param columns - the numeric columns to combine (at least one)
 * @param options - see `ensembleOptions`
 * @returns a new frame with the ensemble column and a provenance entry
 * @throws InvalidOptionError for an unknown or bad option or no columns; RankerError
 *   INVALID_WEIGHTS for weights of the wrong length or summing to zero
 * @example
 * const e = ensemble(frame, ["prediction_a", "prediction_b"], { weights: [2, 1] });
 */
export function ensemble(frame: NumerFrame, columns: readonly string[], options: EnsembleOptions = {}): NumerFrame {
  const opts = parseOptions(ensembleOptions, options, "ensemble");
  if (columns.length === 0) throw new InvalidOptionError("ensemble", [{ path: "columns", message: "no columns given" }]);
  const weights = opts.weights ?? columns.map(() => 1);
  if (weights.length !== columns.length) {
    throw new RankerError("INVALID_WEIGHTS", `ensemble: ${weights.length} weights for ${columns.length} columns`);
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (!(total > 0)) throw new RankerError("INVALID_WEIGHTS", "ensemble: weights sum to zero");
  const rank = rankFunction(opts.method);
  const values = columns.map((c) => frame.numeric(c));
  const index = frame.eraIndex();
  const out = new Float64Array(frame.numRows);
  for (let e = 0; e < index.eras.length; e++) {
    const rows = eraRows(index, e);
    const acc = new Float64Array(rows.length);
    values.forEach((col, j) => {
      const v = new Float64Array(rows.length);
      for (let i = 0; i < rows.length; i++) v[i] = col[rows[i]!]!;
      const r = rank(v);
      const w = weights[j]! / total;
      for (let i = 0; i < rows.length; i++) acc[i] = acc[i]! + w * r[i]!;
    });
    for (let i = 0; i < rows.length; i++) out[rows[i]!] = acc[i]!;
  }
  return frame.withColumn(opts.outputColumn, out).withProvenance({
    blox: "ranker.ensemble",
    options: { columns: [...columns], weights, method: opts.method, outputColumn: opts.outputColumn },
  });
}
