import { pearson } from "@nmrblox/numerframe";
import { checkScoreInput, isIdSeries, type ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import { type FeatureColumns, featureEntries } from "./feature-neutral-corr.js";

/** The feature most correlated with a prediction and that |correlation|. */
export interface MaxFeatureCorrelation {
  /** Feature name (or column position as a string); null when every correlation is NaN. */
  feature: string | null;
  /** max |Pearson(feature, pred)| in [0, 1], NaN when every correlation is NaN. */
  value: number;
}

/**
 * Max feature exposure for one era: the feature with the largest |Pearson(feature, pred)| on
 * raw values (no ranking), the first on exact ties; features whose correlation is NaN (constant
 * ones) are skipped.
 *
 * @param predictions - the era's predictions: an array, or `{ids, values}` (its values are used in order)
 * @param features - feature columns, row-aligned with the predictions: an array of columns or `{name: column}`
 * @returns the feature (its name, or its position as a string) and |correlation|
 * @throws ScoreError (NAN_INPUT, LENGTH_MISMATCH) naming the prediction or feature at fault;
 *   InvalidOptionError for an argument that is not an array or features that are not columns
 * @example
 * maxFeatureCorrelation([0.1, 0.5, 0.9], { size: [1, 2, 3], value: [3, 1, 2] }); // { feature: "size", value: ≈ 1 }
 */
export function maxFeatureCorrelation(predictions: ScoreInput, features: FeatureColumns): MaxFeatureCorrelation {
  checkScoreInput("maxFeatureCorrelation", "predictions", predictions);
  const entries = featureEntries("maxFeatureCorrelation", features);
  const pred = isIdSeries(predictions) ? predictions.values : predictions;
  for (let i = 0; i < pred.length; i++) {
    if (Number.isNaN(pred[i]!)) {
      throw new ScoreError("NAN_INPUT", `maxFeatureCorrelation: predictions have NaN at row ${i}`, { input: "predictions", row: i });
    }
  }
  let best: MaxFeatureCorrelation = { feature: null, value: NaN };
  for (const [name, f] of entries) {
    if (f.length !== pred.length) {
      throw new ScoreError("LENGTH_MISMATCH", `maxFeatureCorrelation: feature "${name}" has ${f.length} rows, predictions ${pred.length}`, {
        input: name,
      });
    }
    for (let i = 0; i < f.length; i++) {
      if (Number.isNaN(f[i]!)) {
        throw new ScoreError("NAN_INPUT", `maxFeatureCorrelation: feature "${name}" has NaN at row ${i}`, { input: name, row: i });
      }
    }
    const r = Math.abs(pearson(f, pred));
    if (Number.isNaN(r)) continue;
    if (best.feature === null || r > best.value) best = { feature: name, value: r };
  }
  return best;
}
