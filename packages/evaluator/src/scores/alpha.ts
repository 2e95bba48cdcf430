import { nanMean } from "@nmrblox/numerframe";
import type { ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import { neutralizedWeightsOf, neutralizerTable, weightTable } from "./neutralized-weights.js";
import { type ScoreColumns, type ScoreTable, alignTables, gatherRows, isKeyedCall, scoreTable } from "./score-columns.js";

/**
 * Predictions and target aligned as numerai-tools' alpha and MPC do (`filter_sort_index`): the
 * predictions are one table (a row with NaN in any column drops out, as pandas' dropna does),
 * kept where the target is non-NaN too, 80 % rule on both. Also checks that the neutralizers and
 * sample weights cover every kept row, since the reference's final products need identical rows.
 */
export function alignPredictionsAndTarget(
  fn: string,
  predictions: Readonly<Record<string, ScoreInput>>,
  neutralizers: ScoreColumns,
  sampleWeights: ScoreInput,
  target: ScoreInput,
): {
  predictions: ScoreTable;
  target: Float64Array;
  targetTable: ScoreTable;
  weights: Float64Array[];
} {
  const entries = Object.entries(predictions ?? {});
  if (entries.length === 0) throw new ScoreError("MISSING_COLUMN", `${fn}: no prediction columns`, { input: "predictions" });
  const keyed = isKeyedCall(entries[0]![1]);
  const table = scoreTable(fn, "predictions", entries, keyed);
  const targetTable = scoreTable(fn, "target", [["target", target]], keyed);
  const n = neutralizerTable(fn, neutralizers, keyed);
  const w = weightTable(fn, sampleWeights, keyed);
  const first = alignTables(fn, [table, targetTable]);
  const kept: ScoreTable = {
    name: "predictions",
    ids: first.ids,
    rows: first.count,
    names: table.names,
    columns: table.columns.map((c) => gatherRows(c, first.rows[0]!)),
  };
  const t = gatherRows(targetTable.columns[0]!, first.rows[1]!);
  const result = neutralizedWeightsOf(fn, kept, n, w);
  if (result.alignment.count !== first.count) {
    const missing = result.alignment.count < first.count ? missingRow(kept, n, w) : "";
    throw new ScoreError(
      "INSUFFICIENT_OVERLAP",
      `${fn}: the neutralizers and sample weights cover ${result.alignment.count} of the ${first.count} rows predictions and target share${missing}; they must cover all of them`,
      { input: "neutralizers" },
    );
  }
  return { predictions: kept, target: t, targetTable, weights: result.weights };
}

function missingRow(kept: ScoreTable, n: ScoreTable, w: ScoreTable): string {
  if (kept.ids === null) return "";
  const has = (t: ScoreTable) => new Set(t.ids ?? []);
  const inN = has(n);
  const inW = has(w);
  const id = kept.ids.find((x) => !inN.has(x) || !inW.has(x));
  return id === undefined ? "" : ` (id "${id}" is missing from ${inN.has(id) ? "sampleWeights" : "neutralizers"})`;
}

/**
 * Numerai's alpha score per prediction column, numerai-tools `alpha`: centre the target by the mean
 * of all its non-NaN values (before alignment), align predictions and target (80 % rule, rows
 * with a NaN prediction in any column drop out), turn each column into neutralized weights
 * (`generateNeutralizedWeights`, ranked over the kept rows), and return weightsᵀ·t / n.
 *
 * @param predictions - prediction columns by name: arrays in one row order, or id series
 * @param neutralizers - neutralizer columns (array or by name), NaN-free, covering every scored row
 * @param sampleWeights - sample weights, NaN-free, covering every scored row
 * @param target - the era's target
 * @returns alpha by prediction column
 * @throws ScoreError INSUFFICIENT_OVERLAP (80 % rule, or neutralizers/weights missing a scored row),
 *   NAN_INPUT (NaN in neutralizers or weights), LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID
 * @example
 * alpha({ p, q }, [n1, n2], w, target); // { p: 0.0253, q: -0.0104 }
 */
export function alpha(
  predictions: Readonly<Record<string, ScoreInput>>,
  neutralizers: ScoreColumns,
  sampleWeights: ScoreInput,
  target: ScoreInput,
): Record<string, number> {
  const fn = "alpha";
  const aligned = alignPredictionsAndTarget(fn, predictions, neutralizers, sampleWeights, target);
  const mean = nanMean(aligned.targetTable.columns[0]!);
  const t = aligned.target;
  const n = t.length;
  const out: Record<string, number> = {};
  aligned.predictions.names.forEach((name, k) => {
    const w = aligned.weights[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += w[i]! * (t[i]! - mean);
    out[name] = s / n;
  });
  return out;
}
