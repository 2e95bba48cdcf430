import type { BoundCosts } from "@nmrblox/cost-model";
import { DAY_MS, dailyContract } from "@nmrblox/numerframe";
import type { MarketPanel } from "@nmrblox/numerframe/internal";
import { volatilityScale } from "@nmrblox/portfolio";
import { TrancheBookEngine, type TranchePlan } from "@nmrblox/portfolio/internal";
import type { ResolvedBacktestOptions } from "./options.js";

/**
 * The daily frame's columns after `dailyContract`'s: each leg's price PnL and funding, the leg
 * of a symbol being the sign of its net quantity at the close of t−1 (as for the exposures).
 * long_price_pnl + short_price_pnl = gross_pnl and long_funding + short_funding = funding.
 */
export const LEG_COLUMNS = ["long_price_pnl", "long_funding", "short_price_pnl", "short_funding"] as const;

/** Daily series as columns over panel rows `first .. nDays − 1` (see {@link simulate}): `dailyContract`'s, then the legs'. */
export interface DailyColumns {
  gross_pnl: Float64Array;
  fee: Float64Array;
  slippage: Float64Array;
  funding: Float64Array;
  net_pnl: Float64Array;
  equity: Float64Array;
  return: Float64Array;
  long_exposure: Float64Array;
  short_exposure: Float64Array;
  gross_exposure: Float64Array;
  turnover: Float64Array;
  positions: Float64Array;
  long_price_pnl: Float64Array;
  long_funding: Float64Array;
  short_price_pnl: Float64Array;
  short_funding: Float64Array;
}

/** Per opened tranche: price PnL, own entry/exit costs (as if not netted), funding. */
export interface TrancheColumns {
  gross_pnl: Float64Array;
  fee: Float64Array;
  slippage: Float64Array;
  funding: Float64Array;
}

/**
 * Per (month, symbol) cell `m · nSymbols + s`: what the symbol contributed in calendar month
 * `firstMonth + m` (months counted as year · 12 + month − 1). Price PnL and funding land on the
 * day they are earned; costs on the day of the trade; a day counts as held long (short) when
 * the symbol's net quantity at the close of t−1 was positive (negative).
 */
export interface Attribution {
  firstMonth: number;
  nMonths: number;
  /** Month index (from firstMonth) of each panel row. */
  monthOfRow: Int32Array;
  price: Float64Array;
  funding: Float64Array;
  fee: Float64Array;
  slippage: Float64Array;
  daysLong: Int32Array;
  daysShort: Int32Array;
  /** Days held at the close of t−1 whose close on t was carried (no actual close on t). */
  staleDays: Int32Array;
}

/** Per symbol: held days marked at a carried close, and the longest run of them. */
export interface StaleCloses {
  days: Int32Array;
  longest: Int32Array;
  /** Panel row where the longest run starts. */
  longestFrom: Int32Array;
  /** Scratch: the current run and the row of the last stale day. */
  run: Int32Array;
  lastRow: Int32Array;
}

export interface Simulation {
  /** Panel row of the first tranche's entry (start of the daily series), or −1 when none opened. */
  first: number;
  daily: DailyColumns;
  tranches: TrancheColumns;
  engine: TrancheBookEngine;
  /** Per (month, symbol) attribution; null unless asked for (a second, attributed run). */
  attribution: Attribution | null;
  stale: StaleCloses;
}

// The daily columns, in order: the contract's (one list for the backtest and its readers), then the legs.
export const DAILY_KEYS = [...dailyContract.columns.filter((c) => c.name !== "date").map((c) => c.name), ...LEG_COLUMNS] as ReadonlyArray<
  keyof DailyColumns
>;

/** Sums of one day, written by the small per-loop functions below (no per-day objects). */
enum Sum {
  Gross,
  Funding,
  LongPrice,
  LongFunding,
  ShortPrice,
  ShortFunding,
  Fee,
  Slippage,
  Traded,
  Size,
}

/** Calendar month (year · 12 + month − 1) of a day number. */
function monthOfDay(day: number): number {
  const d = new Date(day * DAY_MS);
  return d.getUTCFullYear() * 12 + d.getUTCMonth();
}

function newAttribution(panel: MarketPanel): Attribution {
  const nD = panel.nDays;
  const firstMonth = monthOfDay(panel.firstDay);
  const monthOfRow = new Int32Array(nD);
  for (let t = 0; t < nD; t++) monthOfRow[t] = monthOfDay(panel.firstDay + t) - firstMonth;
  const nMonths = nD === 0 ? 0 : monthOfRow[nD - 1]! + 1;
  const cells = nMonths * panel.nSymbols;
  return {
    firstMonth,
    nMonths,
    monthOfRow,
    price: new Float64Array(cells),
    funding: new Float64Array(cells),
    fee: new Float64Array(cells),
    slippage: new Float64Array(cells),
    daysLong: new Int32Array(cells),
    daysShort: new Int32Array(cells),
    staleDays: new Int32Array(cells),
  };
}

