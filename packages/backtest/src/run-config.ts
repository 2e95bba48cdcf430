import type { NumerFrame } from "@nmrblox/numerframe";
import type { BacktestOptions } from "./options.js";
import { basketSelection } from "@nmrblox/portfolio/internal";
import { type SelectBaskets, runBacktestWith } from "./run-backtest.js";
import { summarizeBacktest } from "./summary.js";
import { SweepError } from "./sweep-error.js";
import type { ConfigResult } from "./sweep-protocol.js";

/** The frames every configuration of a sweep shares. */
export interface SweepFrameSet {
  signals: NumerFrame;
  market: NumerFrame;
  universe?: NumerFrame | undefined;
}

/**
 * Runs one sweep configuration on the calling thread: its summary and daily equity, exactly as
 * a worker computes them.
 *
 * @param frames - the shared frames
 * @param config - the configuration's validated options
 * @param index - its row in the grid, for the error
 * @param select - the basket selection (a sweep's `selectionMemo`); `basketSelection` by default
 * @returns the summary and a copy of the daily equity
 * @throws SweepError (SWEEP_FAILED) naming the row, with the backtest's error as `cause`
 * @example
 * const { summary } = runConfig({ signals, market }, { portfolio: { holdDays: 10 } }, 0);
 */
export function runConfig(frames: SweepFrameSet, config: BacktestOptions, index: number, select: SelectBaskets = basketSelection): ConfigResult {
  try {
    const result = runBacktestWith({ signals: frames.signals, market: frames.market, universe: frames.universe, ...config }, select);
    return { summary: summarizeBacktest(result), equity: result.daily.float64("equity").slice() };
  } catch (error) {
    throw new SweepError(index, (error as Error).message, error);
  }
}
