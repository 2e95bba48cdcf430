import { type NumerFrame, NullValueError, isNumericArray } from "@nmrblox/numerframe";

/**
 * A column's values as id strings, the way numerai-tools compares ids (`astype(str)`): numbers
 * print as JavaScript does, and a missing id (null, NaN or an empty field, which pandas reads
 * from CSV as NaN) becomes "".
 */
export function idStrings(frame: NumerFrame, column: string): readonly string[] {
  let values: ReturnType<NumerFrame["column"]>;
  try {
    values = frame.column(column);
  } catch (err) {
    if (!(err instanceof NullValueError)) throw err;
    // A string column with nulls: read value by value so the nulls can be reported, not thrown.
    const vector = frame.table.getChild(column)!;
    const out = new Array<string>(vector.length);
    for (let i = 0; i < vector.length; i++) {
      const v: unknown = vector.get(i);
      out[i] = v === null || v === undefined ? "" : String(v);
    }
    return out;
  }
  if (!isNumericArray(values)) return values;
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    out[i] = Number.isNaN(v) ? "" : String(v);
  }
  return out;
}

/**
 * Live ids numbered 0..k−1 in first-seen order (numbers become their string form, as
 * numerai-tools casts them; repeated and missing ids are skipped). The numbers let callers count
 * rows per live id in a typed array instead of a second map.
 */
export function liveIdIndex(ids: ArrayLike<unknown>): Map<string, number> {
  const index = new Map<string, number>();
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (v === null || v === undefined || v === "" || (typeof v === "number" && Number.isNaN(v))) continue;
    const key = typeof v === "string" ? v : String(v);
    if (!index.has(key)) index.set(key, index.size);
  }
  return index;
}
