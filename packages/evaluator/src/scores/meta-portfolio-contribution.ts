import type { ScoreInput } from "./align.js";
import { alignPredictionsAndTarget } from "./alpha.js";
import type { ScoreColumns } from "./score-columns.js";
import { type Stakes, stakeEntries } from "./stake-weight.js";

/**
 * Numerai's meta portfolio contribution (MPC) per staked model, numerai-tools
 * `meta_portfolio_contribution`: the gradient, with respect to the stakes, of the alpha of the
 * stake-weighted portfolio of the models' neutralized weights, scaled by 1/50.
 *
 * Align predictions and target (80 % rule), centre the target over the kept rows (t); W = the
 * neutralized weights of each staked model (columns in the stakes' order); s = stakes / Σ stakes
 * (NaN stake → 0); W_c = W minus each column's mean; v = W_c·s, re-centred; then
 * MPC = (W_c − v·(W_cᵀv)ᵀ/(vᵀv))ᵀ·t / ‖v‖ / 50, the gradient of vᵀt/‖v‖.
 *
 * @param predictions - prediction columns by name (every column is ranked; a NaN in any drops the row)
 * @param stakes - stake per model; every staked model needs a prediction column
 * @param neutralizers - neutralizer columns (array or by name), NaN-free, covering every scored row
 * @param sampleWeights - sample weights, NaN-free, covering every scored row
 * @param target - the era's target
 * @returns MPC by staked model, in the stakes' order
 * @throws ScoreError MISSING_COLUMN (a stake without predictions), INVALID_WEIGHTS (negative or
 *   all-zero stakes), INSUFFICIENT_OVERLAP, NAN_INPUT, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID
 * @example
 * metaPortfolioContribution({ p, q }, { p: 3, q: 1 }, [n1, n2], w, target); // { p: 0.000318, q: -0.000955 }
 */
export function metaPortfolioContribution(
  predictions: Readonly<Record<string, ScoreInput>>,
  stakes: Stakes,
  neutralizers: ScoreColumns,
  sampleWeights: ScoreInput,
  target: ScoreInput,
): Record<string, number> {
  const fn = "metaPortfolioContribution";
  const staked = stakeEntries(fn, stakes, Object.keys(predictions ?? {}));
  const aligned = alignPredictionsAndTarget(fn, predictions, neutralizers, sampleWeights, target);
  const n = aligned.target.length;
  const t = Float64Array.from(aligned.target);
  let tm = 0;
  for (let i = 0; i < n; i++) tm += t[i]!;
  tm /= n;
  for (let i = 0; i < n; i++) t[i] = t[i]! - tm;
  let total = 0;
  for (const [, s] of staked) total += Math.abs(s);
  const columnOf = new Map(aligned.predictions.names.map((name, k) => [name, k]));
  // W_c: each staked model's weights, centred.
  const wc = staked.map(([name]) => {
    const col = Float64Array.from(aligned.weights[columnOf.get(name)!]!);
    let m = 0;
    for (let i = 0; i < n; i++) m += col[i]!;
    m /= n;
    for (let i = 0; i < n; i++) col[i] = col[i]! - m;
    return col;
  });
  const v = new Float64Array(n);
  staked.forEach(([, stake], k) => {
    const s = stake / total;
    const col = wc[k]!;
    for (let i = 0; i < n; i++) v[i] = v[i]! + col[i]! * s;
  });
  let vm = 0;
  for (let i = 0; i < n; i++) vm += v[i]!;
  vm /= n;
  let vv = 0;
  for (let i = 0; i < n; i++) {
    v[i] = v[i]! - vm;
    vv += v[i]! * v[i]!;
  }
  const norm = Math.sqrt(vv);
  const out: Record<string, number> = {};
  staked.forEach(([name], k) => {
    const col = wc[k]!;
    let cv = 0;
    for (let i = 0; i < n; i++) cv += col[i]! * v[i]!;
    // Residualize W_c against v, R = W_c − v·(W_cᵀv)/(vᵀv), then Rᵀt, in the reference's order.
    const coef = cv / vv;
    let rt = 0;
    for (let i = 0; i < n; i++) rt += (col[i]! - v[i]! * coef) * t[i]!;
    out[name] = rt / norm / 50;
  });
  return out;
}
