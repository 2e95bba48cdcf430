import type { ErrorLocation } from "@nmrblox/numerframe";
import type { BacktestOptions } from "./options.js";
import type { BacktestSummary } from "./summary.js";

/** Frames handed to each sweep worker once, as Arrow IPC bytes. */
export interface SweepWorkerData {
  signals: Uint8Array;
  market: Uint8Array;
  universe?: Uint8Array | undefined;
}

/** One configuration to run; the worker validates it as strictly as `runBacktest` does. */
export interface SweepRequest {
  index: number;
  options: BacktestOptions;
}

/** An error raised in a worker, as plain data: its class name, message, code and location. */
export interface SweepFailure {
  name: string;
  message: string;
  code?: string;
  location?: ErrorLocation;
}

/** A configuration's summary, or the error it raised. */
export type SweepResponse = { index: number; summary: BacktestSummary } | { index: number; error: SweepFailure };

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
