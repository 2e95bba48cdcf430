import { type FrameContract, NumerFrame, mean, parseOptions, pearson, requireColumns, standardDeviation } from "@nmrblox/numerframe";
import { z } from "zod";
import { requireFrame } from "../frame-arg.js";

/** Summary of one per-era score series (eras in order). */
export interface ScoreSummary {
  /** Eras with a non-NaN score (NaN eras, such as the first era's churn, are left out). */
  eras: number;
  /**
   * Eras left out because their score is NaN: an era whose predictions or target are all tied
   * or that has a single row (no correlation is defined), or churn's first era. The statistics
   * are over `eras` only; when `eras` is 0 they are NaN, and this count says why.
   */
  nanEras: number;
  mean: number;
  /** Standard deviation, ddof 0. */
  std: number;
  /** mean / std (per era, not annualized); NaN when std is 0 (fewer than 2 distinct scores). */
  sharpe: number;
  /** min over e of (cumulative sum at e − its running maximum), ≤ 0; scores are summed, not compounded. */
  maxDrawdown: number;
  /** Lag-1 Pearson autocorrelation. */
  autocorrelation: number;
  /** Share of eras with a score > 0. */
  hitRate: number;
}

/**
 * Summarizes one per-era score series, eras in the order given (docs/scoring.md, "Per-era
 * summaries"); NaN eras are skipped.
 *
 * @param scores - one score per era, in era order; NaN for an era without a score
 * @returns eras, NaN eras left out, mean, std (ddof 0), sharpe, max drawdown of the cumulative
 *   sum, lag-1 autocorrelation and hit rate; NaN where undefined (no eras, counted in `nanEras`;
 *   sharpe with std 0; autocorrelation of < 2 eras)
 * @throws nothing: every series has a summary
 * @example
 * summarizeScoreSeries([0.1, -0.2, 0.3, -0.1]).maxDrawdown; // -0.2 (cumulative 0.1 → −0.1)
 */
export function summarizeScoreSeries(scores: ArrayLike<number>): ScoreSummary {
  const s: number[] = [];
  let nanEras = 0;
  for (let i = 0; i < scores.length; i++) {
    if (Number.isNaN(scores[i]!)) nanEras++;
    else s.push(scores[i]!);
  }
  const n = s.length;
  const m = mean(s);
  const std = standardDeviation(s, 0);
  // Scores are summed, not compounded: the drawdown is on the cumulative sum, from its own peaks
  // (not from 0, and not core's equity drawdown, which compounds from a starting capital of 1).
  let cum = 0;
  let peak = -Infinity;
  let maxDrawdown = n === 0 ? NaN : 0;
  let hits = 0;
  for (const v of s) {
    cum += v;
    if (cum > peak) peak = cum;
    if (cum - peak < maxDrawdown) maxDrawdown = cum - peak;
    if (v > 0) hits++;
  }
  return {
    eras: n,
    nanEras,
    mean: m,
    std,
    // A constant series has no spread: m / 0 would be ±Infinity, not a Sharpe ratio.
    sharpe: std > 0 ? m / std : Number.NaN,
    maxDrawdown,
    // Pearson of s[0..n−1) with s[1..n): the first n − 1 values of s against s shifted by one.
    autocorrelation: pearson(s, s.slice(1), n - 1),
    hitRate: hits / n,
  };
}

/** Options of `summarizeScores`. */
export const summarizeScoresOptions = z.strictObject({
  /** Score columns to summarize (default: every numeric column except the era column). */
  columns: z.array(z.string().min(1)).min(1).optional(),
});
/** Options of `summarizeScores`, as callers write them. */
export type SummarizeScoresOptions = z.input<typeof summarizeScoresOptions>;

/**
 * Summarizes a `scoreByEra` frame: one row per score column with `score` (the column name),
 * `eras` (eras with a score), `nan_eras` (eras without one: all-tied or single-row eras, churn's
 * first era; the statistics leave them out and are NaN when no era has a score), `mean`, `std` (ddof 0), `sharpe`, `max_drawdown` (on the cumulative sum),
 * `autocorrelation` (lag 1) and `hit_rate`. Eras are taken in the order they happened
 * (numerframe's era order: `era2` before `era10`, ISO dates chronologically), whatever the
 * order of the rows.
 *
 * @param perEra - a per-era frame: its era column and numeric score columns
 * @param options - `columns`: the score columns to summarize (default: every numeric column but the era)
 * @returns a frame with one row per score column
 * @throws InvalidOptionError for an unknown or malformed option or a `perEra` that is not a
 *   NumerFrame; ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) for a listed column that is
 *   missing or not numeric
 * @example
 * const perEra = scoreByEra(frame, { target: "target" });
 * summarizeScores(perEra).numeric("sharpe");
 */
export function summarizeScores(perEra: NumerFrame, options: SummarizeScoresOptions = {}): NumerFrame {
  requireFrame(perEra, "perEra", "summarizeScores");
  const opts = parseOptions(summarizeScoresOptions, options, "summarizeScores");
  const eraCol = perEra.eraCol;
  if (opts.columns !== undefined) {
    const listed: FrameContract = { name: "scores", columns: opts.columns.map((name) => ({ name, kind: "number" })) };
    requireColumns(perEra, listed, "summarizeScores");
  }
  const columns =
    opts.columns ?? perEra.columnNames.filter((c) => c !== eraCol && ArrayBuffer.isView(perEra.column(c)));
  const order = eraCol !== undefined ? perEra.eraIndex() : undefined;
  const rows: ScoreSummary[] = columns.map((c) => {
    const values = perEra.numeric(c);
    if (!order?.order) return summarizeScoreSeries(values);
    return summarizeScoreSeries(Float64Array.from(order.order, (r) => values[r]!));
  });
  const pick = (f: (s: ScoreSummary) => number) => Float64Array.from(rows, f);
  return NumerFrame.fromColumns(
    {
      score: columns,
      eras: Int32Array.from(rows, (s) => s.eras),
      nan_eras: Int32Array.from(rows, (s) => s.nanEras),
      mean: pick((s) => s.mean),
      std: pick((s) => s.std),
      sharpe: pick((s) => s.sharpe),
      max_drawdown: pick((s) => s.maxDrawdown),
      autocorrelation: pick((s) => s.autocorrelation),
      hit_rate: pick((s) => s.hitRate),
    },
    { kind: "custom", provenance: [...perEra.provenance] },
  ).withProvenance({ blox: "evaluator.summarizeScores", options: { columns } });
}
