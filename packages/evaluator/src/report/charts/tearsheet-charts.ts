import type { TopLevelSpec } from "vega-lite";
import type { FactorAnalysis } from "../../factor/factor-analysis.js";
import type { Contribution, LegSeries } from "../../performance/attribution.js";
import type { BasketTurnover } from "../../performance/basket-turnover.js";
import type { Benchmarks } from "../../performance/benchmarks.js";
import type { DailySeries } from "../../performance/daily-series.js";
import type { AnnualReturn } from "../../performance/monthly-returns.js";
import type { TrancheMonth } from "../../performance/tranche-stats.js";
import { CHART_WIDTH, COLORS, chartTitle, dateX, lineIndices, rollingMean, withTheme } from "./theme.js";

/** Π(1 + r) up to each day. */
function growth(r: ArrayLike<number>): Float64Array {
  const out = new Float64Array(r.length);
  for (let t = 0, g = 1; t < r.length; t++) out[t] = g *= 1 + r[t]!;
  return out;
}

/** Running sum. */
function cumsum(r: ArrayLike<number>, skipNaN = false): Float64Array {
  const out = new Float64Array(r.length);
  for (let t = 0, g = 0; t < r.length; t++) {
    if (skipNaN && Number.isNaN(r[t]!)) {
      out[t] = Number.NaN;
      continue;
    }
    out[t] = g += r[t]!;
  }
  return out;
}

/** The strategy's equity beside BTC buy-and-hold and the equal-weight universe long, each from 1. */
export function benchmarksChart(s: DailySeries, b: Benchmarks): TopLevelSpec {
  const values: { date: string; series: string; equity: number }[] = [];
  const hold = `${b.symbol} buy-and-hold`;
  const add = (series: string, v: ArrayLike<number>) => {
    for (const t of lineIndices(v)) values.push({ date: s.dates[t]!, series, equity: v[t]! });
  };
  add("strategy (net)", s.equity);
  if (b.buyAndHold) add(hold, growth(b.buyAndHold));
  add("equal-weight universe long", growth(b.equalWeight));
  const domain = ["strategy (net)", ...(b.buyAndHold ? [hold] : []), "equal-weight universe long"];
  const range = [COLORS.net, ...(b.buyAndHold ? [COLORS.benchmark] : []), COLORS.equalWeight];
  return withTheme({
    title: chartTitle(
      "Strategy vs benchmarks",
      `growth of 1 on a log scale; benchmarks compound their daily returns (the equal-weight long rebalances daily over names tradable the day before)`,
    ),
    width: CHART_WIDTH,
    height: 240,
    data: { values },
    mark: { type: "line", strokeWidth: 1.3 },
    encoding: {
      x: dateX(s.dates[0]!, s.dates.at(-1)!),
      y: { field: "equity", type: "quantitative", scale: { type: "log" }, title: "growth of 1" },
      color: { field: "series", type: "nominal", scale: { domain, range }, legend: { orient: "top-left", title: null, direction: "horizontal" } },
    },
  });
}

/** Cumulative PnL of the long leg and the short leg (price + funding), and cumulative funding per leg. */
export function legsChart(s: DailySeries, legs: LegSeries): TopLevelSpec {
  const pnl: { date: string; leg: string; value: number }[] = [];
  const funding: { date: string; leg: string; value: number }[] = [];
  const add = (out: typeof pnl, leg: string, v: Float64Array) => {
    for (const t of lineIndices(v)) out.push({ date: s.dates[t]!, leg, value: v[t]! });
  };
  add(pnl, "long", cumsum(Float64Array.from(legs.longPrice, (p, t) => p + legs.longFunding[t]!)));
  add(pnl, "short", cumsum(Float64Array.from(legs.shortPrice, (p, t) => p + legs.shortFunding[t]!)));
  add(funding, "long", cumsum(legs.longFunding));
  add(funding, "short", cumsum(legs.shortFunding));
  const x = dateX(s.dates[0]!, s.dates.at(-1)!);
  const color = { field: "leg", type: "nominal", scale: { domain: ["long", "short"], range: [COLORS.long, COLORS.short] }, legend: { orient: "top-left", title: null } };
  const panel = (title: string, subtitle: string, values: unknown[], y: string) => ({
    title: chartTitle(title, subtitle),
    width: CHART_WIDTH,
    height: 170,
    data: { values },
    mark: { type: "line", strokeWidth: 1.3 },
    encoding: { x, y: { field: "value", type: "quantitative", title: y }, color },
  });
  return withTheme({
    vconcat: [
      panel("Long leg vs short leg", "cumulative price PnL + funding of each leg, fractions of initial capital, before fees and slippage", pnl, "cumulative PnL"),
      panel("Funding per leg", "cumulative funding, signed: received +, paid −", funding, "cumulative funding"),
    ],
    spacing: 24,
  });
}

