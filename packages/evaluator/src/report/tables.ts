import type { NumerFrame, ProvenanceStep } from "@nmrblox/numerframe";
import type { FactorAnalysis } from "../factor/factor-analysis.js";
import type { Contribution } from "../performance/attribution.js";
import type { Benchmarks } from "../performance/benchmarks.js";
import type { DrawdownEpisode } from "../performance/drawdown.js";
import type { PerformanceStats } from "../performance/performance.js";
import { summarizeScoreSeries } from "../scores/summarize-scores.js";
import { perEraScores, scoreColumns } from "./charts/scores-chart.js";
import { DASH, amount, num, pct, valueText } from "./format.js";

/** A table of the report, already formatted as text; the HTML and Markdown writers share it. */
export interface ReportTable {
  readonly title: string;
  readonly note?: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Columns after the first are numbers (right-aligned) unless false. */
  readonly numeric?: boolean;
}

/** Every headline statistic with its definition in a few words. */
export function statisticsTable(s: PerformanceStats): ReportTable {
  const A = s.periodsPerYear;
  const rows: [string, string, string][] = [
    ["Period", `${s.start} → ${s.end}`, `${s.days} days`],
    ["Total return", pct(s.totalReturn), "equity_T − 1"],
    ["CAGR", pct(s.cagr), `equity_T^(${A}/T) − 1`],
    ["Volatility", pct(s.volatility), `std(r, ddof 1) · √${A}`],
    ["Sharpe", num(s.sharpe), `mean(r) / std(r) · √${A}`],
    ["Sortino", num(s.sortino), `mean(r) / √mean(min(r,0)²) · √${A}`],
    ["Max drawdown", pct(s.maxDrawdown), `peak ${s.drawdownPeak ?? "start"}, trough ${s.drawdownTrough ?? DASH}, recovered ${s.drawdownRecovery ?? "no"}`],
    ["Max drawdown duration", `${s.maxDrawdownDays} days`, "days under water in the worst episode"],
    ["Longest drawdown", `${s.longestDrawdownDays} days`, "longest spell under water"],
    ["Calmar", num(s.calmar), "CAGR / |max drawdown|"],
    ["Daily hit rate", pct(s.dailyHitRate, 1), `r > 0 on ${s.activeDays} days with positions held at the previous close`],
    [
      "Tranche hit rate",
      pct(s.trancheHitRate, 1),
      s.tranches ? `${s.tranches.winners} of ${s.tranches.closed} closed tranches with net PnL > 0 (${s.tranches.open} open)` : "no tranche frame",
    ],
    ["Average turnover", pct(s.averageTurnover), "traded notional / equity, mean per day"],
    ["Average gross exposure", num(s.averageGrossExposure), "(long + short) notional / capital"],
    ["Mean daily return", pct(s.meanReturn, 3), "arithmetic mean of r"],
    ["Costs incl. funding / gross PnL", pct(costShare(s), 1), "(fees + slippage − funding) / gross PnL"],
    ["Skew", num(s.skew), "m3 / m2^1.5 (population moments)"],
    ["Kurtosis (excess)", num(s.kurtosis), "m4 / m2² − 3; a normal distribution gives 0"],
    ["Best day", pct(s.bestDay.return), s.bestDay.date],
    ["Worst day", pct(s.worstDay.return), s.worstDay.date],
  ];
  return {
    title: "Statistics",
    note: `Conventions: ${A} periods a year (calendar days); r_t = net PnL_t / equity_{t−1}; std with ddof 1 for volatility and Sharpe, population moments for skew and kurtosis; PnL in fractions of initial capital.`, header: ["statistic", "value", "definition"], rows, numeric: false };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Monthly returns, a row per year, with the compounded year. */
export function monthlyTable(s: PerformanceStats): ReportTable {
  const years = new Map<string, (number | null)[]>();
  for (const m of s.monthlyReturns) {
    const y = m.month.slice(0, 4);
    if (!years.has(y)) years.set(y, new Array<number | null>(12).fill(null));
    years.get(y)![Number(m.month.slice(5, 7)) - 1] = m.return;
  }
  const rows = [...years].map(([y, ms]) => {
    const year = ms.reduce<number>((g, r) => g * (1 + (r ?? 0)), 1) - 1;
    return [y, ...ms.map((r) => (r === null ? "" : pct(r, 1))), pct(year, 1)];
  });
  return { title: "Monthly returns", note: "Π(1 + r) − 1 per month; Year compounds the months shown.", header: ["year", ...MONTHS, "Year"], rows };
}

/** PnL components and costs as shares of gross PnL. */
export function costTable(s: PerformanceStats): ReportTable {
  const c = s.costs;
  return {
    title: "Costs",
    note: "Sums over the backtest, fractions of initial capital. net = gross − fees − slippage + funding.",
    header: ["component", "total", "share of gross PnL"],
    rows: [
      ["gross PnL", amount(c.grossPnl), ""],
      ["fees", amount(c.fee), pct(c.feeShare, 1)],
      ["slippage", amount(c.slippage), pct(c.slippageShare, 1)],
      ["funding (received +)", amount(c.funding), pct(c.fundingShare, 1)],
      ["costs incl. funding (fees + slippage − funding)", amount(c.fee + c.slippage - c.funding), pct(costShare(s), 1)],
      ["net PnL", amount(c.netPnl), ""],
    ],
  };
}

/** (fees + slippage − funding) / gross PnL: everything between gross and net, funding paid counted as a cost. */
export function costShare(s: PerformanceStats): number | null {
  const c = s.costs;
  return c.grossPnl !== 0 ? (c.fee + c.slippage - c.funding) / c.grossPnl : null;
}

/** The deepest drawdown episodes. */
export function drawdownsTable(episodes: readonly DrawdownEpisode[]): ReportTable {
  return {
    title: `Top ${episodes.length || 5} drawdowns`,
    note: "Episodes below the running peak of equity (starting capital 1 is the first peak), deepest first; depth = trough equity / peak − 1; length = days under water.",
    header: ["#", "start (peak)", "trough", "recovery", "depth", "length (days)"],
    rows:
      episodes.length > 0
        ? episodes.map((e, i) => [String(i + 1), e.start ?? "start", e.trough, e.recovery ?? "not recovered", pct(e.depth, 1), String(e.days)])
        : [["–", "no drawdown", "", "", "", ""]],
  };
}

/** The strategy beside the benchmarks, same statistics and conventions. */
export function benchmarkTable(b: Benchmarks, periodsPerYear: number, maxDrawdownOf: (returns: Float64Array) => number): ReportTable {
  const row = (name: string, r: Float64Array) => {
    const n = r.length;
    let growth = 1;
    let m = 0;
    for (let t = 0; t < n; t++) {
      growth *= 1 + r[t]!;
      m += r[t]!;
    }
    m /= n;
    let v = 0;
    for (let t = 0; t < n; t++) v += (r[t]! - m) ** 2;
    const sd = n > 1 ? Math.sqrt(v / (n - 1)) : Number.NaN;
    return [name, pct(growth - 1, 1), pct(growth > 0 ? growth ** (periodsPerYear / n) - 1 : -1, 1), pct(sd * Math.sqrt(periodsPerYear), 1), num(sd > 0 ? (m / sd) * Math.sqrt(periodsPerYear) : null), pct(maxDrawdownOf(r), 1)];
  };
  return {
    title: "Strategy vs benchmarks",
    note:
      `Daily returns compounded; ${periodsPerYear} periods a year; volatility and Sharpe with std ddof 1. ` +
      (b.buyAndHold
        ? `Beta to ${b.symbol} = cov(r, r_${b.symbol}) / var(r_${b.symbol}) = ${num(b.beta)}; correlation = ${num(b.correlation)} (daily returns, day 2 on).`
        : `${b.symbol} is not in the market frame: no buy-and-hold, beta or correlation.`),
    header: ["series", "total return", "CAGR", "volatility", "Sharpe", "max drawdown"],
    rows: [row("strategy (net)", b.strategy), ...(b.buyAndHold ? [row(`${b.symbol} buy-and-hold`, b.buyAndHold)] : []), row("equal-weight universe long", b.equalWeight)],
  };
}

/** Per-coin attribution rows: price, funding, costs, net, side and days held. */
export function attributionTable(title: string, rows: readonly Contribution[]): ReportTable {
  return {
    title,
    note: "Sums over the run, fractions of initial capital: net = price + funding − (fees + slippage); funding signed (received +).",
    header: ["symbol", "side", "price PnL", "funding", "fees + slippage", "net PnL", "days long", "days short"],
    rows: rows.map((c) => [c.symbol, c.side, amount(c.pricePnl), amount(c.funding), amount(c.costs), amount(c.netPnl), String(c.daysLong), String(c.daysShort)]),
  };
}

/** Distribution of closed tranches' net PnL. */
export function trancheTable(pnl: Float64Array, stats: PerformanceStats): ReportTable {
  const sorted = Float64Array.from(pnl).sort();
  const q = (p: number) => (sorted.length === 0 ? null : sorted[Math.min(sorted.length - 1, Math.floor(p * (sorted.length - 1) + 0.5))]!);
  const t = stats.tranches;
  return {
    title: "Closed tranches",
    note: "net_pnl of each closed tranche, fractions of initial capital, its own entry and exit costs included (as if not netted); quantiles by nearest rank.",
    header: ["closed", "open", "hit rate", "mean", "5%", "25%", "median", "75%", "95%"],
    rows: [[String(t?.closed ?? 0), String(t?.open ?? 0), pct(t?.hitRate, 1), amount(t?.meanClosedPnl), amount(q(0.05)), amount(q(0.25)), amount(q(0.5)), amount(q(0.75)), amount(q(0.95))]],
  };
}

/** Per metric, the per-era summary `summarizeScores` computes, over the series the chart draws. */
export function scoresTable(scores: NumerFrame): ReportTable {
  const { era, metrics } = scoreColumns(scores);
  const rows = metrics.map((m) => {
    const s = summarizeScoreSeries(perEraScores(scores, era, m).values);
    return [m, String(s.eras), String(s.nanEras), num(s.mean, 4), num(s.std, 4), num(s.sharpe, 3), num(s.maxDrawdown, 4), num(s.autocorrelation, 3), pct(s.hitRate, 1)];
  });
  return {
    title: "Numerai scores per era",
    note: "Eras in the order they happened; eras without a score (all-tied or single-row eras, churn's first era) are counted and left out; std with ddof 0, as summarizeScores; Sharpe = mean / std per era (not annualized); max drawdown on the cumulative sum; autocorrelation at lag 1.",
    header: ["metric", "eras", "eras without a score", "mean", "std", "Sharpe", "max drawdown", "autocorrelation", "eras > 0"],
    rows,
  };
}

/** The factor analysis tables: IC decay, quantile returns, spread, turnover, rank autocorrelation. */
export function factorTables(fa: FactorAnalysis): ReportTable[] {
  const H = fa.options.horizons;
  const Q = fa.options.quantiles;
  const byHorizon = (h: number) => `${h}d`;
  const ic: ReportTable = {
    title: "Rank IC by horizon (IC decay)",
    note: "Spearman correlation of prediction and forward return per signal date; t = mean / (std / √dates).",
    header: ["horizon", "mean IC", "std", "t-stat", "IR (mean/std)", "dates"],
    rows: fa.icSummary.map((s) => [
      byHorizon(s.horizon),
      num(s.mean, 4),
      num(s.std, 4),
      num(s.tStat, 2),
      num(s.mean !== null && s.std ? s.mean / s.std : null, 3),
      String(s.count),
    ]),
  };
  const quant: ReportTable = {
    title: "Mean forward return by quantile",
    note: `${fa.options.demean ? "Demeaned per date. " : ""}Return over the horizon; entry ${fa.options.lag} day(s) after the signal date.`,
    header: ["horizon", ...Array.from({ length: Q }, (_, q) => `Q${q + 1}`), "top − bottom", "spread t"],
    rows: H.map((h, hi) => [
      byHorizon(h),
      ...fa.quantileReturns.filter((r) => r.horizon === h).map((r) => pct(r.meanReturn, 3)),
      pct(fa.spreadSummary[hi]!.mean, 3),
      num(fa.spreadSummary[hi]!.tStat, 2),
    ]),
  };
  const turnover: ReportTable = {
    title: "Quantile turnover and rank autocorrelation",
    note: "Share of a quantile's names not in it h signal dates earlier; autocorrelation of prediction ranks h signal dates apart.",
    header: ["horizon", ...Array.from({ length: Q }, (_, q) => `Q${q + 1} turnover`), "rank autocorr."],
    rows: H.map((h, hi) => [
      byHorizon(h),
      ...fa.quantileTurnover.filter((r) => r.horizon === h).map((r) => pct(r.turnover, 1)),
      num(fa.autocorrelationSummary[hi]!.mean, 3),
    ]),
  };
  return [ic, quant, turnover];
}

/** Backtest options, one row each (objects as JSON). */
export function optionsTable(options: Record<string, unknown>): ReportTable {
  const rows = Object.entries(options).map(([k, v]) => [k, valueText(v)]);
  return { title: "Options", header: ["option", "value"], rows: rows.length > 0 ? rows : [["(none given)", ""]], numeric: false };
}

/** Provenance of every input frame: which blox made it, with which options, when. */
export function provenanceTable(frames: readonly { name: string; steps: readonly ProvenanceStep[] }[]): ReportTable {
  const rows: string[][] = [];
  for (const f of frames) {
    f.steps.forEach((step, i) => rows.push([f.name, String(i + 1), step.blox, step.at, valueText(step.options)]));
  }
  return {
    title: "Provenance",
    note: "Every step recorded in the input frames' metadata, in order.",
    header: ["frame", "step", "blox", "at", "options"],
    rows: rows.length > 0 ? rows : [["(no provenance recorded)", "", "", "", ""]],
    numeric: false,
  };
}
