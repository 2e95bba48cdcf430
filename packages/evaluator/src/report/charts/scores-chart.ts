import { type NumerFrame, requireColumns, scoresContract } from "@nmrblox/numerframe";
import type { TopLevelSpec } from "vega-lite";
import { ReportError } from "../errors.js";
import { CHART_WIDTH, COLORS, chartTitle, withTheme } from "./theme.js";

/** The era column and metric columns of a per-era scores frame: every numeric column but the era. */
export function scoreColumns(scores: NumerFrame): { era: string; metrics: string[] } {
  const era = scores.eraCol ?? "era";
  // The scores contract names its era column "era"; a Signals or Crypto frame's is "date".
  requireColumns(scores, { ...scoresContract, columns: scoresContract.columns.map((c) => (c.name === "era" ? { ...c, name: era } : c)) }, "renderReport");
  const metrics = scores.columnNames.filter((c) => {
    if (c === era) return false;
    const v = scores.column(c);
    return ArrayBuffer.isView(v);
  });
  if (metrics.length === 0) {
    throw new ReportError("MISSING_COLUMN", "renderReport: the scores frame has no numeric metric column besides the era", { column: era });
  }
  return { era, metrics };
}

/** One metric of a scores frame as one value per era, eras in the order they happened. */
export interface PerEraScores {
  /** Era labels in numerframe's era order (`era2` before `era10`, ISO dates chronologically). */
  readonly eras: readonly string[];
  /** The era's score (the mean of its finite values when several rows share it); NaN when none. */
  readonly values: Float64Array;
}

/**
 * A metric per era, in era order whatever the row order; the chart and the scores table both
 * read it, so they show the same series.
 */
export function perEraScores(scores: NumerFrame, era: string, metric: string): PerEraScores {
  // The frame's own era index is cached: reuse it rather than re-sorting the eras per metric.
  const index = (scores.eraCol === era ? scores : scores.withMeta({ eraCol: era })).eraIndex();
  const v = scores.float64(metric);
  const values = new Float64Array(index.eras.length);
  for (let e = 0; e < index.eras.length; e++) {
    // Several rows of one era (several models) are averaged.
    let s = 0;
    let n = 0;
    for (let i = index.offsets[e]!; i < index.offsets[e + 1]!; i++) {
      const x = v[index.order ? index.order[i]! : i]!;
      if (Number.isFinite(x)) {
        s += x;
        n++;
      }
    }
    values[e] = n === 0 ? Number.NaN : s / n;
  }
  return { eras: index.eras, values };
}

/**
 * Per-era Numerai scores: one panel per metric column (corr, mmc, ...), bars per era coloured
 * by sign, with the cumulative sum as a line on its own axis, eras in the order they happened.
 * NaN eras are left out.
 */
export function scoresChart(scores: NumerFrame): TopLevelSpec {
  const { era, metrics } = scoreColumns(scores);
  const panels = metrics.map((metric) => {
    const series = perEraScores(scores, era, metric);
    const values: { era: string; value: number; cumulative: number }[] = [];
    let cum = 0;
    for (let e = 0; e < series.eras.length; e++) {
      const value = series.values[e]!;
      if (Number.isNaN(value)) continue;
      cum += value;
      values.push({ era: series.eras[e]!, value, cumulative: cum });
    }
    const x = { field: "era", type: "ordinal", sort: null, title: null, axis: { labelOverlap: "greedy", labelAngle: -40, ticks: false } };
    return {
      title: chartTitle(`${metric} per era`, "bars: the era's score; line: cumulative sum (right axis)"),
      width: CHART_WIDTH - 40,
      height: 160,
      data: { values },
      layer: [
        {
          mark: { type: "bar" },
          encoding: {
            x,
            y: { field: "value", type: "quantitative", title: metric },
            color: { condition: { test: "datum.value < 0", value: COLORS.negative }, value: COLORS.net },
          },
        },
        {
          mark: { type: "line", color: COLORS.accent, strokeWidth: 1.5 },
          encoding: { x, y: { field: "cumulative", type: "quantitative", title: `cumulative ${metric}`, axis: { orient: "right" } } },
        },
      ],
      resolve: { scale: { y: "independent" } },
    };
  });
  return withTheme({ vconcat: panels, spacing: 24 });
}
