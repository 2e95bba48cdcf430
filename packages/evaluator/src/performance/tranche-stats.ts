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

/** Closed tranches that entered in one calendar month. */
export interface TrancheMonth {
  /** `YYYY-MM` of the tranche's entry day. */
  readonly month: string;
  readonly closed: number;
  /** Closed tranches with net_pnl > 0. */
  readonly winners: number;
  /** winners / closed. */
  readonly hitRate: number;
  /** Mean net_pnl of the month's closed tranches, a fraction of initial capital. */
  readonly meanPnl: number;
}

const entryColumns: FrameContract = {
  name: tranchesContract.name,
  columns: tranchesContract.columns.filter((c) => c.name === "status" || c.name === "net_pnl" || c.name === "entry"),
};

/**
 * Closed tranches grouped by the calendar month of their entry day: how many, the share with
 * net_pnl > 0 and their mean net PnL. Open tranches (still marked to market) are left out.
 *
 * @param tranches - the backtest's tranche frame (at least `entry`, `status` and `net_pnl`)
 * @returns one entry per entry month that has a closed tranche, months in order
 * @throws ContractError for a missing or mistyped column; PerformanceInputError
 *   INVALID_TRANCHE_STATUS or NON_FINITE as `trancheStats`; InvalidOptionError when `tranches`
 *   is not a NumerFrame
 * @example
 * trancheHitRateByMonth(result.tranches).map((m) => `${m.month}: ${m.hitRate}`);
 */
export function trancheHitRateByMonth(tranches: NumerFrame): TrancheMonth[] {
  trancheStats(tranches); // the same status and PnL checks
  requireColumns(tranches, entryColumns, "performance");
  const status = tranches.strings("status");
  const entry = tranches.strings("entry");
  const pnl = tranches.float64("net_pnl");
  const months = new Map<string, { closed: number; winners: number; sum: number }>();
  for (let i = 0; i < status.length; i++) {
    if (status[i] !== "closed") continue;
    const m = entry[i]!.slice(0, 7);
    let acc = months.get(m);
    if (acc === undefined) months.set(m, (acc = { closed: 0, winners: 0, sum: 0 }));
    acc.closed++;
    acc.sum += pnl[i]!;
    if (pnl[i]! > 0) acc.winners++;
  }
  return [...months]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([month, a]) => ({ month, closed: a.closed, winners: a.winners, hitRate: a.winners / a.closed, meanPnl: a.sum / a.closed }));
}

/**
 * Net PnL of every closed tranche, in row order, for the tranche PnL distribution.
 *
 * @param tranches - the backtest's tranche frame (at least `status` and `net_pnl`)
 * @returns the closed tranches' net_pnl, fractions of initial capital
 * @throws as `trancheStats`
 * @example
 * closedTranchePnl(result.tranches).length === trancheStats(result.tranches).closed; // true
 */
export function closedTranchePnl(tranches: NumerFrame): Float64Array {
  const stats = trancheStats(tranches);
  const status = tranches.strings("status");
  const pnl = tranches.float64("net_pnl");
  const out = new Float64Array(stats.closed);
  let k = 0;
  for (let i = 0; i < status.length; i++) if (status[i] === "closed") out[k++] = pnl[i]!;
  return out;
}
