import { join } from "node:path";
import { type BacktestResult, runBacktest } from "@nmrblox/backtest";
import { type CostTerm, fixedSlippage, funding, takerFee } from "@nmrblox/cost-model";
import { type PerformanceStats, factorAnalysis, performance, renderReport, scoreByEra, summarizeScores } from "@nmrblox/evaluator";
import { parseOptions, writeCsv, writeFileAtomic, writeParquet } from "@nmrblox/numerframe";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { mapSymbols, tradableUniverse, universeSummary } from "@nmrblox/universe-filter";
import { demoOptions, layer, parseSets } from "../config.js";
import type { CommandResult, Context } from "../context.js";
import { outPath } from "../context.js";
import { fixed, frameRows, pct, table } from "../format.js";

/** Flags of `nmrblox demo` (see `demoOptions`). */
export interface DemoFlags {
  small?: boolean;
  seed?: number;
  symbols?: number;
  start?: string;
  end?: string;
  long?: number;
  short?: number;
  out?: string;
}

/**
 * `nmrblox demo`: the headline study on seeded synthetic data. The Crypto meta model, mapped to
 * Bybit USDT perpetuals and filtered point in time; long the top 25 / short the bottom 25, each
 * day's basket held 30 days as one of 20 tranches; taker fee 0.055 % + slippage 0.05 % per
 * side, with and without funding; Numerai CORR per era; factor analysis; the HTML report.
 * Writes the synthetic inputs to `<out>/data` (so `nmrblox backtest` can be tried on them),
 * the report to `<out>/report` and `<out>/summary.json`. `--small`: 60 coins, 2024 H1, 5 / 5.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: range, universe, both runs' statistics, score summary, files
 * @example
 * const summary = await demoCommand(ctx, { small: true, out: "demo" });
 */
