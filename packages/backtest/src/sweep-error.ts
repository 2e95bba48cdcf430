import { NumerFrameError } from "@nmrblox/numerframe";
import { locationOf } from "./sweep-protocol.js";

/**
 * A configuration of a sweep failed; `config` is its row in the grid (−1 when a worker could
 * not start, died, or the pool was closed). The error the configuration raised is the `cause`,
 * and its column, symbol, date or option is copied here, so a failure in a worker thread reads
 * like one on the calling thread.
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
