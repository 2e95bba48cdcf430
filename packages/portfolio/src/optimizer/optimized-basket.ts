import { DuplicateRowError, type NumerFrame, NumerFrameError, isoDay, requireColumns } from "@nmrblox/numerframe";
import { dayCodes, stringCodes } from "@nmrblox/numerframe/internal";
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

/** Per (date, symbol), the neutralizer exposures of a frame date, symbol, <numeric columns>. */
export interface NeutralizerLookup {
  readonly columns: readonly string[];
  /** The exposures of `symbol` on `day` into `out` (one per column); false when the frame has no such row. */
  get(day: number, symbol: string, out: Float64Array): boolean;
}

/**
 * Indexes a neutralizer frame by (date, symbol): every column other than date and symbol is a
 * neutralizer and must be numeric.
 *
 * @throws ContractError for a missing date/symbol column or a non-numeric neutralizer column;
 *   DuplicateRowError for a repeated (date, symbol); NumerFrameError INVALID_OPTION when the frame
 *   has no neutralizer column
 */
export function neutralizerLookup(frame: NumerFrame): NeutralizerLookup {
  requireColumns(frame, ["date", "symbol"], "selectBaskets neutralizers");
  const columns = frame.columnNames.filter((c) => c !== "date" && c !== "symbol");
  if (columns.length === 0) {
    throw new NumerFrameError("INVALID_OPTION", "selectBaskets: the neutralizers frame has no column besides date and symbol", {
      option: "neutralizers",
    });
  }
  requireColumns(frame, { name: "neutralizers", columns: columns.map((name) => ({ name, kind: "number" as const })) }, "selectBaskets");
  const values = columns.map((c) => frame.numeric(c));
  const days = dayCodes(frame, "date");
  const { codes, labels } = stringCodes(frame, "symbol");
  const code = new Map(labels.map((l, k) => [l, k]));
  const rows = new Map<number, number>();
  const key = (day: number, c: number) => day * labels.length + c;
  for (let i = 0; i < frame.numRows; i++) {
    const k = key(days[i]!, codes[i]!);
    if (rows.has(k)) throw new DuplicateRowError("neutralizers", isoDay(days[i]!), labels[codes[i]!]!);
    rows.set(k, i);
  }
  return {
    columns,
    get(day, symbol, out) {
      const c = code.get(symbol);
      const i = c === undefined ? undefined : rows.get(key(day, c));
      if (i === undefined) return false;
      for (let j = 0; j < values.length; j++) out[j] = Number(values[j]![i]);
      return true;
    },
  };
}
