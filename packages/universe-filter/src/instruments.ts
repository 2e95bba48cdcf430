import { type NumerFrame, dayOfEpochMs, requireColumns } from "@nmrblox/numerframe";
import { listingContract } from "./contracts.js";
import { DuplicateExchangeSymbolError, InvalidInstrumentError } from "./errors.js";

/**
 * Columns an instruments frame must have (Bybit v5 instruments-info, snake_case): numerframe's
 * `instrumentsContract` with launch_time and delivery_time required.
 */
export const instrumentColumns: readonly string[] = listingContract.columns.filter((c) => c.optional !== true).map((c) => c.name);

/** A validated instruments frame as plain arrays, indexed by exchange symbol. */
export interface InstrumentTable {
  readonly symbol: readonly string[];
  readonly baseCoin: readonly string[];
  readonly quoteCoin: readonly string[];
  readonly contractType: readonly string[];
  readonly status: readonly string[];
  /** UTC day of launch_time. */
  readonly launchDay: Int32Array;
  /** UTC day of delivery_time, or -1 when delivery_time is 0 (no delisting scheduled). */
  readonly deliveryDay: Int32Array;
  /** Row of each exchange symbol. */
  readonly rowOf: ReadonlyMap<string, number>;
}

/**
 * Checks an instruments frame (its contract, finite non-negative epochs, unique exchange
 * symbols) and returns its columns as arrays.
 */
export function readInstruments(instruments: NumerFrame, where: string): InstrumentTable {
  requireColumns(instruments, listingContract, where);
  const symbol = instruments.strings("symbol");
  const launch = instruments.numeric("launch_time");
  const delivery = instruments.numeric("delivery_time");
  const n = instruments.numRows;
  const launchDay = new Int32Array(n);
  const deliveryDay = new Int32Array(n);
  const rowOf = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = symbol[i]!;
    if (s === "") throw new InvalidInstrumentError(s, "symbol", i, "empty exchange symbol");
    if (rowOf.has(s)) throw new DuplicateExchangeSymbolError(s, "instruments", i);
    rowOf.set(s, i);
    const l = launch[i]!;
    if (!Number.isFinite(l) || l < 0) throw new InvalidInstrumentError(s, "launch_time", i, `expected epoch milliseconds, found ${l}`);
    const d = delivery[i]!;
    if (!Number.isFinite(d) || d < 0) throw new InvalidInstrumentError(s, "delivery_time", i, `expected epoch milliseconds or 0, found ${d}`);
    launchDay[i] = dayOfEpochMs(l);
    deliveryDay[i] = d === 0 ? -1 : dayOfEpochMs(d);
  }
  return {
    symbol,
    baseCoin: instruments.strings("base_coin"),
    quoteCoin: instruments.strings("quote_coin"),
    contractType: instruments.strings("contract_type"),
    status: instruments.strings("status"),
    launchDay,
    deliveryDay,
    rowOf,
  };
}
