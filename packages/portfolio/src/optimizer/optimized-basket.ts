import { gaussianize, tieKeptRank } from "@nmrblox/ranker";
import { optimizePortfolio } from "./optimize-portfolio.js";

/** Settings of the "optimized" basket weighting. */
export interface BasketOptimizer {
  /** λ; default 1 / maxPosition (a free band one signal standard deviation wide). */
  readonly riskAversion?: number | undefined;
  /** Largest |w| of a name in the book of gross 1; default 0.5 / (names per leg). */
  readonly maxPosition?: number | undefined;
}

/**
 * One date's optimized book: the eligible predictions gaussianized (tie-kept ranks, then the
 * inverse normal CDF) and fed to `optimizePortfolio`, market neutral, gross 1, neutral to the
 * given columns. A neutralizer that is constant over the eligible names adds nothing beyond
 * market neutrality on that date and is left out; with no more names than constraints the date
 * has no book (null).
 *
 * @param predictions - the eligible names' predictions (no NaN)
 * @param neutralizers - per neutralizer, the eligible names' exposures
 * @param legNames - names per leg the cap is sized for (min(long, short, ⌊m/2⌋))
 * @param settings - riskAversion and maxPosition overrides
 * @returns signed weights (Σw = 0, Σ|w| ≤ 1) or null
 */
export function optimizeBasket(
  predictions: Float64Array,
  neutralizers: readonly Float64Array[],
  legNames: number,
  settings: BasketOptimizer = {},
): Float64Array | null {
  const m = predictions.length;
  const varying = neutralizers.filter((c) => {
    for (let i = 1; i < c.length; i++) if (c[i] !== c[0]) return true;
    return false;
  });
  if (m < 2 || legNames < 1 || m <= varying.length + 1) return null;
  const signal = gaussianize(tieKeptRank(predictions));
  const cap = settings.maxPosition ?? 0.5 / legNames;
  return optimizePortfolio(signal, {
    riskAversion: settings.riskAversion ?? 1 / cap,
    maxPosition: Math.max(cap, 0.5 / Math.floor(m / 2)),
    neutralizers: varying,
  }).weights;
}
