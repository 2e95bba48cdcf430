import type { NumerFrame } from "@nmrblox/numerframe";
import type { TopLevelSpec } from "vega-lite";
import { ReportError } from "../errors.js";
import { CHART_WIDTH, COLORS, chartTitle, withTheme } from "./theme.js";

/** The era column and metric columns of a per-era scores frame: every numeric column but the era. */
export function scoreColumns(scores: NumerFrame): { era: string; metrics: string[] } {
  const era = scores.eraCol ?? "era";
  if (!scores.has(era)) {
    throw new ReportError("SCORES_NO_ERA", `renderReport: the scores frame has no era column "${era}" (columns: ${scores.columnNames.join(", ")})`, { column: era });
  }
  const metrics = scores.columnNames.filter((c) => {
    if (c === era) return false;
    const v = scores.column(c);
    return ArrayBuffer.isView(v);
  });
  if (metrics.length === 0) {
    throw new ReportError("SCORES_NO_METRIC", "renderReport: the scores frame has no numeric metric column besides the era", { column: era });
  }
  return { era, metrics };
}

/**
 * Per-era Numerai scores: one panel per metric column (corr, mmc, ...), bars per era coloured
 * by sign, with the cumulative sum as a line on its own axis. NaN eras are left out.
 */
export function scoresChart(scores: NumerFrame): TopLevelSpec {
  const { era, metrics } = scoreColumns(scores);
  const byEra = scores.withMeta({ eraCol: era });
  const eras = byEra.eras();
  const index = byEra.eraIndex();
  const panels = metrics.map((metric) => {
    const v = scores.float64(metric);
    const values: { era: string; value: number; cumulative: number }[] = [];
    let cum = 0;
    for (let e = 0; e < eras.length; e++) {
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
      if (n === 0) continue;
      cum += s / n;
      values.push({ era: eras[e]!, value: s / n, cumulative: cum });
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