/** The best and worst contributors, each bar split into price PnL, funding and costs, with the side held. */
export function attributionChart(best: readonly Contribution[], worst: readonly Contribution[]): TopLevelSpec {
  const rows = [...best, ...[...worst].reverse()];
  const label = (c: Contribution) => `${c.symbol} (${c.side})`;
  const order = rows.map(label);
  const values = rows.flatMap((c) => [
    { symbol: label(c), part: "price", value: c.pricePnl },
    { symbol: label(c), part: "funding", value: c.funding },
    { symbol: label(c), part: "fees + slippage", value: -c.costs },
  ]);
  const net = rows.map((c) => ({ symbol: label(c), net: c.netPnl }));
  return withTheme({
    title: chartTitle(
      `Per-coin attribution: ${best.length} best and ${worst.length} worst`,
      "net PnL per symbol over the run, split into price PnL, funding (received +) and fees + slippage (−), fractions of initial capital; the side it was held on in brackets; ticks mark the net",
    ),
    width: CHART_WIDTH - 160,
    height: Math.max(120, 14 * rows.length),
    layer: [
      {
        data: { values },
        mark: { type: "bar" },
        encoding: {
          y: { field: "symbol", type: "nominal", sort: order, title: null },
          x: { field: "value", type: "quantitative", stack: "zero", title: "PnL" },
          color: {
            field: "part",
            type: "nominal",
            scale: { domain: ["price", "funding", "fees + slippage"], range: [COLORS.net, COLORS.accent, COLORS.gross] },
            legend: { orient: "top", title: null },
          },
        },
      },
      {
        data: { values: net },
        mark: { type: "tick", color: "#24292f", thickness: 2, size: 10 },
        encoding: { y: { field: "symbol", type: "nominal", sort: order }, x: { field: "net", type: "quantitative" } },
      },
    ],
  });
}

/** Daily turnover and the number of open positions. */
export function turnoverPositionsChart(s: DailySeries): TopLevelSpec {
  const x = dateX(s.dates[0]!, s.dates.at(-1)!);
  const turnover = lineIndices(s.turnover).map((t) => ({ date: s.dates[t]!, value: s.turnover[t]! }));
  const positions = lineIndices(s.positions).map((t) => ({ date: s.dates[t]!, value: s.positions[t]! }));
  return withTheme({
    vconcat: [
      {
        title: chartTitle("Turnover", "traded notional / equity of the previous day, per day"),
        width: CHART_WIDTH,
        height: 130,
        data: { values: turnover },
        mark: { type: "line", color: COLORS.accent, strokeWidth: 1 },
        encoding: { x, y: { field: "value", type: "quantitative", axis: { format: "%" }, title: "turnover" } },
      },
      {
        title: chartTitle("Number of positions", "symbols with a non-zero net quantity at the close"),
        width: CHART_WIDTH,
        height: 130,
        data: { values: positions },
        mark: { type: "line", color: COLORS.net, strokeWidth: 1.2, interpolate: "step-after" },
        encoding: { x, y: { field: "value", type: "quantitative", title: "positions" } },
      },
    ],
    spacing: 24,
  });
}

/** Calendar-year returns as bars. */
export function annualReturnsChart(years: readonly AnnualReturn[]): TopLevelSpec {
  const values = years.map((y) => ({ year: y.year, return: y.return, label: `${(y.return * 100).toFixed(1)}%${y.days < 365 ? ` (${y.days} d)` : ""}` }));
  return withTheme({
    title: chartTitle("Annual returns", "daily returns compounded per calendar year; partial years show their days"),
    width: CHART_WIDTH - 200,
    height: 160,
    data: { values },
    encoding: { x: { field: "year", type: "ordinal", title: null, axis: { labelAngle: 0 } } },
    layer: [
      {
        mark: { type: "bar", width: { band: 0.6 } },
        encoding: {
          y: { field: "return", type: "quantitative", axis: { format: "%" }, title: "return" },
          color: { condition: { test: "datum.return < 0", value: COLORS.negative }, value: COLORS.positive },
        },
      },
      { mark: { type: "text", dy: -6, fontSize: 10 }, encoding: { y: { field: "return", type: "quantitative" }, text: { field: "label" } } },
    ],
  });
}

