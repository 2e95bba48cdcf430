// # The headline study: Numerai Crypto meta model, long/short on Bybit perpetuals
// Meta model -> coins with a Bybit USDT perpetual -> long the top 25 / short the bottom 25 ->
// hold each day's basket 30 days as one of 20 overlapping tranches -> taker fee, slippage and
// funding -> statistics, Numerai scores and an HTML report.
//
// Run: `pnpm --filter @nmrblox/example-crypto-metamodel-bybit-ls start` (synthetic data, offline). Flags: `--symbols 60 --start 2024-01-01
// --end 2024-06-30 --long 5 --short 5` (or `--small`), `--seed 7`, `--out dir`, and `--live`
// to download the real meta model and Bybit market data instead (needs the internet;
// `--numerai-url` / `--bybit-url` point the clients at another host, e.g. a local mirror).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { type BacktestResult, runBacktest } from "@nmrblox/backtest";
import { type CostTerm, fixedSlippage, funding, takerFee } from "@nmrblox/cost-model";
import { BybitClient, NumeraiClient, type OnProgress, loadBybitInstruments, loadBybitMarket, loadCryptoMetaModel } from "@nmrblox/downloader";
import { factorAnalysis, performance, type PerformanceStats, renderReport, scoreByEra, summarizeScores } from "@nmrblox/evaluator";
import { NumerFrame, readParquet, writeFileAtomic } from "@nmrblox/numerframe";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { mapSymbols, tradableUniverse, universeSummary } from "@nmrblox/universe-filter";

const { values: flags } = parseArgs({
  options: {
    live: { type: "boolean", default: false },
    small: { type: "boolean", default: false },
    symbols: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    seed: { type: "string", default: "42" },
    long: { type: "string" },
    short: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
    "numerai-url": { type: "string" },
    "bybit-url": { type: "string" },
  },
});
// The full five synthetic years of 500 coins take about 5 s on two cores; --small is a
// half-year of 60 coins with 5 / 5 baskets (for tests).
const small = flags.small;
const range = {
  symbols: Number(flags.symbols ?? (small ? 60 : 500)),
  start: flags.start ?? (small ? "2024-01-01" : "2021-01-01"),
  end: flags.end ?? (small ? "2024-06-30" : "2025-12-31"),
  seed: Number(flags.seed),
};
const basket = { long: Number(flags.long ?? (small ? 5 : 25)), short: Number(flags.short ?? (small ? 5 : 25)) };
const clock = elapsed();
const step = (text: string) => console.log(`\n[${clock()}] ## ${text}`);
// A one-line progress bar on a terminal; only the final state when the output is a file or pipe.
const bar = (label: string) => (done: number, total: number) => {
  const line = `  ${label}: ${done}/${total} ${"#".repeat(Math.round((20 * done) / total)).padEnd(20, ".")}`;
  if (process.stdout.isTTY) process.stdout.write(`\r${line.padEnd(70)}${done === total ? "\n" : ""}`);
  else if (done === total) console.log(line);
};

// ## 1. Data: the meta model, the Bybit instruments and daily market
// `loadCryptoInputs` (at the end of this file) is the only place that knows where data comes
// from: the seeded synthetic generator by default, Numerai + Bybit (@nmrblox/downloader) with --live.
step(
  flags.live
    ? `Loading the live meta model and Bybit market data, ${range.start}..${range.end}`
    : `Generating synthetic data: ${range.symbols} symbols, ${range.start}..${range.end}, seed ${range.seed}`,
);
const data = await loadCryptoInputs(flags.live ? "live" : "synthetic");
const { signals, instruments, market, targets } = data;
console.log(`  signals ${signals.numRows} rows, market ${market.numRows} rows, ${instruments.numRows} instruments`);

