import { drawdownSeries } from "@nmrblox/numerframe";
import type { TopLevelSpec } from "vega-lite";
import type { DailySeries } from "../../performance/daily-series.js";
import type { PerformanceStats } from "../../performance/performance.js";
import { rollingSharpe } from "../../performance/rolling-sharpe.js";
import { pct } from "../format.js";
import { CHART_WIDTH, COLORS, chartTitle, dateX, lineIndices, withTheme } from "./theme.js";

/** Equity curves: net (what the book made) and gross (before fees, slippage and funding). */
export function equityChart(s: DailySeries): TopLevelSpec {
  const values: { date: string; series: string; equity: number }[] = [];
  const gross = new Float64Array(s.dates.length);
  for (let t = 0, g = 1; t < s.dates.length; t++) gross[t] = g += s.grossPnl[t]!;
  for (const t of lineIndices(s.equity)) values.push({ date: s.dates[t]!, series: "net", equity: s.equity[t]! });
  for (const t of lineIndices(gross)) values.push({ date: s.dates[t]!, series: "gross", equity: gross[t]! });
  return withTheme({
    title: chartTitle("Equity: net vs gross", "1 + cumulative PnL, as a multiple of initial capital; gross is before fees, slippage and funding"),
    width: CHART_WIDTH,
    height: 260,
    data: { values },
    mark: { type: "line", strokeWidth: 1.5 },
    encoding: {
      x: dateX(s.dates[0]!, s.dates.at(-1)!),
      y: { field: "equity", type: "quantitative", scale: { zero: false }, title: "equity" },
      color: {
        field: "series",
        type: "nominal",
        scale: { domain: ["net", "gross"], range: [COLORS.net, COLORS.gross] },
        legend: { orient: "top-left", title: null },
      },
    },
  });
}

/** Drawdown from the running peak (starting capital 1 counts as a peak). */
export function drawdownChart(s: DailySeries): TopLevelSpec {
  const dd = drawdownSeries(s.equity);
  const values = lineIndices(dd).map((t) => ({ date: s.dates[t]!, drawdown: dd[t]! }));
  return withTheme({
    title: chartTitle("Drawdown", "equity / running peak − 1"),
    width: CHART_WIDTH,
    height: 160,
    data: { values },
    mark: { type: "area", color: COLORS.negative, opacity: 0.55, line: { color: COLORS.negative, strokeWidth: 1 } },
    encoding: { x: dateX(s.dates[0]!, s.dates.at(-1)!), y: { field: "drawdown", type: "quantitative", axis: { format: "%" }, title: "drawdown" } },
  });
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Monthly returns as a year × month heatmap, diverging around 0. */
export function monthlyHeatmapChart(stats: PerformanceStats): TopLevelSpec {
  const values = stats.monthlyReturns.map((m) => ({
    year: m.month.slice(0, 4),
    month: MONTHS[Number(m.month.slice(5, 7)) - 1]!,
    return: m.return,
  }));
  const years = new Set(values.map((v) => v.year)).size;
  const maxAbs = Math.max(1e-9, ...values.map((v) => Math.abs(v.return)));
  return withTheme({
    title: chartTitle("Monthly returns", "daily returns compounded per calendar month (first and last months may be partial)"),
    width: CHART_WIDTH,
    height: Math.max(40, 26 * years),
    data: { values },
    encoding: {
      x: { field: "month", type: "ordinal", sort: MONTHS, scale: { domain: MONTHS }, title: null, axis: { orient: "top", labelAngle: 0 } },
      y: { field: "year", type: "ordinal", title: null },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          color: {
            field: "return",
            type: "quantitative",
            scale: { scheme: "redyellowgreen", domain: [-maxAbs, maxAbs], domainMid: 0 },
            legend: { format: "%", title: "return" },
          },
        },
      },
      { mark: { type: "text", fontSize: 10 }, encoding: { text: { field: "return", type: "quantitative", format: ".1%" } } },
    ],
  });
}

