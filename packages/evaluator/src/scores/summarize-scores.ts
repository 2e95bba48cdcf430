import { NumerFrame } from "@nmrblox/numerframe";
import { z } from "zod";
import { parseScoreOptions } from "./options.js";
import { pearson } from "./pearson.js";

/** Summary of one per-era score series (eras in order). */
export interface ScoreSummary {
  /** Eras with a non-NaN score (NaN eras, such as the first era's churn, are left out). */
  eras: number;
  mean: number;
  /** Standard deviation, ddof 0. */
  std: number;
  /** mean / std (per era, not annualized). */
  sharpe: number;
  /** min over e of (cumulative sum at e − its running maximum), ≤ 0; scores are summed, not compounded. */
  maxDrawdown: number;
  /** Lag-1 Pearson autocorrelation. */
  autocorrelation: number;
  /** Share of eras with a score > 0. */
  hitRate: number;
}

/** Summarizes one per-era score series (REFERENCE "Per-era summaries"); NaN eras are skipped. */
export function summarizeScoreSeries(scores: ArrayLike<number>): ScoreSummary {
  const s: number[] = [];
  for (let i = 0; i < scores.length; i++) if (!Number.isNaN(scores[i]!)) s.push(scores[i]!);
  const n = s.length;
  let sum = 0;
  for (const v of s) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of s) ss += (v - mean) * (v - mean);
  const std = Math.sqrt(ss / n);
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
    mean,
    std,
    sharpe: mean / std,
    maxDrawdown,
    autocorrelation: n < 2 ? NaN : pearson(s.slice(0, -1), s.slice(1)),
    hitRate: hits / n,
  };
}

/** Options of `summarizeScores`. */
export const summarizeScoresOptions = z.object({
  /** Score columns to summarize (default: every numeric column except the era column). */
  columns: z.array(z.string().min(1)).min(1).optional(),
});
export type SummarizeScoresOptions = z.input<typeof summarizeScoresOptions>;

/**
 * Summarizes a `scoreByEra` frame: one row per score column with `score` (the column name),
 * `eras`, `mean`, `std` (ddof 0), `sharpe`, `max_drawdown` (on the cumulative sum),
 * `autocorrelation` (lag 1) and `hit_rate`, eras taken in era-index order.
 */
export function summarizeScores(perEra: NumerFrame, options: SummarizeScoresOptions = {}): NumerFrame {
  const opts = parseScoreOptions(summarizeScoresOptions, options, "summarizeScores");
  const eraCol = perEra.eraCol;
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
