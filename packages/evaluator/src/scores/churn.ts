import { parseOptions, pearson, standardDeviation } from "@nmrblox/numerframe";
import { ordinalRank, tieKeptRank } from "@nmrblox/ranker";
import { z } from "zod";
import { alignPair, type Keyed, keyedInputs, type ScoreInput } from "./align.js";
import { ScoreError } from "./errors.js";

/** Options of `churn`. */
export const churnOptions = z.strictObject({
  /** Compare only the k highest and k lowest of each input (no alignment, no 80 % rule). */
  topBottom: z.number().int().positive().optional(),
});
/** Options of `churn`, as callers write them. */
export type ChurnOptions = z.input<typeof churnOptions>;

/**
 * Churn between two periods of one signal, in [0, 2]: 1 − Spearman(a, b) over ids aligned with
 * the 80 % rule; a zero standard deviation in either aligned input is a CONSTANT_INPUT error.
 * With `topBottom: k`: 1 − (|top_k(a) ∩ top_k(b)|/k + |bottom_k(a) ∩ bottom_k(b)|/k)/2 over each
 * input's own non-NaN ids (ties by id order, the earlier id lower).
 *
 * @param a - one period's signal: an array in id order, or `{ids, values}`
 * @param b - the other period's signal, the same kind of input
 * @param options - `topBottom`: compare only the k highest and k lowest of each input
 * @returns churn in [0, 2] (with `topBottom`, in [0, 1])
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or an argument that is neither an array nor `{ids, values}`; ScoreError
 *   (CONSTANT_INPUT, INSUFFICIENT_OVERLAP, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID)
 *   naming `a` or `b`
 * @example
 * churn([0, 1, 2, 3, 4], [4, 3, 2, 1, 0]); // 2
 * churn([0, 1, 2, 3, 4], [1, 0, 1, 0, 1], { topBottom: 2 }); // 0.5
 */
export function churn(a: ScoreInput, b: ScoreInput, options: ChurnOptions = {}): number {
  const opts = parseOptions(churnOptions, options, "churn");
  const [ka, kb] = keyedInputs("churn", [
    ["a", a],
    ["b", b],
  ]);
  if (opts.topBottom !== undefined) return topBottomChurn(ka!, kb!, opts.topBottom);
  const [ra, rb] = alignPair("churn", ka!, kb!);
  for (const k of [ra, rb]) {
    if (!(standardDeviation(k.values, 0) > 0)) {
      throw new ScoreError("CONSTANT_INPUT", `churn: ${k.name} has zero standard deviation after alignment`, { input: k.name });
    }
  }
  return 1 - pearson(tieKeptRank(ra.values), tieKeptRank(rb.values));
}

/** Keys of the k lowest and k highest non-NaN values, ties by id (or row) order. */
function extremes(k: Keyed, size: number): { bottom: Set<string | number>; top: Set<string | number> } {
  let values = k.values;
  let keys: (string | number)[] = Array.from({ length: values.length }, (_, i) => i);
  if (k.ids !== null) {
    const ids = k.ids;
    const order = keys.map(Number).sort((i, j) => (ids[i]! < ids[j]! ? -1 : ids[i]! > ids[j]! ? 1 : 0));
    values = Float64Array.from(order, (i) => k.values[i]!);
    keys = order.map((i) => ids[i]!);
  }
  const { ranks, count } = ordinalRank(values);
  const bottom = new Set<string | number>();
  const top = new Set<string | number>();
  for (let i = 0; i < values.length; i++) {
    const r = ranks[i]!;
    if (r === 0) continue;
    if (r <= size) bottom.add(keys[i]!);
    if (r > count - size) top.add(keys[i]!);
  }
  return { bottom, top };
}

function topBottomChurn(a: Keyed, b: Keyed, size: number): number {
  const ea = extremes(a, size);
  const eb = extremes(b, size);
  const common = (x: Set<string | number>, y: Set<string | number>) => {
    let c = 0;
    for (const key of x) if (y.has(key)) c++;
    return c;
  };
  return 1 - (common(ea.top, eb.top) / size + common(ea.bottom, eb.bottom) / size) / 2;
}