/**
 * {@link markPositions} without the per-symbol attribution: the day's sums, the legs, the
 * running funding sums and the stale-close count only (what every run needs).
 */
function markNet(
  t: number,
  panel: MarketPanel,
  quantity: Float64Array,
  holders: Int32Array,
  costs: BoundCosts,
  fundingSum: Float64Array,
  stale: StaleCloses,
  sums: Float64Array,
): void {
  const nS = panel.nSymbols;
  const close = panel.close;
  const rates = panel.fundingRate;
  const hasClose = panel.hasClose;
  const row = t * nS;
  const prev = row - nS;
  let gross = 0;
  let fund = 0;
  let longPrice = 0;
  let longFunding = 0;
  let shortPrice = 0;
  let shortFunding = 0;
  for (let s = 0; s < nS; s++) {
    if (holders[s] === 0) continue;
    const c = close[row + s]!;
    fundingSum[s]! += c * rates[row + s]!;
    if (hasClose[row + s] === 0) markStale(s, t, stale);
    const q = quantity[s]!;
    if (q === 0) continue;
    const p = q * (c - close[prev + s]!);
    const f = costs.funding(s, t, q * c);
    gross += p;
    fund += f;
    if (q > 0) {
      longPrice += p;
      longFunding += f;
    } else {
      shortPrice += p;
      shortFunding += f;
    }
  }
  sums[Sum.Gross] = gross;
  sums[Sum.Funding] = fund;
  sums[Sum.LongPrice] = longPrice;
  sums[Sum.LongFunding] = longFunding;
  sums[Sum.ShortPrice] = shortPrice;
  sums[Sum.ShortFunding] = shortFunding;
}

/**
 * Day t's price PnL and funding of the net positions held at the close of t−1, per leg and per
 * symbol. Also advances each held symbol's running funding sum Σ close·rate (for tranche
 * funding) and counts held days at a carried close.
 */
function markPositions(
  t: number,
  panel: MarketPanel,
  quantity: Float64Array,
  holders: Int32Array,
  costs: BoundCosts,
  fundingSum: Float64Array,
  attr: Attribution,
  stale: StaleCloses,
  sums: Float64Array,
): void {
  const nS = panel.nSymbols;
  const close = panel.close;
  const rates = panel.fundingRate;
  const hasClose = panel.hasClose;
  const row = t * nS;
  const prev = row - nS;
  const cell0 = attr.monthOfRow[t]! * nS;
  let gross = 0;
  let fund = 0;
  let longPrice = 0;
  let longFunding = 0;
  let shortPrice = 0;
  let shortFunding = 0;
  for (let s = 0; s < nS; s++) {
    if (holders[s] === 0) continue;
    const c = close[row + s]!;
    fundingSum[s]! += c * rates[row + s]!;
    if (hasClose[row + s] === 0) {
      markStale(s, t, stale);
      attr.staleDays[cell0 + s]!++;
    }
    const q = quantity[s]!;
    if (q === 0) continue;
    const p = q * (c - close[prev + s]!);
    const f = costs.funding(s, t, q * c);
    gross += p;
    fund += f;
    const cell = cell0 + s;
    attr.price[cell]! += p;
    attr.funding[cell]! += f;
    if (q > 0) {
      longPrice += p;
      longFunding += f;
      attr.daysLong[cell]!++;
    } else {
      shortPrice += p;
      shortFunding += f;
      attr.daysShort[cell]!++;
    }
  }
  sums[Sum.Gross] = gross;
  sums[Sum.Funding] = fund;
  sums[Sum.LongPrice] = longPrice;
  sums[Sum.LongFunding] = longFunding;
  sums[Sum.ShortPrice] = shortPrice;
  sums[Sum.ShortFunding] = shortFunding;
}

function markStale(s: number, t: number, stale: StaleCloses): void {
  stale.days[s]!++;
  const run = stale.lastRow[s] === t - 1 ? stale.run[s]! + 1 : 1;
  stale.run[s] = run;
  stale.lastRow[s] = t;
  if (run > stale.longest[s]!) {
    stale.longest[s] = run;
    stale.longestFrom[s] = t - run + 1;
  }
}

