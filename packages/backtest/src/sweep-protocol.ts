import type { ErrorLocation } from "@nmrblox/numerframe";
import type { SharedMarketPanel } from "@nmrblox/numerframe/internal";
import type { BacktestOptions } from "./options.js";
import type { BacktestSummary } from "./summary.js";

/**
 * The frames, sent once per worker right after it starts: Arrow IPC bytes in SharedArrayBuffers,
 * serialized once on the calling thread and read in place by every worker (no copy per worker,
 * none per configuration).
 */
export interface SweepFrames {
  kind: "frames";
  signals: SharedArrayBuffer;
  market: SharedArrayBuffer;
  universe?: SharedArrayBuffer | undefined;
  /** The market panel the calling thread built, in shared memory; absent when it could not be built. */
  panel?: SharedMarketPanel | undefined;
}

/** One configuration to run; the worker validates it as strictly as `runBacktest` does. */
export interface SweepRequest {
  kind: "run";
  index: number;
  options: BacktestOptions;
}

/** What the calling thread sends a worker: the frames once, then configurations. */
export type SweepMessage = SweepFrames | SweepRequest;

/** What one configuration produced: its summary and its daily equity (one value per day of `daily`). */
export interface ConfigResult {
  summary: BacktestSummary;
  equity: Float64Array;
}

/** An error raised in a worker, as plain data: its class name, message, code and location. */
export interface SweepFailure {
  name: string;
  message: string;
  code?: string;
  location?: ErrorLocation;
}

/**
 * What a worker sends back: "ready" once its modules are loaded and the frames rebuilt, then per
 * configuration its summary or the error it raised, as soon as that configuration finishes.
 */
export type SweepResponse =
  | { kind: "ready" }
  | { kind: "ready"; error: SweepFailure }
  | { kind: "result"; index: number; summary: BacktestSummary; equity: Float64Array }
  | { kind: "result"; index: number; error: SweepFailure };

const LOCATION_KEYS = ["column", "era", "row", "path", "symbol", "date", "option"] as const;

/** The where-fields (column, symbol, date, option, ...) an error carries, as plain data that can cross threads. */
export function locationOf(error: unknown): ErrorLocation {
  const where: Record<string, unknown> = {};
  if (typeof error !== "object" || error === null) return where;
  for (const key of LOCATION_KEYS) {
    const value = (error as Record<string, unknown>)[key];
    if (value !== undefined) where[key] = value;
  }
  return where as ErrorLocation;
}
