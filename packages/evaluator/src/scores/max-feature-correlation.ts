import { isIdSeries, type ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import { type FeatureColumns, featureEntries } from "./feature-neutral-corr.js";
import { pearson } from "./pearson.js";

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
 * ones) are skipped. NaN in the prediction or a feature is a ScoreError naming it.
 */
export function maxFeatureCorrelation(predictions: ScoreInput, features: FeatureColumns): MaxFeatureCorrelation {
  const pred = isIdSeries(predictions) ? predictions.values : predictions;
  for (let i = 0; i < pred.length; i++) {
    if (Number.isNaN(pred[i]!)) {
      throw new ScoreError("NAN_INPUT", `maxFeatureCorrelation: predictions have NaN at row ${i}`, { input: "predictions", row: i });
    }
  }
  let best: MaxFeatureCorrelation = { feature: null, value: NaN };
  for (const [name, f] of featureEntries(features)) {
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
