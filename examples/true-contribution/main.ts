// # True Contribution: what each model adds to the fund's book
// Numerai pays for True Contribution (TC): how much a model's stake, pushed through the
// stake-weighted meta model and the fund's portfolio optimizer, improved the portfolio's
// realized return. This notebook stakes four benchmark-like Classic models (one close to the
// meta model, the benchmark, one original, one noisy), and scores each per era: CORR, MMC
// against the stake-weighted meta model, MPC (Numerai's closed-form meta portfolio
// contribution) and a local TC through nmrblox's optimizer (market- and factor-neutral, gross
// budget, position cap), then prints one row per model as in NumerCon's benchmark-model table.
//
// Run: `pnpm --filter @nmrblox/example-true-contribution start` (flags: `--small`, `--eras`,
// `--ids`, `--out`).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scoreByEra, stakeWeight, summarizeScores } from "@nmrblox/evaluator";
import { type NumerFrame, eraRows, pearson, writeCsv, writeFileAtomic } from "@nmrblox/numerframe";
import { inverseNormalCdf, rankPerEra } from "@nmrblox/ranker";
import { substream, syntheticClassic } from "@nmrblox/synthetic";

const { values: flags } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    eras: { type: "string" },
    ids: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
  },
});
const eras = Number(flags.eras ?? (flags.small ? 24 : 120));
const idsPerEra = Number(flags.ids ?? (flags.small ? 300 : 2000));

// ## Data: a synthetic Classic tournament
console.log(`## Synthetic Classic: ${eras} eras x ${idsPerEra} ids`);
let frame: NumerFrame = syntheticClassic({ eras, idsPerEra, predictionCorrelation: 0.08, metaModelCorrelation: 0.5 });
const factor = frame.featureCols[0]!;

// ## Four staked models
// On the normal scale (inverse normal CDF of the per-era ranks): `close_to_meta` is the meta
// model plus a little noise; `benchmark` is the benchmark model column; `original` is the part
// of the prediction the meta model does not explain; `noisy` is a little meta model in a lot of
// noise. Each is ranked per era, as submissions are.
const rng = substream(16, "true-contribution");
const z = (column: string) => Float64Array.from(frame.float64(column), (u) => inverseNormalCdf(u));
const meta = z("numerai_meta_model");
const prediction = z("prediction");
const models: Record<string, Float64Array> = {
  close_to_meta: meta.map((m) => m + 0.35 * rng.normal()),
  benchmark: frame.float64("v52_lgbm_ender20"),
  original: prediction.map((p, i) => p - 0.5 * meta[i]! + 0.3 * rng.normal()),
  noisy: meta.map((m) => 0.3 * m + rng.normal()),
};
for (const [name, values] of Object.entries(models)) frame = rankPerEra(frame.withColumn(name, values), name);
const names = Object.keys(models);
const stakes: Record<string, number> = { close_to_meta: 40, benchmark: 30, original: 15, noisy: 15 };

// ## The stake-weighted meta model, and Numerai's neutralizers and sample weights
// stakeWeight is row by row, so one call covers every era. Alpha and MPC take the neutralizer
// matrix as given (Numerai's is orthonormal): per era, the market column 1/√n and one factor,
// centred and scaled to unit length; the sample weights are 1/n.
const ranked = Object.fromEntries(names.map((n) => [n, frame.float64(n)]));
frame = frame.withColumn("stake_weighted_meta", stakeWeight(ranked, stakes) as Float64Array);
const index = frame.eraIndex();
const rows = frame.numRows;
const nMarket = new Float64Array(rows);
const nFactor = new Float64Array(rows);
const sampleWeight = new Float64Array(rows);
const f = frame.numeric(factor);
for (let e = 0; e < index.eras.length; e++) {
  const r = eraRows(index, e);
  const n = r.length;
  let mean = 0;
  for (const i of r) mean += f[i]! / n;
  let norm = 0;
  for (const i of r) norm += (f[i]! - mean) ** 2;
  for (const i of r) {
    nMarket[i] = 1 / Math.sqrt(n);
    nFactor[i] = (f[i]! - mean) / Math.sqrt(norm);
    sampleWeight[i] = 1 / n;
  }
}
frame = frame.withColumn("n_market", nMarket).withColumn("n_factor", nFactor).withColumn("sample_weight", sampleWeight);

// ## Per-era scores
// corr: Numerai CORR; mmc: against the stake-weighted meta model; mpc: the gradient of the meta
// portfolio's alpha with respect to the stakes (numerai-tools' formula); tc: the gradient of the
// optimized book's realized return with respect to the stakes, through the optimizer's KKT
// system. The book is neutral to the market and to the raw factor, gross 1, names capped.
console.log("## Scoring CORR, MMC, MPC and TC per era");
const perEra = scoreByEra(frame, {
  predictions: names,
  target: "target",
  metaModel: "stake_weighted_meta",
  stakes,
  neutralizers: ["n_market", "n_factor"],
  sampleWeights: "sample_weight",
  trueContribution: { neutralizers: [factor] },
  metrics: ["corr", "mmc", "mpc", "tc"],
});

// ## Correlation of each model with the meta model, per era
const metaColumn = frame.float64("stake_weighted_meta");
const corrWithMeta = (name: string) => {
  const values = frame.float64(name);
  let total = 0;
  for (let e = 0; e < index.eras.length; e++) {
    const r = eraRows(index, e);
    total += pearson(Float64Array.from(r, (i) => values[i]!), Float64Array.from(r, (i) => metaColumn[i]!));
  }
  return total / index.eras.length;
};

// ## One table: a row per model (means over eras)
const summary = summarizeScores(perEra);
const mean = (column: string) => summary.numeric("mean")[summary.strings("score").indexOf(column)]!;
const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;
const table = names.map((name) => ({
  model: name,
  stake: stakes[name]!,
  corr: round(mean(`${name}_corr`)),
  mmc: round(mean(`${name}_mmc`)),
  mpc: round(mean(`${name}_mpc`), 6),
  tc: round(mean(`${name}_tc`), 6),
  corr_with_meta: round(corrWithMeta(name), 3),
}));
console.table(table);
console.log("   Stake-weighted, MPC and TC sum to 0 in every era: both are gradients of a function of the stake shares.");

// ## Save
await writeCsv(perEra, join(flags.out, "scores_per_era.csv"));
await writeFileAtomic(join(flags.out, "summary.json"), JSON.stringify({ eras, idsPerEra, stakes, table }, null, 2));
console.log(`## Wrote ${join(flags.out, "scores_per_era.csv")} and summary.json`);
