import { type NumerFrame, MissingColumnError } from "@nmrblox/numerframe";
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

/** Tranche hit rate = share of closed tranches (status "closed") with net_pnl > 0. */
export function trancheStats(tranches: NumerFrame): TrancheStats {
  for (const c of ["status", "net_pnl"]) {
    if (!tranches.has(c)) throw new MissingColumnError(c, "performance: tranches frame", tranches.columnNames);
  }
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
      throw new PerformanceInputError("BAD_STATUS", `performance: tranche status "${s}" at row ${i} is neither "closed" nor "open"`, {
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
