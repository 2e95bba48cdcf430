import { alignPair, keyedInputs, type ScoreInput } from "./align.js";

/** Turnover between two weight (or signal) vectors: Σ|a − b| / 2 over ids aligned with the 80 % rule. */
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
