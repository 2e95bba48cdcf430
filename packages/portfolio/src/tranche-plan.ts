import { type NumerFrame, UnknownSymbolError, isoDay, requireColumns } from "@nmrblox/numerframe";
import { type MarketPanel, dayCodes, stringCodes } from "@nmrblox/numerframe/internal";

/**
 * One candidate tranche per basket date, in signal-date order, as flat typed arrays. Members of
 * candidate p are `memberStart[p] .. memberStart[p+1]-1`. Entry and exit are panel rows (day
 * offsets from the first market date) and may lie outside the panel.
 */
export interface TranchePlan {
  readonly count: number;
  readonly signalDay: Int32Array;
  readonly entryRow: Int32Array;
  readonly exitRow: Int32Array;
  readonly memberStart: Int32Array;
  /** Panel symbol column of each member. */
  readonly memberSymbol: Int32Array;
  /** +1 long, −1 short. */
  readonly memberSide: Int8Array;
  /** Weight within its leg (sums to 1 per leg). */
  readonly memberWeight: Float64Array;
}

/**
 * Schedules the baskets of `selectBaskets`: entry at the close of e = d + lagDays, exit at the
 * close of e + holdDays (calendar days). Every basket symbol must exist in the market.
 *
 * @param baskets - date, symbol, side, weight (as `selectBaskets` returns them)
 * @param panel - the market panel
 * @param lagDays - days from signal date to entry
 * @param holdDays - days from entry to exit
 * @returns the plan, one candidate per basket date
 * @throws ContractError (MISSING_COLUMN) for a baskets frame without its columns;
 *   UnknownSymbolError (UNKNOWN_SYMBOL) for a basket symbol absent from the market
 * @example
 * const plan = planTranches(selectBaskets(signals), marketPanel(market), 1, 30);
 */
export function planTranches(baskets: NumerFrame, panel: MarketPanel, lagDays: number, holdDays: number): TranchePlan {
  requireColumns(baskets, ["date", "symbol", "side", "weight"], "trancheBook");
  const n = baskets.numRows;
  const days = dayCodes(baskets, "date");
  const sides = baskets.strings("side");
  const weights = baskets.float64("weight");
  const { codes, labels } = stringCodes(baskets, "symbol");
  const column = new Int32Array(labels.length);
  for (let k = 0; k < labels.length; k++) {
    const s = panel.symbolIndex.get(labels[k]!);
    if (s === undefined) {
      const row = codes.indexOf(k);
      throw new UnknownSymbolError(labels[k]!, isoDay(days[row]!), "baskets");
    }
    column[k] = s;
  }
  // Stable order by day keeps each basket's rows (short leg, then long leg) together.
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => days[a]! - days[b]! || a - b);
  const dayList: number[] = [];
  const starts: number[] = [];
  const memberSymbol = new Int32Array(n);
  const memberSide = new Int8Array(n);
  const memberWeight = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k === 0 || days[i] !== days[order[k - 1]!]) {
      dayList.push(days[i]!);
      starts.push(k);
    }
    memberSymbol[k] = column[codes[i]!]!;
    memberSide[k] = sides[i] === "long" ? 1 : -1;
    memberWeight[k] = weights[i]!;
  }
  starts.push(n);
  const count = dayList.length;
  const signalDay = Int32Array.from(dayList);
  const entryRow = new Int32Array(count);
  const exitRow = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    entryRow[p] = signalDay[p]! + lagDays - panel.firstDay;
    exitRow[p] = entryRow[p]! + holdDays;
  }
  return { count, signalDay, entryRow, exitRow, memberStart: Int32Array.from(starts), memberSymbol, memberSide, memberWeight };
}