/** Rolling Sharpe ratio over a trailing window of days, annualized. */
export function rollingSharpeChart(s: DailySeries, window: number, periodsPerYear: number): TopLevelSpec {
  const rs = rollingSharpe(s.returns, window, periodsPerYear);
  const values: { date: string; sharpe: number }[] = [];
  for (const t of lineIndices(rs)) values.push({ date: s.dates[t]!, sharpe: rs[t]! });
  return withTheme({
    title: chartTitle(
      `Rolling ${window}-day Sharpe`,
      values.length > 0 ? `mean / std (ddof 1) of daily returns × √${periodsPerYear}` : `fewer than ${window} days: nothing to show`,
    ),
    width: CHART_WIDTH,
    height: 180,
    layer: [
      {
        data: { values },
        mark: { type: "line", color: COLORS.net, strokeWidth: 1.2 },
        encoding: {
          // The whole backtest period, so the x axis lines up with the equity and drawdown charts.
          x: dateX(s.dates[0]!, s.dates.at(-1)!),
          y: { field: "sharpe", type: "quantitative", title: "Sharpe" },
        },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#57606a", strokeDash: [4, 3] }, encoding: { y: { field: "zero", type: "quantitative" } } },
    ],
  });
}

/** Gross PnL, each cost and funding, and net PnL, as fractions of initial capital. */
export function costBreakdownChart(stats: PerformanceStats): TopLevelSpec {
  const c = stats.costs;
  const share = (x: number | null) => (x === null ? "" : ` (${pct(x, 1)} of gross)`);
  const values = [
    { component: "gross PnL", value: c.grossPnl, label: "" },
    { component: "fees", value: -c.fee, label: share(c.feeShare) },
    { component: "slippage", value: -c.slippage, label: share(c.slippageShare) },
    { component: "funding", value: c.funding, label: share(c.fundingShare) },
    { component: "net PnL", value: c.netPnl, label: "" },
  ].map((v) => ({ ...v, at: Math.max(0, v.value), text: `${v.value >= 0 ? "+" : ""}${v.value.toFixed(4)}${v.label}` }));
  // Labels sit right of each bar (or of 0 for negative bars): leave room for them on the right.
  const lo = Math.min(0, ...values.map((v) => v.value));
  const hi = Math.max(0, ...values.map((v) => v.value));
  const span = Math.max(hi - lo, 1e-9);
  return withTheme({
    title: chartTitle("Where the PnL went", "sums over the backtest, fractions of initial capital; costs shown negative"),
    width: CHART_WIDTH - 200,
    height: 150,
    data: { values },
    encoding: {
      y: { field: "component", type: "nominal", sort: null, title: null },
    },
    layer: [
      {
        mark: { type: "bar" },
        encoding: {
          x: { field: "value", type: "quantitative", title: "PnL", scale: { domain: [lo - 0.05 * span, hi + 0.6 * span], nice: false } },
          color: { condition: { test: "datum.value < 0", value: COLORS.negative }, value: COLORS.positive },
        },
      },
      { mark: { type: "text", align: "left", dx: 4, fontSize: 10 }, encoding: { text: { field: "text" }, x: { field: "at", type: "quantitative" } } },
    ],
  });
}

/**
 * Long, short, gross and net exposure per day, as multiples of capital. Long and short are
 * often equal (a dollar-neutral book), so short is dashed and drawn over long; net = long − short.
 */
export function exposureChart(s: DailySeries): TopLevelSpec {
  const long = s.exposures.long_exposure;
  const short = s.exposures.short_exposure;
  const series: [string, ArrayLike<number> | undefined][] = [
    ["long", long],
    ["short", short],
    ["gross", s.exposures.gross_exposure],
    ["net (long − short)", long && short ? Float64Array.from(long, (l, t) => l - short[t]!) : undefined],
  ];
  const values: { date: string; side: string; exposure: number }[] = [];
  for (const [side, v] of series) {
    if (!v) continue;
    for (const t of lineIndices(v)) values.push({ date: s.dates[t]!, side, exposure: v[t]! });
  }
  return withTheme({
    title: chartTitle("Exposure over time", values.length > 0 ? "notional at the close / initial capital; net = long − short" : "no exposure columns in the daily frame"),
    width: CHART_WIDTH,
    height: 180,
    data: { values },
    mark: { type: "line", strokeWidth: 1.3 },
    encoding: {
      x: dateX(s.dates[0]!, s.dates.at(-1)!),
      y: { field: "exposure", type: "quantitative", title: "exposure" },
      color: {
        field: "side",
        type: "nominal",
        scale: { domain: ["long", "short", "gross", "net (long − short)"], range: [COLORS.long, COLORS.short, COLORS.gross, COLORS.net] },
        legend: { orient: "top-left", title: null, direction: "horizontal" },
      },
      strokeDash: {
        field: "side",
        type: "nominal",
        scale: { domain: ["long", "short", "gross", "net (long − short)"], range: [[1, 0], [5, 3], [1, 0], [1, 0]] },
        legend: null,
      },
      order: { field: "side", sort: "ascending" },
    },
  });
}