// ## 2. Universe: map Numerai symbols to Bybit USDT perpetuals, point in time
// Delisted contracts stay in the mapping so history has no survivorship bias.
step("Tradable universe (universe-filter)");
const { mapping, unmatched } = mapSymbols(signals, instruments);
const universe = tradableUniverse({ signals, instruments, market, mapping });
const { perDate, reasons } = universeSummary(universe);
const tradablePerDay = perDate.numeric("tradable");
const meanTradable = Array.from(tradablePerDay).reduce((a, b) => a + b, 0) / Math.max(1, tradablePerDay.length);
console.log(`  ${mapping.numRows} symbols mapped, ${unmatched.length} without a USDT perpetual; ${meanTradable.toFixed(0)} tradable per day on average`);
const reasonNames = reasons.strings("reason");
const reasonCounts = reasons.numeric("count");
console.log(`  row reasons: ${reasonNames.map((r, i) => `${r} ${reasonCounts[i]}`).join(", ")}`);

// ## 3. Backtest: top/bottom baskets, lag 1 day, 30-day holds in 20 tranches
// Costs per side: Bybit taker fee 0.055 % + 0.05 % slippage, plus the perpetual funding cash flows.
// The same run without the funding term shows what funding does to the result.
const portfolio = { ...basket, lagDays: 1, holdDays: 30, tranches: 20 };
const tradingCosts: CostTerm[] = [takerFee(0.00055), fixedSlippage(0.0005)];
step(`Backtest with funding: long ${basket.long} / short ${basket.short}, lag 1, hold 30, 20 tranches`);
const withFunding = runBacktest({ signals, market, universe, portfolio, costs: [...tradingCosts, funding()], onProgress: bar("days") });
step("Backtest without funding (same trades)");
const withoutFunding = runBacktest({ signals, market, universe, portfolio, costs: tradingCosts, onProgress: bar("days") });

// ## 4. Statistics (crypto trades every day: 365 periods a year)
const stats = (r: BacktestResult) => performance(r.daily, { periodsPerYear: 365, tranches: r.tranches });
const runs: Array<[string, PerformanceStats]> = [
  ["with funding", stats(withFunding)],
  ["without funding", stats(withoutFunding)],
];
step("Summary");
// Returns and costs in % of the initial capital (costs summed over the run, negative = paid).
console.table(
  Object.fromEntries(
    runs.map(([name, s]) => [
      name,
      {
        "total return %": pct(s.totalReturn),
        "CAGR %": pct(s.cagr),
        sharpe: fixed(s.sharpe),
        "max drawdown %": pct(s.maxDrawdown),
        "daily hit %": pct(s.dailyHitRate),
        "tranche hit %": pct(s.trancheHitRate),
        "fees %": pct(-s.costs.fee),
        "slippage %": pct(-s.costs.slippage),
        "funding %": pct(s.costs.funding),
        "avg turnover %": pct(s.averageTurnover),
      },
    ]),
  ),
);

// ## 5. Numerai scores of the meta model against target_20d (one era per day)
// CORR as Numerai computes it (tie-kept rank, gaussianize, pow 1.5), summarized over eras.
let scores: NumerFrame | undefined;
let scoreSummary: Record<string, number | string>[] = [];
if (targets !== undefined) {
  step("Numerai scores: meta model vs target_20d");
  const scored = signals.join(targets, { on: ["date", "symbol"] }).withMeta({ eraCol: "date", idCol: "symbol" });
  scores = scoreByEra(scored, { predictions: ["prediction"], target: "target_20d", onProgress: bar("eras") });
  const summary = summarizeScores(scores);
  scoreSummary = Array.from({ length: summary.numRows }, (_, i) => ({
    score: summary.strings("score")[i]!,
    eras: summary.numeric("eras")[i]!,
    mean: round(summary.numeric("mean")[i]!),
    std: round(summary.numeric("std")[i]!),
    sharpe: round(summary.numeric("sharpe")[i]!),
    max_drawdown: round(summary.numeric("max_drawdown")[i]!),
    hit_rate: round(summary.numeric("hit_rate")[i]!),
  }));
  console.table(scoreSummary);
} else {
  console.log("\n  (no targets in this data source: scores skipped)");
}

