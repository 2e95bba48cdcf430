import { DuplicateRowError, NumerFrame, isoDay, parseOptions, requireColumns } from "@nmrblox/numerframe";
import { type MarketPanel, dayCodes, marketPanel, stringCodes } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { keyedRowsContract, turnoverMarketContract } from "./contracts.js";
import { DuplicateExchangeSymbolError, UnknownExchangeSymbolError } from "./errors.js";
import { defaultLiquidStaking, defaultStablecoins, defaultWrapped } from "./exclusion-lists.js";
import { type InstrumentTable, readInstruments } from "./instruments.js";
import { mapSymbols } from "./map-symbols.js";
import { reasonCode, universeReasons } from "./reasons.js";
import { trailingMedians } from "./trailing-median.js";

const symbolList = z.array(z.string().min(1));

/** Options of {@link tradableUniverse}. Every rule is one option; see the README for exact definitions. */
export const tradableUniverseOptions = z.strictObject({
  /** A contract launched on UTC day L is tradable from day L + minListingDays on (0: from L). */
  minListingDays: z.int().min(0).default(30),
  /** Days in the turnover window: the lookbackDays calendar days strictly before the date. */
  lookbackDays: z.int().min(1).default(30),
  /** Minimum median daily turnover (USD) over the window; 0 turns the turnover rule off. */
  minMedianTurnoverUsd: z.number().min(0).default(500_000),
  /** Keep only the N symbols with the highest window median turnover per date (ties: symbol order). */
  topN: z.int().min(1).optional(),
  /** Numerai symbols never tradable, matched case-insensitively; each list replaces its default. */
  exclude: z
    .strictObject({
      stablecoins: symbolList.default([...defaultStablecoins]),
      wrapped: symbolList.default([...defaultWrapped]),
      liquidStaking: symbolList.default([...defaultLiquidStaking]),
      symbols: symbolList.default([]),
    })
    .prefault({}),
});
/** Options of {@link tradableUniverse} as a caller writes them; every rule has a default. */
export type TradableUniverseOptions = z.input<typeof tradableUniverseOptions>;

/** Frames {@link tradableUniverse} reads. */
export interface UniverseInputs {
  /** Rows to judge: date (YYYY-MM-DD) and symbol (Numerai); other columns are ignored. */
  readonly signals: NumerFrame;
  /** Bybit instruments: symbol, base_coin, quote_coin, contract_type, status, launch_time, delivery_time. */
  readonly instruments: NumerFrame;
  /**
   * Daily market data meeting numerframe's `marketContract` with turnover_usd, keyed by symbol
   * (Numerai) or, without a symbol column, by exchange_symbol. Read as numerframe's market panel.
   */
  readonly market: NumerFrame;
  /** symbol → exchange_symbol, as made by mapSymbols; made from signals and instruments when omitted. */
  readonly mapping?: NumerFrame;
}

/** Sorts rows by (day, symbol id) with two stable counting passes; O(rows + days + symbols). */
function orderByDayAndSymbol(day: Int32Array, sym: Int32Array, minDay: number, nDays: number, nSym: number): Int32Array {
  const n = day.length;
  const bySym = new Int32Array(n);
  const symCount = new Int32Array(nSym + 1);
  for (let i = 0; i < n; i++) symCount[sym[i]! + 1]!++;
  for (let s = 0; s < nSym; s++) symCount[s + 1]! += symCount[s]!;
  for (let i = 0; i < n; i++) bySym[symCount[sym[i]!]!++] = i;
  const order = new Int32Array(n);
  const dayCount = new Int32Array(nDays + 1);
  for (let i = 0; i < n; i++) dayCount[day[i]! - minDay + 1]!++;
  for (let t = 0; t < nDays; t++) dayCount[t + 1]! += dayCount[t]!;
  for (let j = 0; j < n; j++) {
    const i = bySym[j]!;
    order[dayCount[day[i]! - minDay]!++] = i;
  }
  return order;
}

