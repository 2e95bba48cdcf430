import type { BoundCosts } from "@nmrblox/cost-model";
import { dailyContract } from "@nmrblox/numerframe";
import type { MarketPanel } from "@nmrblox/numerframe/internal";
import { volatilityScale } from "@nmrblox/portfolio";
import { TrancheBookEngine, type TranchePlan } from "@nmrblox/portfolio/internal";
import type { ResolvedBacktestOptions } from "./options.js";

/** Daily series as columns over panel rows `first .. nDays − 1` (see {@link simulate}); the columns of `dailyContract`. */
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
}

/** Per opened tranche: price PnL, own entry/exit costs (as if not netted), funding. */
export interface TrancheColumns {
  gross_pnl: Float64Array;
  fee: Float64Array;
  slippage: Float64Array;
  funding: Float64Array;
}

export interface Simulation {
  /** Panel row of the first tranche's entry (start of the daily series), or −1 when none opened. */
  first: number;
  daily: DailyColumns;
  tranches: TrancheColumns;
  engine: TrancheBookEngine;
}

// The daily columns, in order, are the contract's: one list for the backtest and its readers.
const DAILY_KEYS = dailyContract.columns.filter((c) => c.name !== "date").map((c) => c.name as keyof DailyColumns);

/**
 * The day loop of docs/backtest-accounting.md over typed arrays. For each day t: price PnL and
 * funding of the positions held at the close of t−1; then the exit and the entry at the close
 * of t; then trading costs on the day's trades (netted per symbol, or per tranche); then
 * equity, return, turnover and exposures at the close of t.
 */
export function simulate(
  panel: MarketPanel,
  plan: TranchePlan,
  options: ResolvedBacktestOptions,
  costs: BoundCosts,
  onProgress?: (done: number, total: number) => void,
): Simulation {
  const { portfolio, netting } = options;
  const nS = panel.nSymbols;
  const nD = panel.nDays;
  const close = panel.close;
  const engine = new TrancheBookEngine(plan, panel, portfolio);
  const { quantity, holders, delta, touched, posStart, posSymbol, posQty } = engine;

  const daily = Object.fromEntries(DAILY_KEYS.map((k) => [k, new Float64Array(nD)])) as unknown as DailyColumns;
  const cap = plan.count;
  const tranches: TrancheColumns = {
    gross_pnl: new Float64Array(cap),
    fee: new Float64Array(cap),
    slippage: new Float64Array(cap),
    funding: new Float64Array(cap),
  };
  const active = new Int32Array(Math.max(1, cap));
  let nActive = 0;
  let first = -1;
  let equityPrev = 1;
  const volTarget = portfolio.targetVolatility;

  for (let t = 0; t < nD; t++) {
    const row = t * nS;
    let gross = 0;
    let fund = 0;
    if (first >= 0) {
      // Positions held at the close of t−1 earn t's move and pay t's funding.
      const prev = row - nS;
      for (let s = 0; s < nS; s++) {
        const q = quantity[s]!;
        if (q === 0) continue;
        const c = close[row + s]!;
        gross += q * (c - close[prev + s]!);
        fund += costs.funding(s, t, q * c);
      }
      for (let a = 0; a < nActive; a++) {
        const k = active[a]!;
        let g = 0;
        let f = 0;
        for (let j = posStart[k]!; j < posStart[k + 1]!; j++) {
          const s = posSymbol[j]!;
          const q = posQty[j]!;
          const c = close[row + s]!;
          g += q * (c - close[prev + s]!);
          f += costs.funding(s, t, q * c);
        }
        tranches.gross_pnl[k]! += g;
        tranches.funding[k]! += f;
      }
    }

    const scale =
      volTarget !== undefined && first >= 0 && engine.entersOn(t)
        ? volatilityScale(daily.return, first, t - first, volTarget, portfolio.leverage)
        : 1;
    engine.step(t, scale);
    if (first < 0) {
      if (engine.entered < 0) continue;
      first = t;
    }

    let fee = 0;
    let slip = 0;
    let traded = 0;
    if (netting) {
      for (let i = 0; i < engine.nTouched; i++) {
        const s = touched[i]!;
        const d = delta[s]!;
        if (d === 0) continue;
        const n = Math.abs(d) * close[row + s]!;
        traded += n;
        fee += costs.fee(s, t, n);
        slip += costs.slippage(s, t, n);
      }
    }
    for (const k of [engine.exited, engine.entered]) {
      if (k < 0) continue;
      let tf = 0;
      let ts = 0;
      for (let j = posStart[k]!; j < posStart[k + 1]!; j++) {
        const s = posSymbol[j]!;
        const n = Math.abs(posQty[j]!) * close[row + s]!;
        tf += costs.fee(s, t, n);
        ts += costs.slippage(s, t, n);
        if (!netting) traded += n;
      }
      tranches.fee[k]! += tf;
      tranches.slippage[k]! += ts;
      if (!netting) {
        fee += tf;
        slip += ts;
      }
    }
    if (engine.exited >= 0) {
      for (let a = 0; a < nActive; a++) {
        if (active[a] === engine.exited) {
          active[a] = active[--nActive]!;
          break;
        }
      }
    }
    if (engine.entered >= 0) active[nActive++] = engine.entered;

    const net = gross - fee - slip + fund;
    daily.gross_pnl[t] = gross;
    daily.fee[t] = fee;
    daily.slippage[t] = slip;
    daily.funding[t] = fund;
    daily.net_pnl[t] = net;
    daily.equity[t] = equityPrev + net;
    daily.return[t] = net / equityPrev;
    daily.turnover[t] = traded / equityPrev;
    equityPrev += net;

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
    daily.long_exposure[t] = long;
    daily.short_exposure[t] = short;
    daily.gross_exposure[t] = long + short;
    daily.positions[t] = positions;
    if (onProgress !== undefined && (t & 255) === 255) onProgress(t + 1, nD);
  }
  onProgress?.(nD, nD);
  return { first, daily, tranches, engine };
}