/** Equal-width bins of the finite values: [start, end) per bin, counts, and the bin width. */
export function histogramBins(values: ArrayLike<number>, bins: number): { start: number; end: number; count: number }[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (lo === Infinity) return [];
  if (hi === lo) return [{ start: lo - 0.5, end: hi + 0.5, count: values.length }];
  const width = (hi - lo) / bins;
  const counts = new Int32Array(bins);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (Number.isFinite(v)) counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  return Array.from(counts, (count, b) => ({ start: lo + b * width, end: lo + (b + 1) * width, count }));
}

/**
 * A histogram of values with the normal density of the same mean and standard deviation
 * (ddof 0), scaled to counts: n · bin width · φ((x − mean) / std) / std.
 */
export function histogramChart(values: ArrayLike<number>, title: string, subtitle: string, xTitle: string, format: string, bins = 40): TopLevelSpec {
  const finite = Array.from(values).filter(Number.isFinite);
  const n = finite.length;
  const m = finite.reduce((a, b) => a + b, 0) / Math.max(1, n);
  const sd = Math.sqrt(finite.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, n));
  const h = histogramBins(finite, bins);
  const width = h.length > 0 ? h[0]!.end - h[0]!.start : 1;
  const curve: { x: number; y: number }[] = [];
  if (sd > 0 && h.length > 0) {
    const a = h[0]!.start;
    const b = h.at(-1)!.end;
    for (let i = 0; i <= 120; i++) {
      const x = a + ((b - a) * i) / 120;
      const z = (x - m) / sd;
      curve.push({ x, y: (n * width * Math.exp(-0.5 * z * z)) / (sd * Math.sqrt(2 * Math.PI)) });
    }
  }
  return withTheme({
    title: chartTitle(title, subtitle),
    width: CHART_WIDTH - 200,
    height: 170,
    layer: [
      {
        data: { values: h },
        mark: { type: "rect", color: COLORS.net, opacity: 0.75, stroke: "white", strokeWidth: 0.5 },
        encoding: {
          x: { field: "start", type: "quantitative", title: xTitle, axis: { format } },
          x2: { field: "end" },
          y: { field: "count", type: "quantitative", title: "count" },
        },
      },
      {
        data: { values: curve },
        mark: { type: "line", color: COLORS.accent, strokeWidth: 1.5 },
        encoding: { x: { field: "x", type: "quantitative" }, y: { field: "y", type: "quantitative" } },
      },
    ],
  });
}

/** Hit rate of closed tranches by the month they entered, with the tranche count as a label. */
export function trancheHitRateChart(months: readonly TrancheMonth[]): TopLevelSpec {
  const values = months.map((m) => ({ month: `${m.month}-01`, hitRate: m.hitRate, closed: m.closed }));
  const first = values[0]?.month ?? "2000-01-01";
  const last = values.at(-1)?.month ?? first;
  return withTheme({
    title: chartTitle("Tranche hit rate by entry month", "share of the month's closed tranches with net PnL > 0; the dashed line is 50%"),
    width: CHART_WIDTH,
    height: 150,
    layer: [
      {
        data: { values },
        mark: { type: "bar", color: COLORS.net },
        encoding: {
          x: { ...dateX(first, last, "month"), timeUnit: "utcyearmonth", bandPosition: 0 },
          y: { field: "hitRate", type: "quantitative", scale: { domain: [0, 1] }, axis: { format: "%" }, title: "hit rate" },
        },
      },
      { data: { values: [{ half: 0.5 }] }, mark: { type: "rule", color: "#57606a", strokeDash: [4, 3] }, encoding: { y: { field: "half", type: "quantitative" } } },
    ],
  });
}