export async function demoCommand(ctx: Context, flags: DemoFlags): Promise<CommandResult> {
  const opts = parseOptions(
    demoOptions,
    layer(
      ctx.config.sections.demo,
      parseSets(ctx.sets, demoOptions, "nmrblox demo"),
      Object.entries(flags).map(([k, v]) => [k, v]),
    ),
    "nmrblox demo",
  );
  const { out } = ctx;
  const small = opts.small;
  const range = {
    symbols: opts.symbols ?? (small ? 60 : 500),
    start: opts.start ?? (small ? "2024-01-01" : "2021-01-01"),
    end: opts.end ?? (small ? "2024-06-30" : "2025-12-31"),
    seed: opts.seed,
  };
  const basket = { long: opts.long ?? (small ? 5 : 25), short: opts.short ?? (small ? 5 : 25) };
  const dir = outPath(ctx, opts.out);

  // 1. Data, and the files a user can run `nmrblox backtest` / `score` on.
  out.step(`generating synthetic data: ${range.symbols} symbols, ${range.start} .. ${range.end}, seed ${range.seed}`);
  const { signals, instruments, market, targets } = syntheticCrypto(range);
  const data = join(dir, "data");
  const inputs = {
    signals: join(data, "signals.csv"),
    targets: join(data, "targets.csv"),
    market: join(data, "market.parquet"),
    instruments: join(data, "instruments.parquet"),
  };
  // CSV without a sidecar, as a user's own file would be; Parquet for the larger frames.
  await writeCsv(signals, inputs.signals, { sidecar: false });
  await writeCsv(targets, inputs.targets, { sidecar: false });
  await writeParquet(market, inputs.market);
  await writeParquet(instruments, inputs.instruments);

  // 2. Universe: Numerai symbols → Bybit USDT perpetuals, tradable point in time.
  out.step("tradable universe");
  const { mapping, unmatched } = mapSymbols(signals, instruments);
  const universe = tradableUniverse({ signals, instruments, market, mapping });
  const { perDate } = universeSummary(universe);
  const tradable = perDate.numeric("tradable");
  let sum = 0;
  for (let i = 0; i < tradable.length; i++) sum += tradable[i]!;
  const meanTradable = sum / Math.max(1, tradable.length);

  // 3. Backtests with and without funding: same trades.
  const portfolio = { ...basket, lagDays: 1, holdDays: 30, tranches: 20 };
  const tradingCosts: CostTerm[] = [takerFee(0.00055), fixedSlippage(0.0005)];
  const run = (label: string, costs: CostTerm[]): BacktestResult => {
    out.step(`backtest ${label}: long ${basket.long} / short ${basket.short}, lag 1, hold 30, 20 tranches`);
    const bar = out.progress("days");
    const result = runBacktest({ signals, market, universe, portfolio, costs, onProgress: bar });
    bar.end();
    return result;
  };
  const withFunding = run("with funding", [...tradingCosts, funding()]);
  const withoutFunding = run("without funding", tradingCosts);
  const stats = (r: BacktestResult) => performance(r.daily, { periodsPerYear: 365, tranches: r.tranches });
  const runs: Record<string, PerformanceStats> = { "with funding": stats(withFunding), "without funding": stats(withoutFunding) };

  // 4. Numerai CORR of the meta model against target_20d, one era per day.
  out.step("Numerai scores: meta model vs target_20d");
  const scored = signals.join(targets, { on: ["date", "symbol"] }).withMeta({ eraCol: "date", idCol: "symbol" });
  const eras = out.progress("eras");
  const scores = scoreByEra(scored, { predictions: ["prediction"], target: "target_20d", onProgress: eras });
  eras.end();
  const scoreSummary = frameRows(summarizeScores(scores));

  // 5. Factor analysis and the report.
  out.step("factor analysis and the report");
  const factor = factorAnalysis(signals, market, { horizons: [1, 5, 10, 20, 30], quantiles: 5, lag: 1 });
  const charts = out.progress("charts");
  const report = await renderReport(
    { ...withFunding, scores, factor, market, universe },
    {
      outDir: join(dir, "report"),
      title: `Crypto meta model, long ${basket.long} / short ${basket.short}, 30-day holds, 20 tranches`,
      onProgress: ({ done, total }) => charts(done, total),
    },
  );
  charts.end();
  const summary = {
    command: "demo",
    source: "synthetic",
    range,
    portfolio,
    universe: { mapped: mapping.numRows, unmatched: unmatched.length, meanTradablePerDay: meanTradable },
    runs,
    scores: scoreSummary,
    inputs,
    report: join(report.outDir, "report.html"),
    files: report.files.map((f) => join(report.outDir, f)),
  };
  await writeFileAtomic(join(dir, "summary.json"), JSON.stringify(summary, null, 2));

  out.print(`Universe: ${mapping.numRows} symbols mapped, ${unmatched.length} without a USDT perpetual, ${meanTradable.toFixed(0)} tradable per day on average\n`);
  out.print(
    table(
      Object.entries(runs).map(([name, s]) => ({
        run: name,
        "total return %": pct(s.totalReturn),
        "CAGR %": pct(s.cagr),
        sharpe: fixed(s.sharpe),
        "max drawdown %": pct(s.maxDrawdown),
        "daily hit %": pct(s.dailyHitRate),
        "tranche hit %": pct(s.trancheHitRate),
        "fees %": pct(-s.costs.fee),
        "funding %": pct(s.costs.funding),
      })),
    ),
  );
  out.print(`\n${table(scoreSummary.map((r) => ({ score: r.score, eras: r.eras, mean: fixed(r.mean as number, 4), sharpe: fixed(r.sharpe as number, 3), hit_rate: fixed(r.hit_rate as number, 3) })))}`);
  out.print(`\nReport: ${summary.report}`);
  out.print(`Inputs: ${data}. Try the command line on them:`);
  out.print(`  nmrblox backtest --signals ${inputs.signals} --market ${inputs.market} --instruments ${inputs.instruments} --long ${basket.long} --short ${basket.short}`);
  out.print(`  nmrblox score --predictions ${inputs.signals} --targets ${inputs.targets}`);
  return summary;
}