/** Instrument row of each symbol id (or -1), from a mapping frame checked against instruments. */
function mappedRows(mapping: NumerFrame, inst: InstrumentTable, symIndex: ReadonlyMap<string, number>, nSym: number): Int32Array {
  requireColumns(mapping, ["symbol", "exchange_symbol"], "tradableUniverse (mapping)");
  const ms = mapping.strings("symbol");
  const mx = mapping.strings("exchange_symbol");
  const rowOfSym = new Int32Array(nSym).fill(-1);
  const seenSymbol = new Set<string>();
  const seenExchange = new Set<string>();
  for (let i = 0; i < ms.length; i++) {
    const s = ms[i]!;
    const x = mx[i]!;
    if (seenSymbol.has(s)) throw new DuplicateRowError("mapping", undefined, s);
    if (seenExchange.has(x)) throw new DuplicateExchangeSymbolError(x, "mapping", i);
    seenSymbol.add(s);
    seenExchange.add(x);
    const row = inst.rowOf.get(x);
    if (row === undefined) throw new UnknownExchangeSymbolError(x, s);
    const id = symIndex.get(s);
    if (id !== undefined) rowOfSym[id] = row;
  }
  return rowOfSym;
}

/**
 * Decides, point in time, which (date, symbol) rows of `signals` are tradable, and why not.
 *
 * Rules, checked in order (the first failure is the row's reason): exclusion lists
 * (stablecoin, wrapped, liquid_staking, excluded); a mapped exchange symbol (unmapped); launched
 * (not_listed) at least minListingDays before (too_new); before the delivery_time day
 * (delisted); a close on the date (no_close when the row is missing or its close is NaN, or
 * prices_ended when the contract never trades again in `market`: a label only, the row fails
 * for lack of a close either way); median turnover_usd of the lookbackDays before the date,
 * the date excluded, at least minMedianTurnoverUsd (no_turnover_history, low_turnover); with
 * topN, rank by that median (outside_top_n). No rule reads market data dated after the row's date.
 *
 * @param inputs - signals, instruments, market and optionally the mapping from `mapSymbols`
 * @param options - see `tradableUniverseOptions`
 * @returns a NumerFrame (date, symbol, exchange_symbol ("" when unmapped), tradable (Uint8 0/1),
 *   reason) with one row per signals row, sorted by date then symbol
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown or bad option; ContractError
 *   (MISSING_COLUMN / NON_NUMERIC_COLUMN) for a missing or mistyped column; InvalidCloseError
 *   (INVALID_CLOSE) for a zero, negative or infinite close, as everywhere the market is read;
 *   DuplicateRowError (DUPLICATE_ROW) for a (date, symbol) twice in signals or market, or a
 *   symbol twice in the mapping; InvalidDateError (INVALID_DATE); NumerFrameError EMPTY_MARKET
 *   for a market without rows; DuplicateExchangeSymbolError, UnknownExchangeSymbolError,
 *   InvalidInstrumentError for bad instruments or mappings
 * @example
 * const universe = tradableUniverse({ signals, instruments, market }, { minMedianTurnoverUsd: 1_000_000, topN: 100 });
 */