/** Rank IC per signal date at the first horizon, with its trailing mean. */
export function icSeriesChart(fa: FactorAnalysis, window: number): TopLevelSpec {
  const h = fa.options.horizons[0]!;
  const dates = fa.ic.strings("date");
  const ic = fa.ic.float64(`ic_${h}d`);
  const mean = rollingMean(ic, window);
  const values: { date: string; value: number; series: string }[] = [];
  for (const k of lineIndices(ic)) values.push({ date: dates[k]!, value: ic[k]!, series: "IC" });
  for (const k of lineIndices(mean)) values.push({ date: dates[k]!, value: mean[k]!, series: `${window}-date mean` });
  const x = dateX(dates[0]!, dates.at(-1)!);
  return withTheme({
    title: chartTitle(`Rank IC per date (${h}-day forward return)`, `thin line: Spearman IC of prediction vs forward return on each signal date; thick line: trailing ${window}-date mean`),
    width: CHART_WIDTH,
    height: 170,
    layer: [
      {
        data: { values },
        mark: { type: "line" },
        encoding: {
          x,
          y: { field: "value", type: "quantitative", title: "rank IC" },
          color: { field: "series", type: "nominal", scale: { domain: ["IC", `${window}-date mean`], range: ["#a5c8f7", COLORS.accent] }, legend: { orient: "top-left", title: null, direction: "horizontal" } },
          strokeWidth: { field: "series", type: "nominal", scale: { domain: ["IC", `${window}-date mean`], range: [0.8, 1.8] }, legend: null },
        },
      },
      { data: { values: [{ zero: 0 }] }, mark: { type: "rule", color: "#57606a", strokeDash: [4, 3] }, encoding: { y: { field: "zero", type: "quantitative" } } },
    ],
  });
}

/** Cumulative sum of each quantile's per-date mean forward return at the first horizon. */
export function quantileCumulativeChart(fa: FactorAnalysis): TopLevelSpec {
  const h = fa.options.horizons[0]!;
  const Q = fa.options.quantiles;
  const dates = fa.quantileReturnsByDate.strings("date");
  const values: { date: string; quantile: string; cumulative: number }[] = [];
  for (let q = 1; q <= Q; q++) {
    const cum = cumsum(fa.quantileReturnsByDate.float64(`q${q}_${h}d`), true);
    for (const k of lineIndices(cum)) values.push({ date: dates[k]!, quantile: `Q${q}`, cumulative: cum[k]! });
  }
  return withTheme({
    title: chartTitle(
      `Cumulative return by prediction quantile (${h}-day forward return)`,
      `sum over signal dates of each quantile's mean ${h}-day forward return${fa.options.demean ? ", demeaned per date" : ""}; Q1 = lowest predictions`,
    ),
    width: CHART_WIDTH,
    height: 200,
    data: { values },
    mark: { type: "line", strokeWidth: 1.2 },
    encoding: {
      x: dateX(dates[0]!, dates.at(-1)!),
      y: { field: "cumulative", type: "quantitative", axis: { format: "%" }, title: "cumulative return" },
      color: { field: "quantile", type: "ordinal", scale: { scheme: "redyellowgreen" }, legend: { orient: "top-left", title: null, direction: "horizontal" } },
    },
  });
}

/** Turnover of the long and short baskets from tranche to tranche. */
export function basketTurnoverChart(rows: readonly BasketTurnover[]): TopLevelSpec {
  const values = rows.flatMap((r) => [
    ...(Number.isFinite(r.long) ? [{ date: r.signalDate, basket: "long (top)", turnover: r.long }] : []),
    ...(Number.isFinite(r.short) ? [{ date: r.signalDate, basket: "short (bottom)", turnover: r.short }] : []),
  ]);
  const first = rows[0]?.signalDate ?? "2000-01-01";
  const last = rows.at(-1)?.signalDate ?? first;
  return withTheme({
    title: chartTitle("Basket turnover", "share of a tranche's long (short) names that were not long (short) in the previous tranche"),
    width: CHART_WIDTH,
    height: 150,
    data: { values },
    mark: { type: "line", strokeWidth: 1.1 },
    encoding: {
      x: dateX(first, last),
      y: { field: "turnover", type: "quantitative", axis: { format: "%" }, title: "turnover" },
      color: { field: "basket", type: "nominal", scale: { domain: ["long (top)", "short (bottom)"], range: [COLORS.long, COLORS.short] }, legend: { orient: "top", title: null } },
    },
  });
}
