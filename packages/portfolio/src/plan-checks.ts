import { InvalidOptionError, type NumerFrame, NumerFrameError, isoDay, requireColumns } from "@nmrblox/numerframe";
import { dayCodes } from "@nmrblox/numerframe/internal";
import type { TranchePlan } from "./tranche-plan.js";

/**
 * How far a market date may lie outside the days a book can use (the first signal date to the
 * last signal date + lag + hold), in days: three years. Market history before the signals
 * (volatility or beta windows) and after the last exit is fine within it; a date beyond it is
 * almost always a typo (2999 for 2022) that would otherwise grow the day × symbol panel to
 * hundreds of thousands of days.
 */
export const MARKET_SPAN_MARGIN_DAYS = 1096;

/**
 * At most this many times `tranches` may be open at once: with `tranches` sized for a gross
 * exposure of `leverage`, a hold that overlaps more tranches than this would run the book at
 * more than twice its leverage (the default, hold 30 over daily signals with 20 tranches,
 * overlaps 30: 1.5 ×).
 */
export const MAX_OVERLAP_FACTOR = 2;

interface DayRange {
  first: number;
  last: number;
  firstRow: number;
  lastRow: number;
}

// Frames are immutable: a frame's date range is found once (a sweep checks the same frames 100 times).
const ranges = new WeakMap<NumerFrame, DayRange | null>();

/** First and last day numbers of a frame's date column (empty frame: null), cached per frame. */
function dayRange(frame: NumerFrame): DayRange | null {
  if (ranges.has(frame)) return ranges.get(frame)!;
  const range = findDayRange(frame);
  ranges.set(frame, range);
  return range;
}

function findDayRange(frame: NumerFrame): DayRange | null {
  const days = dayCodes(frame, "date");
  if (days.length === 0) return null;
  let first = 0;
  let last = 0;
  for (let i = 1; i < days.length; i++) {
    if (days[i]! < days[first]!) first = i;
    if (days[i]! > days[last]!) last = i;
  }
  return { first: days[first]!, last: days[last]!, firstRow: first, lastRow: last };
}

/**
 * A market date far outside the days the signals can use is an error (DATE_OUT_OF_RANGE) rather
 * than a panel of hundreds of thousands of days: every market date must lie within
 * {@link MARKET_SPAN_MARGIN_DAYS} of [first signal date, last signal date + lag + hold].
 *
 * @param market - the market frame (date column)
 * @param signals - the signals or baskets frame (date column)
 * @param reachDays - lag + hold: how far after a signal date the book still trades
 * @param where - the calling function, for the message
 * @throws ContractError (MISSING_COLUMN) without a date column; NumerFrameError DATE_OUT_OF_RANGE
 *   naming the market date (column "date", row)
 * @example
 * checkMarketSpan(market, signals, 1 + 30, "runBacktest");
 */
export function checkMarketSpan(market: NumerFrame, signals: NumerFrame, reachDays: number, where: string): void {
  requireColumns(market, ["date"], where);
  requireColumns(signals, ["date"], where);
  const m = dayRange(market);
  const s = dayRange(signals);
  if (m === null || s === null) return;
  const lo = s.first - MARKET_SPAN_MARGIN_DAYS;
  const hi = s.last + reachDays + MARKET_SPAN_MARGIN_DAYS;
  const bad = m.first < lo ? { day: m.first, row: m.firstRow } : m.last > hi ? { day: m.last, row: m.lastRow } : null;
  if (bad === null) return;
  const date = isoDay(bad.day);
  throw new NumerFrameError(
    "DATE_OUT_OF_RANGE",
    `${where}: market date ${date} (row ${bad.row}) lies more than ${MARKET_SPAN_MARGIN_DAYS} days outside the signals' ${isoDay(s.first)} .. ${isoDay(s.last)} (+ lag + hold); is it a typo?`,
    { column: "date", row: bad.row, date },
  );
}

/**
 * The most planned tranches open at one close (entry ≤ t < entry + hold) must not exceed
 * {@link MAX_OVERLAP_FACTOR} × `tranches`: beyond it the book's gross exposure would exceed
 * twice the leverage it was sized for. The plan's entries are in day order.
 *
 * @param plan - the tranche plan
 * @param holdDays - the hold
 * @param tranches - the tranches the capital is split into
 * @param where - the calling function
 * @param prefix - option path prefix ("portfolio." in a backtest)
 * @throws InvalidOptionError (INVALID_OPTION) naming `holdDays` and `tranches`
 * @example
 * checkOverlap(plan, 30, 20, "runBacktest", "portfolio.");
 */
export function checkOverlap(plan: TranchePlan, holdDays: number, tranches: number, where: string, prefix: string): void {
  const entry = plan.entryRow;
  let most = 0;
  let at = 0;
  for (let i = 0, j = 0; i < plan.count; i++) {
    while (entry[j]! + holdDays <= entry[i]!) j++;
    if (i - j + 1 > most) {
      most = i - j + 1;
      at = i;
    }
  }
  if (most <= MAX_OVERLAP_FACTOR * tranches) return;
  throw new InvalidOptionError(where, [
    {
      path: `${prefix}holdDays`,
      message:
        `a hold of ${holdDays} days keeps up to ${most} tranches open at once (through the tranche of signal date ${isoDay(plan.signalDay[at]!)}), ` +
        `more than ${MAX_OVERLAP_FACTOR} × ${prefix}tranches (${tranches}): gross exposure would reach ${(most / tranches).toFixed(2)} × leverage; ` +
        `shorten the hold or raise ${prefix}tranches to at least ${Math.ceil(most / MAX_OVERLAP_FACTOR)}`,
    },
  ]);
}
