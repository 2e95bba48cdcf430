import { type Neutralizer, gaussianize, neutralizer, tieKeptRank, varianceNormalize } from "@nmrblox/ranker";
import { z } from "zod";
import { type ScoreInput, isIdSeries } from "./align.js";
import { ScoreError } from "./errors.js";
import { numeraiCorr } from "./numerai-corr.js";
import { parseScoreOptions } from "./options.js";

/** Feature columns: an array of columns, or columns by name. */
export type FeatureColumns = readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>;

/** Options of `featureNeutralCorr`. */
export const featureNeutralCorrOptions = z.object({
  /** Passed to the final `numeraiCorr`. */
  topBottom: z.number().int().positive().optional(),
});
export type FeatureNeutralCorrOptions = z.input<typeof featureNeutralCorrOptions>;

/** Feature columns as named arrays. */
export function featureEntries(features: FeatureColumns): [string, ArrayLike<number>][] {
  return Array.isArray(features)
    ? (features as readonly ArrayLike<number>[]).map((f, j) => [String(j), f])
    : Object.entries(features as Readonly<Record<string, ArrayLike<number>>>);
}

/**
 * Numerai's FNC (numerai-tools `feature_neutral_corr`) for one era:
 * numeraiCorr(varianceNormalize(neutralize(gaussianize(tieKeptRank(pred)), features)), target).
 * `predictions` and `features` must be NaN-free and row-aligned (features follow the
 * predictions' order, also when predictions are an id series); only the target is aligned by id.
 */
export function featureNeutralCorr(
  predictions: ScoreInput,
  features: FeatureColumns,
  target: ScoreInput,
  options: FeatureNeutralCorrOptions = {},
): number {
  const opts = parseScoreOptions(featureNeutralCorrOptions, options, "featureNeutralCorr");
  const values = isIdSeries(predictions) ? predictions.values : predictions;
  const entries = featureEntries(features);
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

/** FNC with a neutralizer built once for the era's features (reused across predictions). */
export function featureNeutralCorrWith(
  features: Neutralizer,
  predictions: ScoreInput,
  target: ScoreInput,
  topBottom?: number,
): number {
  const values = isIdSeries(predictions) ? predictions.values : predictions;
  checkNaN("featureNeutralCorr", "predictions", values);
  const neutral = features.neutralize(gaussianize(tieKeptRank(values)));
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
