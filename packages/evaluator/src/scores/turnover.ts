import { alignPair, keyedInputs, type ScoreInput } from "./align.js";

/**
 * Turnover between two weight (or signal) vectors: Σ|a − b| / 2 over ids aligned with the 80 % rule.
 *
 * @param a - one vector: an array in id order, or `{ids, values}`
 * @param b - the other vector, the same kind of input
 * @returns the turnover, ≥ 0
 * @throws InvalidOptionError for an argument that is neither an array nor `{ids, values}`;
 *   ScoreError (INSUFFICIENT_OVERLAP, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID)
 * @example
 * turnover([0, 1, 2, 3, 4], [0, 1, 2, 1, 0]); // 3
 */
export function turnover(a: ScoreInput, b: ScoreInput): number {
  const [ka, kb] = keyedInputs("turnover", [
    ["a", a],
    ["b", b],
  ]);
  const [ra, rb] = alignPair("turnover", ka!, kb!);
  let s = 0;
  for (let i = 0; i < ra.values.length; i++) s += Math.abs(ra.values[i]! - rb.values[i]!);
  return s / 2;
}
