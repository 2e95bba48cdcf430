import { type DataType, Table, type Vector } from "apache-arrow";
import {
  type ColumnArray,
  type ColumnInput,
  type NumericArray,
  bigintArray,
  concatVectors,
  decodeStrings,
  isNumericType,
  isStringType,
  isTemporalType,
  numericArray,
  stringVector,
  takeVector,
  toVector,
  typeIdName,
} from "./columns.js";
import { fromArquero, toArquero } from "./arquero.js";
import { type JoinOptions, joinFrames } from "./join.js";
import { type EraIndex, buildEraIndex } from "./era-index.js";
import {
  ColumnLengthError,
  DuplicateColumnError,
  EmptyFrameError,
  MissingColumnError,
  NonNumericColumnError,
  NullValueError,
  SchemaMismatchError,
} from "./errors.js";
import { type ColumnRole, type FrameMeta, type FrameMetaInput, type ProvenanceStep, inferredRole, resolveMeta } from "./meta.js";

/** Options of the NumerFrame constructors. */
export interface FrameOptions {
  /** Accept a frame with no rows (a filter may leave none); constructors refuse it by default. */
  allowEmpty?: boolean;
  /**
   * Plain-array columns to build as string columns even when empty: an empty array carries no
   * type, and would otherwise become Float64.
   */
  strings?: readonly string[];
}

/** A sort key: a column name, or a column with a direction. */
export type SortKey = string | { column: string; descending?: boolean };

// Shared across installed copies of this package, so `NumerFrame.isInstance` works where
// `instanceof` would compare two different classes.
const FRAME_MARKER = Symbol.for("nmrblox.numerframe");

/**
 * An immutable Apache Arrow table plus Numerai metadata: column roles, an era index built once
 * and cached, and provenance. Every operation returns a new frame; Arrow columns are shared,
 * not copied, wherever Arrow allows. Arrays returned by `column()` may be the frame's own
 * storage: treat them as read-only.
 */
export class NumerFrame {
  // biome-ignore lint/correctness/noUnusedPrivateClassMembers: read by isInstance through the registry symbol
  private readonly [FRAME_MARKER] = true;
  /** The Arrow table: single-chunk columns. */
  readonly table: Table;
  /** Resolved metadata (kind, era and id columns, roles, source, provenance). */
  readonly meta: Readonly<FrameMeta>;
  #eraIndex: EraIndex | undefined;
  #roles: Map<string, ColumnRole> | undefined;

  private constructor(table: Table, meta: FrameMeta) {
    this.table = table;
    this.meta = Object.freeze(meta);
  }

  /**
   * True for any NumerFrame, also one made by another installed copy of this package.
   *
   * @param value - anything
   * @returns whether it is a NumerFrame
   * @example
   * if (!NumerFrame.isInstance(input)) throw new TypeError("expected a NumerFrame");
   */
  static isInstance(value: unknown): value is NumerFrame {
    return typeof value === "object" && value !== null && (value as Record<symbol, unknown>)[FRAME_MARKER] === true;
  }

