import { InvalidOptionError, type NumerFrame, maxDrawdown, parseOptions, requireFrame } from "@nmrblox/numerframe";
import { resolve } from "node:path";
import type { TopLevelSpec } from "vega-lite";
import { z } from "zod";
import type { FactorAnalysis } from "../factor/factor-analysis.js";
import { legSeries, topContributors } from "../performance/attribution.js";
import { basketTurnover } from "../performance/basket-turnover.js";
import { benchmarks } from "../performance/benchmarks.js";
import { readDailySeries } from "../performance/daily-series.js";
import { topDrawdowns } from "../performance/drawdown.js";
import { annualReturns } from "../performance/monthly-returns.js";
import { type PerformanceStats, performance } from "../performance/performance.js";
import { closedTranchePnl, trancheHitRateByMonth } from "../performance/tranche-stats.js";
import { summarizeScoreSeries } from "../scores/summarize-scores.js";
import { icDecayChart, quantileReturnsChart } from "./charts/factor-charts.js";
import { perEraScores, scoreColumns, scoresChart, scoresCumulativeChart, scoresDistributionChart } from "./charts/scores-chart.js";
import {
  annualReturnsChart,
  attributionChart,
  basketTurnoverChart,
  benchmarksChart,
  histogramChart,
  icSeriesChart,
  legsChart,
  quantileCumulativeChart,
  trancheHitRateChart,
  turnoverPositionsChart,
} from "./charts/tearsheet-charts.js";
import { costBreakdownChart, drawdownChart, equityChart, exposureChart, monthlyHeatmapChart, rollingSharpeChart } from "./charts/trading-charts.js";
import type { ReportBlock, ReportChart, ReportDocument, ReportSection } from "./document.js";
import { num, pct } from "./format.js";
import { reportHtml } from "./html.js";
import { reportMarkdown } from "./markdown.js";
import { renderSvg } from "./render-svg.js";
import {
  type ReportTable,
  attributionTable,
  benchmarkTable,
  costShare,
  costTable,
  drawdownsTable,
  factorTables,
  monthlyTable,
  optionsTable,
  provenanceTable,
  scoresTable,
  statisticsTable,
  trancheTable,
} from "./tables.js";
import { writeDirAtomic } from "./write-dir-atomic.js";

/**
 * What a report is made of. The shape is structural so a `runBacktest` result fits as it is
 * (`{ daily, tranches, book, attribution, options }`); add `market` (and `universe`) for the
 * benchmarks, `scores` (a per-era frame: era column plus numeric metric columns such as corr
 * and mmc) and `factor` (a `factorAnalysis` result). `scores` alone (no `daily`) makes a
 * scores-only report, for a Classic or Signals model without a backtest.
 */
export interface ReportInput {
  readonly daily?: NumerFrame | undefined;
  readonly tranches?: NumerFrame | undefined;
  /** The backtest's book (tranche, signal_date, symbol, quantity, ...): basket turnover. */
  readonly book?: NumerFrame | undefined;
  /** The backtest's per-symbol attribution (symbol, price_pnl, funding, fee, slippage, net_pnl, days_long, days_short). */
  readonly attribution?: NumerFrame | undefined;
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  readonly scores?: NumerFrame | undefined;
  readonly factor?: FactorAnalysis | undefined;
  /** The market (date, symbol, close) the backtest ran on: BTC buy-and-hold and the equal-weight benchmark. */
  readonly market?: NumerFrame | undefined;
  /** The tradable universe (date, symbol, tradable) for the equal-weight benchmark. */
  readonly universe?: NumerFrame | undefined;
}

/** A step of report rendering, for progress display. */
export interface ReportProgress {
  readonly step: string;
  readonly done: number;
  readonly total: number;
}

