import { type NumerFrame, eraRows } from "@nmrblox/numerframe";

/**
 * Applies `fn` to each era's values of one column (gathered into a Float64Array in frame order)
 * and scatters the results back into a full-length column.
 */
export function mapPerEra(
  frame: NumerFrame,
  values: ArrayLike<number>,
  fn: (eraValues: Float64Array, rows: Int32Array, era: number) => ArrayLike<number>,
): Float64Array {
  const index = frame.eraIndex();
  const out = new Float64Array(frame.numRows);
  for (let e = 0; e < index.eras.length; e++) {
    const rows = eraRows(index, e);
    const v = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = values[rows[i]!]!;
    const result = fn(v, rows, e);
    for (let i = 0; i < rows.length; i++) out[rows[i]!] = result[i]!;
  }
  return out;
}
