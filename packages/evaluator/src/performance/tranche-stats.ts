import { type FrameContract, type NumerFrame, requireColumns, requireFrame, tranchesContract } from "@nmrblox/numerframe";
import { PerformanceInputError } from "./errors.js";

/** Counts and hit rate of a backtest's tranches. */
export interface TrancheStats {
  readonly closed: number;
  readonly open: number;
  /** Closed tranches with net_pnl > 0. */
  readonly winners: number;
  /** winners / closed; null when no tranche is closed. */
  readonly hitRate: number | null;
  /** Mean net_pnl of closed tranches (fraction of initial capital 1); null when none is closed. */
  readonly meanClosedPnl: number | null;
}

// The hit rate reads two columns of the tranches contract; a frame with only those is enough.
const hitRateColumns: FrameContract = {
  name: tranchesContract.name,
  columns: tranchesContract.columns.filter((c) => c.name === "status" || c.name === "net_pnl"),
};

/**
 * Tranche hit rate = share of closed tranches (status "closed") with net_pnl > 0.
 *
 * @param tranches - the backtest's tranche frame (at least `status` and `net_pnl`)
 * @returns counts of closed, open and winning tranches, the hit rate and the mean closed PnL
 * @throws ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) for a missing or mistyped column;
 *   PerformanceInputError INVALID_TRANCHE_STATUS for a status other than "open" or "closed",
 *   NON_FINITE for a closed tranche's non-finite net_pnl; InvalidOptionError when `tranches`
 *   is not a NumerFrame
 * @example
 * trancheStats(result.tranches).hitRate; // e.g. 0.54
 */
export function trancheStats(tranches: NumerFrame): TrancheStats {
  requireFrame(tranches, "tranches", "performance");
  requireColumns(tranches, hitRateColumns, "performance");
  const status = tranches.strings("status");
  const pnl = tranches.float64("net_pnl");
  let closed = 0;
  let open = 0;
  let winners = 0;
  let sum = 0;
  for (let i = 0; i < status.length; i++) {
    const s = status[i]!;
    if (s === "open") {
      open++;
      continue;
    }
    if (s !== "closed") {
      throw new PerformanceInputError("INVALID_TRANCHE_STATUS", `performance: tranche status "${s}" at row ${i} is neither "closed" nor "open"`, {
        column: "status",
        row: i,
      });
    }
    const p = pnl[i]!;
    if (!Number.isFinite(p)) {
      throw new PerformanceInputError("NON_FINITE", `performance: closed tranche at row ${i} has net_pnl ${p}`, { column: "net_pnl", row: i });
    }
    closed++;
    sum += p;
    if (p > 0) winners++;
  }
  return { closed, open, winners, hitRate: closed > 0 ? winners / closed : null, meanClosedPnl: closed > 0 ? sum / closed : null };
}
