import type { NumerFrame, ProvenanceStep } from "@nmrblox/numerframe";
import type { FactorAnalysis } from "../factor/factor-analysis.js";
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
    ["Skew", num(s.skew), "m3 / m2^1.5 (population moments)"],
    ["Kurtosis (excess)", num(s.kurtosis), "m4 / m2² − 3; a normal distribution gives 0"],
    ["Best day", pct(s.bestDay.return), s.bestDay.date],
    ["Worst day", pct(s.worstDay.return), s.worstDay.date],
  ];
  return { title: "Statistics", note: `${A} periods a year; r_t = net PnL_t / equity_{t−1}.`, header: ["statistic", "value", "definition"], rows, numeric: false };
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
      ["net PnL", amount(c.netPnl), ""],
    ],
  };
}

/** Per metric, the per-era summary `summarizeScores` computes, over the series the chart draws. */
export function scoresTable(scores: NumerFrame): ReportTable {
  const { era, metrics } = scoreColumns(scores);
  const rows = metrics.map((m) => {
    const s = summarizeScoreSeries(perEraScores(scores, era, m).values);
    return [m, String(s.eras), num(s.mean, 4), num(s.std, 4), num(s.sharpe, 3), num(s.maxDrawdown, 4), num(s.autocorrelation, 3), pct(s.hitRate, 1)];
  });
  return {
    title: "Numerai scores per era",
    note: "Eras in the order they happened; std with ddof 0; Sharpe = mean / std per era (not annualized); max drawdown on the cumulative sum.",
    header: ["metric", "eras", "mean", "std", "Sharpe", "max drawdown", "autocorrelation", "eras > 0"],
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
