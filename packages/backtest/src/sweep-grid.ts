import { type ColumnInput, NumerFrame, checkOptionPaths, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { type BacktestOptions, backtestOptions } from "./options.js";
import { type BacktestSummary, SUMMARY_COLUMNS } from "./summary.js";

/** A grid: dotted option paths, each with the values to try. */
const sweepGrid = z.record(z.string(), z.array(z.unknown()).min(1, { message: "has no values" }));

/**
 * The configurations of a grid: the cartesian product of its values (the first key varies
 * slowest), each applied to a copy of the base options at its dotted path
 * (e.g. "portfolio.holdDays", "netting", "costs"). Every configuration is validated up front.
 *
 * @param base - backtest options shared by every configuration
 * @param grid - dotted option paths of `backtestOptions`, each with a non-empty list of values
 * @returns one options object per configuration
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown option in `base`, a grid key that
 *   is not an option path (naming the nearest one: "portfolio.holdDay" → "portfolio.holdDays"),
 *   a key without values, or a configuration whose options are invalid
 * @example
 * sweepConfigurations({ portfolio: { long: 10 } }, { "portfolio.holdDays": [10, 30], netting: [true, false] }).length; // 4
 */
export function sweepConfigurations(base: BacktestOptions, grid: Readonly<Record<string, readonly unknown[]>>): BacktestOptions[] {
  parseOptions(backtestOptions, base, "sweep");
  parseOptions(sweepGrid, grid, "sweep grid");
  const keys = Object.keys(grid);
  checkOptionPaths(backtestOptions, keys, "sweep grid");
  const total = keys.reduce((n, k) => n * grid[k]!.length, 1);
  const plain: BacktestOptions = {
    ...(base.portfolio !== undefined ? { portfolio: base.portfolio } : {}),
    ...(base.costs !== undefined ? { costs: base.costs } : {}),
    ...(base.netting !== undefined ? { netting: base.netting } : {}),
  };
  const out: BacktestOptions[] = [];
  for (let i = 0; i < total; i++) {
    const config = structuredClone(plain) as Record<string, unknown>;
    let rest = i;
    for (let k = keys.length - 1; k >= 0; k--) {
      const values = grid[keys[k]!]!;
      setPath(config, keys[k]!, structuredClone(values[rest % values.length]));
      rest = Math.floor(rest / values.length);
    }
    parseOptions(backtestOptions, config, `sweep configuration ${i}`);
    out.push(config as BacktestOptions);
  }
  return out;
}

function setPath(target: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split(".");
  let node = target;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== "object" || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts.at(-1)!] = value;
}

/**
 * The result frame of a sweep: config, one column per grid key (numbers as Float64, other values
 * as JSON text), then the summary metrics.
 *
 * @param grid - the grid the configurations came from
 * @param summaries - one summary per configuration, in configuration order
 * @returns the sweep's frame
 * @throws never for summaries of the grid's own configurations
 * @example
 * sweepFrame({ netting: [true, false] }, summaries).numRows; // 2
 */
export function sweepFrame(grid: Readonly<Record<string, readonly unknown[]>>, summaries: readonly BacktestSummary[]): NumerFrame {
  const n = summaries.length;
  const columns: Record<string, ColumnInput> = { config: Int32Array.from({ length: n }, (_, i) => i) };
  const keys = Object.keys(grid);
  let stride = n;
  for (const key of keys) {
    const values = grid[key]!;
    stride /= values.length;
    const at = (i: number) => values[Math.floor(i / stride) % values.length];
    columns[key] = values.every((v) => typeof v === "number")
      ? Float64Array.from({ length: n }, (_, i) => at(i) as number)
      : Array.from({ length: n }, (_, i) => (typeof at(i) === "string" ? (at(i) as string) : JSON.stringify(at(i))));
  }
  for (const metric of SUMMARY_COLUMNS) columns[metric] = Float64Array.from(summaries, (s) => s[metric]);
  return NumerFrame.fromColumns(columns, { kind: "custom" }, { allowEmpty: true }).withProvenance({ blox: "sweep", options: { grid } });
}
