/** Edit distance between two strings, compared case-insensitively (`dryrun` is 0 from `dryRun`). */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let prev = new Int32Array(t.length + 1);
  let curr = new Int32Array(t.length + 1);
  for (let j = 0; j <= t.length; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    curr[0] = i;
    for (let j = 1; j <= t.length; j++) {
      const cost = s.charCodeAt(i - 1) === t.charCodeAt(j - 1) ? 0 : 1;
      curr[j] = Math.min(prev[j]! + 1, curr[j - 1]! + 1, prev[j - 1]! + cost);
    }
    [prev, curr] = [curr, prev];
  }
  return prev[t.length]!;
}

/**
 * The candidate closest to `name` by edit distance (ties go to the earlier candidate), or
 * undefined when there are no candidates.
 *
 * @param name - what the user wrote
 * @param candidates - the valid names
 * @returns the nearest valid name; undefined when there are no candidates
 * @throws never throws
 * @example
 * nearestName("shrot", ["long", "short"]); // "short"
 */
export function nearestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(name, c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