/** Options of `renderReport`. */
export const renderReportOptions = z.strictObject({
  /** The report folder; replaced as a whole, and only once the new report is complete. */
  outDir: z.string().min(1),
  /** Default: "Backtest report", or "Scores report" without a backtest. */
  title: z.string().min(1).optional(),
  periodsPerYear: z.number().positive().default(365),
  /** Trailing window of the rolling Sharpe chart, in days. */
  rollingWindow: z.number().int().min(2).default(90),
  /** Trailing window of the rolling means of per-era scores and of the IC per date, in eras (dates). */
  rollingEras: z.number().int().min(1).default(20),
  /** The symbol of the buy-and-hold benchmark (needs `market`). */
  benchmark: z.string().min(1).default("BTC"),
  /** How many best and worst symbols the attribution shows. */
  topSymbols: z.number().int().min(1).default(15),
  /** Time shown as "generated" (ISO); defaults to now. */
  generatedAt: z.string().min(1).optional(),
  onProgress: z.custom<(progress: ReportProgress) => void>((v) => typeof v === "function", { message: "expected a function" }).optional(),
});
/** Options of `renderReport`, as callers write them. */
export type RenderReportOptions = z.input<typeof renderReportOptions>;

/** What `renderReport` wrote. */
export interface ReportResult {
  /** Absolute path of the report folder. */
  readonly outDir: string;
  /** File names inside it: report.html, report.md, performance.json (with a backtest) and one .svg per chart. */
  readonly files: readonly string[];
  /** Chart names, in report order (each is `<name>.svg`). */
  readonly charts: readonly string[];
  /** Section headings, in report order. */
  readonly sections: readonly string[];
  /** The backtest's statistics; null for a scores-only report. */
  readonly performance: PerformanceStats | null;
}

interface ChartJob {
  readonly name: string;
  readonly title: string;
  readonly section: string;
  /** The chart has a time axis (its labels must show years). */
  readonly timeAxis: boolean;
  readonly spec: () => TopLevelSpec;
}

const S = {
  performance: "Performance",
  benchmarks: "Benchmarks",
  returns: "Returns",
  legs: "Long leg vs short leg",
  attribution: "Per-coin attribution",
  costs: "Costs",
  exposure: "Exposure, turnover and positions",
  tranches: "Tranches",
  scores: "Numerai scores",
  signal: "Signal quality",
  provenance: "How these numbers were made",
} as const;

/**
 * Renders a tear sheet into `outDir`: report.html (self-contained: inline CSS and SVG charts,
 * no scripts), report.md (the same tables, charts linked), performance.json and each chart as
 * an .svg. With a backtest: performance, benchmarks (with `market`), returns (monthly, annual,
 * distribution), long vs short leg (with the daily leg columns), per-coin attribution (with
 * `attribution`), costs including funding, exposure/turnover/positions, tranches; with
 * `scores`: per-era scores, cumulative, rolling mean, distribution and summary; with `factor`
 * (and `book`): signal quality. Every chart's subtitle gives its definition; every table note
 * its convention. The folder is written atomically: an existing report is replaced only once
 * the new one is complete. vega and vega-lite load on the first call.
 *
 * @param result - `{ daily?, tranches?, book?, attribution?, options?, scores?, factor?, market?, universe? }`: a runBacktest result fits as it is; `daily` or `scores` is required
 * @param options - outDir (required), title, periodsPerYear, rollingWindow, rollingEras, benchmark, topSymbols, generatedAt, onProgress
 * @returns the folder written, its files, charts and sections, and the performance statistics (null without a backtest)
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one), an input that is not a NumerFrame, or neither `daily` nor `scores`; the
 *   errors of `performance` for a bad daily or tranche frame; ContractError for a scores frame
 *   without its era column, an attribution or book frame without a column it needs, or only
 *   some daily leg columns; the market errors (INVALID_CLOSE, DUPLICATE_ROW) for a bad market;
 *   ReportError (MISSING_COLUMN: scores without a metric column; OUT_DIR_IS_FILE,
 *   OUT_DIR_NOT_REPORT, CHART_FAILED, WRITE_FAILED) naming the path or column
 * @example
 * const result = runBacktest({ signals, market, universe });
 * await renderReport({ ...result, market, universe, scores, factor }, { outDir: "out/report", title: "Crypto meta model" });
 * await renderReport({ scores: scoreByEra(validation, { target: "target" }) }, { outDir: "out/scores" });
 */
