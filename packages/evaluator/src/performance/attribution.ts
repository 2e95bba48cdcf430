import { type FrameContract, type NumerFrame, requireColumns, requireFrame } from "@nmrblox/numerframe";
import { PerformanceInputError } from "./errors.js";

/** The daily long-leg and short-leg PnL columns a backtest writes (docs/backtest-accounting.md). */
export const LEG_COLUMNS = ["long_price_pnl", "long_funding", "short_price_pnl", "short_funding"] as const;

/** Daily PnL of each leg, fractions of initial capital; price and funding apart. */
export interface LegSeries {
  readonly longPrice: Float64Array;
  readonly longFunding: Float64Array;
  readonly shortPrice: Float64Array;
  readonly shortFunding: Float64Array;
}

/**
 * Reads the daily leg columns of a backtest's daily frame: long_price_pnl, long_funding,
 * short_price_pnl and short_funding (funding signed: received +). long_price_pnl +
 * short_price_pnl is the day's gross_pnl; the two funding columns sum to its funding.
 *
 * @param daily - the backtest's daily frame
 * @returns the four series, or null when the frame has none of the leg columns (an older backtest)
 * @throws ContractError when only some leg columns are present or one is not numeric;
 *   PerformanceInputError NON_FINITE naming the column and row; InvalidOptionError when `daily`
 *   is not a NumerFrame
 * @example
 * const legs = legSeries(result.daily);
 * if (legs) console.log(legs.shortFunding.reduce((a, b) => a + b, 0)); // funding of the short leg
 */
export function legSeries(daily: NumerFrame): LegSeries | null {
  requireFrame(daily, "daily", "performance");
  if (!LEG_COLUMNS.some((c) => daily.has(c))) return null;
  requireColumns(daily, { name: "daily legs", columns: LEG_COLUMNS.map((name) => ({ name, kind: "number" })) }, "performance");
  const read = (name: string) => finiteColumn(daily, name);
  return { longPrice: read("long_price_pnl"), longFunding: read("long_funding"), shortPrice: read("short_price_pnl"), shortFunding: read("short_funding") };
}

function finiteColumn(frame: NumerFrame, name: string): Float64Array {
  const v = frame.float64(name);
  for (let i = 0; i < v.length; i++) {
    if (!Number.isFinite(v[i]!)) throw new PerformanceInputError("NON_FINITE", `performance: column "${name}" is ${v[i]} at row ${i}`, { column: name, row: i });
  }
  return v;
}

/** The columns of a backtest's per-symbol attribution frame that the report reads. */
export const attributionContract: FrameContract = {
  name: "attribution",
  columns: [
    { name: "symbol", kind: "string" },
    { name: "price_pnl", kind: "number" },
    { name: "funding", kind: "number" },
    { name: "fee", kind: "number" },
    { name: "slippage", kind: "number" },
    { name: "net_pnl", kind: "number" },
    { name: "days_long", kind: "number" },
    { name: "days_short", kind: "number" },
  ],
};

/** One symbol's contribution over the whole run, fractions of initial capital. */
export interface Contribution {
  readonly symbol: string;
  /** Σ q·(close_t − close_{t−1}) while held. */
  readonly pricePnl: number;
  /** Funding, signed: received +. */
  readonly funding: number;
  /** Fees + slippage (positive: paid). */
  readonly costs: number;
  /** price + funding − costs. */
  readonly netPnl: number;
  readonly daysLong: number;
  readonly daysShort: number;
  /** The side it was held on: "long", "short", "both" (some days each) or "none". */
  readonly side: "long" | "short" | "both" | "none";
}

/**
 * The best and worst contributors of a backtest's per-symbol attribution frame (symbol,
 * price_pnl, funding, fee, slippage, net_pnl, days_long, days_short). A per-month frame (with a
 * month column) is summed per symbol first. This is where a short squeezed by a pumping coin
 * shows up: a large negative price PnL and funding paid on the short side.
 *
 * @param attribution - the backtest's attribution frame (per symbol, or per symbol and month)
 * @param count - how many best and how many worst symbols (default 15)
 * @returns `best` (highest net PnL first) and `worst` (lowest first), disjoint, and `all` in symbol order
 * @throws ContractError for a missing or mistyped column; PerformanceInputError NON_FINITE
 *   naming the column and row; InvalidOptionError when `attribution` is not a NumerFrame
 * @example
 * const { worst } = topContributors(result.attribution, 15);
 * worst[0]; // e.g. { symbol: "REEF", pricePnl: -0.031, funding: -0.004, side: "short", ... }
 */
export function topContributors(attribution: NumerFrame, count = 15): { best: Contribution[]; worst: Contribution[]; all: Contribution[] } {
  requireFrame(attribution, "attribution", "performance");
  requireColumns(attribution, attributionContract, "performance");
  const symbols = attribution.strings("symbol");
  const cols = ["price_pnl", "funding", "fee", "slippage", "net_pnl", "days_long", "days_short"].map((c) => finiteColumn(attribution, c));
  const sums = new Map<string, Float64Array>();
  for (let i = 0; i < symbols.length; i++) {
    let acc = sums.get(symbols[i]!);
    if (acc === undefined) sums.set(symbols[i]!, (acc = new Float64Array(7)));
    for (let c = 0; c < 7; c++) acc[c]! += cols[c]![i]!;
  }
  const all: Contribution[] = [...sums]
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([symbol, a]) => ({
      symbol,
      pricePnl: a[0]!,
      funding: a[1]!,
      costs: a[2]! + a[3]!,
      netPnl: a[4]!,
      daysLong: a[5]!,
      daysShort: a[6]!,
      side: a[5]! > 0 ? (a[6]! > 0 ? "both" : "long") : a[6]! > 0 ? "short" : "none",
    }));
  const byNet = [...all].sort((a, b) => b.netPnl - a.netPnl);
  const k = Math.min(Math.max(0, count), Math.ceil(byNet.length / 2));
  const best = byNet.slice(0, k);
  const worst = byNet.slice(Math.max(k, byNet.length - k)).reverse();
  return { best, worst, all };
}