/** Netted trades of day t: |Δ total quantity| × close per touched symbol. */
function chargeNetted(t: number, panel: MarketPanel, engine: TrancheBookEngine, costs: BoundCosts, attr: Attribution | null, sums: Float64Array): void {
  const nS = panel.nSymbols;
  const row = t * nS;
  const close = panel.close;
  const { touched, delta } = engine;
  const cell0 = attr === null ? 0 : attr.monthOfRow[t]! * nS;
  let fee = 0;
  let slip = 0;
  let traded = 0;
  for (let i = 0; i < engine.nTouched; i++) {
    const s = touched[i]!;
    const d = delta[s]!;
    if (d === 0) continue;
    const n = Math.abs(d) * close[row + s]!;
    traded += n;
    const f = costs.fee(s, t, n);
    const sl = costs.slippage(s, t, n);
    fee += f;
    slip += sl;
    if (attr !== null) {
      attr.fee[cell0 + s]! += f;
      attr.slippage[cell0 + s]! += sl;
    }
  }
  sums[Sum.Fee] = fee;
  sums[Sum.Slippage] = slip;
  sums[Sum.Traded] = traded;
}

/**
 * Tranche k's own entry or exit costs on day t, added to its columns; without netting they are
 * also the day's costs (added to `sums` and the symbols' attribution).
 */
function chargeTranche(
  k: number,
  t: number,
  panel: MarketPanel,
  engine: TrancheBookEngine,
  costs: BoundCosts,
  netting: boolean,
  tranches: TrancheColumns,
  attr: Attribution | null,
  sums: Float64Array,
): void {
  const nS = panel.nSymbols;
  const row = t * nS;
  const close = panel.close;
  const { posStart, posSymbol, posQty } = engine;
  const cell0 = attr === null ? 0 : attr.monthOfRow[t]! * nS;
  let tf = 0;
  let ts = 0;
  // Without netting the day's traded notional is summed position by position, exit then entry.
  let traded = sums[Sum.Traded]!;
  for (let j = posStart[k]!; j < posStart[k + 1]!; j++) {
    const s = posSymbol[j]!;
    const n = Math.abs(posQty[j]!) * close[row + s]!;
    const f = costs.fee(s, t, n);
    const sl = costs.slippage(s, t, n);
    tf += f;
    ts += sl;
    traded += n;
    if (!netting && attr !== null) {
      attr.fee[cell0 + s]! += f;
      attr.slippage[cell0 + s]! += sl;
    }
  }
  tranches.fee[k]! += tf;
  tranches.slippage[k]! += ts;
  if (!netting) {
    sums[Sum.Traded] = traded;
    sums[Sum.Fee]! += tf;
    sums[Sum.Slippage]! += ts;
  }
}

/** Entry-day running funding sums of tranche k's positions (its funding starts the next day). */
function recordEntry(k: number, engine: TrancheBookEngine, fundingSum: Float64Array, entrySum: Float64Array): void {
  const { posStart, posSymbol } = engine;
  for (let j = posStart[k]!; j < posStart[k + 1]!; j++) entrySum[j] = fundingSum[posSymbol[j]!]!;
}

/**
 * Tranche k's price PnL Σ q·(close_t − close_entry) and funding −Σ q·(F_t − F_entry), F the
 * symbol's running Σ close·rate, over its life up to row t (its exit, or the last day).
 */
function settleTranche(
  k: number,
  t: number,
  panel: MarketPanel,
  engine: TrancheBookEngine,
  hasFunding: boolean,
  fundingSum: Float64Array,
  entrySum: Float64Array,
  tranches: TrancheColumns,
): void {
  const nS = panel.nSymbols;
  const close = panel.close;
  const row = t * nS;
  const entry = engine.entryRow[k]! * nS;
  const { posStart, posSymbol, posQty } = engine;
  let g = 0;
  let f = 0;
  for (let j = posStart[k]!; j < posStart[k + 1]!; j++) {
    const s = posSymbol[j]!;
    const q = posQty[j]!;
    g += q * (close[row + s]! - close[entry + s]!);
    if (hasFunding) f -= q * (fundingSum[s]! - entrySum[j]!);
  }
  tranches.gross_pnl[k] = g;
  tranches.funding[k] = f;
}

/** Exposures and position count at the close of t, from the net quantity per symbol. */
function exposures(t: number, panel: MarketPanel, quantity: Float64Array, holders: Int32Array, sums: Float64Array): void {
  const nS = panel.nSymbols;
  const close = panel.close;
  const row = t * nS;
  let long = 0;
  let short = 0;
  let positions = 0;
  for (let s = 0; s < nS; s++) {
    if (holders[s] === 0) continue;
    const q = quantity[s]!;
    if (q === 0) continue;
    positions++;
    const v = q * close[row + s]!;
    if (v > 0) long += v;
    else short -= v;
  }
  sums[Sum.LongPrice] = long;
  sums[Sum.ShortPrice] = short;
  sums[Sum.Size] = positions;
}

