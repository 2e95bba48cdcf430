/** Integer codes of a string column plus the distinct values in code-point order. */
export function sortedCodes(values: readonly string[]): { codes: Int32Array; labels: string[]; index: Map<string, number> } {
  const first = new Map<string, number>();
  const raw = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    let c = first.get(v);
    if (c === undefined) {
      c = first.size;
      first.set(v, c);
    }
    raw[i] = c;
  }
  const labels = [...first.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const index = new Map<string, number>();
  labels.forEach((l, i) => index.set(l, i));
  const remap = new Int32Array(labels.length);
  for (const [label, c] of first) remap[c] = index.get(label)!;
  const codes = new Int32Array(values.length);
  for (let i = 0; i < values.length; i++) codes[i] = remap[raw[i]!]!;
  return { codes, labels, index };
}
