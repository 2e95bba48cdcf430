import type { IdSeries, ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";
import { isKeyedCall, requireNoNaN, scoreTable } from "./score-columns.js";

/** Stakes by model name: the models' weights in the meta model. */
export type Stakes = Readonly<Record<string, number>>;

/**
 * Checks stakes against the prediction columns and returns them as (name, stake) pairs in the
 * stakes' own order, a NaN stake counted as 0 (pandas skips NaN when summing).
 *
 * @throws ScoreError MISSING_COLUMN for a staked model without predictions; INVALID_WEIGHTS for a
 *   negative or infinite stake, or stakes summing to 0
 */
export function stakeEntries(fn: string, stakes: Stakes, columns: readonly string[]): [string, number][] {
  if (typeof stakes !== "object" || stakes === null || Array.isArray(stakes)) {
    throw new ScoreError("INVALID_WEIGHTS", `${fn}: stakes must be an object of model name → stake`, { input: "stakes" });
  }
  const known = new Set(columns);
  const entries: [string, number][] = [];
  let total = 0;
  for (const [name, raw] of Object.entries(stakes)) {
    if (!known.has(name)) {
      throw new ScoreError("MISSING_COLUMN", `${fn}: model "${name}" has a stake but no prediction column`, { input: "stakes", column: name });
    }
    const stake = Number.isNaN(raw) ? 0 : raw;
    if (typeof stake !== "number" || !(stake >= 0) || !Number.isFinite(stake)) {
      throw new ScoreError("INVALID_WEIGHTS", `${fn}: the stake of "${name}" is ${String(raw)}; stakes must be finite and ≥ 0`, {
        input: "stakes",
        column: name,
      });
    }
    entries.push([name, stake]);
    total += stake;
  }
  if (!(total > 0)) {
    throw new ScoreError("INVALID_WEIGHTS", `${fn}: stakes sum to ${total}; at least one model needs a positive stake`, { input: "stakes" });
  }
  return entries;
}

/**
 * The stake-weighted meta model, numerai-tools `stake_weight`: per row Σₖ stakeₖ·predₖ / Σₖ stakeₖ
 * over the models named in `stakes`, on raw predictions (no ranking).
 *
 * @param predictions - prediction columns by model name: arrays in one row order, or id series
 * @param stakes - stake per model (a NaN stake counts as 0, as in numerai-tools)
 * @returns the meta model: an array in the rows' order, or an id series in id order when the
 *   predictions are id series (their ids must agree)
 * @throws ScoreError MISSING_COLUMN (a stake without predictions), INVALID_WEIGHTS (negative,
 *   infinite or all-zero stakes), NAN_INPUT (a staked model without a value for a row or id,
 *   `input` names it), LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID
 * @example
 * stakeWeight({ a: [0.2, 0.8], b: [0.6, 0.4] }, { a: 3, b: 1 }); // Float64Array [0.3, 0.7]
 */
export function stakeWeight(predictions: Readonly<Record<string, ScoreInput>>, stakes: Stakes): Float64Array | IdSeries {
  const fn = "stakeWeight";
  const staked = stakeEntries(fn, stakes, Object.keys(predictions ?? {}));
  const keyed = isKeyedCall(predictions[staked[0]![0]]);
  const table = scoreTable(fn, "predictions", staked.map(([name]) => [name, predictions[name]!] as [string, ScoreInput]), keyed);
  requireNoNaN(fn, table);
  const out = metaSignal(table.columns, staked.map(([, s]) => s));
  return table.ids === null ? out : { ids: table.ids, values: out };
}

/** Σₖ stakeₖ·columnₖ / Σₖ stakeₖ per row, summed in the stakes' order (as pandas does). */
export function metaSignal(columns: readonly Float64Array[], stakes: readonly number[]): Float64Array {
  const n = columns.length === 0 ? 0 : columns[0]!.length;
  const out = new Float64Array(n);
  let total = 0;
  for (const s of stakes) total += s;
  for (let k = 0; k < columns.length; k++) {
    const c = columns[k]!;
    const s = stakes[k]!;
    for (let i = 0; i < n; i++) out[i] = out[i]! + c[i]! * s;
  }
  for (let i = 0; i < n; i++) out[i] = out[i]! / total;
  return out;
}
