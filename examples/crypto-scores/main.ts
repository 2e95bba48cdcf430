// # Numerai Crypto scores: CORR and MMC of your prediction
// Numerai pays Crypto models on CORR (their correlation with the 20-day target) and MMC (what
// they add to the meta model). This notebook builds two toy predictions, scores them per era
// (one era per date) exactly as Numerai does, and compares them with the meta model itself.
//
// Run: `pnpm --filter @nmrblox/example-crypto-scores start` (flags: `--small`, `--symbols`,
// `--start`, `--end`, `--out`). Synthetic data only: the live meta model has no targets for
// the days you would submit.
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scoreByEra, summarizeScores } from "@nmrblox/evaluator";
import { type NumerFrame, writeCsv, writeFileAtomic } from "@nmrblox/numerframe";
import { rankPerEra } from "@nmrblox/ranker";
import { syntheticCrypto } from "@nmrblox/synthetic";

const { values: flags } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    symbols: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
  },
});
const options = {
  symbols: Number(flags.symbols ?? (flags.small ? 60 : 500)),
  start: flags.start ?? (flags.small ? "2024-01-01" : "2023-01-01"),
  end: flags.end ?? (flags.small ? "2024-06-30" : "2025-12-31"),
};

// ## Data: meta model, market and targets
console.log(`## Synthetic crypto: ${options.symbols} symbols, ${options.start}..${options.end}`);
const { signals, market, targets } = syntheticCrypto(options);

// ## Two toy models
// `reversal`: minus the coin's trailing 20-day log return, known at the end of the signal date
// (pumped coins give their gains back). `blend`: half meta model, half reversal (ranks per date).
const closes = new Map<string, number>();
const mDate = market.strings("date");
const mSymbol = market.strings("symbol");
const mClose = market.float64("close");
for (let i = 0; i < market.numRows; i++) closes.set(`${mSymbol[i]}|${mDate[i]}`, mClose[i]!);
const daysBefore = (date: string, days: number) => new Date(Date.parse(date) - days * 86_400_000).toISOString().slice(0, 10);
const sDate = signals.strings("date");
const sSymbol = signals.strings("symbol");
// A coin without a Bybit price (or not 20 days of it) gets 0: no view.
const reversal = Float64Array.from(sDate, (date, i) => {
  const now = closes.get(`${sSymbol[i]}|${date}`);
  const then = closes.get(`${sSymbol[i]}|${daysBefore(date, 20)}`);
  return now !== undefined && then !== undefined ? -Math.log(now / then) : 0;
});
let frame: NumerFrame = signals
  .rename({ prediction: "numerai_meta_model" })
  .withColumn("prediction_reversal", reversal)
  .join(targets, { on: ["date", "symbol"] })
  .withMeta({ kind: "crypto", eraCol: "date", idCol: "symbol" });
frame = rankPerEra(frame, "prediction_reversal");
frame = rankPerEra(frame, "numerai_meta_model", { outputColumn: "meta_rank" });
const metaRank = frame.float64("meta_rank");
const reversalRank = frame.float64("prediction_reversal");
frame = frame.withColumn("prediction_blend", Float64Array.from(metaRank, (m, i) => 0.5 * m + 0.5 * reversalRank[i]!));
frame = frame.withColumn("prediction_meta_model", metaRank);
console.log(`   ${frame.numRows} scored rows over ${frame.eraIndex().eras.length} dates with a closed target`);

// ## Per-era scores
// corr = Numerai CORR vs target_20d; mmc = correlation contribution vs the meta model.
const perEra = scoreByEra(frame, {
  predictions: ["prediction_meta_model", "prediction_reversal", "prediction_blend"],
  target: "target_20d",
  metaModel: "numerai_meta_model",
  metrics: ["corr", "mmc"],
});

// ## Summary: mean, std, Sharpe (per era), max drawdown of the cumulative score, hit rate
const summary = summarizeScores(perEra);
const rows = Array.from({ length: summary.numRows }, (_, i) => ({
  score: summary.strings("score")[i]!,
  mean: round(summary.numeric("mean")[i]!),
  std: round(summary.numeric("std")[i]!),
  sharpe: round(summary.numeric("sharpe")[i]!),
  max_drawdown: round(summary.numeric("max_drawdown")[i]!),
  hit_rate: round(summary.numeric("hit_rate")[i]!),
}));
console.log("## Scores over eras (the meta model's own MMC is ~0 by construction)");
console.table(rows);

// ## Save
await writeCsv(perEra, join(flags.out, "scores_per_era.csv"));
await writeFileAtomic(join(flags.out, "summary.json"), JSON.stringify({ options, eras: perEra.numRows, scores: rows }, null, 2));
console.log(`## Wrote ${join(flags.out, "scores_per_era.csv")} and summary.json`);

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