export function tradableUniverse(inputs: UniverseInputs, options: TradableUniverseOptions = {}): NumerFrame {
  const opts = parseOptions(tradableUniverseOptions, options, "tradableUniverse");
  const { signals, instruments, market } = inputs;
  requireColumns(signals, keyedRowsContract, "tradableUniverse");
  requireColumns(market, turnoverMarketContract, "tradableUniverse");
  const byNumeraiSymbol = market.has("symbol");
  if (!byNumeraiSymbol && !market.has("exchange_symbol")) {
    requireColumns(market, ["symbol"], "tradableUniverse (the market needs symbol or exchange_symbol)");
  }
  const inst = readInstruments(instruments, "tradableUniverse");

  const sigDay = dayCodes(signals, "date");
  const { codes: sigSym, labels: symbols, index: symIndex } = stringCodes(signals, "symbol");
  const nSym = symbols.length;

  const mapping = inputs.mapping ?? mapSymbols(symbols, instruments).mapping;
  const instRow = mappedRows(mapping, inst, symIndex, nSym);

  // numerframe's one market panel (cached per frame): a zero, negative or infinite close is
  // INVALID_CLOSE here as in the backtest and factor analysis; a NaN close means no close.
  const panel = marketPanel(market, byNumeraiSymbol ? "symbol" : "exchange_symbol");
  const marketLastDay = panel.firstDay + panel.nDays - 1;
  let minDay = panel.firstDay;
  let maxDay = marketLastDay;
  for (let i = 0; i < sigDay.length; i++) {
    const d = sigDay[i]!;
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  const nDays = maxDay - minDay + 1;

  // Mapped symbols get a slot; a slot's panel column is -1 when the market has no row for it.
  const slotOf = new Int32Array(nSym).fill(-1);
  const slotColumn: number[] = [];
  for (let s = 0; s < nSym; s++) {
    if (instRow[s]! < 0) continue;
    slotOf[s] = slotColumn.length;
    const key = byNumeraiSymbol ? symbols[s]! : inst.symbol[instRow[s]!]!;
    slotColumn.push(panel.symbolIndex.get(key) ?? -1);
  }
  const nSlots = slotColumn.length;
  const lastCloseDay = lastCloseDays(panel, slotColumn);

  const turnoverRule = opts.minMedianTurnoverUsd > 0;
  const medians = turnoverRule || opts.topN !== undefined ? new Float64Array(nSlots * nDays) : null;
  if (medians !== null) {
    const turnover = new Float64Array(nDays);
    for (let slot = 0; slot < nSlots; slot++) {
      slotSeries(panel, panel.turnoverUsd, slotColumn[slot]!, minDay, turnover);
      trailingMedians(turnover, 0, nDays, opts.lookbackDays, medians, slot * nDays);
    }
  }

  const excludedAs = new Uint8Array(nSym);
  const lists = [
    [opts.exclude.stablecoins, reasonCode.stablecoin],
    [opts.exclude.wrapped, reasonCode.wrapped],
    [opts.exclude.liquidStaking, reasonCode.liquid_staking],
    [opts.exclude.symbols, reasonCode.excluded],
  ] as const;
  const excludedUpper = new Map<string, number>();
  for (const [list, code] of lists) for (const s of list) if (!excludedUpper.has(s.toUpperCase())) excludedUpper.set(s.toUpperCase(), code);
  for (let s = 0; s < nSym; s++) excludedAs[s] = excludedUpper.get(symbols[s]!.toUpperCase()) ?? 0;

  const n = sigDay.length;
  const order = orderByDayAndSymbol(sigDay, sigSym, minDay, Math.max(nDays, 1), Math.max(nSym, 1));
  const codes = new Uint8Array(n);
  const { hasClose, nSymbols: panelWidth, firstDay: panelFirst, nDays: panelDays } = panel;
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    if (j > 0) {
      const p = order[j - 1]!;
      if (sigDay[p] === sigDay[i] && sigSym[p] === sigSym[i]) throw new DuplicateRowError("signals", isoDay(sigDay[i]!), symbols[sigSym[i]!]!);
    }
    const s = sigSym[i]!;
    const d = sigDay[i]!;
    if (excludedAs[s]! !== 0) {
      codes[j] = excludedAs[s]!;
      continue;
    }
    const slot = slotOf[s]!;
    if (slot < 0) {
      codes[j] = reasonCode.unmapped;
      continue;
    }
    const row = instRow[s]!;
    const launch = inst.launchDay[row]!;
    const delivery = inst.deliveryDay[row]!;
    const column = slotColumn[slot]!;
    const t = d - panelFirst;
    if (d < launch) codes[j] = reasonCode.not_listed;
    else if (d < launch + opts.minListingDays) codes[j] = reasonCode.too_new;
    else if (delivery >= 0 && d >= delivery) codes[j] = reasonCode.delisted;
    else if (column < 0 || t < 0 || t >= panelDays || hasClose[t * panelWidth + column] === 0) {
      const last = lastCloseDay[slot]!;
      const ended = last !== NO_CLOSE && last < d && d <= marketLastDay;
      codes[j] = ended ? reasonCode.prices_ended : reasonCode.no_close;
    } else if (turnoverRule && Number.isNaN(medians![slot * nDays + (d - minDay)]!)) codes[j] = reasonCode.no_turnover_history;
    else if (turnoverRule && medians![slot * nDays + (d - minDay)]! < opts.minMedianTurnoverUsd) codes[j] = reasonCode.low_turnover;
    else codes[j] = reasonCode.ok;
  }

  if (opts.topN !== undefined) applyTopN(order, sigDay, sigSym, slotOf, codes, medians!, nDays, minDay, opts.topN);

  const outDate = new Array<string>(n);
  const outSymbol = new Array<string>(n);
  const outExchange = new Array<string>(n);
  const outReason = new Array<string>(n);
  const tradable = new Uint8Array(n);
  const exchangeOf = Array.from({ length: nSym }, (_, s) => (instRow[s]! >= 0 ? inst.symbol[instRow[s]!]! : ""));
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    // Dates were validated as YYYY-MM-DD, so the day number's ISO form is the original string.
    outDate[j] = isoDay(sigDay[i]!);
    outSymbol[j] = symbols[sigSym[i]!]!;
    outExchange[j] = exchangeOf[sigSym[i]!]!;
    outReason[j] = universeReasons[codes[j]!]!;
    tradable[j] = codes[j] === reasonCode.ok ? 1 : 0;
  }
  return NumerFrame.fromColumns(
    { date: outDate, symbol: outSymbol, exchange_symbol: outExchange, tradable, reason: outReason },
    undefined,
    { allowEmpty: true, strings: ["date", "symbol", "exchange_symbol", "reason"] },
  ).withProvenance({ blox: "tradableUniverse", options: opts });
}

