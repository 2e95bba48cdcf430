// # Numerai Classic: per-era scores, FNC, feature exposure and neutralization
// A Classic model is judged era by era. This notebook scores a prediction (CORR, MMC against
// the meta model, BMC against the benchmark model, FNC and the largest feature exposure), then
// neutralizes it against all features at several proportions and compares the variants in one
// table: neutralization trades raw CORR (and MMC) for lower feature exposure; FNC stays put.
//
// Run: `pnpm --filter @nmrblox/example-classic-evaluation start` (flags: `--small`, `--eras`,
// `--ids`, `--out`).
import { join } from "node:path";
import { parseArgs } from "node:util";
import { scoreByEra, summarizeScores } from "@nmrblox/evaluator";
import { type NumerFrame, writeCsv, writeFileAtomic } from "@nmrblox/numerframe";
import { gaussianizePerEra, neutralizePerEra, rankPerEra } from "@nmrblox/ranker";
import { syntheticClassic } from "@nmrblox/synthetic";

const { values: flags } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    eras: { type: "string" },
    ids: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
  },
});
const eras = Number(flags.eras ?? (flags.small ? 20 : 120));
const idsPerEra = Number(flags.ids ?? (flags.small ? 200 : 1000));

// ## Data: features, target, a prediction, the meta model and a benchmark model
console.log(`## Synthetic Classic: ${eras} eras x ${idsPerEra} ids`);
let frame: NumerFrame = syntheticClassic({ eras, idsPerEra, featureExposure: 0.3 });
const features = frame.featureCols;
const benchmark = "v52_lgbm_ender20";
console.log(`   ${features.length} features, targets ${frame.targetCols.join(", ")}`);

// ## Neutralize at several proportions
// Gaussianize per era, subtract `proportion` of the part a linear fit on the features explains,
// then rank again (submissions are ranks). Proportion 0 is the original prediction.
const proportions = [0, 0.25, 0.5, 0.75, 1];
frame = gaussianizePerEra(frame, "prediction", { outputColumn: "prediction_gauss" });
const variants: string[] = [];
for (const proportion of proportions) {
  const column = `neutral_${Math.round(proportion * 100)}`;
  frame = neutralizePerEra(frame, "prediction_gauss", features, { proportion, outputColumn: column });
  frame = rankPerEra(frame, column);
  variants.push(column);
}
console.log(`## Neutralized at proportions ${proportions.join(", ")}`);

// ## Per-era scores of every variant
// corr: Numerai CORR vs target; mmc / bmc: contribution beyond the meta model / the benchmark;
// fnc: CORR of the fully feature-neutralized prediction; max_feature_corr: largest |Pearson|
// with any single feature (the feature exposure).
const perEra = scoreByEra(frame, {
  predictions: variants,
  target: "target",
  metaModel: "numerai_meta_model",
  benchmarks: [benchmark],
  features,
});
const summary = summarizeScores(perEra);
const stat = (column: string, field: "mean" | "sharpe") => {
  const i = summary.strings("score").indexOf(column);
  return Math.round(summary.numeric(field)[i]! * 1e4) / 1e4;
};

// ## One table: a row per proportion (means over eras; sharpe = mean / std per era)
const table = variants.map((v, k) => ({
  proportion: proportions[k]!,
  corr: stat(`${v}_corr`, "mean"),
  corr_sharpe: stat(`${v}_corr`, "sharpe"),
  mmc: stat(`${v}_mmc`, "mean"),
  bmc: stat(`${v}_bmc_${benchmark}`, "mean"),
  fnc: stat(`${v}_fnc`, "mean"),
  feature_exposure: stat(`${v}_max_feature_corr`, "mean"),
}));
console.table(table);

// ## Save
await writeCsv(perEra, join(flags.out, "scores_per_era.csv"));
await writeFileAtomic(join(flags.out, "summary.json"), JSON.stringify({ eras, idsPerEra, proportions, table }, null, 2));
console.log(`## Wrote ${join(flags.out, "scores_per_era.csv")} and summary.json`);
