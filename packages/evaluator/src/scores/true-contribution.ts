import { parseOptions } from "@nmrblox/numerframe";
import { type OptimizedPortfolio, optimizePortfolio, returnGradient } from "@nmrblox/portfolio";
import { gaussianize, tieKeptRank } from "@nmrblox/ranker";
import { z } from "zod";
import type { ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import { type Alignment, type ScoreColumns, type ScoreTable, alignTables, columnEntries, gatherRows, isKeyedCall, requireNoNaN, scoreTable } from "./score-columns.js";
import { type Stakes, metaSignal, stakeEntries } from "./stake-weight.js";

const columnsSchema = z.union([
  z.array(z.custom<ScoreInput>((v) => typeof v === "object" && v !== null, { message: "expected a column" })),
  z.record(z.string(), z.custom<ScoreInput>((v) => typeof v === "object" && v !== null, { message: "expected a column" })),
]);

/** Options of `trueContribution`. */
export const trueContributionOptions = z.strictObject({
  /** Columns the fund's book must be neutral to (factors, sectors, beta); like the predictions' rows. */
  neutralizers: columnsSchema.default([]),
  /** λ of the optimizer's signal·w − (λ/2)‖w‖². Default n/10 for an era of n rows. */
  riskAversion: z.number().positive().finite().optional(),
  /** Largest |wᵢ|. Default min(1, 10/n), with riskAversion's default a free band one signal standard deviation wide. */
  maxPosition: z.number().positive().finite().optional(),
  /** Σ|wᵢ| ≤ grossBudget. */
  grossBudget: z.number().positive().finite().default(1),
  /** Σwᵢ = 0. */
  marketNeutral: z.boolean().default(true),
});
/** Options of `trueContribution`, as callers write them. */
export type TrueContributionOptions = z.input<typeof trueContributionOptions>;

/** What `trueContributionDetails` returns for one era. */
export interface TrueContribution {
  /** TC by staked model, in the stakes' order. */
  readonly tc: Readonly<Record<string, number>>;
  /** The optimized book's realized return wᵀt (t the centred target). */
  readonly realizedReturn: number;
  /** The book, on the aligned rows. */
  readonly portfolio: OptimizedPortfolio;
  /** The aligned rows' ids (null for positional inputs). */
  readonly ids: readonly string[] | null;
  /** The stake-weighted meta signal the book was optimized for. */
  readonly metaSignal: Float64Array;
  /** ∂(wᵀt)/∂signalᵢ: the adjoint, shared by every model's TC. */
  readonly gradient: Float64Array;
}

/**
 * A local True Contribution estimate: how much each model's stake, pushed through the
 * stake-weighted meta model and a portfolio optimizer, improves the book's realized return.
 * Numerai computes TC through its own (unpublished) optimizer; this uses `optimizePortfolio`,
 * Numerai One's rules (market and factor neutral, gross budget, position cap), so it is a
 * faithful estimate, not Numerai's number.
 *
 * Per era: align predictions and target (80 % rule; a NaN in any prediction drops the row);
 * gₖ = gaussianize(tieKeptRank(predₖ)) for each staked model; with stake shares sₖ = stakeₖ/Σ
 * stakes the meta signal is m = Σ sₖgₖ; w = the optimized book for m; r = wᵀt with t the target
 * centred over the rows. TCₖ = ∂r/∂sₖ with the shares kept summing to 1 (the meta signal as
 * Σ sₖgₖ / Σ sₖ), = ∇ₘr · (gₖ − m): a model equal to the meta model scores 0. ∇ₘr comes from
 * implicit differentiation of the optimizer's KKT system, one adjoint solve for all models (see
 * `returnGradient`). When no inequality binds, ∇ₘr = (I − QQᵀ)t/λ and TCₖ = (gₖ − m)ᵀ(I − QQᵀ)t/λ
 * with Q an orthonormal basis of [1, neutralizers].
 *
 * @param predictions - prediction columns by model: arrays in one row order, or id series
 * @param stakes - stake per model (NaN counts as 0; at least one positive)
 * @param target - the era's target, the same kind of input
 * @param options - see `trueContributionOptions`
 * @returns TC by staked model
 * @throws ScoreError MISSING_COLUMN, INVALID_WEIGHTS, INSUFFICIENT_OVERLAP, NAN_INPUT,
 *   LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID; the optimizer's errors (INFEASIBLE_PORTFOLIO,
 *   CONSTANT_INPUT naming a neutralizer); InvalidOptionError for a bad option
 * @example
 * trueContribution({ a, b, c }, { a: 10, b: 5, c: 1 }, target, { neutralizers: { beta } });
 * // { a: 0.012, b: -0.004, c: 0.031 }
 */
export function trueContribution(
  predictions: Readonly<Record<string, ScoreInput>>,
  stakes: Stakes,
  target: ScoreInput,
  options: TrueContributionOptions = {},
): Record<string, number> {
  return { ...trueContributionDetails(predictions, stakes, target, options).tc };
}

/**
 * `trueContribution` with everything behind it: the book, its realized return, the meta signal
 * and the adjoint gradient.
 *
 * @param predictions - prediction columns by model: arrays in one row order, or id series
 * @param stakes - stake per model
 * @param target - the era's target
 * @param options - see `trueContributionOptions`
 * @returns TC per model, the realized return, the portfolio, the rows' ids, the meta signal and ∇ₘr
 * @throws as `trueContribution`
 * @example
 * const { tc, portfolio } = trueContributionDetails({ a, b }, { a: 1, b: 1 }, target);
 */
export function trueContributionDetails(
  predictions: Readonly<Record<string, ScoreInput>>,
  stakes: Stakes,
  target: ScoreInput,
  options: TrueContributionOptions = {},
): TrueContribution {
  const fn = "trueContribution";
  const opts = parseOptions(trueContributionOptions, options, fn);
  const staked = stakeEntries(fn, stakes, Object.keys(predictions ?? {}));
  const entries = Object.entries(predictions);
  const keyed = isKeyedCall(entries[0]![1]);
  const table = scoreTable(fn, "predictions", entries, keyed);
  const targetTable = scoreTable(fn, "target", [["target", target]], keyed);
  const aligned = alignTables(fn, [table, targetTable]);
  const n = aligned.count;
  const neutralizers = neutralizersOn(fn, opts.neutralizers, keyed, table, aligned);

  const t = gatherRows(targetTable.columns[0]!, aligned.rows[1]!);
  let tm = 0;
  for (let i = 0; i < n; i++) tm += t[i]!;
  tm /= n;
  for (let i = 0; i < n; i++) t[i] = t[i]! - tm;

  const columnOf = new Map(table.names.map((name, k) => [name, k]));
  const g = staked.map(([name]) => gaussianize(tieKeptRank(gatherRows(table.columns[columnOf.get(name)!]!, aligned.rows[0]!))));
  const m = metaSignal(g, staked.map(([, s]) => s));
  const portfolio = optimizePortfolio(m, {
    neutralizers,
    riskAversion: opts.riskAversion ?? n / 10,
    maxPosition: opts.maxPosition ?? Math.min(1, 10 / n),
    grossBudget: opts.grossBudget,
    marketNeutral: opts.marketNeutral,
  });
  const { realizedReturn, gradient } = returnGradient(portfolio, t);
  let gm = 0;
  for (let i = 0; i < n; i++) gm += gradient[i]! * m[i]!;
  const tc: Record<string, number> = {};
  staked.forEach(([name], k) => {
    const gk = g[k]!;
    let s = 0;
    for (let i = 0; i < n; i++) s += gradient[i]! * gk[i]!;
    tc[name] = s - gm;
  });
  return { tc, realizedReturn, portfolio, ids: aligned.ids, metaSignal: m, gradient };
}

/** The neutralizer columns on the aligned rows; they must cover every one of them. */
function neutralizersOn(
  fn: string,
  columns: ScoreColumns,
  keyed: boolean,
  predictions: ScoreTable,
  aligned: Alignment,
): Record<string, Float64Array> {
  const entries = columnEntries("neutralizers", columns);
  if (entries.length === 0) return {};
  const table = scoreTable(fn, "neutralizers", entries, keyed);
  requireNoNaN(fn, table);
  let rows: Int32Array;
  if (!keyed) {
    if (table.rows !== predictions.rows) {
      throw new ScoreError("LENGTH_MISMATCH", `${fn}: neutralizers have ${table.rows} rows but predictions have ${predictions.rows}`, {
        input: "neutralizers",
      });
    }
    rows = aligned.rows[0]!;
  } else {
    const at = new Map<string, number>();
    table.ids!.forEach((id, r) => at.set(id, r));
    rows = Int32Array.from(aligned.ids!, (id) => {
      const r = at.get(id);
      if (r === undefined) {
        throw new ScoreError("INSUFFICIENT_OVERLAP", `${fn}: the neutralizers have no row for id "${id}", which predictions and target share`, {
          input: "neutralizers",
        });
      }
      return r;
    });
  }
  const out: Record<string, Float64Array> = {};
  table.names.forEach((name, j) => {
    out[name] = gatherRows(table.columns[j]!, rows);
  });
  return out;
}
