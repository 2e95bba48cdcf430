import type { BacktestOptions } from "./options.js";
import type { BacktestSummary } from "./summary.js";

/** Frames handed to each sweep worker once, as Arrow IPC bytes. */
export interface SweepWorkerData {
  signals: Uint8Array;
  market: Uint8Array;
  universe?: Uint8Array | undefined;
}

/** One configuration to run. */
export interface SweepRequest {
  index: number;
  options: BacktestOptions;
}

/** A configuration's summary, or the error it raised. */
export type SweepResponse =
  | { index: number; summary: BacktestSummary }
  | { index: number; error: { name: string; message: string; code?: string } };
