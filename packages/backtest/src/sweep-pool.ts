// The worker pool behind `sweep`: workers start first, the frames are serialized once into shared
// memory while they boot, every worker reads the same bytes, and results stream back one by one.
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type NumerFrame, NumerFrameError, isErrorCode } from "@nmrblox/numerframe";
import { tableToIPC } from "apache-arrow";
import type { BacktestOptions } from "./options.js";
import { type ConfigResult, type SweepFailure, type SweepFrames, type SweepRequest, type SweepResponse, locationOf } from "./sweep-protocol.js";

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

/** The frames every configuration of a sweep shares. */
export interface PoolFrames {
  signals: NumerFrame;
  market: NumerFrame;
  universe?: NumerFrame | undefined;
}

/** How {@link runPool} runs a sweep's configurations. */
export interface PoolSettings {
  /** Worker threads to start (at least 1). */
  workers: number;
  /**
   * Runs configurations on the calling thread while no worker is ready yet, so worker start-up
   * (module loading, rebuilding the frames) does not leave the calling thread idle and the first
   * result comes early. The calling thread stops taking configurations once a worker is ready.
   */
  fillWhileStarting: boolean;
  /** Runs one configuration on the calling thread (throws a SweepError naming it). */
  inline: (index: number) => ConfigResult;
  /** Called as each configuration finishes, in completion order. */
  onResult?: ((index: number, result: ConfigResult, done: number, total: number) => void) | undefined;
  /** Stops the pool: the workers are terminated and the promise rejects with the signal's reason. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs every configuration on a pool of worker threads that lives for this call: the workers
 * start first, the frames go to all of them once as Arrow IPC in SharedArrayBuffers, each worker
 * asks for its next configuration as soon as it has answered the previous one, and every worker
 * is terminated at the end, on the first failure and on abort.
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
export function runPool(frames: PoolFrames, configs: readonly BacktestOptions[], settings: PoolSettings): Promise<ConfigResult[]> {
  const { signal, onResult, inline } = settings;
  const total = configs.length;
  const results = new Array<ConfigResult>(total);
  if (signal?.aborted) return Promise.reject(signal.reason);
  if (total === 0) return Promise.resolve(results);
  const launch = workerLaunch();
  return new Promise((resolve, reject) => {
    const pool: Worker[] = [];
    let next = 0;
    let done = 0;
    let ready = 0;
    let settled = false;
    const onAbort = () => finish(signal!.reason);
    const finish = (error?: unknown) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener("abort", onAbort);
      const stopped = Promise.all(pool.map((w) => w.terminate()));
      void stopped.then(
        () => (error === undefined ? resolve(results) : reject(error)),
        () => (error === undefined ? resolve(results) : reject(error)),
      );
    };
    signal?.addEventListener("abort", onAbort, { once: true });
    const record = (index: number, result: ConfigResult) => {
      results[index] = result;
      done++;
      try {
        onResult?.(index, result, done, total);
      } catch (error) {
        finish(error);
        return;
      }
      if (done === total) finish();
    };
    const feed = (worker: Worker) => {
      if (settled || next >= total) return;
      const request: SweepRequest = { kind: "run", index: next, options: configs[next]! };
      next++;
      worker.postMessage(request);
    };
    const count = Math.min(settings.workers, total);
    for (let w = 0; w < count; w++) {
      const worker = new Worker(launch.script, {
        eval: launch.eval,
        workerData: launch.extra,
        ...(launch.execArgv !== undefined ? { execArgv: launch.execArgv } : {}),
      });
      pool.push(worker);
      worker.on("message", (response: SweepResponse) => {
        if (settled) return;
        if (response.kind === "ready") {
          if ("error" in response) {
            finish(new SweepError(-1, `a worker could not read the frames: ${response.error.message}`, workerError(response.error)));
            return;
          }
          ready++;
        } else if ("error" in response) {
          finish(new SweepError(response.index, `${response.error.name}: ${response.error.message}`, workerError(response.error)));
          return;
        } else {
          record(response.index, { summary: response.summary, equity: response.equity });
        }
        feed(worker);
      });
      worker.on("error", (error) => finish(new SweepError(-1, `worker failed: ${error.message}`, error)));
      worker.on("exit", (code) => finish(new SweepError(-1, `a worker exited (code ${code}) before the sweep finished`)));
    }
    // Serialized after the workers are started, so their boot overlaps this work.
    let message: SweepFrames;
    try {
      message = { kind: "frames", signals: shared(frames.signals), market: shared(frames.market), universe: frames.universe === undefined ? undefined : shared(frames.universe) };
    } catch (error) {
      finish(error);
      return;
    }
    for (const worker of pool) worker.postMessage(message);
    if (settings.fillWhileStarting) void fillIn();

    async function fillIn(): Promise<void> {
      while (!settled && ready === 0 && next < total) {
        const index = next++;
        let result: ConfigResult;
        try {
          result = inline(index);
        } catch (error) {
          finish(error);
          return;
        }
        record(index, result);
        // Let worker messages ("ready", results) and an abort in before taking another one.
        await new Promise((r) => setImmediate(r));
      }
    }
  });
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

/** The error a worker reported, rebuilt on this thread with its class name, code and location. */
function workerError(e: SweepFailure): Error {
  const error = isErrorCode(e.code) ? new NumerFrameError(e.code, e.message, e.location ?? {}) : new Error(e.message);
  Object.defineProperty(error, "name", { value: e.name, configurable: true, writable: true });
  return error;
}