  /** Wraps an Arrow table; metadata is inferred from Numerai naming where not given. */
  static fromArrow(table: Table, meta?: FrameMetaInput, options: FrameOptions = {}): NumerFrame {
    const names = table.schema.fields.map((f) => f.name);
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new DuplicateColumnError(n);
      seen.add(n);
    }
    if (names.length === 0) throw new EmptyFrameError("NumerFrame.fromArrow: no columns");
    if (table.numRows === 0 && !options.allowEmpty) throw new EmptyFrameError("NumerFrame.fromArrow: no rows");
    const frame = new NumerFrame(table, resolveMeta(meta, names));
    frame.#validate();
    return frame;
  }

  /**
   * Builds a frame from columns: typed arrays are kept as they are (zero copy), `number[]`
   * becomes Float64 (null → NaN), `string[]` becomes a (dictionary-encoded when repetitive)
   * string column.
   */
  static fromColumns(columns: Record<string, ColumnInput>, meta?: FrameMetaInput, options: FrameOptions = {}): NumerFrame {
    const names = Object.keys(columns);
    if (names.length === 0) throw new EmptyFrameError("NumerFrame.fromColumns: no columns");
    const n = (columns[names[0]!] as { length: number }).length;
    const vectors: Record<string, Vector> = {};
    for (const name of names) {
      const values = columns[name]!;
      if (values.length !== n) throw new ColumnLengthError(name, n, values.length);
      vectors[name] = values.length === 0 && options.strings?.includes(name) ? stringVector([], name) : toVector(values, name);
    }
    return NumerFrame.fromArrow(new Table(vectors), meta, options);
  }

  #validate(): void {
    const names = this.columnNames;
    for (const [role, col] of [["era", this.meta.eraCol], ["id", this.meta.idCol]] as const) {
      if (col === undefined) continue;
      if (!names.includes(col)) throw new MissingColumnError(col, `${role} column`, names);
      const v = this.#vector(col);
      if (v.nullCount > 0) {
        for (let i = 0; i < v.length; i++) if (!v.isValid(i)) throw new NullValueError(col, i);
      }
    }
    for (const name of Object.keys(this.meta.roles)) {
      if (!names.includes(name)) throw new MissingColumnError(name, `role "${this.meta.roles[name]}"`, names);
    }
    for (const name of names) {
      const role = this.role(name);
      if (role === "feature" || role === "target" || role === "prediction") {
        const type = this.#vector(name).type as DataType;
        if (!isNumericType(type)) throw new NonNumericColumnError(name, role, typeIdName(type));
      }
    }
  }

  #vector(name: string): Vector {
    const v = this.table.getChild(name);
    if (v === null) throw new MissingColumnError(name, "NumerFrame", this.columnNames);
    return v;
  }

  /** A frame over another table with derived metadata, without re-inferring roles. */
  #derive(table: Table, meta: Partial<FrameMeta> = {}, options: FrameOptions = { allowEmpty: true }): NumerFrame {
    const names = table.schema.fields.map((f) => f.name);
    const next: FrameMetaInput = { ...this.meta, ...meta };
    next.roles = Object.fromEntries(Object.entries(next.roles ?? {}).filter(([c]) => names.includes(c)));
    if (next.eraCol !== undefined && !names.includes(next.eraCol)) delete next.eraCol;
    if (next.idCol !== undefined && !names.includes(next.idCol)) delete next.idCol;
    return NumerFrame.fromArrow(table, next, options);
  }

  get numRows(): number {
    return this.table.numRows;
  }

  get columnNames(): string[] {
    return this.table.schema.fields.map((f) => f.name);
  }

  get eraCol(): string | undefined {
    return this.meta.eraCol;
  }

  get idCol(): string | undefined {
    return this.meta.idCol;
  }

  get kind(): FrameMeta["kind"] {
    return this.meta.kind;
  }

  get provenance(): readonly ProvenanceStep[] {
    return this.meta.provenance;
  }

  /** Role of a column: explicit role, else era/id columns, else Numerai naming. */
  role(name: string): ColumnRole {
    if (!this.#roles) {
      const roles = new Map<string, ColumnRole>();
      for (const n of this.columnNames) {
        roles.set(
          n,
          this.meta.roles[n] ?? (n === this.meta.eraCol ? "era" : n === this.meta.idCol ? "id" : inferredRole(n)),
        );
      }
      this.#roles = roles;
    }
    return this.#roles.get(name) ?? "other";
  }

  #columnsWithRole(role: ColumnRole): string[] {
    return this.columnNames.filter((n) => this.role(n) === role);
  }

  get featureCols(): string[] {
    return this.#columnsWithRole("feature");
  }

  get targetCols(): string[] {
    return this.#columnsWithRole("target");
  }

  get predictionCols(): string[] {
    return this.#columnsWithRole("prediction");
  }

  has(name: string): boolean {
    return this.table.getChild(name) !== null;
  }

  /** The Arrow type of a column. */
  typeOf(name: string): DataType {
    return this.#vector(name).type as DataType;
  }

  /**
   * A column's values: numeric columns as their typed array (Float32Array stays Float32Array;
   * nulls in floats read as NaN), string and date columns as strings decoded once and cached
   * (dates as `YYYY-MM-DD`).
   */
  column(name: string): ColumnArray {
    const v = this.#vector(name);
    const type = v.type as DataType;
    if (isNumericType(type)) return numericArray(v, name);
    return decodeStrings(v, name);
  }

  /** A numeric column as its typed array; a string column is a NonNumericColumnError. */
  numeric(name: string): NumericArray {
    const v = this.#vector(name);
    const type = v.type as DataType;
    if (!isNumericType(type)) throw new NonNumericColumnError(name, "numeric", typeIdName(type));
    return numericArray(v, name);
  }

  /**
   * An integer column as exact 64-bit integers: the way to read Int64 values beyond ±2^53,
   * which `column()` and `numeric()` refuse rather than round.
   *
   * @param name - an integer column
   * @returns its values (the Arrow buffer itself for a single-chunk Int64 column without nulls)
   * @throws MissingColumnError; NonNumericColumnError (NON_NUMERIC_COLUMN) for a non-integer
   *   column; NullValueError for a null
   * @example
   * const ids = frame.bigints("row_id"); // BigInt64Array
   */
  bigints(name: string): BigInt64Array {
    return bigintArray(this.#vector(name), name);
  }

  /** A column as Float64Array (a copy unless it already is one). */
  float64(name: string): Float64Array {
    const a = this.numeric(name);
    return a instanceof Float64Array ? a : Float64Array.from(a);
  }

  /** A string, dictionary or date column decoded to strings (cached). */
  strings(name: string): readonly string[] {
    const v = this.#vector(name);
    const type = v.type as DataType;
    if (!isStringType(type) && !isTemporalType(type)) {
      throw new SchemaMismatchError(name, `expected a string or date column, found ${typeIdName(type)}`);
    }
    return decodeStrings(v, name);
  }

  /** The era index, built on first use and cached. */
  eraIndex(): EraIndex {
    if (this.#eraIndex) return this.#eraIndex;
    const col = this.meta.eraCol;
    if (col === undefined) throw new MissingColumnError("era", "eraIndex (no era column: set meta.eraCol)", this.columnNames);
    if (this.numRows === 0) throw new EmptyFrameError("eraIndex");
    this.#eraIndex = buildEraIndex(this.#vector(col), col);
    return this.#eraIndex;
  }

  /** Era labels in order. */
  eras(): readonly string[] {
    return this.eraIndex().eras;
  }

  /** Keeps the named columns, in that order. */
  select(columns: readonly string[]): NumerFrame {
    for (const c of columns) this.#vector(c);
    return this.#derive(this.table.select(columns as string[]));
  }

  /** Drops the named columns. */
  drop(columns: readonly string[]): NumerFrame {
    for (const c of columns) this.#vector(c);
    return this.select(this.columnNames.filter((n) => !columns.includes(n)));
  }

  /** Keeps rows where `mask` is true (or non-zero); a function is called with each row number. */
  filter(mask: ArrayLike<boolean | number> | ((row: number) => boolean)): NumerFrame {
    const n = this.numRows;
    const keep = new Int32Array(n);
    let k = 0;
    if (typeof mask === "function") {
      for (let i = 0; i < n; i++) if (mask(i)) keep[k++] = i;
    } else {
      if (mask.length !== n) throw new ColumnLengthError("filter mask", n, mask.length);
      for (let i = 0; i < n; i++) if (mask[i]) keep[k++] = i;
    }
    return this.take(keep.subarray(0, k));
  }

  /** The rows at `indices`, in that order. */
  take(indices: Int32Array): NumerFrame {
    const vectors: Record<string, Vector> = {};
    for (const name of this.columnNames) vectors[name] = takeVector(this.#vector(name), indices, name);
    return this.#derive(new Table(vectors));
  }

  /** Adds a column, or replaces one of the same name (keeping its position). */
  withColumn(name: string, values: ColumnInput): NumerFrame {
    if (values.length !== this.numRows) throw new ColumnLengthError(name, this.numRows, values.length);
    const vectors: Record<string, Vector> = {};
    for (const n of this.columnNames) vectors[n] = n === name ? toVector(values, name) : this.#vector(n);
    if (!(name in vectors)) vectors[name] = toVector(values, name);
    return this.#derive(new Table(vectors));
  }

  /** Renames columns; era, id and role metadata follow the new names. */
  rename(mapping: Record<string, string>): NumerFrame {
    const names = this.columnNames;
    for (const from of Object.keys(mapping)) if (!names.includes(from)) throw new MissingColumnError(from, "rename", names);
    const to = (n: string) => mapping[n] ?? n;
    const vectors: Record<string, Vector> = {};
    for (const n of names) {
      if (to(n) in vectors) throw new DuplicateColumnError(to(n));
      vectors[to(n)] = this.#vector(n);
    }
    const roles = Object.fromEntries(Object.entries(this.meta.roles).map(([c, r]) => [to(c), r]));
    return this.#derive(new Table(vectors), {
      roles,
      ...(this.meta.eraCol !== undefined ? { eraCol: to(this.meta.eraCol) } : {}),
      ...(this.meta.idCol !== undefined ? { idCol: to(this.meta.idCol) } : {}),
    });
  }

  /**
   * Stable sort by one or more keys. Numbers ascend with NaN last; strings in code-point order.
   */
  sortBy(keys: SortKey | readonly SortKey[]): NumerFrame {
    const list = (Array.isArray(keys) ? keys : [keys]) as SortKey[];
    const cmps = list.map((key) => {
      const column = typeof key === "string" ? key : key.column;
      const sign = typeof key === "string" || !key.descending ? 1 : -1;
      const values = this.column(column);
      if (ArrayBuffer.isView(values)) {
        const a = values as NumericArray;
        return (i: number, j: number) => {
          const x = a[i]!;
          const y = a[j]!;
          if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
          return sign * (x - y);
        };
      }
      const s = values as readonly string[];
      return (i: number, j: number) => sign * (s[i]! < s[j]! ? -1 : s[i]! > s[j]! ? 1 : 0);
    });
    const order = Array.from({ length: this.numRows }, (_, i) => i);
    order.sort((i, j) => {
      for (const cmp of cmps) {
        const c = cmp(i, j);
        if (c !== 0) return c;
      }
      return i - j;
    });
    return this.take(Int32Array.from(order));
  }

  /** Stacks frames with the same columns (any order) and types under this one. */
  concat(...others: readonly NumerFrame[]): NumerFrame {
    const names = this.columnNames;
    for (const o of others) {
      for (const n of o.columnNames) if (!names.includes(n)) throw new SchemaMismatchError(n, "not in the first frame");
      for (const n of names) {
        if (!o.has(n)) throw new MissingColumnError(n, "concat", o.columnNames);
        const a = this.typeOf(n);
        const b = o.typeOf(n);
        const compatible = String(a) === String(b) || (isStringType(a) && isStringType(b));
        if (!compatible) throw new SchemaMismatchError(n, `type ${String(a)} cannot be stacked with ${String(b)}`);
      }
    }
    const vectors: Record<string, Vector> = {};
    for (const n of names) vectors[n] = concatVectors([this, ...others].map((f) => f.#vector(n)), n);
    return this.#derive(new Table(vectors));
  }

  /**
   * Joins with another frame on key columns, on dictionary codes (linear in rows; see
   * `joinFrames` for row order and missing values). `on` is a column name or names present in
   * both; `how` is inner (default), left, right or outer; clashing non-key columns get suffixes
   * `_x` / `_y`.
   *
   * @param other - the right frame
   * @param options - key column(s), or `joinOptions`
   * @returns the joined frame, with this frame's metadata
   * @throws InvalidOptionError for a bad option; MissingColumnError for a missing key;
   *   SchemaMismatchError for a key that is text on one side and numeric on the other
   * @example
   * const scored = signals.join(targets, { on: ["date", "symbol"], how: "left" });
   */
  join(other: NumerFrame, options: JoinOptions | string | string[]): NumerFrame {
    return joinFrames(this, other, typeof options === "string" || Array.isArray(options) ? { on: options } : options);
  }

  /** An arquero table over this frame's columns (typed arrays handed over, not copied). */
  toArquero(): ReturnType<typeof toArquero> {
    return toArquero(this);
  }

  /** A frame from an arquero table; numbers become Float64 (null → NaN), strings stay strings. */
  static fromArquero(table: Parameters<typeof fromArquero>[0], meta?: FrameMetaInput): NumerFrame {
    return fromArquero(table, meta);
  }

  /** A new frame with one more provenance entry (`at` defaults to now, ISO). */
  withProvenance(step: { blox: string; options?: Record<string, unknown>; at?: string }): NumerFrame {
    const entry: ProvenanceStep = { blox: step.blox, options: step.options ?? {}, at: step.at ?? new Date().toISOString() };
    return this.#derive(this.table, { provenance: [...this.meta.provenance, entry] });
  }

  /** A new frame with metadata fields replaced (roles, kind, eraCol, idCol, source). */
  withMeta(meta: FrameMetaInput): NumerFrame {
    return NumerFrame.fromArrow(this.table, { ...this.meta, ...meta }, { allowEmpty: true });
  }

  /** Plain column arrays, e.g. for arquero or JSON. */
  toColumns(): Record<string, ColumnArray> {
    return Object.fromEntries(this.columnNames.map((n) => [n, this.column(n)]));
  }

  toString(): string {
    return `NumerFrame(${this.meta.kind}, ${this.numRows} rows x ${this.columnNames.length} columns, era=${this.meta.eraCol ?? "-"}, id=${this.meta.idCol ?? "-"})`;
  }
}
