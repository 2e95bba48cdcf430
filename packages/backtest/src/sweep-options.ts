import { availableParallelism } from "node:os";
import { z } from "zod";
import type { BacktestSummary } from "./summary.js";

/**
 * A finished configuration, as `onProgress` receives it: its row in the grid, its summary and
 * its daily equity (the `equity` column of `runBacktest(...).daily`).
 */
export interface SweepResult {
  config: number;
  summary: BacktestSummary;
  equity: Float64Array;
}

const defaultWorkers = () => Math.max(1, Math.min(4, availableParallelism() - 1));

/** Options of one sweep over a {@link SweepPool}: progress and abort (the pool fixes the workers). */
export const sweepRunOptions = z.strictObject({
  /**
   * Called as each configuration finishes, in completion order (done, total, and the finished
   * configuration's row, summary and daily equity), so results stream before the whole sweep is over.
   */
  onProgress: z
    .custom<(done: number, total: number, result: SweepResult) => void>((v) => typeof v === "function", { message: "expected a function" })
    .optional(),
  /** Aborting stops the sweep: the promise rejects with the signal's reason. */
  signal: z.instanceof(AbortSignal).optional(),
});
/** Options of `SweepPool.sweep`, as a caller writes them; see `sweepRunOptions`. */
export type SweepRunOptions = z.input<typeof sweepRunOptions>;

/** Options of {@link sweep}. */
export const sweepOptions = z.strictObject({
  /** Worker threads; 0 runs every configuration on the calling thread. */
  workers: z.number().int().min(0).default(defaultWorkers),
  ...sweepRunOptions.shape,
});
/** Sweep options as a caller writes them (defaults optional); see `sweepOptions`. */
export type SweepOptions = z.input<typeof sweepOptions>;

/** Options of a {@link SweepPool}. */
export const sweepPoolOptions = z.strictObject({
  /** Worker threads the pool keeps (at least 1); by default the cores less one, at most 4. */
  workers: z.number().int().min(1).default(defaultWorkers),
});
/** Pool options as a caller writes them; see `sweepPoolOptions`. */
export type SweepPoolOptions = z.input<typeof sweepPoolOptions>;
