import { MissingColumnError, type NumerFrame, isoDay } from "@nmrblox/numerframe";
import { columnCodes, columnDays } from "./column-codes.js";
import { UnknownSymbolError } from "./errors.js";
import type { MarketMatrix } from "./market-matrix.js";

/**
 * One candidate tranche per basket date, in signal-date order, as flat typed arrays. Members of
 * candidate p are `memberStart[p] .. memberStart[p+1]-1`. Entry and exit are matrix rows (day
 * offsets from the first market date) and may lie outside the matrix.
 */
export interface TranchePlan {
  readonly count: number;
  readonly signalDay: Int32Array;
  readonly entryRow: Int32Array;
  readonly exitRow: Int32Array;
  readonly memberStart: Int32Array;
  /** Matrix symbol column of each member. */
  readonly memberSymbol: Int32Array;
  /** +1 long, −1 short. */
  readonly memberSide: Int8Array;
  /** Weight within its leg (sums to 1 per leg). */
  readonly memberWeight: Float64Array;
}

/**
 * Schedules the baskets of {@link selectBaskets}: entry at the close of e = d + lagDays,
 * exit at the close of e + holdDays (calendar days). Every basket symbol must exist in the
 * market frame.
 */
export function planTranches(baskets: NumerFrame, matrix: MarketMatrix, lagDays: number, holdDays: number): TranchePlan {
  for (const c of ["date", "symbol", "side", "weight"]) {
    if (!baskets.has(c)) throw new MissingColumnError(c, "baskets", baskets.columnNames);
  }
  const n = baskets.numRows;
  const days = columnDays(baskets, "date");
  const sides = baskets.strings("side");
  const weights = baskets.float64("weight");
  const { codes, labels } = columnCodes(baskets, "symbol");
  const column = new Int32Array(labels.length);
  for (let k = 0; k < labels.length; k++) {
    const s = matrix.symbolIndex.get(labels[k]!);
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
    entryRow[p] = signalDay[p]! + lagDays - matrix.firstDay;
    exitRow[p] = entryRow[p]! + holdDays;
  }
  return { count, signalDay, entryRow, exitRow, memberStart: Int32Array.from(starts), memberSymbol, memberSide, memberWeight };
}
