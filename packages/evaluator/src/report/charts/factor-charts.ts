import type { TopLevelSpec } from "vega-lite";
import type { FactorAnalysis } from "../../factor/factor-analysis.js";
import { CHART_WIDTH, COLORS, chartTitle, withTheme } from "./theme.js";

/** Mean forward return per prediction quantile, grouped by horizon. */
export function quantileReturnsChart(fa: FactorAnalysis): TopLevelSpec {
  const horizons = fa.options.horizons.map((h) => `${h}d`);
  const values = fa.quantileReturns
    .filter((q) => q.meanReturn !== null)
    .map((q) => ({ horizon: `${q.horizon}d`, quantile: `Q${q.quantile}`, mean: q.meanReturn! }));
  return withTheme({
    title: chartTitle(
      "Mean forward return by prediction quantile",
      `${fa.options.demean ? "demeaned per date; " : ""}return over the whole horizon; Q1 = lowest predictions, Q${fa.options.quantiles} = highest`,
    ),
    width: CHART_WIDTH,
    height: 200,
    data: { values },
    mark: { type: "bar" },
    encoding: {
      x: { field: "horizon", type: "ordinal", sort: horizons, title: "horizon", axis: { labelAngle: 0 } },
      xOffset: { field: "quantile", type: "ordinal" },
      y: { field: "mean", type: "quantitative", axis: { format: ".2%" }, title: "mean forward return" },
      color: { field: "quantile", type: "ordinal", scale: { scheme: "redyellowgreen" }, legend: { orient: "top-left", title: null, direction: "horizontal" } },
    },
  });
}

/** IC decay: mean rank IC per horizon with ±1.96 standard errors (std / √dates). */
export function icDecayChart(fa: FactorAnalysis): TopLevelSpec {
  const horizons = fa.options.horizons.map((h) => `${h}d`);
  const values = fa.icSummary
    .filter((s) => s.mean !== null)
    .map((s) => {
      const se = s.std !== null && s.count > 0 ? s.std / Math.sqrt(s.count) : 0;
      return { horizon: `${s.horizon}d`, mean: s.mean!, lo: s.mean! - 1.96 * se, hi: s.mean! + 1.96 * se };
    });
  const x = { field: "horizon", type: "ordinal", sort: horizons, title: "horizon", axis: { labelAngle: 0 } };
  return withTheme({
    title: chartTitle("IC decay", "mean Spearman rank IC of prediction vs forward return, with a ±1.96 standard-error band"),
    width: CHART_WIDTH - 200,
    height: 200,
    data: { values },
    layer: [
      {
        mark: { type: "bar", width: { band: 0.6 } },
        encoding: {
          x,
          y: { field: "mean", type: "quantitative", title: "mean IC" },
          color: { condition: { test: "datum.mean < 0", value: COLORS.negative }, value: COLORS.net },
        },
      },
      { mark: { type: "rule", color: "#24292f" }, encoding: { x, y: { field: "lo", type: "quantitative" }, y2: { field: "hi" } } },
    ],
  });
}
