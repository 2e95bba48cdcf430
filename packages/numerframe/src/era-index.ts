import { DataType, type Vector } from "apache-arrow";
import { decodeStrings } from "./columns.js";
import { NullValueError } from "./errors.js";
import { compareEras } from "./core/era-order.js";

/**
 * Rows grouped by era. Rows of era `eras[e]` are `order[offsets[e]] .. order[offsets[e+1]-1]`
 * (or `offsets[e] .. offsets[e+1]-1` directly when `order` is null because the frame is
 * already grouped in era order). Within an era, rows keep their frame order.
 */
export interface EraIndex {
  /** Era labels in the order the eras happened (see `compareEras`). */
  readonly eras: readonly string[];
  /** `eras.length + 1` row offsets into `order`. */
  readonly offsets: Int32Array;
  /** Row permutation grouping rows by era, or null when rows are already grouped and in order. */
  readonly order: Int32Array | null;
  /** Era number (position in `eras`) of every row. */
  readonly codes: Int32Array;
}

/**
 * Rows of era `e` as frame row numbers, in frame order. When the frame had to be regrouped the
 * result is a view into `index.order` (no copy, as this runs once per era in scoring loops), so
 * do not write to it; when the frame is already grouped it is a fresh array.
 *
 * @param index - an era index, from `frame.eraIndex()`
 * @param e - era number, 0 ≤ e < `index.eras.length` (position in `index.eras`)
 * @returns the row numbers of that era
 * @throws never throws for an era number in range; `e` is not checked because this sits in
 *   per-era hot loops
 * @example
 * const index = NumerFrame.fromColumns({ era: ["0002", "0001", "0002"], x: Float64Array.of(1, 2, 3) }).eraIndex();
 * index.eras; // ["0001", "0002"]
 * eraRows(index, 1); // Int32Array [0, 2]
 */
export function eraRows(index: EraIndex, e: number): Int32Array {
  const start = index.offsets[e]!;
  const end = index.offsets[e + 1]!;
  if (index.order) return index.order.subarray(start, end);
  const rows = new Int32Array(end - start);
  for (let i = 0; i < rows.length; i++) rows[i] = start + i;
  return rows;
}

/** Builds the era index of a column in O(n) plus sorting the distinct eras. */
export function buildEraIndex(vector: Vector, column: string): EraIndex {
  const n = vector.length;
  const raw = new Int32Array(n);
  let labels: string[];
  const type = vector.type as DataType;
  if (DataType.isDictionary(type) && vector.data.length === 1) {
    // Dictionary keys are already small integers: no string is touched per row.
    const chunk = vector.data[0]!;
    if (chunk.nullCount > 0) {
      for (let i = 0; i < n; i++) if (!chunk.getValid(i)) throw new NullValueError(column, i);
    }
    const dict = decodeStrings(chunk.dictionary as Vector, column);
    const keys = chunk.values as Int32Array;
    const used = new Int32Array(dict.length).fill(-1);
    labels = [];
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      let c = used[k]!;
      if (c < 0) {
        c = labels.length;
        used[k] = c;
        labels.push(dict[k]!);
      }
      raw[i] = c;
    }
  } else if (DataType.isInt(type) && type.bitWidth <= 32 && vector.nullCount === 0) {
    const values = vector.toArray() as Int32Array;
    const codes = new Map<number, number>();
    labels = [];
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      let c = codes.get(v);
      if (c === undefined) {
        c = labels.length;
        codes.set(v, c);
        labels.push(String(v));
      }
      raw[i] = c;
    }
  } else {
    const values = decodeStrings(vector, column);
    const codes = new Map<string, number>();
    labels = [];
    let prev: string | undefined;
    let prevCode = -1;
    for (let i = 0; i < n; i++) {
      const v = values[i]!;
      if (v !== prev) {
        let c = codes.get(v);
        if (c === undefined) {
          c = labels.length;
          codes.set(v, c);
          labels.push(v);
        }
        prev = v;
        prevCode = c;
      }
      raw[i] = prevCode;
    }
  }
  return groupByCodes(raw, labels);
}

function groupByCodes(raw: Int32Array, labels: readonly string[]): EraIndex {
  const k = labels.length;
  const sorted = Array.from({ length: k }, (_, i) => i).sort((a, b) => compareEras(labels[a]!, labels[b]!));
  const rankOf = new Int32Array(k);
  for (let r = 0; r < k; r++) rankOf[sorted[r]!] = r;
  const n = raw.length;
  const codes = new Int32Array(n);
  const counts = new Int32Array(k + 1);
  let grouped = true;
  let last = 0;
  for (let i = 0; i < n; i++) {
    const c = rankOf[raw[i]!]!;
    codes[i] = c;
    counts[c + 1]!++;
    if (c < last) grouped = false;
    last = c;
  }
  const offsets = new Int32Array(k + 1);
  for (let e = 0; e < k; e++) offsets[e + 1] = offsets[e]! + counts[e + 1]!;
  let order: Int32Array | null = null;
  if (!grouped) {
    // Counting sort: stable, so rows keep their frame order within an era.
    order = new Int32Array(n);
    const next = offsets.slice(0, k);
    for (let i = 0; i < n; i++) order[next[codes[i]!]!++] = i;
  }
  return { eras: sorted.map((i) => labels[i]!), offsets, order, codes };
}