export async function renderReport(result: ReportInput, options: RenderReportOptions): Promise<ReportResult> {
  const opts = parseOptions(renderReportOptions, options, "renderReport");
  // `result` is structural (a runBacktest result carries more), so it is checked, not parsed strictly.
  if (typeof result !== "object" || result === null) {
    throw new InvalidOptionError("renderReport", [{ path: "result", message: "expected { daily?, tranches?, book?, attribution?, options?, scores?, factor?, market?, universe? }" }]);
  }
  for (const key of ["daily", "tranches", "book", "attribution", "scores", "market", "universe"] as const) {
    if (result[key] !== undefined) requireFrame(result[key], `result.${key}`, "renderReport");
  }
  if (result.daily === undefined && result.scores === undefined) {
    throw new InvalidOptionError("renderReport", [{ path: "result.daily", message: "expected a backtest's daily frame, or a scores frame for a scores-only report" }]);
  }
  const { scores, factor } = result;
  if (scores) scoreColumns(scores); // a scores frame without era or metric fails before any chart renders

  // Everything is computed (and every input checked) before the first chart renders.
  const jobs: ChartJob[] = [];
  const tables = new Map<string, ReportTable[]>();
  const addTable = (section: string, t: ReportTable) => tables.set(section, [...(tables.get(section) ?? []), t]);
  const job = (section: string, name: string, title: string, timeAxis: boolean, spec: () => TopLevelSpec) => jobs.push({ name, title, section, timeAxis, spec });

  let stats: PerformanceStats | null = null;
  if (result.daily) {
    const daily = result.daily;
    const st = performance(daily, { periodsPerYear: opts.periodsPerYear, ...(result.tranches ? { tranches: result.tranches } : {}) });
    stats = st;
    const series = readDailySeries(daily);
    const legs = legSeries(daily);
    const bench = result.market ? benchmarks(daily, result.market, { symbol: opts.benchmark, ...(result.universe ? { universe: result.universe } : {}) }) : null;
    const contributors = result.attribution ? topContributors(result.attribution, opts.topSymbols) : null;
    const trancheMonths = result.tranches ? trancheHitRateByMonth(result.tranches) : null;
    const tranchePnl = result.tranches ? closedTranchePnl(result.tranches) : null;
    const baskets = result.book ? basketTurnover(result.book) : null;

    job(S.performance, "equity", "Equity: net vs gross", true, () => equityChart(series));
    job(S.performance, "drawdown", "Drawdown", true, () => drawdownChart(series));
    job(S.performance, "rolling-sharpe", `Rolling ${opts.rollingWindow}-day Sharpe`, true, () => rollingSharpeChart(series, opts.rollingWindow, opts.periodsPerYear));
    addTable(S.performance, statisticsTable(st));
    addTable(S.performance, drawdownsTable(topDrawdowns(series.dates, series.equity, 5)));
    if (bench) {
      job(S.benchmarks, "benchmarks", "Strategy vs benchmarks", true, () => benchmarksChart(series, bench));
      addTable(
        S.benchmarks,
        benchmarkTable(bench, opts.periodsPerYear, (r) => {
          const eq = new Float64Array(r.length);
          let g = 1;
          for (let t = 0; t < r.length; t++) eq[t] = g *= 1 + r[t]!;
          return maxDrawdown(eq);
        }),
      );
    }
    job(S.returns, "monthly-returns", "Monthly returns", false, () => monthlyHeatmapChart(st));
    job(S.returns, "annual-returns", "Annual returns", true, () => annualReturnsChart(annualReturns(series.dates, series.returns)));
    job(S.returns, "return-distribution", "Distribution of daily returns", false, () =>
      histogramChart(series.returns, "Distribution of daily returns", "count of days per bin of r = net PnL / previous equity; line: normal with the same mean and std (ddof 0)", "daily return", ".1%"),
    );
    addTable(S.returns, monthlyTable(st));
    if (legs) job(S.legs, "legs", "Long leg vs short leg", true, () => legsChart(series, legs));
    if (contributors) {
      job(S.attribution, "attribution", "Per-coin attribution", false, () => attributionChart(contributors.best, contributors.worst));
      addTable(S.attribution, attributionTable(`${contributors.best.length} best symbols`, contributors.best));
      addTable(S.attribution, attributionTable(`${contributors.worst.length} worst symbols`, contributors.worst));
    }
    job(S.costs, "cost-breakdown", "Where the PnL went", false, () => costBreakdownChart(st));
    addTable(S.costs, costTable(st));
    job(S.exposure, "exposure", "Exposure over time", true, () => exposureChart(series));
    job(S.exposure, "turnover-positions", "Turnover and number of positions", true, () => turnoverPositionsChart(series));
    if (tranchePnl && trancheMonths) {
      if (tranchePnl.length > 0) {
        job(S.tranches, "tranche-pnl", "Distribution of closed tranches' PnL", false, () =>
          histogramChart(tranchePnl, "Closed tranches: net PnL", "count of closed tranches per bin of net PnL (fractions of initial capital); line: normal with the same mean and std (ddof 0)", "tranche net PnL", ".3f", 30),
        );
        job(S.tranches, "tranche-hit-rate", "Tranche hit rate by entry month", true, () => trancheHitRateChart(trancheMonths));
      }
      addTable(S.tranches, trancheTable(tranchePnl, st));
    }
    if (baskets && baskets.length > 0) job(S.signal, "basket-turnover", "Basket turnover", true, () => basketTurnoverChart(baskets));
  }
  if (scores) {
    const { era, metrics } = scoreColumns(scores);
    const timeAxis = perEraScores(scores, era, metrics[0]!).eras.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l));
    job(S.scores, "scores", "Numerai scores per era", timeAxis, () => scoresChart(scores, opts.rollingEras));
    job(S.scores, "scores-cumulative", "Cumulative score", timeAxis, () => scoresCumulativeChart(scores));
    job(S.scores, "scores-distribution", "Distribution of per-era scores", false, () => scoresDistributionChart(scores));
    addTable(S.scores, scoresTable(scores));
  }
  if (factor) {
    const factorJobs: ChartJob[] = [];
    const fjob = (name: string, title: string, timeAxis: boolean, spec: () => TopLevelSpec) => factorJobs.push({ name, title, section: S.signal, timeAxis, spec });
    fjob("ic-series", "Rank IC per date", true, () => icSeriesChart(factor, opts.rollingEras));
    fjob("quantile-cumulative", "Cumulative return by prediction quantile", true, () => quantileCumulativeChart(factor));
    fjob("quantile-returns", "Mean forward return by quantile", false, () => quantileReturnsChart(factor));
    fjob("ic-decay", "IC decay", false, () => icDecayChart(factor));
    // The factor charts come before the basket turnover of the same section.
    const at = jobs.findIndex((j) => j.section === S.signal);
    jobs.splice(at < 0 ? jobs.length : at, 0, ...factorJobs);
    for (const t of factorTables(factor)) addTable(S.signal, t);
  }

  // Charts in section order (a stable sort keeps each section's own order).
  const order: readonly string[] = Object.values(S);
  jobs.sort((a, b) => order.indexOf(a.section) - order.indexOf(b.section));
  const total = jobs.length + 1;
  const charts: ReportChart[] = [];
  for (const [i, j] of jobs.entries()) {
    opts.onProgress?.({ step: `chart ${j.name}`, done: i, total });
    charts.push({ name: j.name, file: `${j.name}.svg`, title: j.title, timeAxis: j.timeAxis, svg: await renderSvg(j.spec(), j.name) });
  }
  const sections: ReportSection[] = [];
  for (const heading of Object.values(S)) {
    if (heading === S.provenance) continue;
    const blocks: ReportBlock[] = [
      ...charts.filter((_, i) => jobs[i]!.section === heading).map((chart) => ({ kind: "chart" as const, chart })),
      ...(tables.get(heading) ?? []).map((table) => ({ kind: "table" as const, table })),
    ];
    if (blocks.length > 0) sections.push({ heading, blocks });
  }
  const provenanceFrames: { name: string; steps: NumerFrame["provenance"] }[] = (["daily", "tranches", "book", "attribution", "scores", "market", "universe"] as const).flatMap((name) =>
    result[name] ? [{ name, steps: result[name].provenance }] : [],
  );
  if (factor) provenanceFrames.push({ name: "factor ic", steps: factor.ic.provenance });
  sections.push({
    heading: S.provenance,
    blocks: [
      ...(result.daily ? [{ kind: "table" as const, table: optionsTable({ ...(result.options ?? {}) }) }] : []),
      ...(factor ? [{ kind: "table" as const, table: { ...optionsTable({ ...factor.options }), title: "Factor analysis options" } }] : []),
      { kind: "table", table: provenanceTable(provenanceFrames) },
    ],
  });

  const doc: ReportDocument = {
    title: opts.title ?? (stats ? "Backtest report" : "Scores report"),
    subtitle: stats
      ? `${stats.start} → ${stats.end} · ${stats.days} days · annualized with ${stats.periodsPerYear} periods a year · PnL in fractions of initial capital`
      : scoresSubtitle(scores!),
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    kpis: stats ? backtestKpis(stats) : scoreKpis(scores!),
    sections,
  };

  opts.onProgress?.({ step: "write", done: jobs.length, total });
  const files = new Map<string, string>([
    ["report.html", reportHtml(doc)],
    ["report.md", reportMarkdown(doc)],
    ...(stats ? [["performance.json", `${JSON.stringify(stats, null, 2)}\n`] as [string, string]] : []),
    ...charts.map((c) => [c.file, c.svg] as [string, string]),
  ]);
  const outDir = resolve(opts.outDir);
  await writeDirAtomic(outDir, files);
  opts.onProgress?.({ step: "done", done: total, total });
  return { outDir, files: [...files.keys()], charts: charts.map((c) => c.name), sections: sections.map((s) => s.heading), performance: stats };
}

