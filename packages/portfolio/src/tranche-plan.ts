import { type NumerFrame, UnknownSymbolError, isoDay, requireColumns } from "@nmrblox/numerframe";
import { type MarketPanel, dayCodes, stringCodes } from "@nmrblox/numerframe/internal";
import type { BasketSelection } from "./select-baskets.js";

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

/**
 * {@link planTranches} from a typed {@link BasketSelection} (already in date order): no string
 * per row, no sort. Gives the same plan as `planTranches(selectBaskets(...))`.
 *
 * @param sel - what `basketSelection` returns
 * @param panel - the market panel
 * @param lagDays - days from signal date to entry
 * @param holdDays - days from entry to exit
 * @returns the plan, one candidate per basket date
 * @throws UnknownSymbolError (UNKNOWN_SYMBOL) for a basket symbol absent from the market
 * @example
 * const plan = planSelection(basketSelection(signals), marketPanel(market), 1, 30);
 */
export function planSelection(sel: BasketSelection, panel: MarketPanel, lagDays: number, holdDays: number): TranchePlan {
  const n = sel.count;
  // Panel column per symbol code, looked up once per label that occurs.
  const column = new Int32Array(sel.labels.length).fill(-2);
  const memberSymbol = new Int32Array(n);
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (k === 0 || sel.day[k] !== sel.day[k - 1]) count++;
    const code = sel.symbol[k]!;
    if (column[code] === -2) column[code] = panel.symbolIndex.get(sel.labels[code]!) ?? -1;
    if (column[code] === -1) throw new UnknownSymbolError(sel.labels[code]!, isoDay(sel.day[k]!), "baskets");
    memberSymbol[k] = column[code]!;
  }
  const signalDay = new Int32Array(count);
  const memberStart = new Int32Array(count + 1);
  for (let k = 0, p = -1; k < n; k++) {
    if (k === 0 || sel.day[k] !== sel.day[k - 1]) {
      p++;
      signalDay[p] = sel.day[k]!;
      memberStart[p] = k;
    }
  }
  memberStart[count] = n;
  const entryRow = new Int32Array(count);
  const exitRow = new Int32Array(count);
  for (let p = 0; p < count; p++) {
    entryRow[p] = signalDay[p]! + lagDays - panel.firstDay;
    exitRow[p] = entryRow[p]! + holdDays;
  }
  return { count, signalDay, entryRow, exitRow, memberStart, memberSymbol, memberSide: sel.side.slice(), memberWeight: sel.weight.slice() };
}
