// True contribution and MPC for 100 models on one Classic-sized era of 5,000 assets, the
// optimizer alone, and CORR + MMC of the same 100 models as the anchor (a score every user runs).
import { correlationContribution, metaPortfolioContribution, numeraiCorr, trueContributionDetails } from "@nmrblox/evaluator";
import { mulberry32 } from "@nmrblox/fixtures";
import { optimizePortfolio } from "@nmrblox/portfolio";
import { gaussianize, tieKeptRank } from "@nmrblox/ranker";
import { bench, printResults } from "./harness.js";

const ROWS = 5_000;
const MODELS = 100;
const random = mulberry32(16);
const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());

// A latent signal, a target in Numerai's five bins, and 100 models: each a mix of the signal,
// a shared "meta" style and its own noise.
const signal = Float64Array.from({ length: ROWS }, normal);
const style = Float64Array.from({ length: ROWS }, normal);
const target = Float64Array.from(signal, (s) => Math.min(4, Math.max(0, Math.round(2 + s + normal()))) / 4);
const predictions: Record<string, Float64Array> = {};
const stakes: Record<string, number> = {};
for (let k = 0; k < MODELS; k++) {
  const a = 0.1 + 0.3 * random();
  const b = random();
  predictions[`model_${k}`] = Float64Array.from(signal, (s, i) => a * s + b * style[i]! + normal());
  stakes[`model_${k}`] = 1 + Math.floor(random() * 100);
}
// Neutralizers: two factor-like columns (raw for the optimizer) and Numerai's orthonormal N
// (market and the first factor, centred, unit length) with equal sample weights, for MPC.
const factors = [Float64Array.from({ length: ROWS }, normal), Float64Array.from({ length: ROWS }, normal)];
const f0 = factors[0]!;
const mean0 = f0.reduce((a, b) => a + b, 0) / ROWS;
const norm0 = Math.sqrt(f0.reduce((a, b) => a + (b - mean0) ** 2, 0));
const orthonormal = [new Float64Array(ROWS).fill(1 / Math.sqrt(ROWS)), f0.map((v) => (v - mean0) / norm0)];
const weights = new Float64Array(ROWS).fill(1 / ROWS);
const names = Object.keys(predictions);
const meta = new Float64Array(ROWS);
for (const name of names) {
  const g = gaussianize(tieKeptRank(predictions[name]!));
  for (let i = 0; i < ROWS; i++) meta[i] = meta[i]! + g[i]! * stakes[name]!;
}

await bench({
  name: "anchor: CORR + MMC, 100 models x 5,000",
  rows: ROWS * MODELS,
  runs: 5,
  run: () => {
    for (const name of names) {
      numeraiCorr(predictions[name]!, target);
      correlationContribution(predictions[name]!, meta, target);
    }
  },
});

const details = trueContributionDetails(predictions, stakes, target, { neutralizers: factors });
const states = Array.from(details.portfolio.states);
console.log(
  `TC book: ${states.filter((s) => Math.abs(s) === 1).length} free, ${states.filter((s) => Math.abs(s) === 2).length} capped, ` +
    `budget multiplier ${details.portfolio.budgetMultiplier.toFixed(4)}, ${details.portfolio.iterations} Newton steps, KKT residual ${details.portfolio.kktResidual.toExponential(1)}`,
);

await bench({
  name: "TC, 100 models x 5,000 (rank + optimize + adjoint)",
  rows: ROWS * MODELS,
  runs: 5,
  run: () => trueContributionDetails(predictions, stakes, target, { neutralizers: factors }),
});

await bench({
  name: "MPC, 100 models x 5,000",
  rows: ROWS * MODELS,
  runs: 5,
  run: () => metaPortfolioContribution(predictions, stakes, orthonormal, weights, target),
});

const metaSignal = details.metaSignal;
await bench({
  name: "optimizePortfolio alone, 5,000 assets, 2 neutralizers",
  rows: ROWS,
  runs: 21,
  run: () => optimizePortfolio(metaSignal, { neutralizers: factors, riskAversion: ROWS / 10, maxPosition: 10 / ROWS }),
});

await bench({
  name: "optimizePortfolio, nearly a linear program (λ 0.01, cap 0.005)",
  rows: ROWS,
  runs: 11,
  run: () => optimizePortfolio(metaSignal, { neutralizers: factors, riskAversion: 0.01, maxPosition: 0.005 }),
});

printResults("True contribution and MPC (evaluator + portfolio optimizer)");
