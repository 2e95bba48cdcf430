import { type NumerFrame, requireColumns, scoresContract } from "@nmrblox/numerframe";
import type { TopLevelSpec } from "vega-lite";
import { ReportError } from "../errors.js";
import { histogramChart } from "./tearsheet-charts.js";
import { CHART_WIDTH, COLORS, chartTitle, dateX, isoDays, lineIndices, rollingMean, withTheme } from "./theme.js";

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

/** The era encoding: a date axis when the eras are ISO days (Signals, Crypto), else ordinal labels. */
function eraX(eras: readonly string[]) {
  if (isoDays(eras)) return { ...dateX(eras[0]!, eras.at(-1)!, "era") };
  return { field: "era", type: "ordinal", sort: null, title: "era", axis: { labelOverlap: "greedy", labelAngle: -40, ticks: false } };
}

/**
 * Per-era Numerai scores: one panel per metric column (corr, mmc, ...), bars per era coloured
 * by sign, with the trailing mean over `window` eras as a line, eras in the order they happened.
 * NaN eras are left out.
 */
export function scoresChart(scores: NumerFrame, window = 20): TopLevelSpec {
  const { era, metrics } = scoreColumns(scores);
  const panels = metrics.map((metric) => {
    const series = perEraScores(scores, era, metric);
    const mean = rollingMean(series.values, window);
    const values: { era: string; value: number; mean: number }[] = [];
    for (let e = 0; e < series.eras.length; e++) {
      const value = series.values[e]!;
      if (Number.isNaN(value)) continue;
      values.push({ era: series.eras[e]!, value, mean: mean[e]! });
    }
    const x = eraX(series.eras);
    // Past a few hundred eras, bars thinner than a pixel cost time and show nothing more than a line.
    const bars = values.length <= 400;
    return {
      title: chartTitle(`${metric} per era`, `${bars ? "bars" : "thin line"}: the era's score; thick line: trailing mean over ${window} eras (NaN eras left out)`),
      width: CHART_WIDTH - 40,
      height: 150,
      data: { values },
      layer: [
        {
          mark: bars ? { type: "bar", opacity: 0.7 } : { type: "line", strokeWidth: 0.7, color: "#a5c8f7" },
          encoding: {
            x,
            y: { field: "value", type: "quantitative", title: metric },
            ...(bars ? { color: { condition: { test: "datum.value < 0", value: COLORS.negative }, value: COLORS.net } } : {}),
          },
        },
        { mark: { type: "line", color: COLORS.accent, strokeWidth: 1.6 }, encoding: { x, y: { field: "mean", type: "quantitative" } } },
      ],
    };
  });
  return withTheme({ vconcat: panels, spacing: 24 });
}

/** Cumulative sum of every metric over the eras (scores are summed, not compounded). */
export function scoresCumulativeChart(scores: NumerFrame): TopLevelSpec {
  const { era, metrics } = scoreColumns(scores);
  const values: { era: string; metric: string; cumulative: number }[] = [];
  let eras: readonly string[] = [];
  for (const metric of metrics) {
    const series = perEraScores(scores, era, metric);
    eras = series.eras;
    const cum = new Float64Array(series.values.length);
    for (let e = 0, c = 0; e < cum.length; e++) {
      const v = series.values[e]!;
      cum[e] = Number.isNaN(v) ? Number.NaN : (c += v);
    }
    for (const e of lineIndices(cum)) values.push({ era: series.eras[e]!, metric, cumulative: cum[e]! });
  }
  return withTheme({
    title: chartTitle("Cumulative score", "sum of the per-era scores in era order (not compounded); NaN eras left out"),
    width: CHART_WIDTH,
    height: 200,
    data: { values },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: eraX(eras),
      y: { field: "cumulative", type: "quantitative", title: "cumulative score" },
      color: { field: "metric", type: "nominal", sort: metrics, legend: { orient: "top-left", title: null, direction: "horizontal" } },
    },
  });
}

/** Distribution of the per-era scores of each metric, with a normal overlay. */
export function scoresDistributionChart(scores: NumerFrame): TopLevelSpec {
  const { era, metrics } = scoreColumns(scores);
  const panels = metrics.map((metric) => {
    const { $schema: _s, config: _c, ...panel } = histogramChart(
      perEraScores(scores, era, metric).values,
      `${metric}: distribution per era`,
      "count of eras per bin; line: normal with the same mean and std (ddof 0)",
      metric,
      ".3f",
      30,
    ) as unknown as Record<string, unknown>;
    return { ...panel, width: metrics.length > 1 ? (CHART_WIDTH - 60) / 2 : CHART_WIDTH - 200 };
  });
  return withTheme(metrics.length > 1 ? { concat: panels, columns: 2, spacing: 30 } : panels[0]!);
}