const NO_CLOSE = -2147483648;

/** Day number of each slot's last actual close in the panel, or NO_CLOSE. */
function lastCloseDays(panel: MarketPanel, slotColumn: readonly number[]): Int32Array {
  const out = new Int32Array(slotColumn.length).fill(NO_CLOSE);
  const { hasClose, nSymbols, nDays, firstDay } = panel;
  for (let slot = 0; slot < slotColumn.length; slot++) {
    const c = slotColumn[slot]!;
    if (c < 0) continue;
    for (let t = nDays - 1; t >= 0; t--) {
      if (hasClose[t * nSymbols + c] === 1) {
        out[slot] = firstDay + t;
        break;
      }
    }
  }
  return out;
}

/** One panel column over the days minDay .. minDay + out.length − 1, NaN outside the panel. */
function slotSeries(panel: MarketPanel, values: Float64Array, column: number, minDay: number, out: Float64Array): void {
  out.fill(Number.NaN);
  if (column < 0) return;
  const { nSymbols, nDays, firstDay } = panel;
  const from = Math.max(0, minDay - firstDay);
  const to = Math.min(nDays, minDay + out.length - firstDay);
  for (let t = from; t < to; t++) out[t + firstDay - minDay] = values[t * nSymbols + column]!;
}

/** Within each date, keeps the topN "ok" rows by trailing median turnover (NaN last, ties by symbol). */
function applyTopN(
  order: Int32Array,
  day: Int32Array,
  sym: Int32Array,
  slotOf: Int32Array,
  codes: Uint8Array,
  medians: Float64Array,
  nDays: number,
  minDay: number,
  topN: number,
): void {
  const n = order.length;
  const candidates: number[] = [];
  const key = (j: number) => medians[slotOf[sym[order[j]!]!]! * nDays + (day[order[j]!]! - minDay)]!;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end < n && day[order[end]!] === day[order[start]!]) end++;
    candidates.length = 0;
    for (let j = start; j < end; j++) if (codes[j] === reasonCode.ok) candidates.push(j);
    if (candidates.length > topN) {
      // Rows within a date are already in symbol order, so a stable sort breaks ties by symbol.
      candidates.sort((a, b) => {
        const x = key(a);
        const y = key(b);
        if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) ? (Number.isNaN(y) ? 0 : 1) : -1;
        return y - x;
      });
      for (let c = topN; c < candidates.length; c++) codes[candidates[c]!] = reasonCode.outside_top_n;
    }
    start = end;
  }
}