/**
 * The day loop of docs/backtest-accounting.md over typed arrays and the net quantity per
 * symbol. For each day t: price PnL and funding of the net positions held at the close of
 * t−1; then the exit and the entry at the close of t; then trading costs on the day's trades
 * (netted per symbol, or per tranche); then equity, return, turnover and exposures at the close
 * of t. A tranche's own PnL comes from its entry and exit (or last) closes and funding from
 * running sums, so no per-tranche work is done on the days between. The per-symbol
 * attribution is kept only `withAttribution` (the same loop, bit for bit, with its writes).
 */
export function simulate(
  panel: MarketPanel,
  plan: TranchePlan,
  options: ResolvedBacktestOptions,
  costs: BoundCosts,
  onProgress?: (done: number, total: number) => void,
  withAttribution = false,
): Simulation {
  const { portfolio, netting } = options;
  const nS = panel.nSymbols;
  const nD = panel.nDays;
  const engine = new TrancheBookEngine(plan, panel, portfolio);
  const { quantity, holders } = engine;

  const daily = Object.fromEntries(DAILY_KEYS.map((k) => [k, new Float64Array(nD)])) as unknown as DailyColumns;
  const cap = plan.count;
  const tranches: TrancheColumns = {
    gross_pnl: new Float64Array(cap),
    fee: new Float64Array(cap),
    slippage: new Float64Array(cap),
    funding: new Float64Array(cap),
  };
  const attr = withAttribution ? newAttribution(panel) : null;
  const stale: StaleCloses = {
    days: new Int32Array(nS),
    longest: new Int32Array(nS),
    longestFrom: new Int32Array(nS),
    run: new Int32Array(nS),
    lastRow: new Int32Array(nS).fill(-2),
  };
  const fundingSum = new Float64Array(nS);
  const entrySum = new Float64Array(engine.posSymbol.length);
  const sums = new Float64Array(Sum.Size + 1);
  const hasFunding = costs.hasFunding;
  let first = -1;
  let equityPrev = 1;
  const volTarget = portfolio.targetVolatility;

  for (let t = 0; t < nD; t++) {
    sums.fill(0);
    if (first >= 0) {
      if (attr === null) markNet(t, panel, quantity, holders, costs, fundingSum, stale, sums);
      else markPositions(t, panel, quantity, holders, costs, fundingSum, attr, stale, sums);
    }
    const gross = sums[Sum.Gross]!;
    const fund = sums[Sum.Funding]!;
    daily.long_price_pnl[t] = sums[Sum.LongPrice]!;
    daily.long_funding[t] = sums[Sum.LongFunding]!;
    daily.short_price_pnl[t] = sums[Sum.ShortPrice]!;
    daily.short_funding[t] = sums[Sum.ShortFunding]!;

    const scale =
      volTarget !== undefined && first >= 0 && engine.entersOn(t)
        ? volatilityScale(daily.return, first, t - first, volTarget, portfolio.leverage)
        : 1;
    engine.step(t, scale);
    if (first < 0) {
      if (engine.entered < 0) continue;
      first = t;
    }

    if (netting) chargeNetted(t, panel, engine, costs, attr, sums);
    if (engine.exited >= 0) {
      chargeTranche(engine.exited, t, panel, engine, costs, netting, tranches, attr, sums);
      settleTranche(engine.exited, t, panel, engine, hasFunding, fundingSum, entrySum, tranches);
    }
    if (engine.entered >= 0) {
      chargeTranche(engine.entered, t, panel, engine, costs, netting, tranches, attr, sums);
      recordEntry(engine.entered, engine, fundingSum, entrySum);
    }
    const fee = sums[Sum.Fee]!;
    const slip = sums[Sum.Slippage]!;
    const net = gross - fee - slip + fund;
    daily.gross_pnl[t] = gross;
    daily.fee[t] = fee;
    daily.slippage[t] = slip;
    daily.funding[t] = fund;
    daily.net_pnl[t] = net;
    daily.equity[t] = equityPrev + net;
    daily.return[t] = net / equityPrev;
    daily.turnover[t] = sums[Sum.Traded]! / equityPrev;
    equityPrev += net;

    exposures(t, panel, quantity, holders, sums);
    daily.long_exposure[t] = sums[Sum.LongPrice]!;
    daily.short_exposure[t] = sums[Sum.ShortPrice]!;
    daily.gross_exposure[t] = sums[Sum.LongPrice]! + sums[Sum.ShortPrice]!;
    daily.positions[t] = sums[Sum.Size]!;
    if (onProgress !== undefined && (t & 255) === 255) onProgress(t + 1, nD);
  }
  // Tranches still open are marked at the last day's closes.
  for (let k = 0; k < engine.opened; k++) {
    if (engine.exitRow[k]! >= nD) settleTranche(k, nD - 1, panel, engine, hasFunding, fundingSum, entrySum, tranches);
  }
  onProgress?.(nD, nD);
  return { first, daily, tranches, engine, attribution: attr, stale };
}