// ## 6. Factor analysis and the report
step("Factor analysis: forward returns by prediction quantile, IC decay");
const factor = factorAnalysis(signals, market, { horizons: [1, 5, 10, 20, 30], quantiles: 5, lag: 1 });
step("Rendering the report");
const reportDir = flags.out;
const report = await renderReport(
  { ...withFunding, ...(scores !== undefined ? { scores } : {}), factor, market, universe },
  {
    outDir: reportDir,
    title: `Crypto meta model, long ${basket.long} / short ${basket.short}, 30-day holds, 20 tranches`,
    onProgress: ({ done, total }) => bar("charts")(done, total),
  },
);
// A machine-readable summary beside the report, for scripts and the example test.
const summaryJson = {
  source: flags.live ? "live" : "synthetic",
  // Live data has no seed, and its symbols are those Numerai published over the range.
  range: flags.live ? { symbols: new Set(signals.strings("symbol")).size, start: range.start, end: range.end } : range,
  portfolio,
  runs: Object.fromEntries(runs),
  scores: scoreSummary,
  files: report.files,
};
await writeFileAtomic(join(reportDir, "summary.json"), JSON.stringify(summaryJson, null, 2));
step(`Done. Report: ${join(reportDir, "report.html")}`);

function pct(v: number | null): number | string {
  return v === null || !Number.isFinite(v) ? "-" : Number((100 * v).toFixed(2));
}
function fixed(v: number | null): number | string {
  return v === null || !Number.isFinite(v) ? "-" : Number(v.toFixed(2));
}
function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
function elapsed(): () => string {
  const t0 = Date.now();
  return () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;
}

/** The four frames of the study. `targets` (date, symbol, target_20d) is optional. */
interface CryptoInputs {
  signals: NumerFrame;
  instruments: NumerFrame;
  market: NumerFrame;
  targets: NumerFrame | undefined;
}

/**
 * Where the data comes from: `syntheticCrypto` offline, or the real services through the
 * downloader (meta model and train targets from Numerai; instruments, daily candles and funding
 * of every mapped USDT perpetual from Bybit, cached under ~/.cache/nmrblox).
 */
async function loadCryptoInputs(source: "synthetic" | "live"): Promise<CryptoInputs> {
  if (source === "synthetic") {
    const { signals, instruments, market, targets } = syntheticCrypto(range);
    return { signals, instruments, market, targets };
  }
  const numerai = new NumeraiClient(flags["numerai-url"] !== undefined ? { baseUrl: flags["numerai-url"] } : {});
  const bybit = new BybitClient(flags["bybit-url"] !== undefined ? { baseUrl: flags["bybit-url"] } : {});
  const progress: OnProgress = (e) => {
    if (e.total !== undefined) bar(`${e.task} ${e.unit}`)(e.done, e.total);
  };
  const meta = await loadCryptoMetaModel({ client: numerai, onProgress: progress });
  const dates = meta.strings("date");
  const signals = meta.filter((i) => dates[i]! >= range.start && dates[i]! <= range.end);
  const instruments = await loadBybitInstruments({ client: bybit });
  const { mapping } = mapSymbols(signals, instruments);
  const symbols = mapping.strings("symbol");
  const exchangeSymbols = mapping.strings("exchange_symbol");
  // The universe's turnover rule looks 30 days back: fetch a month before the first signal.
  const marketStart = new Date(Date.parse(range.start) - 31 * 86_400_000).toISOString().slice(0, 10);
  const market = await loadBybitMarket({
    symbols: symbols.map((symbol, i) => ({ symbol, exchangeSymbol: exchangeSymbols[i]! })),
    start: marketStart,
    end: range.end,
    client: bybit,
    onProgress: progress,
  });
  return { signals, instruments, market, targets: await loadCryptoTargets(numerai) };
}

/** Numerai Crypto's train_targets.parquet as date, symbol, target_20d (undefined when not listed). */
async function loadCryptoTargets(client: NumeraiClient): Promise<NumerFrame | undefined> {
  const listed = await client.listDatasets({ tournament: "crypto" });
  const file = listed.filter((f) => f.endsWith("/train_targets.parquet")).sort().at(-1);
  if (file === undefined) return undefined;
  const raw = await readParquet(await client.downloadDataset(file, { tournament: "crypto" }));
  const value = raw.has("target_20d") ? "target_20d" : "target";
  return NumerFrame.fromColumns(
    {
      date: raw.strings("date").map((d) => d.slice(0, 10)),
      symbol: raw.strings("symbol"),
      target_20d: raw.float64(value),
    },
    { kind: "crypto", eraCol: "date", idCol: "symbol" },
  );
}
