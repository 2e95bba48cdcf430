// The worker pool behind `sweep`: workers start at once, the frames are serialized once into
// shared memory while they boot, every worker reads the same bytes and builds its market panel
// once, and then takes configurations one at a time for as long as the pool lives, so a second
// sweep over the same frames pays no start-up at all.
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type NumerFrame, NumerFrameError, isErrorCode, parseOptions } from "@nmrblox/numerframe";
import { type SharedMarketPanel, marketPanel, sharePanel } from "@nmrblox/numerframe/internal";
import { tableToIPC } from "apache-arrow";
import type { BacktestOptions } from "./options.js";
import { type SweepFrameSet, runConfig } from "./run-config.js";
import type { SelectBaskets } from "./run-backtest.js";
import { selectionMemo } from "./selection-memo.js";
import { SweepError } from "./sweep-error.js";
import { sweepConfigurations, sweepFrame } from "./sweep-grid.js";
import { type SweepPoolOptions, type SweepRunOptions, sweepPoolOptions, sweepRunOptions } from "./sweep-options.js";
import type { ConfigResult, SweepFailure, SweepFrames, SweepRequest, SweepResponse } from "./sweep-protocol.js";

/** How one batch of configurations runs on a pool. */
export interface PoolRunSettings {
  /**
   * Runs configurations on the calling thread while no worker is ready yet, so worker start-up
   * (module loading, rebuilding the frames) does not leave the calling thread idle and the first
   * result comes early. The calling thread stops taking configurations once a worker is ready,
   * unless the pool has fewer workers than the machine has cores (the default: cores less one):
   * then it keeps taking them, as one more worker on the core the pool leaves free.
   */
  fillWhileStarting: boolean;
  /** Runs one configuration on the calling thread (throws a SweepError naming it). */
  inline?: ((index: number) => ConfigResult) | undefined;
  /** Called as each configuration finishes, in completion order. */
  onResult?: ((index: number, result: ConfigResult, done: number, total: number) => void) | undefined;
  /** Stops this batch: its promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/** One batch of configurations in flight. */
interface Batch {
  configs: readonly BacktestOptions[];
  results: ConfigResult[];
  done: number;
  settled: boolean;
  settings: PoolRunSettings;
  finish: (error?: unknown) => void;
}

interface Task {
  batch: Batch;
  index: number;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  /** Configurations sent and not answered yet, oldest first (the worker answers in order). */
  tasks: Task[];
}

/**
 * Configurations a worker holds at once: the one it runs and the next, already in its message
 * queue, so it never waits for a round trip through the calling thread between two.
 */
const IN_FLIGHT = 2;

/**
 * A pool of worker threads holding one set of frames, for many sweeps over the same data: the
 * workers start when the pool is made, receive the frames once (Arrow IPC in shared memory,
 * read in place), build their market panel once, and then run configurations one at a time,
 * each answered as soon as it finishes. Results are bit-identical to `runBacktest` on the
 * calling thread. Close the pool when done (idle workers do not keep the process alive).
 *
 * @example
 * const pool = new SweepPool({ signals, market }, { workers: 2 });
 * try {
 *   const byHold = await pool.sweep({ portfolio: { long: 25, short: 25 } }, { "portfolio.holdDays": [10, 20, 30] });
 *   const byTranches = await pool.sweep({}, { "portfolio.tranches": [10, 20, 40] });
 * } finally {
 *   await pool.close();
 * }
 */
export class SweepPool {
  /** Worker threads in the pool. */
  readonly workers: number;
  readonly #frames: SweepFrameSet;
  /** Selections shared by the configurations this thread runs while the workers start. */
  readonly #select: SelectBaskets;
  /** Fewer workers than cores: the calling thread runs configurations beside them. */
  readonly #spareCore: boolean;
  readonly #slots: Slot[] = [];
  readonly #queue: Task[] = [];
  readonly #batches = new Set<Batch>();
  #broken: SweepError | undefined;
  #closed = false;

