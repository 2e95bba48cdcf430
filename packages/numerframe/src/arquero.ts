import { Utf8, vectorFromArray } from "apache-arrow";
import * as aq from "arquero";
import { z } from "zod";
import { type ColumnInput, type NumericArray, isNumericArray } from "./columns.js";
import { parseOptions } from "./core/options.js";
import { MissingColumnError } from "./errors.js";
import type { FrameMetaInput } from "./meta.js";
import { NumerFrame } from "./numer-frame.js";

type ColumnTable = ReturnType<typeof aq.table>;

/**
 * An arquero table over the frame's columns. Numeric columns are handed over as typed arrays
 * and strings as arrays (arquero 8 speaks flechette, not apache-arrow, so this is the fast path).
 *
 * @param frame - the frame
 * @returns an arquero table over the same columns
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

/** Options of `joinFrames` (strict: an unknown key is an `InvalidOptionError`). */
export const joinOptions = z.strictObject({
  /** Key columns present in both frames. */
  on: z.union([z.string(), z.array(z.string()).min(1)]),
  how: z.enum(["inner", "left", "right", "outer"]).default("inner"),
  /** Suffixes for non-key columns present in both frames. */
  suffix: z.tuple([z.string(), z.string()]).default(["_x", "_y"]),
});
export type JoinOptions = z.input<typeof joinOptions>;

/**
 * Joins two frames on key columns through arquero. The result keeps the left frame's metadata;
 * numeric columns keep their typed array type where no row went missing.
 *
 * @param left - the left frame
 * @param right - the right frame
 * @param options - see `joinOptions`; `on` is required
 * @returns the joined frame
 * @throws InvalidOptionError for a missing `on` or an unknown or bad option; MissingColumnError
 *   when a key column is missing from either frame
 * @example
 * const withClose = joinFrames(signals, market, { on: ["date", "symbol"], how: "left" });
 */
export function joinFrames(left: NumerFrame, right: NumerFrame, options: JoinOptions): NumerFrame {
  const opts = parseOptions(joinOptions, options, "joinFrames");
  const keys = typeof opts.on === "string" ? [opts.on] : opts.on;
  for (const k of keys) {
    if (!left.has(k)) throw new MissingColumnError(k, "join (left)", left.columnNames);
    if (!right.has(k)) throw new MissingColumnError(k, "join (right)", right.columnNames);
  }
  const shared = new Set(right.columnNames.filter((n) => left.has(n) && !keys.includes(n)));
  const leftNames = left.columnNames.map((n) => (shared.has(n) ? `${n}${opts.suffix[0]}` : n));
  const rightOnly = right.columnNames.filter((n) => !keys.includes(n));
  const rightNames = rightOnly.map((n) => (shared.has(n) ? `${n}${opts.suffix[1]}` : n));
  const l = toArquero(left).rename(Object.fromEntries(left.columnNames.map((n, i) => [n, leftNames[i]!])));
  // Right keys get a private name so that outer joins can coalesce them into the left key.
  const rKey = (k: string) => `__nmrblox_right_${k}`;
  const r = toArquero(right).rename(
    Object.fromEntries([
      ...rightOnly.map((n, i) => [n, rightNames[i]!] as const),
      ...keys.map((k) => [k, rKey(k)] as const),
    ]),
  );
  const on: [string[], string[]] = [keys, keys.map(rKey)];
  const joined =
    opts.how === "inner"
      ? l.join(r, on)
      : opts.how === "left"
        ? l.join_left(r, on)
        : opts.how === "right"
          ? l.join_right(r, on)
          : l.join_full(r, on);
  let out = joined;
  if (opts.how === "right" || opts.how === "outer") {
    const fill: Record<string, string> = {};
    for (const k of keys) fill[k] = `d => d["${k}"] == null ? d["${rKey(k)}"] : d["${k}"]`;
    out = out.derive(fill);
  }
  out = out.select(out.columnNames().filter((n) => !n.startsWith("__nmrblox_right_")));
  const source = new Map<string, () => unknown>([
    ...left.columnNames.map((n, i) => [leftNames[i]!, () => left.column(n)] as const),
    ...rightOnly.map((n, i) => [rightNames[i]!, () => right.column(n)] as const),
  ]);
  return fromArqueroWith(out, left.meta, (name) => source.get(name)?.());
}
