import { type ColumnInput, NumerFrame } from "@nmrblox/numerframe";

/**
 * Builds a frame that may have no rows. NumerFrame.fromColumns types an empty `string[]` as
 * Float64, so an empty result is built from one placeholder row and then emptied, which keeps
 * every string column a string column.
 */
export function frameFromColumns(columns: Record<string, ColumnInput>, placeholder: Record<string, ColumnInput>): NumerFrame {
  const first = Object.values(columns)[0];
  if (first !== undefined && first.length > 0) return NumerFrame.fromColumns(columns);
  return NumerFrame.fromColumns(placeholder).take(new Int32Array(0));
}