  /**
   * Starts the workers and sends them the frames.
   *
   * @param frames - the signals, market and optional universe every sweep on this pool uses
   * @param options - `workers` (at least 1; by default the cores less one, at most 4)
   * @throws InvalidOptionError (INVALID_OPTION) for an unknown or bad option; SweepError
   *   (SWEEP_FAILED, config −1) when the frames cannot be serialized or, from TypeScript
   *   sources, `tsx` is missing
   */
  constructor(frames: SweepFrameSet, options: SweepPoolOptions = {}) {
    const { workers } = parseOptions(sweepPoolOptions, options, "SweepPool");
    this.workers = workers;
    this.#frames = frames;
    this.#select = selectionMemo(frames.signals, frames.universe);
    this.#spareCore = workers < availableParallelism();
    const launch = workerLaunch();
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(launch.script, {
        eval: launch.eval,
        workerData: launch.extra,
        ...(launch.execArgv !== undefined ? { execArgv: launch.execArgv } : {}),
      });
      const slot: Slot = { worker, ready: false, tasks: [] };
      this.#slots.push(slot);
      worker.unref();
      worker.on("message", (response: SweepResponse) => this.#answer(slot, response));
      worker.on("error", (error) => this.#fail(new SweepError(-1, `worker failed: ${error.message}`, error)));
      worker.on("exit", (code) => this.#fail(new SweepError(-1, `a worker exited (code ${code})`)));
    }
    // Serialized after the workers are started, so their boot overlaps this work.
    let message: SweepFrames;
    try {
      message = {
        kind: "frames",
        signals: shared(frames.signals),
        market: shared(frames.market),
        universe: frames.universe === undefined ? undefined : shared(frames.universe),
        panel: sharedPanelOf(frames.market),
      };
    } catch (error) {
      void this.close();
      throw new SweepError(-1, `the frames could not be sent to the workers: ${(error as Error).message}`, error);
    }
    for (const slot of this.#slots) slot.worker.postMessage(message);
  }

  /**
   * Runs a backtest per grid configuration (see `sweepConfigurations`) on the pool's workers.
   * While no worker is ready yet (the first sweep on a new pool), and all along when the pool
   * has fewer workers than the machine has cores, the calling thread runs configurations itself.
   * Sweeps may overlap; their configurations share the workers in order.
   *
   * @param base - backtest options shared by every configuration (the frames are the pool's)
   * @param grid - dotted option paths, each with the values to try
   * @param options - `onProgress(done, total, result)` per finished configuration, and an abort `signal`
   * @returns one row per configuration, as `sweep` returns
   * @throws InvalidOptionError (INVALID_OPTION) for an unknown option, grid key or invalid
   *   configuration, before any backtest runs; SweepError (SWEEP_FAILED) when a configuration
   *   fails (its row and the original error as `cause`; the pool stays usable) or the pool is
   *   closed or broken (config −1); the signal's reason when aborted
   * @example
   * const rows = await pool.sweep({ portfolio: { long: 25, short: 25 } }, { "portfolio.holdDays": [10, 30] });
   */
  async sweep(base: BacktestOptions, grid: Readonly<Record<string, readonly unknown[]>>, options: SweepRunOptions = {}): Promise<NumerFrame> {
    const { onProgress, signal } = parseOptions(sweepRunOptions, options, "SweepPool.sweep");
    const configs = sweepConfigurations(base, grid);
    const results = await this.run(configs, {
      fillWhileStarting: true,
      inline: (i) => runConfig(this.#frames, configs[i]!, i, this.#select),
      onResult: onProgress === undefined ? undefined : (config, result, done, total) => onProgress(done, total, { config, ...result }),
      signal,
    });
    return sweepFrame(
      grid,
      results.map((r) => r.summary),
    );
  }

  /**
   * Runs validated configurations on the pool (the engine under {@link SweepPool.sweep}).
   *
   * @param configs - validated backtest options, one per configuration
   * @param settings - calling-thread fill-in, result callback and abort signal
   * @returns the results (summary and daily equity), in configuration order
   * @throws SweepError naming the first configuration that failed (−1 when the pool is closed
   *   or a worker could not start or died); the signal's reason when aborted
   * @example
   * const results = await pool.run(configs, { fillWhileStarting: false });
   */
  run(configs: readonly BacktestOptions[], settings: PoolRunSettings): Promise<ConfigResult[]> {
    const { signal } = settings;
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#closed) return Promise.reject(new SweepError(-1, "the pool is closed"));
    if (this.#broken !== undefined) return Promise.reject(this.#broken);
    if (configs.length === 0) return Promise.resolve([]);
    return new Promise((resolve, reject) => {
      const onAbort = () => batch.finish(signal!.reason);
      const batch: Batch = {
        configs,
        results: new Array<ConfigResult>(configs.length),
        done: 0,
        settled: false,
        settings,
        finish: (error?: unknown) => {
          if (batch.settled) return;
          batch.settled = true;
          signal?.removeEventListener("abort", onAbort);
          this.#batches.delete(batch);
          if (this.#batches.size === 0) for (const slot of this.#slots) slot.worker.unref();
          if (error === undefined) resolve(batch.results);
          else reject(error);
        },
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#batches.add(batch);
      // A running batch keeps the process alive until it settles.
      for (const slot of this.#slots) slot.worker.ref();
      for (let i = 0; i < configs.length; i++) this.#queue.push({ batch, index: i });
      this.#pump();
      if (settings.fillWhileStarting && settings.inline !== undefined) void this.#fillIn(batch);
    });
  }

  /**
   * Stops every worker. Sweeps still running reject with a SweepError; later sweeps too.
   *
   * @returns when every worker has exited
   * @throws never
   * @example
   * await pool.close();
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#failBatches(new SweepError(-1, "the pool was closed before the sweep finished"));
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate().catch(() => undefined)));
  }

  #answer(slot: Slot, response: SweepResponse): void {
    if (response.kind === "ready") {
      if ("error" in response) {
        this.#fail(new SweepError(-1, `a worker could not read the frames: ${response.error.message}`, workerError(response.error)));
        return;
      }
      slot.ready = true;
    } else {
      const task = slot.tasks.shift()!;
      if (!task.batch.settled) {
        if ("error" in response) {
          task.batch.finish(new SweepError(response.index, `${response.error.name}: ${response.error.message}`, workerError(response.error)));
        } else {
          record(task.batch, response.index, { summary: response.summary, equity: response.equity });
        }
      }
    }
    this.#pump();
  }

  /** Gives every idle ready worker the next configuration of a batch still running. */
  #pump(): void {
    // Round by round, so with fewer configurations than slots every worker still gets one.
    for (let depth = 1; depth <= IN_FLIGHT; depth++) {
      for (const slot of this.#slots) {
        if (!slot.ready || slot.tasks.length >= depth) continue;
        const task = this.#take();
        if (task === undefined) return;
        slot.tasks.push(task);
        const request: SweepRequest = { kind: "run", index: task.index, options: task.batch.configs[task.index]! };
        slot.worker.postMessage(request);
      }
    }
  }

  #take(): Task | undefined {
    while (this.#queue.length > 0) {
      const task = this.#queue.shift()!;
      if (!task.batch.settled) return task;
    }
    return undefined;
  }

  async #fillIn(batch: Batch): Promise<void> {
    while (!batch.settled && (this.#spareCore || !this.#slots.some((s) => s.ready)) && this.#queue.length > 0) {
      const task = this.#take();
      if (task === undefined) return;
      let result: ConfigResult;
      try {
        result = task.batch.settings.inline!(task.index);
      } catch (error) {
        task.batch.finish(error);
        return;
      }
      if (!task.batch.settled) record(task.batch, task.index, result);
      // Let worker messages ("ready", results) and an abort in before taking another one.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** A worker failed or died: the pool cannot go on. */
  #fail(error: SweepError): void {
    if (this.#closed || this.#broken !== undefined) return;
    this.#broken = error;
    this.#failBatches(error);
    for (const slot of this.#slots) void slot.worker.terminate().catch(() => undefined);
  }

  #failBatches(error: SweepError): void {
    for (const batch of [...this.#batches]) batch.finish(error);
    this.#queue.length = 0;
  }
}

function record(batch: Batch, index: number, result: ConfigResult): void {
  batch.results[index] = result;
  batch.done++;
  try {
    batch.settings.onResult?.(index, result, batch.done, batch.configs.length);
  } catch (error) {
    batch.finish(error);
    return;
  }
  if (batch.done === batch.configs.length) batch.finish();
}

/**
 * Runs configurations on a pool that lives for this call only: started, used, and closed at the
 * end, on the first failure and on abort.
 *
 * @param frames - the frames shared by every configuration
 * @param configs - validated backtest options, one per configuration
 * @param settings - worker count, calling-thread fill-in, result callback and abort signal
 * @returns the results (summary and daily equity), in configuration order
 * @throws SweepError (SWEEP_FAILED) naming the first configuration that failed (−1 when a worker
 *   could not start); the signal's reason when aborted
 * @example
 * const results = await runPool({ signals, market }, configs, { workers: 2, fillWhileStarting: true, inline: (i) => run(i) });
 */
export async function runPool(frames: SweepFrameSet, configs: readonly BacktestOptions[], settings: PoolRunSettings & { workers: number }): Promise<ConfigResult[]> {
  const { workers, ...run } = settings;
  if (run.signal?.aborted) throw run.signal.reason;
  if (configs.length === 0) return [];
  const pool = new SweepPool(frames, { workers: Math.min(workers, configs.length) });
  try {
    return await pool.run(configs, run);
  } finally {
    await pool.close();
  }
}

/**
 * The market panel in shared memory: built (or taken from the cache) once here, read by every
 * worker in place. One copy for all workers fits the CPU's shared cache where one per worker
 * does not (500 coins × 5 years is 31 MB). Undefined when the market is invalid: each worker
 * then meets the error itself and reports it with the configuration, as a serial run would.
 */
function sharedPanelOf(market: NumerFrame): SharedMarketPanel | undefined {
  try {
    return sharePanel(marketPanel(market));
  } catch {
    return undefined;
  }
}

/** A frame's Arrow IPC bytes in one SharedArrayBuffer, read in place by every worker. */
function shared(frame: NumerFrame): SharedArrayBuffer {
  const bytes = tableToIPC(frame.table);
  const buffer = new SharedArrayBuffer(bytes.byteLength);
  new Uint8Array(buffer).set(bytes);
  return buffer;
}

/** How a worker starts: the built worker file directly, or (from TypeScript sources) through tsx. */
function workerLaunch(): { script: string | URL; eval: boolean; execArgv?: string[]; extra: Record<string, string> } {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL("./sweep-worker.js", here), eval: false, execArgv: builtExecArgv(process.execArgv), extra: {} };
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

/**
 * The calling process's flags for a built worker, without a `@nmrblox/source` export condition:
 * built code run under that condition (a workspace script started with it) would otherwise
 * resolve the packages to TypeScript sources that plain Node cannot load.
 */
function builtExecArgv(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--conditions=@nmrblox/source" || arg === "-C=@nmrblox/source") continue;
    if ((arg === "--conditions" || arg === "-C") && argv[i + 1] === "@nmrblox/source") {
      i++;
      continue;
    }
    out.push(arg);
  }
  return out;
}

/** The error a worker reported, rebuilt on this thread with its class name, code and location. */
function workerError(e: SweepFailure): Error {
  const error = isErrorCode(e.code) ? new NumerFrameError(e.code, e.message, e.location ?? {}) : new Error(e.message);
  Object.defineProperty(error, "name", { value: e.name, configurable: true, writable: true });
  return error;
}
