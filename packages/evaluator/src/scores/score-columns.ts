import { type IdSeries, MIN_OVERLAP, type ScoreInput, checkScoreInput, isIdSeries } from "./align.js";
import { ScoreError } from "./errors.js";

/**
 * Several columns as numerai-tools' DataFrames: an array of columns (named by position) or
 * columns by name, each a plain array (rows in id order, all of one length) or an id series.
 */
export type ScoreColumns = readonly ScoreInput[] | Readonly<Record<string, ScoreInput>>;

/**
 * One of numerai-tools' DataFrame or Series arguments, on its own rows: the union of its
 * columns' ids in code-point order (positions 0..n−1 for arrays), a column's missing id is NaN.
 */
export interface ScoreTable {
  /** The argument's name in messages ("predictions", "neutralizers", "target"). */
  readonly name: string;
  /** Row ids in code-point order, or null for positional inputs. */
  readonly ids: readonly string[] | null;
  readonly rows: number;
  readonly names: readonly string[];
  readonly columns: readonly Float64Array[];
}

/** Columns as (name, input) pairs: an array's columns are named `<argument>[j]`. */
export function columnEntries(argument: string, columns: ScoreColumns): [string, ScoreInput][] {
  return Array.isArray(columns)
    ? (columns as readonly ScoreInput[]).map((c, j) => [`${argument}[${j}]`, c])
    : Object.entries(columns as Readonly<Record<string, ScoreInput>>);
}

/**
 * Gathers columns into a table. Every input of one call must be positional or every input an id
 * series (MIXED_INPUTS); arrays must share one length, ids be unique within a column.
 */
export function scoreTable(fn: string, name: string, entries: readonly [string, ScoreInput][], keyed: boolean): ScoreTable {
  for (const [column, x] of entries) {
    checkScoreInput(fn, column, x);
    if (isIdSeries(x) !== keyed) {
      throw new ScoreError("MIXED_INPUTS", `${fn}: pass every input as an array or every input as {ids, values}, not a mix`, {
        input: column,
      });
    }
  }
  if (!keyed) {
    const rows = entries.length === 0 ? 0 : (entries[0]![1] as ArrayLike<number>).length;
    const columns = entries.map(([column, x]) => {
      const values = x as ArrayLike<number>;
      if (values.length !== rows) {
        throw new ScoreError("LENGTH_MISMATCH", `${fn}: ${column} has ${values.length} rows but ${entries[0]![0]} has ${rows}`, {
          input: column,
        });
      }
      return values instanceof Float64Array ? values : Float64Array.from(values, Number);
    });
    return { name, ids: null, rows, names: entries.map(([c]) => c), columns };
  }
  const union = new Set<string>();
  for (const [column, x] of entries) {
    const s = x as IdSeries;
    if (s.ids.length !== s.values.length) {
      throw new ScoreError("LENGTH_MISMATCH", `${fn}: ${column} has ${s.ids.length} ids but ${s.values.length} values`, { input: column });
    }
    const seen = new Set<string>();
    for (const id of s.ids) {
      if (seen.has(id)) throw new ScoreError("DUPLICATE_ID", `${fn}: ${column} has id "${id}" more than once`, { input: column });
      seen.add(id);
      union.add(id);
    }
  }
  const ids = [...union].sort(compareIds);
  const at = new Map<string, number>();
  ids.forEach((id, r) => at.set(id, r));
  const columns = entries.map(([, x]) => {
    const s = x as IdSeries;
    const out = new Float64Array(ids.length).fill(Number.NaN);
    for (let k = 0; k < s.ids.length; k++) out[at.get(s.ids[k]!)!] = Number(s.values[k]);
    return out;
  });
  return { name, ids, rows: ids.length, names: entries.map(([c]) => c), columns };
}

/** Whether the inputs of a call are id series (checked against the first one). */
export function isKeyedCall(first: ScoreInput | undefined): boolean {
  return first !== undefined && typeof first === "object" && first !== null && isIdSeries(first);
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Rows of each table that survive alignment, in the same (id) order. */
export interface Alignment {
  readonly ids: readonly string[] | null;
  readonly count: number;
  /** Per table, its row numbers of the kept keys. */
  readonly rows: readonly Int32Array[];
}

/**
 * numerai-tools' `filter_sort_index_many`: keeps the keys present in every table with no NaN in
 * any of its columns, in id order, and fails unless each table keeps ≥ 80 % of its rows.
 */
export function alignTables(fn: string, tables: readonly ScoreTable[]): Alignment {
  const complete = tables.map((t) => {
    const ok = new Uint8Array(t.rows).fill(1);
    for (const c of t.columns) for (let r = 0; r < t.rows; r++) if (Number.isNaN(c[r]!)) ok[r] = 0;
    return ok;
  });
  let ids: string[] | null = null;
  let rows: Int32Array[];
  if (tables[0]!.ids === null) {
    const n = Math.min(...tables.map((t) => t.rows));
    const kept: number[] = [];
    for (let r = 0; r < n; r++) if (complete.every((ok) => ok[r] === 1)) kept.push(r);
    rows = tables.map(() => Int32Array.from(kept));
  } else {
    const at = tables.map((t) => {
      const m = new Map<string, number>();
      t.ids!.forEach((id, r) => m.set(id, r));
      return m;
    });
    ids = [];
    const kept: number[][] = tables.map(() => []);
    const first = tables[0]!;
    first.ids!.forEach((id, r0) => {
      const found: number[] = [];
      for (let k = 0; k < tables.length; k++) {
        const r = k === 0 ? r0 : at[k]!.get(id);
        if (r === undefined || complete[k]![r] !== 1) return;
        found.push(r);
      }
      ids!.push(id);
      found.forEach((r, k) => kept[k]!.push(r));
    });
    rows = kept.map((k) => Int32Array.from(k));
  }
  const count = rows[0]!.length;
  for (const t of tables) {
    if (!(count / t.rows >= MIN_OVERLAP)) {
      const share = t.rows === 0 ? "no rows" : `${((100 * count) / t.rows).toFixed(1)} %`;
      throw new ScoreError(
        "INSUFFICIENT_OVERLAP",
        `${fn}: ${t.name} keeps ${count} of its ${t.rows} rows after alignment (${share}); at least 80 % must have values in every input`,
        { input: t.name },
      );
    }
  }
  return { ids, count, rows };
}

/** `table`'s column restricted to the given rows. */
export function gatherRows(values: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let r = 0; r < rows.length; r++) out[r] = values[rows[r]!]!;
  return out;
}

/**
 * Refuses NaN anywhere in a table, as numerai-tools asserts before neutralized weights are
 * made; for id series a NaN is also an id one column has and another lacks.
 */
export function requireNoNaN(fn: string, table: ScoreTable): void {
  table.columns.forEach((c, j) => {
    for (let r = 0; r < table.rows; r++) {
      if (Number.isNaN(c[r]!)) {
        const column = table.names[j]!;
        const at = table.ids === null ? `row ${r}` : `id "${table.ids[r]}"`;
        throw new ScoreError("NAN_INPUT", `${fn}: ${column} has no value (NaN) at ${at}`, {
          input: column,
          ...(table.ids === null ? { row: r } : {}),
        });
      }
    }
  });
}
