import { type NumerFrame, eraRows } from "@nmrblox/numerframe";
import { z } from "zod";
import { type RankMethod, rankFunction } from "../rank.js";

/** The rank method option shared by the rank-based blox. */
export const rankMethod = z.enum(["tieKept", "tieBroken"]).default("tieKept");

/**
 * Applies `fn` to each era's values of one column (gathered into a Float64Array in frame order)
 * and scatters the results back into a full-length column (`out`, Float64 by default).
 */
export function mapPerEra<T extends Float64Array | Int8Array = Float64Array>(
  frame: NumerFrame,
  values: ArrayLike<number>,
  fn: (eraValues: Float64Array, rows: Int32Array, era: number) => ArrayLike<number>,
  out: T = new Float64Array(frame.numRows) as T,
): T {
  const index = frame.eraIndex();
  for (let e = 0; e < index.eras.length; e++) {
    const rows = eraRows(index, e);
    const v = new Float64Array(rows.length);
    for (let i = 0; i < rows.length; i++) v[i] = values[rows[i]!]!;
    const result = fn(v, rows, e);
    for (let i = 0; i < rows.length; i++) out[rows[i]!] = result[i]!;
  }
  return out;
}

/**
 * Ranks `column` within each era with `method`, applies `transform` to each era's ranks, and
 * writes the result to `outputColumn` (default: `column`) with a provenance entry `blox`.
 */
export function writeRankedPerEra(
  frame: NumerFrame,
  column: string,
  opts: { method: RankMethod; outputColumn?: string | undefined },
  blox: string,
  transform: (ranks: Float64Array) => Float64Array,
): NumerFrame {
  const rank = rankFunction(opts.method);
  const out = mapPerEra(frame, frame.numeric(column), (v) => transform(rank(v)));
  const target = opts.outputColumn ?? column;
  return frame.withColumn(target, out).withProvenance({ blox, options: { column, method: opts.method, outputColumn: target } });
}
