import { InvalidOptionError, type NumerFrame, parseOptions, requireFrame } from "@nmrblox/numerframe";
import { resolve } from "node:path";
import { z } from "zod";
import type { TopLevelSpec } from "vega-lite";
import type { FactorAnalysis } from "../factor/factor-analysis.js";
import { readDailySeries } from "../performance/daily-series.js";
import { type PerformanceStats, performance } from "../performance/performance.js";
import { icDecayChart, quantileReturnsChart } from "./charts/factor-charts.js";
import { scoreColumns, scoresChart } from "./charts/scores-chart.js";
import { costBreakdownChart, drawdownChart, equityChart, exposureChart, monthlyHeatmapChart, rollingSharpeChart } from "./charts/trading-charts.js";
import type { ReportBlock, ReportChart, ReportDocument, ReportSection } from "./document.js";
import { num, pct } from "./format.js";
import { reportHtml } from "./html.js";
import { reportMarkdown } from "./markdown.js";
import { renderSvg } from "./render-svg.js";
import { type ReportTable, costTable, factorTables, monthlyTable, optionsTable, provenanceTable, scoresTable, statisticsTable } from "./tables.js";
import { writeDirAtomic } from "./write-dir-atomic.js";

/**
 * What a report is made of. The shape is structural so a `runBacktest` result fits as it is
 * (`{ daily, tranches, book, options }`); add `scores` (a per-era frame: era column plus
 * numeric metric columns such as corr and mmc) and `factor` (a `factorAnalysis` result) to
 * show those sections.
 */
export interface ReportInput {
  readonly daily: NumerFrame;
  readonly tranches?: NumerFrame | undefined;
  readonly options?: Readonly<Record<string, unknown>> | undefined;
  readonly scores?: NumerFrame | undefined;
  readonly factor?: FactorAnalysis | undefined;
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
  title: z.string().min(1).default("Backtest report"),
  periodsPerYear: z.number().positive().default(365),
  /** Trailing window of the rolling Sharpe chart, in days. */
  rollingWindow: z.number().int().min(2).default(90),
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
  /** File names inside it: report.html, report.md, performance.json and one .svg per chart. */
  readonly files: readonly string[];
  /** Chart names, in report order (each is `<name>.svg`). */
  readonly charts: readonly string[];
  readonly performance: PerformanceStats;
}

interface ChartJob {
  readonly name: string;
  readonly title: string;
  readonly section: string;
  readonly spec: () => TopLevelSpec;
}

/**
 * Renders a backtest report into `outDir`: report.html (self-contained: inline CSS and SVG
 * charts, the statistics, and tables of options and provenance), report.md (the same tables,
 * charts linked), performance.json and each chart as an .svg. The folder is written atomically:
 * an existing report is replaced only once the new one is complete. Per-era scores are drawn
 * in the order the eras happened (numerframe's era order).
 *
 * @param result - `{ daily, tranches?, options?, scores?, factor? }`; a runBacktest result fits as it is
 * @param options - outDir (required), title, periodsPerYear, rollingWindow, generatedAt, onProgress
 * @returns the folder written, its files and charts, and the performance statistics
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or an input that is not a NumerFrame; the errors of `performance` for a
 *   bad daily or tranche frame; ContractError when the scores frame has no era column;
 *   ReportError (MISSING_COLUMN: scores without a metric column; OUT_DIR_IS_FILE,
 *   OUT_DIR_NOT_REPORT, CHART_FAILED, WRITE_FAILED) naming the path or column
 * @example
 * const result = runBacktest({ signals, market });
 * await renderReport({ ...result, scores, factor }, { outDir: "out/report", title: "Crypto meta model" });
 */
