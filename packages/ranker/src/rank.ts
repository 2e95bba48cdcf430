import { InvalidOptionError, nearestName } from "@nmrblox/numerframe";
import { argsortNonNaN } from "./argsort.js";

/**
 * Percentile ranks with ties kept: (average 1-based rank − 0.5) / n, where n counts the non-NaN
 * values and tied values share the mean of their ordinal ranks (pandas `rank(method="average")`).
 * NaN stays NaN. Results lie strictly inside (0, 1).
 *
 * @param x - the values
 * @returns one rank per value
 * @throws never: NaN stays NaN and is not counted
 * @example
 * tieKeptRank([0.1, 0.4, 0.4, 0.9]); // [0.125, 0.5, 0.5, 0.875]
 */
export function tieKeptRank(x: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length).fill(NaN);
  const { order, count } = argsortNonNaN(x);
  let start = 0;
  while (start < count) {
    const v = x[order[start]!]!;
    let end = start + 1;
    while (end < count && x[order[end]!]! === v) end++;
    // Ordinal ranks start+1 .. end share their mean (start + 1 + end) / 2.
    const rank = ((start + 1 + end) / 2 - 0.5) / count;
    for (let i = start; i < end; i++) out[order[i]!] = rank;
    start = end;
  }
  return out;
}

/**
 * Ordinal 1-based ranks with ties broken by order of appearance (pandas `rank(method="first")`);
 * NaN gets 0. Also returns n, the number of non-NaN values.
 *
 * @param x - the values
 * @returns the ranks and the non-NaN count
 * @throws never: NaN gets no rank and is not counted
 * @example
 * ordinalRank([0.5, NaN, 0.2, 0.5]); // { ranks: [2, 0, 1, 3], count: 3 }
 */
export function ordinalRank(x: ArrayLike<number>): { ranks: Int32Array; count: number } {
  const ranks = new Int32Array(x.length);
  const { order, count } = argsortNonNaN(x);
  for (let i = 0; i < count; i++) ranks[order[i]!] = i + 1;
  return { ranks, count };
}

/**
 * Percentile ranks with ties broken by order of appearance: (ordinal rank − 0.5) / n, n = number
 * of non-NaN values. Pass values in id order to break ties as Numerai does. NaN stays NaN.
 *
 * @param x - the values
 * @returns one rank per value
 * @throws never: NaN stays NaN and is not counted
 * @example
 * tieBrokenRank([0.4, 0.4, 0.1]); // [0.5, 0.8333, 0.1667]
 */
export function tieBrokenRank(x: ArrayLike<number>): Float64Array {
  const { ranks, count } = ordinalRank(x);
  const out = new Float64Array(x.length);
  for (let i = 0; i < out.length; i++) out[i] = Number.isNaN(x[i]!) ? NaN : (ranks[i]! - 0.5) / count;
  return out;
}

/** Rank method names accepted by the per-era blox. */
export type RankMethod = "tieKept" | "tieBroken";

const RANK_METHODS: readonly RankMethod[] = ["tieKept", "tieBroken"];

/**
 * The rank function for a method name.
 *
 * @param method - "tieKept" or "tieBroken"
 * @returns `tieKeptRank` or `tieBrokenRank`
 * @throws InvalidOptionError (INVALID_OPTION) for another name, with the nearest valid one
 * @example
 * rankFunction("tieBroken")([2, 1]); // [0.75, 0.25]
 */
export function rankFunction(method: RankMethod): (x: ArrayLike<number>) => Float64Array {
  if (method === "tieKept") return tieKeptRank;
  if (method === "tieBroken") return tieBrokenRank;
  const suggestion = nearestName(String(method), RANK_METHODS);
  throw new InvalidOptionError("rankFunction", [
    { path: "method", message: `unknown rank method "${String(method)}"`, ...(suggestion === undefined ? {} : { suggestion }) },
  ]);
}

/**
 * Labels of the k lowest (−1) and k highest (+1) non-NaN values, 0 elsewhere (NaN included).
 * Ties are broken by order of appearance, the earlier value counting as lower. When 2k exceeds
 * the number of non-NaN values each side takes floor(n / 2).
 *
 * @param x - the values
 * @param k - rows per side, a positive integer
 * @returns −1, 0 or +1 per value
 * @throws InvalidOptionError (INVALID_OPTION, option "k") when k is not a positive integer
 * @example
 * topBottomLabels([0.3, 0.9, 0.1, 0.5], 1); // [0, 1, -1, 0]
 */
export function topBottomLabels(x: ArrayLike<number>, k: number): Int8Array {
  if (!Number.isInteger(k) || k < 1) {
    throw new InvalidOptionError("topBottomLabels", [{ path: "k", message: `k must be a positive integer, got ${k}` }]);
  }
  const { ranks, count } = ordinalRank(x);
  const side = Math.min(k, Math.floor(count / 2));
  const out = new Int8Array(x.length);
  for (let i = 0; i < out.length; i++) {
    const r = ranks[i]!;
    if (r === 0) continue;
    if (r <= side) out[i] = -1;
    else if (r > count - side) out[i] = 1;
  }
  return out;
}