function backtestKpis(stats: PerformanceStats): ReportDocument["kpis"] {
  return [
    { label: "Total return", value: pct(stats.totalReturn, 1) },
    { label: "CAGR", value: pct(stats.cagr, 1) },
    { label: "Sharpe (annualized)", value: num(stats.sharpe) },
    { label: "Sortino (annualized)", value: num(stats.sortino) },
    { label: "Max drawdown", value: pct(stats.maxDrawdown, 1) },
    { label: "Calmar", value: num(stats.calmar) },
    { label: "Daily hit rate", value: pct(stats.dailyHitRate, 1) },
    { label: "Tranche hit rate", value: pct(stats.trancheHitRate, 1) },
    { label: "Avg turnover / day", value: pct(stats.averageTurnover, 1) },
    { label: "Costs incl. funding / gross PnL", value: pct(costShare(stats), 1) },
  ];
}

function scoreKpis(scores: NumerFrame): ReportDocument["kpis"] {
  const { era, metrics } = scoreColumns(scores);
  return metrics.slice(0, 4).flatMap((m) => {
    const s = summarizeScoreSeries(perEraScores(scores, era, m).values);
    return [
      { label: `${m} mean per era`, value: num(s.mean, 4) },
      { label: `${m} Sharpe (per era)`, value: num(s.sharpe, 2) },
    ];
  });
}

function scoresSubtitle(scores: NumerFrame): string {
  const { era, metrics } = scoreColumns(scores);
  const eras = perEraScores(scores, era, metrics[0]!).eras;
  return `${eras.length} eras, ${eras[0]} → ${eras.at(-1)} · per-era statistics, not annualized · std with ddof 0`;
}
