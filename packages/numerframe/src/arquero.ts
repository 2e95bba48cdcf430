import { Utf8, vectorFromArray } from "apache-arrow";
import * as aq from "arquero";
import { type ColumnInput, type NumericArray, isNumericArray } from "./columns.js";
import type { FrameMetaInput } from "./meta.js";
import { NumerFrame } from "./numer-frame.js";

type ColumnTable = ReturnType<typeof aq.table>;

/**
 * An arquero table over the frame's columns. Numeric columns are handed over as typed arrays
 * and strings as arrays (arquero 8 speaks flechette, not apache-arrow, so this is the fast path).
 *
 * @param frame - the frame
 * @returns an arquero table over the same columns
 * @throws never for a valid NumerFrame
 * @example
 * const counts = toArquero(signals).groupby("date").count().objects();
 */
export function toArquero(frame: NumerFrame): ColumnTable {
  return aq.table(frame.toColumns() as Record<string, unknown>);
}

/**
 * A NumerFrame from an arquero table. Columns that hold only numbers (null/undefined → NaN)
 * become Float64 unless `like` names a column of the same name whose typed array type is kept
 * (so a Float32 or Int8 column survives a round trip through arquero when it has no nulls).
 *
 * @param table - an arquero table
 * @param meta - metadata for the new frame (default: `like`'s)
 * @param like - a frame whose typed array types to keep for columns of the same name
 * @returns the frame
 * @throws ColumnLengthError or DuplicateColumnError when the table is malformed; InvalidOptionError (INVALID_OPTION) for bad `meta`
 * @example
 * const f = fromArquero(toArquero(signals).filter((d) => d.prediction > 0.5), undefined, signals);
 */
export function fromArquero(table: ColumnTable, meta?: FrameMetaInput, like?: NumerFrame): NumerFrame {
  return fromArqueroWith(table, meta ?? like?.meta, (name) => (like?.has(name) ? like.column(name) : undefined));
}

function fromArqueroWith(table: ColumnTable, meta: FrameMetaInput | undefined, template: (name: string) => unknown): NumerFrame {
  const columns: Record<string, ColumnInput> = {};
  for (const name of table.columnNames()) {
    columns[name] = toColumnInput(table.array(name) as ArrayLike<unknown>, template(name));
  }
  return NumerFrame.fromColumns(columns, meta, { allowEmpty: true });
}

function toColumnInput(values: ArrayLike<unknown>, template: unknown): ColumnInput {
  if (isNumericArray(values)) return values;
  const n = values.length;
  let kind: "number" | "string" | "boolean" | undefined;
  let hasMissing = false;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      hasMissing = true;
      continue;
    }
    const t = typeof v === "number" || typeof v === "bigint" ? "number" : typeof v === "boolean" ? "boolean" : "string";
    if (kind === undefined) kind = t;
    else if (kind !== t) kind = "string";
  }
  if (kind === "number" || kind === undefined) {
    const wantsTemplate = isNumericArray(template) && !hasMissing;
    const ctor = (wantsTemplate ? template.constructor : Float64Array) as new (n: number) => NumericArray;
    const out = new ctor(n);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      out[i] = v === null || v === undefined ? Number.NaN : Number(v);
    }
    return out;
  }
  if (kind === "boolean" && !hasMissing) return Array.from(values as ArrayLike<boolean>);
  const out = new Array<string | null>(n);
  for (let i = 0; i < n; i++) out[i] = values[i] === null || values[i] === undefined ? null : String(values[i]);
  // Strings that went missing in an outer join stay null; reading them as strings names the row.
  return hasMissing ? vectorFromArray(out, new Utf8()) : (out as string[]);
}

// The join lives in join.ts (dictionary codes, linear in rows); re-exported here for existing imports.
export { joinFrames, joinOptions, type JoinOptions } from "./join.js";
