import { type NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { backtestInput } from "./options.js";
import type { BacktestInput } from "./run-backtest.js";
import { runConfig } from "./run-config.js";
import { selectionMemo } from "./selection-memo.js";
import { sweepConfigurations, sweepFrame } from "./sweep-grid.js";
import { type SweepOptions, sweepOptions } from "./sweep-options.js";
import { runPool } from "./sweep-pool.js";
import type { ConfigResult } from "./sweep-protocol.js";

/**
 * Runs a backtest per grid configuration (see {@link sweepConfigurations}) on a pool of worker
 * threads that lives for this call (for several sweeps over the same frames, keep a
 * {@link SweepPool} instead: it pays the start-up once). The frames are serialized once as Arrow
 * IPC into shared memory that every worker reads in place; each worker rebuilds them and the
 * market panel once, then takes configurations one after another and answers each as soon as it
 * finishes. While no worker is ready yet, the calling thread runs configurations itself, so
 * start-up is not idle time; with fewer workers than cores (the default is cores less one) it
 * keeps doing so beside them. Every summary is bit-identical to
 * `summarizeBacktest(runBacktest(...))` on the calling thread. Workers are terminated at the
 * end, on the first failure and on abort.
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
  const frames = { signals, market, universe };
  const configs = sweepConfigurations(baseOptions, grid);
  // Configurations that differ only in timing, sizing or costs share one basket selection.
  const select = selectionMemo(signals, universe);
  const inline = (i: number) => runConfig(frames, configs[i]!, i, select);
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
    results = await runPool(frames, configs, { workers, fillWhileStarting: true, inline, onResult: report, signal });
  }
  return sweepFrame(
    grid,
    results.map((r) => r.summary),
  );
}
