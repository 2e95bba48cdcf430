/** Small statistics used by the tests to check the generators' claims independently. */
import { pearson } from "@nmrblox/numerframe";

// numerframe's one Pearson and moments (population moments, as numpy / scipy compute them).
export { excessKurtosis, mean, pearson } from "@nmrblox/numerframe";

/** Average ranks (1-based, ties share the mean), as scipy.stats.rankdata. */
export function averageRanks(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => x[a]! - x[b]!);
  const out = new Float64Array(n);
  let k = 0;
  while (k < n) {
    let e = k + 1;
    while (e < n && x[order[e]!] === x[order[k]!]) e++;
    for (let t = k; t < e; t++) out[order[t]!] = (k + 1 + e) / 2;
    k = e;
  }
  return out;
}

export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  return pearson(averageRanks(x), averageRanks(y));
}

/** Row indices of each value of a key column, in row order. */
export function groupRows(keys: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const g = out.get(k);
    if (g) g.push(i);
    else out.set(k, [i]);
  });
  return out;
}
