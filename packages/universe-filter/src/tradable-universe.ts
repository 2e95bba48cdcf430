import { MissingColumnError, NumerFrame, dayColumn } from "@nmrblox/numerframe";
import { z } from "zod";
import { DuplicateExchangeSymbolError, DuplicateRowError, UnknownExchangeSymbolError, parseOptions } from "./errors.js";
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
export type TradableUniverseOptions = z.input<typeof tradableUniverseOptions>;

/** Frames {@link tradableUniverse} reads. */
export interface UniverseInputs {
  /** Rows to judge: date (YYYY-MM-DD) and symbol (Numerai); other columns are ignored. */
  readonly signals: NumerFrame;
  /** Bybit instruments: symbol, base_coin, quote_coin, contract_type, status, launch_time, delivery_time. */
  readonly instruments: NumerFrame;
  /** Daily market data: date, close, turnover_usd, keyed by symbol (Numerai) or else exchange_symbol. */
  readonly market: NumerFrame;
  /** symbol → exchange_symbol, as made by mapSymbols; made from signals and instruments when omitted. */
  readonly mapping?: NumerFrame;
}

function requireColumns(frame: NumerFrame, name: string, columns: readonly string[]): void {
  for (const c of columns) if (!frame.has(c)) throw new MissingColumnError(c, name, frame.columnNames);
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
  requireColumns(mapping, "mapping", ["symbol", "exchange_symbol"]);
  const ms = mapping.strings("symbol");
  const mx = mapping.strings("exchange_symbol");
  const rowOfSym = new Int32Array(nSym).fill(-1);
  const seenSymbol = new Set<string>();
  const seenExchange = new Set<string>();
  for (let i = 0; i < ms.length; i++) {
    const s = ms[i]!;
    const x = mx[i]!;
    if (seenSymbol.has(s)) throw new DuplicateRowError("mapping", s);
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
 * (delisted); a close > 0 on the date (no_close, or prices_ended when the contract never trades
 * again in `market`: a label only, the row fails for lack of a close either way); median
 * turnover_usd of the lookbackDays before the date, the date excluded, at least
 * minMedianTurnoverUsd (no_turnover_history, low_turnover); with topN, rank by that median
 * (outside_top_n). No rule reads market data dated after the row's date.
 *
 * Returns a NumerFrame (date, symbol, exchange_symbol ("" when unmapped), tradable (Uint8 0/1),
 * reason) with one row per signals row, sorted by date then symbol.
 */
export function tradableUniverse(inputs: UniverseInputs, options: TradableUniverseOptions = {}): NumerFrame {
  const opts = parseOptions(tradableUniverseOptions, options, "tradableUniverse");
  const { signals, instruments, market } = inputs;
  requireColumns(signals, "signals", ["date", "symbol"]);
  requireColumns(market, "market", ["date", "close", "turnover_usd"]);
  if (!market.has("symbol") && !market.has("exchange_symbol")) {
    throw new MissingColumnError("symbol", "market (needs symbol or exchange_symbol)", market.columnNames);
  }
  const inst = readInstruments(instruments);

  const sigDates = signals.strings("date");
  const sigSymbols = signals.strings("symbol");
  const sigDay = dayColumn(sigDates, "date", "signals");
  const symbols = [...new Set(sigSymbols)].sort();
  const nSym = symbols.length;
  const symIndex = new Map<string, number>(symbols.map((s, i) => [s, i]));
  const sigSym = new Int32Array(sigSymbols.length);
  for (let i = 0; i < sigSym.length; i++) sigSym[i] = symIndex.get(sigSymbols[i]!)!;

  const mapping = inputs.mapping ?? mapSymbols(symbols, instruments).mapping;
  const instRow = mappedRows(mapping, inst, symIndex, nSym);

  // Dense per-symbol daily series over every day either frame touches.
  const mktDates = market.strings("date");
  const mktDay = dayColumn(mktDates, "date", "market");
  let minDay = Number.POSITIVE_INFINITY;
  let maxDay = Number.NEGATIVE_INFINITY;
  let marketLastDay = Number.NEGATIVE_INFINITY;
  for (const d of sigDay) {
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
  }
  for (const d of mktDay) {
    if (d < minDay) minDay = d;
    if (d > maxDay) maxDay = d;
    if (d > marketLastDay) marketLastDay = d;
  }
  const nDays = Number.isFinite(minDay) ? maxDay - minDay + 1 : 0;
  const slotOf = new Int32Array(nSym).fill(-1);
  let nSlots = 0;
  for (let s = 0; s < nSym; s++) if (instRow[s]! >= 0) slotOf[s] = nSlots++;

  const close = new Float64Array(nSlots * nDays).fill(Number.NaN);
  const turnover = new Float64Array(nSlots * nDays).fill(Number.NaN);
  const seen = new Uint8Array(nSlots * nDays);
  const lastCloseDay = new Int32Array(nSlots).fill(-1);
  const hadClose = new Uint8Array(nSlots);
  const mktClose = market.float64("close");
  const mktTurnover = market.float64("turnover_usd");
  const byNumeraiSymbol = market.has("symbol");
  const mktKey = market.strings(byNumeraiSymbol ? "symbol" : "exchange_symbol");
  const keyToSym = new Map<string, number>();
  if (byNumeraiSymbol) {
    for (const [s, id] of symIndex) keyToSym.set(s, id);
  } else {
    for (let s = 0; s < nSym; s++) if (instRow[s]! >= 0) keyToSym.set(inst.symbol[instRow[s]!]!, s);
  }
  for (let i = 0; i < mktDay.length; i++) {
    const s = keyToSym.get(mktKey[i]!);
    if (s === undefined) continue;
    const slot = slotOf[s]!;
    if (slot < 0) continue;
    const t = mktDay[i]! - minDay;
    const at = slot * nDays + t;
    if (seen[at] === 1) throw new DuplicateRowError("market", mktKey[i]!, mktDates[i]!);
    seen[at] = 1;
    close[at] = mktClose[i]!;
    turnover[at] = mktTurnover[i]!;
    if (mktClose[i]! > 0) {
      hadClose[slot] = 1;
      if (mktDay[i]! > lastCloseDay[slot]!) lastCloseDay[slot] = mktDay[i]!;
    }
  }

  const turnoverRule = opts.minMedianTurnoverUsd > 0;
  const medians = turnoverRule || opts.topN !== undefined ? new Float64Array(nSlots * nDays) : null;
  if (medians !== null) {
    for (let slot = 0; slot < nSlots; slot++) trailingMedians(turnover, slot * nDays, nDays, opts.lookbackDays, medians, slot * nDays);
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
  for (let j = 0; j < n; j++) {
    const i = order[j]!;
    if (j > 0) {
      const p = order[j - 1]!;
      if (sigDay[p] === sigDay[i] && sigSym[p] === sigSym[i]) throw new DuplicateRowError("signals", sigSymbols[i]!, sigDates[i]!);
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
    const at = slot * nDays + (d - minDay);
    if (d < launch) codes[j] = reasonCode.not_listed;
    else if (d < launch + opts.minListingDays) codes[j] = reasonCode.too_new;
    else if (delivery >= 0 && d >= delivery) codes[j] = reasonCode.delisted;
    else if (!(close[at]! > 0)) {
      const ended = hadClose[slot] === 1 && lastCloseDay[slot]! < d && d <= marketLastDay;
      codes[j] = ended ? reasonCode.prices_ended : reasonCode.no_close;
    } else if (turnoverRule && Number.isNaN(medians![at]!)) codes[j] = reasonCode.no_turnover_history;
    else if (turnoverRule && medians![at]! < opts.minMedianTurnoverUsd) codes[j] = reasonCode.low_turnover;
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
    outDate[j] = sigDates[i]!;
    outSymbol[j] = sigSymbols[i]!;
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
