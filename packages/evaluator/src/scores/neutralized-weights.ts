import { parseOptions } from "@nmrblox/numerframe";
import { gaussianize, pow15, tieKeptRank } from "@nmrblox/ranker";
import { z } from "zod";
import type { ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import {
  type Alignment,
  type ScoreColumns,
  type ScoreTable,
  alignTables,
  columnEntries,
  gatherRows,
  isKeyedCall,
  requireNoNaN,
  scoreTable,
} from "./score-columns.js";

/** Options of `generateNeutralizedWeights`. */
export const generateNeutralizedWeightsOptions = z.strictObject({
  /** Centre each column's weights, then divide them by their sum of absolute values. */
  centerAndNormalize: z.boolean().default(false),
});
/** Options of `generateNeutralizedWeights`, as callers write them. */
export type GenerateNeutralizedWeightsOptions = z.input<typeof generateNeutralizedWeightsOptions>;

/** Portfolio weights per prediction column on the aligned rows. */
export interface NeutralizedWeights {
  /** The rows' ids in code-point order, or null for positional inputs (then every row, in order). */
  readonly ids: readonly string[] | null;
  /** Weights by prediction column name. */
  readonly weights: Readonly<Record<string, Float64Array>>;
}

/**
 * Numerai's neutralized portfolio weights, numerai-tools `generate_neutralized_weights`: each
 * prediction column becomes s′ = pow15(gaussianize(tieKeptRank(pred))) over its own rows; then,
 * on the rows predictions, neutralizers and sample weights share (80 % rule each, id order),
 * weights = (s′ − N·(Nᵀ·(w ⊙ s′))) ⊙ w, with N the neutralizer columns as given (no intercept, no
 * orthonormalization: numerai supplies an orthonormal N). `centerAndNormalize` then centres each
 * column and divides it by its sum of absolute values.
 *
 * @param predictions - prediction columns by name: arrays in one row order, or id series
 * @param neutralizers - neutralizer columns (array or by name), the same kind of input
 * @param sampleWeights - the universe's sample weights, the same kind of input
 * @param options - `centerAndNormalize` (default false)
 * @returns the rows' ids (null for arrays) and the weights of each prediction column
 * @throws ScoreError NAN_INPUT for a NaN (or, with id series, a missing id) in any input, as the
 *   reference asserts; INSUFFICIENT_OVERLAP, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID;
 *   InvalidOptionError for a bad option
 * @example
 * const { weights } = generateNeutralizedWeights({ p }, [n1, n2], w);
 */
export function generateNeutralizedWeights(
  predictions: Readonly<Record<string, ScoreInput>>,
  neutralizers: ScoreColumns,
  sampleWeights: ScoreInput,
  options: GenerateNeutralizedWeightsOptions = {},
): NeutralizedWeights {
  const fn = "generateNeutralizedWeights";
  const opts = parseOptions(generateNeutralizedWeightsOptions, options, fn);
  const entries = Object.entries(predictions ?? {});
  if (entries.length === 0) throw new ScoreError("MISSING_COLUMN", `${fn}: no prediction columns`, { input: "predictions" });
  const keyed = isKeyedCall(entries[0]![1]);
  const table = scoreTable(fn, "predictions", entries, keyed);
  const result = neutralizedWeightsOf(fn, table, neutralizerTable(fn, neutralizers, keyed), weightTable(fn, sampleWeights, keyed));
  const weights: Record<string, Float64Array> = {};
  table.names.forEach((name, k) => {
    const col = result.weights[k]!;
    if (opts.centerAndNormalize) centerAndNormalize(col);
    weights[name] = col;
  });
  return { ids: result.alignment.ids, weights };
}

/** The neutralizers as a table; NaN (or an id one column lacks) is refused, as the reference does. */
export function neutralizerTable(fn: string, neutralizers: ScoreColumns, keyed: boolean): ScoreTable {
  const entries = columnEntries("neutralizers", neutralizers ?? []);
  const table = scoreTable(fn, "neutralizers", entries, keyed);
  requireNoNaN(fn, table);
  return table;
}

/** The sample weights as a one-column table; NaN is refused. */
export function weightTable(fn: string, sampleWeights: ScoreInput, keyed: boolean): ScoreTable {
  const table = scoreTable(fn, "sampleWeights", [["sampleWeights", sampleWeights]], keyed);
  requireNoNaN(fn, table);
  return table;
}

/**
 * The kernel: ranks every prediction column of `predictions` (already the rows to rank over, NaN
 * free), aligns with the neutralizers and weights, and returns the uncentred weights per column
 * (in `predictions.names` order) on the aligned rows.
 */
export function neutralizedWeightsOf(
  fn: string,
  predictions: ScoreTable,
  neutralizers: ScoreTable,
  weights: ScoreTable,
): { alignment: Alignment; weights: Float64Array[] } {
  requireNoNaN(fn, predictions);
  const ranked: ScoreTable = { ...predictions, columns: predictions.columns.map((c) => pow15(gaussianize(tieKeptRank(c)))) };
  const alignment = alignTables(fn, [ranked, neutralizers, weights]);
  const [pr, nr, wr] = alignment.rows as [Int32Array, Int32Array, Int32Array];
  const n = alignment.count;
  const w = gatherRows(weights.columns[0]!, wr);
  const nCols = neutralizers.columns.map((c) => gatherRows(c, nr));
  const f = nCols.length;
  const exposure = new Float64Array(f);
  const out = ranked.columns.map((c) => {
    const s = gatherRows(c, pr);
    // Nᵀ·(w ⊙ s′), then s′ − N·that, then ⊙ w.
    for (let j = 0; j < f; j++) {
      const col = nCols[j]!;
      let v = 0;
      for (let i = 0; i < n; i++) v += col[i]! * (w[i]! * s[i]!);
      exposure[j] = v;
    }
    const res = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let adj = 0;
      for (let j = 0; j < f; j++) adj += nCols[j]![i]! * exposure[j]!;
      res[i] = (s[i]! - adj) * w[i]!;
    }
    return res;
  });
  return { alignment, weights: out };
}

/** In place: subtract the mean, then divide by the sum of absolute values (numpy/pandas order). */
function centerAndNormalize(x: Float64Array): void {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i]!;
  const m = s / n;
  let a = 0;
  for (let i = 0; i < n; i++) {
    x[i] = x[i]! - m;
    a += Math.abs(x[i]!);
  }
  for (let i = 0; i < n; i++) x[i] = x[i]! / a;
}
