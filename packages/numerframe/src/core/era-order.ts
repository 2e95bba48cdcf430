const LIVE = /^(era)?x$/i;
const CHUNK = /(\d+)|(\D+)/g;

/**
 * Orders era labels in the order the eras happened: ISO dates chronologically, numeric labels
 * ("0575", "575") numerically, Numerai's legacy `era1 … era120` naturally (era2 before era10),
 * and the live era `eraX` (or `X`) last. Labels that tie numerically ("0575" and "575") fall
 * back to code-point order so the order is total.
 *
 * @param a - an era label
 * @param b - another era label
 * @returns negative when `a` came first, positive when `b` did, 0 when equal
 * @throws never throws; every string is a label
 * @example
 * ["era10", "eraX", "era2"].sort(compareEras); // ["era2", "era10", "eraX"]
 */
export function compareEras(a: string, b: string): number {
  if (a === b) return 0;
  const liveA = LIVE.test(a);
  const liveB = LIVE.test(b);
  if (liveA !== liveB) return liveA ? 1 : -1;
  const na = numericLabel(a);
  const nb = numericLabel(b);
  if (na !== undefined && nb !== undefined && na !== nb) return na - nb;
  const natural = compareNatural(a, b);
  if (natural !== 0) return natural;
  return a < b ? -1 : 1;
}

function numericLabel(label: string): number | undefined {
  if (label.trim() === "") return undefined;
  const n = Number(label);
  return Number.isFinite(n) ? n : undefined;
}

/** Compares digit runs as numbers and other runs as text ("era9" < "era10", "2021-1-9" < "2021-1-10"). */
function compareNatural(a: string, b: string): number {
  const ca = a.match(CHUNK) ?? [];
  const cb = b.match(CHUNK) ?? [];
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i]!;
    const y = cb[i]!;
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const d = Number(x) - Number(y);
      if (d !== 0) return d;
      continue;
    }
    return x < y ? -1 : 1;
  }
  return ca.length - cb.length;
}

/**
 * Era labels sorted by `compareEras`, as a new array.
 *
 * @param labels - era labels in any order
 * @returns the labels in the order the eras happened
 * @throws never throws
 * @example
 * sortEras(["era1", "era10", "era2"]); // ["era1", "era2", "era10"]
 */
export function sortEras(labels: Iterable<string>): string[] {
  return [...labels].sort(compareEras);
}
