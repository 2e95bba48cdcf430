import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import {
  type ColumnInput,
  NumerFrame,
  NumerFrameError,
  checkOptionPaths,
  isErrorCode,
  parseOptions,
} from "@nmrblox/numerframe";
import { tableToIPC } from "apache-arrow";
import { z } from "zod";
import { type BacktestOptions, backtestInput, backtestOptions } from "./options.js";
import { type BacktestInput, runBacktest } from "./run-backtest.js";
import { type BacktestSummary, SUMMARY_COLUMNS, summarizeBacktest } from "./summary.js";
import { type SweepFailure, type SweepRequest, type SweepResponse, type SweepWorkerData, locationOf } from "./sweep-protocol.js";

/** Options of {@link sweep}. */
export const sweepOptions = z.strictObject({
  /** Worker threads; 0 runs every configuration on the calling thread. */
  workers: z.number().int().min(0).default(Math.max(1, Math.min(4, availableParallelism() - 1))),
  /** Called after each finished configuration (done, total). */
  onProgress: z.custom<(done: number, total: number) => void>((v) => typeof v === "function", { message: "expected a function" }).optional(),
});
export type SweepOptions = z.input<typeof sweepOptions>;

/** A grid: dotted option paths, each with the values to try. */
const sweepGrid = z.record(z.string(), z.array(z.unknown()).min(1, { message: "has no values" }));

/**
 * A configuration of a sweep failed; `config` is its row in the grid (−1 when a worker could
 * not start). The error the configuration raised is the `cause`, and its column, symbol, date
 * or option is copied here, so a failure in a worker thread reads like one on the calling thread.
 */
export class SweepError extends NumerFrameError {
  readonly config: number;

  /**
   * @param config - the configuration's row, or −1
   * @param message - what went wrong
   * @param cause - the underlying error
   */
  constructor(config: number, message: string, cause?: unknown) {
    super("SWEEP_FAILED", `sweep configuration ${config}: ${message}`, locationOf(cause), cause === undefined ? undefined : { cause });
    this.config = config;
  }
}

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
 * Runs a backtest per grid configuration (see {@link sweepConfigurations}) across worker
 * threads. Frames go to each worker once as Arrow IPC; each worker builds the market panel once.
 *
 * @param base - the frames and the options shared by every configuration (as for `runBacktest`)
 * @param grid - dotted option paths, each with the values to try
 * @param options - `workers` (0 runs on the calling thread) and `onProgress(done, total)`
 * @returns one row per configuration: config, one column per grid key (numbers as Float64,
 *   other values as JSON text), then the {@link summarizeBacktest} metrics
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown option, grid key or invalid
 *   configuration, before any backtest runs; SweepError (SWEEP_FAILED) when a configuration
 *   fails, with the configuration's row and the original error as `cause`
 * @example
 * const rows = await sweep({ signals, market }, { "portfolio.holdDays": [10, 30], netting: [true, false] }, { workers: 2 });
 */
export async function sweep(
  base: BacktestInput,
  grid: Readonly<Record<string, readonly unknown[]>>,
  options: SweepOptions = {},
): Promise<NumerFrame> {
  const { workers, onProgress } = parseOptions(sweepOptions, options, "sweep");
  parseOptions(backtestInput, base, "sweep");
  const { signals, market, universe, onProgress: _ignored, ...baseOptions } = base;
  const configs = sweepConfigurations(baseOptions, grid);
  const summaries =
    workers === 0
      ? configs.map((c, i) => {
          const s = runConfig(base, c, i);
          onProgress?.(i + 1, configs.length);
          return s;
        })
      : await runOnWorkers({ signals, market, universe }, configs, Math.min(workers, configs.length), onProgress);
  return sweepFrame(grid, summaries);
}

function runConfig(base: BacktestInput, config: BacktestOptions, index: number): BacktestSummary {
  try {
    return summarizeBacktest(runBacktest({ signals: base.signals, market: base.market, universe: base.universe, ...config }));
  } catch (error) {
    throw new SweepError(index, (error as Error).message, error);
  }
}

/** How a worker starts: the built worker file directly, or (from TypeScript sources) through tsx. */
function workerLaunch(): { script: string | URL; eval: boolean; execArgv?: string[]; extra: Record<string, string> } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL("./sweep-worker.js", here), eval: false, extra: {} };
  let tsxApi: string;
  try {
    tsxApi = pathToFileURL(createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  } catch (error) {
    throw new SweepError(-1, "running from TypeScript sources needs the `tsx` package for worker threads", error);
  }
  const boot = `const { workerData } = require("node:worker_threads");
(async () => { const { register } = await import(workerData.tsxApi); register(); await import(workerData.entry); })();`;
  return {
    script: boot,
    eval: true,
    execArgv: ["--conditions=@nmrblox/source"],
    extra: { tsxApi, entry: new URL("./sweep-worker.ts", here).href },
  };
}

function runOnWorkers(
  frames: { signals: NumerFrame; market: NumerFrame; universe?: NumerFrame | undefined },
  configs: readonly BacktestOptions[],
  count: number,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<BacktestSummary[]> {
  const launch = workerLaunch();
  const data: SweepWorkerData & Record<string, unknown> = {
    signals: tableToIPC(frames.signals.table),
    market: tableToIPC(frames.market.table),
    ...(frames.universe !== undefined ? { universe: tableToIPC(frames.universe.table) } : {}),
    ...launch.extra,
  };
  const results = new Array<BacktestSummary>(configs.length);
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let failed = false;
    const stop = () => Promise.all(pool.map((w) => w.terminate()));
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      void stop().then(() => reject(error));
    };
    const feed = (worker: Worker) => {
      if (next >= configs.length) return;
      const request: SweepRequest = { index: next, options: configs[next]! };
      next++;
      worker.postMessage(request);
    };
    for (let w = 0; w < count; w++) {
      const worker = new Worker(launch.script, {
        eval: launch.eval,
        workerData: data,
        ...(launch.execArgv !== undefined ? { execArgv: launch.execArgv } : {}),
      });
      pool.push(worker);
      worker.on("message", (response: SweepResponse) => {
        if ("error" in response) {
          fail(new SweepError(response.index, `${response.error.name}: ${response.error.message}`, workerError(response.error)));
          return;
        }
        results[response.index] = response.summary;
        done++;
        onProgress?.(done, configs.length);
        if (done === configs.length) void stop().then(() => resolve(results));
        else feed(worker);
      });
      worker.on("error", (error) => fail(new SweepError(-1, `worker failed: ${error.message}`, error)));
      feed(worker);
    }
  });
}

/** The error a worker reported, rebuilt on this thread with its class name, code and location. */
function workerError(e: SweepFailure): Error {
  const error = isErrorCode(e.code) ? new NumerFrameError(e.code, e.message, e.location ?? {}) : new Error(e.message);
  Object.defineProperty(error, "name", { value: e.name, configurable: true, writable: true });
  return error;
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
