import type { PerformanceStats } from "@nmrblox/evaluator";
import type { NumerFrame } from "@nmrblox/numerframe";

/** A cell of a printed table. */
export type Cell = string | number | null | undefined;

/** A percentage with two decimals ("12.34"), or "-" when undefined. */
export function pct(v: number | null | undefined): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "-" : (100 * v).toFixed(2);
}

/** A number with `digits` decimals, or "-" when undefined. */
export function fixed(v: number | null | undefined, digits = 2): string {
  return v === null || v === undefined || !Number.isFinite(v) ? "-" : v.toFixed(digits);
}

/**
 * Rows as an aligned text table: a header line, then one line per row; numbers right-aligned.
 *
 * @param rows - one object per row
 * @param columns - the columns to show, in order (default: the first row's keys)
 * @returns the table, lines joined by "\n"
 * @example
 * table([{ score: "prediction_corr", mean: 0.02 }]);
 */
export function table(rows: ReadonlyArray<Record<string, Cell>>, columns?: readonly string[]): string {
  const cols = columns ?? Object.keys(rows[0] ?? {});
  const text = (c: Cell) => (c === null || c === undefined ? "-" : typeof c === "number" ? (Number.isFinite(c) ? String(c) : "-") : c);
  const cells = rows.map((r) => cols.map((c) => text(r[c])));
  const widths = cols.map((c, j) => Math.max(c.length, ...cells.map((r) => r[j]!.length)));
  // Right-align columns of numbers, also numbers already formatted as text ("12.34", "-").
  const numeric = cols.map((_, j) => cells.length > 0 && cells.every((r) => /^(-?\d+(\.\d+)?(e-?\d+)?|-)$/.test(r[j]!)));
  const line = (values: readonly string[]) =>
    values
      .map((v, j) => (numeric[j] ? v.padStart(widths[j]!) : v.padEnd(widths[j]!)))
      .join("  ")
      .trimEnd();
  return [line(cols), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)].join("\n");
}

/**
 * Label / value pairs as two aligned columns.
 *
 * @param pairs - [label, value] in display order
 * @returns the lines joined by "\n"
 * @example
 * pairs([["sharpe", "1.20"], ["days", 180]]);
 */
export function pairs(pairs: ReadonlyArray<readonly [string, Cell]>): string {
  const width = Math.max(...pairs.map(([k]) => k.length));
  return pairs.map(([k, v]) => `  ${k.padEnd(width)}  ${v ?? "-"}`).join("\n");
}

/** The headline trading statistics of a run, in % where they are shares. */
export function performanceRows(s: PerformanceStats): Array<[string, Cell]> {
  return [
    ["days", `${s.days} (${s.start} .. ${s.end})`],
    ["total return %", pct(s.totalReturn)],
    ["CAGR %", pct(s.cagr)],
    ["sharpe", fixed(s.sharpe)],
    ["sortino", fixed(s.sortino)],
    ["max drawdown %", pct(s.maxDrawdown)],
    ["daily hit %", pct(s.dailyHitRate)],
    ["tranche hit %", pct(s.trancheHitRate)],
    ["fees %", pct(-s.costs.fee)],
    ["slippage %", pct(-s.costs.slippage)],
    ["funding %", pct(s.costs.funding)],
    ["avg turnover %", pct(s.averageTurnover)],
  ];
}

/**
 * A frame's rows as plain objects (numbers and strings), for JSON output and tables.
 *
 * @param frame - any frame
 * @returns one object per row, columns in frame order
 * @example
 * frameRows(summarizeScores(scores)); // [{ score: "prediction_corr", mean: 0.02, ... }]
 */
export function frameRows(frame: NumerFrame): Array<Record<string, string | number>> {
  const cols = frame.columnNames.map((name) => {
    const values = frame.column(name);
    return [name, ArrayBuffer.isView(values) ? (values as ArrayLike<number>) : frame.strings(name)] as const;
  });
  return Array.from({ length: frame.numRows }, (_, i) => Object.fromEntries(cols.map(([name, values]) => [name, values[i]!])));
}

/**
 * A value made JSON-safe: non-finite numbers become null (JSON has no NaN), typed arrays plain
 * arrays. JSON.stringify would turn NaN into null too; this makes it explicit and recursive.
 */
export function jsonSafe(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) return Array.from(value as unknown as ArrayLike<number>, (v) => jsonSafe(v));
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v !== "function" && v !== undefined).map(([k, v]) => [k, jsonSafe(v)]));
  }
  return value;
}
