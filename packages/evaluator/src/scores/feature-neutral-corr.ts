import { InvalidOptionError, parseOptions } from "@nmrblox/numerframe";
import { type Neutralizer, gaussianRank, neutralizer, varianceNormalize } from "@nmrblox/ranker";
import { z } from "zod";
import { type ScoreInput, checkScoreInput, isIdSeries } from "./align.js";
import { ScoreError } from "./errors.js";
import { numeraiCorr } from "./numerai-corr.js";

/** Feature columns: an array of columns, or columns by name. */
export type FeatureColumns = readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>;

/** Options of `featureNeutralCorr`. */
export const featureNeutralCorrOptions = z.strictObject({
  /** Passed to the final `numeraiCorr`. */
  topBottom: z.number().int().positive().optional(),
});
/** Options of `featureNeutralCorr`, as callers write them. */
export type FeatureNeutralCorrOptions = z.input<typeof featureNeutralCorrOptions>;

/** Feature columns as named arrays. */
export function featureEntries(fn: string, features: FeatureColumns): [string, ArrayLike<number>][] {
  if (typeof features !== "object" || features === null || ArrayBuffer.isView(features)) {
    throw new InvalidOptionError(fn, [{ path: "features", message: "expected an array of feature columns or {name: column}" }]);
  }
  const entries: [string, ArrayLike<number>][] = Array.isArray(features)
    ? (features as readonly ArrayLike<number>[]).map((f, j) => [String(j), f])
    : Object.entries(features as Readonly<Record<string, ArrayLike<number>>>);
  for (const [name, f] of entries) {
    if (!Array.isArray(f) && !(ArrayBuffer.isView(f) && !(f instanceof DataView))) {
      throw new InvalidOptionError(fn, [{ path: `features.${name}`, message: "expected an array of numbers" }]);
    }
  }
  return entries;
}

/**
 * Numerai's FNC (numerai-tools `feature_neutral_corr`) for one era:
 * numeraiCorr(varianceNormalize(neutralize(gaussianize(tieKeptRank(pred)), features)), target).
 * `predictions` and `features` must be NaN-free and row-aligned (features follow the
 * predictions' order, also when predictions are an id series); only the target is aligned by id.
 *
 * @param predictions - the era's predictions: an array, or `{ids, values}`
 * @param features - feature columns, row-aligned with the predictions: an array of columns or `{name: column}`
 * @param target - the era's target (aligned by id when given as `{ids, values}`)
 * @param options - `topBottom`, passed to the final `numeraiCorr`
 * @returns FNC in [−1, 1]
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or an argument that is neither an array nor `{ids, values}` or features
 *   that are not columns; ScoreError (LENGTH_MISMATCH, NAN_INPUT, CONSTANT_INPUT, and those
 *   of `numeraiCorr`) naming the input or feature at fault
 * @example
 * featureNeutralCorr(pred, { f1: [1, 0, 2, 1, 0, 2, 1, 0], f2: [0, 1, 1, 0, 2, 2, 1, 0] }, target);
 */
export function featureNeutralCorr(
  predictions: ScoreInput,
  features: FeatureColumns,
  target: ScoreInput,
  options: FeatureNeutralCorrOptions = {},
): number {
  const opts = parseOptions(featureNeutralCorrOptions, options, "featureNeutralCorr");
  checkScoreInput("featureNeutralCorr", "predictions", predictions);
  checkScoreInput("featureNeutralCorr", "target", target);
  const values = isIdSeries(predictions) ? predictions.values : predictions;
  const entries = featureEntries("featureNeutralCorr", features);
  for (const [name, f] of entries) {
    if (f.length !== values.length) {
      throw new ScoreError("LENGTH_MISMATCH", `featureNeutralCorr: feature "${name}" has ${f.length} rows, predictions ${values.length}`, {
        input: name,
      });
    }
    checkNaN("featureNeutralCorr", name, f);
  }
  return featureNeutralCorrWith(
    neutralizer(entries.map(([, f]) => f)),
    predictions,
    target,
    opts.topBottom,
  );
}

/**
 * FNC with a neutralizer built once for the era's features (reused across predictions);
 * `ranks`, when given, is gaussianRank(predictions) already computed for the era's other scores.
 */
export function featureNeutralCorrWith(
  features: Neutralizer,
  predictions: ScoreInput,
  target: ScoreInput,
  topBottom?: number,
  ranks?: Float64Array,
): number {
  const values = isIdSeries(predictions) ? predictions.values : predictions;
  checkNaN("featureNeutralCorr", "predictions", values);
  const neutral = features.neutralize(ranks ?? gaussianRank(values));
  if (values.length > 1 && Number.isNaN(neutral[0]!)) {
    throw new ScoreError("CONSTANT_INPUT", "featureNeutralCorr: predictions are constant, so their neutralized values are undefined", {
      input: "predictions",
    });
  }
  const normalized = varianceNormalize(neutral);
  const v: ScoreInput = isIdSeries(predictions) ? { ids: predictions.ids, values: normalized } : normalized;
  return numeraiCorr(v, target, topBottom === undefined ? {} : { topBottom });
}

function checkNaN(fn: string, name: string, x: ArrayLike<number>): void {
  // Integer typed arrays (Numerai's int8 features) cannot hold NaN.
  if (ArrayBuffer.isView(x) && !(x instanceof Float64Array || x instanceof Float32Array)) return;
  for (let i = 0; i < x.length; i++) {
    if (Number.isNaN(x[i]!)) throw new ScoreError("NAN_INPUT", `${fn}: ${name} has NaN at row ${i}`, { input: name, row: i });
  }
}
