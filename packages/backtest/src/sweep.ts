import { availableParallelism } from "node:os";
import { type ColumnInput, NumerFrame, checkOptionPaths, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { type BacktestOptions, backtestInput, backtestOptions } from "./options.js";
import { type BacktestInput, runBacktest } from "./run-backtest.js";
import { type BacktestSummary, SUMMARY_COLUMNS, summarizeBacktest } from "./summary.js";
import { SweepError, runPool } from "./sweep-pool.js";
import type { ConfigResult } from "./sweep-protocol.js";

export { SweepError } from "./sweep-pool.js";

/**
 * A finished configuration, as `onProgress` receives it: its row in the grid, its summary and
 * its daily equity (the `equity` column of `runBacktest(...).daily`).
 */
export interface SweepResult {
  config: number;
  summary: BacktestSummary;
  equity: Float64Array;
}

/** Options of {@link sweep}. */
export const sweepOptions = z.strictObject({
  /** Worker threads; 0 runs every configuration on the calling thread. */
  workers: z.number().int().min(0).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  /**
   * Called as each configuration finishes, in completion order (done, total, and the finished
   * configuration's row, summary and daily equity), so results stream before the whole sweep is over.
   */
  onProgress: z
    .custom<(done: number, total: number, result: SweepResult) => void>((v) => typeof v === "function", { message: "expected a function" })
    .optional(),
  /** Aborting stops the sweep: workers are terminated and the promise rejects with the signal's reason. */
  signal: z.instanceof(AbortSignal).optional(),
});
/** Sweep options as a caller writes them (defaults optional); see `sweepOptions`. */
export type SweepOptions = z.input<typeof sweepOptions>;

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
 * Runs a backtest per grid configuration (see {@link sweepConfigurations}) on a pool of worker
 * threads that lives for this call. The frames are serialized once as Arrow IPC into shared
 * memory that every worker reads in place; each worker rebuilds them and the market panel once,
 * then takes configurations one after another and answers each as soon as it finishes. While no
 * worker is ready yet, the calling thread runs configurations itself, so start-up is not idle
 * time. Every summary is bit-identical to `summarizeBacktest(runBacktest(...))` on the calling
 * thread. Workers are terminated at the end, on the first failure and on abort.
 *
 * @param base - the frames and the options shared by every configuration (as for `runBacktest`)
 * @param grid - dotted option paths, each with the values to try
 * @param options - `workers` (0 runs on the calling thread), `onProgress(done, total, result)`
 *   called per finished configuration, and an abort `signal`
 * @returns one row per configuration: config, one column per grid key (numbers as Float64,
 *   other values as JSON text), then the {@link summarizeBacktest} metrics
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown option, grid key or invalid
 *   configuration, before any backtest runs; SweepError (SWEEP_FAILED) when a configuration
 *   fails, with the configuration's row and the original error as `cause`; the signal's reason
 *   when aborted
 * @example
 * const rows = await sweep({ signals, market }, { "portfolio.holdDays": [10, 30], netting: [true, false] }, {
 *   workers: 2,
 *   onProgress: (done, total, { config, summary }) => log(`${done}/${total}: #${config} sharpe ${summary.sharpe}`),
 * });
 */
export async function sweep(
  base: BacktestInput,
  grid: Readonly<Record<string, readonly unknown[]>>,
  options: SweepOptions = {},
): Promise<NumerFrame> {
  const { workers, onProgress, signal } = parseOptions(sweepOptions, options, "sweep");
  parseOptions(backtestInput, base, "sweep");
  const { signals, market, universe, onProgress: _ignored, ...baseOptions } = base;
  const configs = sweepConfigurations(baseOptions, grid);
  const inline = (i: number) => runConfig(base, configs[i]!, i);
  const report =
    onProgress === undefined ? undefined : (config: number, result: ConfigResult, done: number, total: number) => onProgress(done, total, { config, ...result });
  let results: ConfigResult[];
  if (workers === 0) {
    results = [];
    for (let i = 0; i < configs.length; i++) {
      signal?.throwIfAborted();
      results.push(inline(i));
      report?.(i, results[i]!, i + 1, configs.length);
    }
  } else {
    results = await runPool({ signals, market, universe }, configs, { workers, fillWhileStarting: true, inline, onResult: report, signal });
  }
  return sweepFrame(
    grid,
    results.map((r) => r.summary),
  );
}

function runConfig(base: BacktestInput, config: BacktestOptions, index: number): ConfigResult {
  try {
    const result = runBacktest({ signals: base.signals, market: base.market, universe: base.universe, ...config });
    return { summary: summarizeBacktest(result), equity: result.daily.float64("equity").slice() };
  } catch (error) {
    throw new SweepError(index, (error as Error).message, error);
  }
}

function sweepFrame(grid: Readonly<Record<string, readonly unknown[]>>, summaries: readonly BacktestSummary[]): NumerFrame {
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