export async function renderReport(result: ReportInput, options: RenderReportOptions): Promise<ReportResult> {
  const opts = parseOptions(renderReportOptions, options, "renderReport");
  // `result` is structural (a runBacktest result carries more), so it is checked, not parsed strictly.
  if (typeof result !== "object" || result === null) {
    throw new InvalidOptionError("renderReport", [{ path: "result", message: "expected { daily, tranches?, options?, scores?, factor? }" }]);
  }
  requireFrame(result.daily, "result.daily", "renderReport");
  if (result.tranches !== undefined) requireFrame(result.tranches, "result.tranches", "renderReport");
  if (result.scores !== undefined) requireFrame(result.scores, "result.scores", "renderReport");
  const stats = performance(result.daily, { periodsPerYear: opts.periodsPerYear, ...(result.tranches ? { tranches: result.tranches } : {}) });
  const series = readDailySeries(result.daily);
  const { scores, factor } = result;
  if (scores) scoreColumns(scores); // a scores frame without era or metric fails before any chart renders

  const jobs: ChartJob[] = [
    { name: "equity", title: "Equity: net vs gross", section: "Performance", spec: () => equityChart(series) },
    { name: "drawdown", title: "Drawdown", section: "Performance", spec: () => drawdownChart(series) },
    {
      name: "rolling-sharpe",
      title: `Rolling ${opts.rollingWindow}-day Sharpe`,
      section: "Performance",
      spec: () => rollingSharpeChart(series, opts.rollingWindow, opts.periodsPerYear),
    },
    { name: "monthly-returns", title: "Monthly returns", section: "Returns by month", spec: () => monthlyHeatmapChart(stats) },
    { name: "cost-breakdown", title: "Where the PnL went", section: "Costs", spec: () => costBreakdownChart(stats) },
    { name: "exposure", title: "Exposure over time", section: "Exposure", spec: () => exposureChart(series) },
  ];
  if (scores) jobs.push({ name: "scores", title: "Numerai scores per era", section: "Numerai scores", spec: () => scoresChart(scores) });
  if (factor) {
    jobs.push(
      { name: "quantile-returns", title: "Mean forward return by quantile", section: "Factor analysis", spec: () => quantileReturnsChart(factor) },
      { name: "ic-decay", title: "IC decay", section: "Factor analysis", spec: () => icDecayChart(factor) },
    );
  }

  const total = jobs.length + 1;
  const charts: ReportChart[] = [];
  for (const [i, job] of jobs.entries()) {
    opts.onProgress?.({ step: `chart ${job.name}`, done: i, total });
    charts.push({ name: job.name, file: `${job.name}.svg`, title: job.title, svg: await renderSvg(job.spec(), job.name) });
  }
  const chartBlocks = (section: string): ReportBlock[] =>
    charts.filter((_, i) => jobs[i]!.section === section).map((chart) => ({ kind: "chart", chart }));
  const table = (t: ReportTable): ReportBlock => ({ kind: "table", table: t });

  const sections: ReportSection[] = [
    { heading: "Performance", blocks: [...chartBlocks("Performance"), table(statisticsTable(stats))] },
    { heading: "Returns by month", blocks: [...chartBlocks("Returns by month"), table(monthlyTable(stats))] },
    { heading: "Costs", blocks: [...chartBlocks("Costs"), table(costTable(stats))] },
    { heading: "Exposure", blocks: chartBlocks("Exposure") },
  ];
  if (scores) sections.push({ heading: "Numerai scores", blocks: [...chartBlocks("Numerai scores"), table(scoresTable(scores))] });
  if (factor) sections.push({ heading: "Factor analysis", blocks: [...chartBlocks("Factor analysis"), ...factorTables(factor).map(table)] });
  const provenanceFrames = [
    { name: "daily", steps: result.daily.provenance },
    ...(result.tranches ? [{ name: "tranches", steps: result.tranches.provenance }] : []),
    ...(scores ? [{ name: "scores", steps: scores.provenance }] : []),
    ...(factor ? [{ name: "factor ic", steps: factor.ic.provenance }] : []),
  ];
  sections.push({
    heading: "How these numbers were made",
    blocks: [
      table(optionsTable({ ...(result.options ?? {}) })),
      ...(factor ? [table({ ...optionsTable({ ...factor.options }), title: "Factor analysis options" })] : []),
      table(provenanceTable(provenanceFrames)),
    ],
  });

  const doc: ReportDocument = {
    title: opts.title,
    subtitle: `${stats.start} → ${stats.end} · ${stats.days} days · annualized with ${stats.periodsPerYear} periods a year`,
    generatedAt: opts.generatedAt ?? new Date().toISOString(),
    kpis: [
      { label: "Total return", value: pct(stats.totalReturn, 1) },
      { label: "CAGR", value: pct(stats.cagr, 1) },
      { label: "Sharpe", value: num(stats.sharpe) },
      { label: "Sortino", value: num(stats.sortino) },
      { label: "Max drawdown", value: pct(stats.maxDrawdown, 1) },
      { label: "Calmar", value: num(stats.calmar) },
      { label: "Daily hit rate", value: pct(stats.dailyHitRate, 1) },
      { label: "Tranche hit rate", value: pct(stats.trancheHitRate, 1) },
      { label: "Avg turnover / day", value: pct(stats.averageTurnover, 1) },
      { label: "Costs / gross PnL", value: pct(stats.costs.feeShare === null ? null : stats.costs.feeShare + stats.costs.slippageShare!, 1) },
    ],
    sections,
  };

  opts.onProgress?.({ step: "write", done: jobs.length, total });
  const files = new Map<string, string>([
    ["report.html", reportHtml(doc)],
    ["report.md", reportMarkdown(doc)],
    ["performance.json", `${JSON.stringify(stats, null, 2)}\n`],
    ...charts.map((c) => [c.file, c.svg] as [string, string]),
  ]);
  const outDir = resolve(opts.outDir);
  await writeDirAtomic(outDir, files);
  opts.onProgress?.({ step: "done", done: total, total });
  return { outDir, files: [...files.keys()], charts: charts.map((c) => c.name), performance: stats };
}
