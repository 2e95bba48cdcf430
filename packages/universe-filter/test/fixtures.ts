import { NumerFrame } from "@nmrblox/numerframe";

/** Hand-built frames for the universe-filter tests. Day k is 2024-01-01 + k days (UTC). */

export function day(k: number): string {
  return new Date(Date.UTC(2024, 0, 1 + k)).toISOString().slice(0, 10);
}

/** Epoch milliseconds of day k at `hour` UTC. */
export function ms(k: number, hour = 0): number {
  return Date.UTC(2024, 0, 1 + k, hour);
}

export interface InstrumentRow {
  symbol: string;
  base_coin?: string;
  quote_coin?: string;
  contract_type?: string;
  status?: string;
  launch_time?: number;
  delivery_time?: number;
}

/** An instruments frame; defaults: USDT LinearPerpetual, Trading, launched long before day 0, no delivery. */
export function instruments(rows: readonly InstrumentRow[]): NumerFrame {
  const base = (r: InstrumentRow) => r.base_coin ?? r.symbol.replace(/USDT$/, "");
  return NumerFrame.fromColumns({
    symbol: rows.map((r) => r.symbol),
    base_coin: rows.map(base),
    quote_coin: rows.map((r) => r.quote_coin ?? "USDT"),
    contract_type: rows.map((r) => r.contract_type ?? "LinearPerpetual"),
    status: rows.map((r) => r.status ?? "Trading"),
    launch_time: Float64Array.from(rows, (r) => r.launch_time ?? ms(-400)),
    delivery_time: Float64Array.from(rows, (r) => r.delivery_time ?? 0),
    funding_interval_min: Float64Array.from(rows, () => 480),
  });
}

export interface MarketRow {
  day: number;
  symbol: string;
  exchange_symbol?: string;
  close?: number;
  turnover_usd?: number;
}

/** A market frame keyed by Numerai symbol (exchange_symbol defaults to symbol + "USDT"). */
export function market(rows: readonly MarketRow[]): NumerFrame {
  return NumerFrame.fromColumns({
    date: rows.map((r) => day(r.day)),
    symbol: rows.map((r) => r.symbol),
    exchange_symbol: rows.map((r) => r.exchange_symbol ?? `${r.symbol}USDT`),
    close: Float64Array.from(rows, (r) => r.close ?? 1),
    turnover_usd: Float64Array.from(rows, (r) => r.turnover_usd ?? 1e9),
    funding_rate: new Float64Array(rows.length),
  });
}

/** Market rows for `symbol` on days from..to (inclusive), close 1 and the given turnover per day. */
export function series(symbol: string, from: number, to: number, turnover: (k: number) => number = () => 1e9): MarketRow[] {
  const out: MarketRow[] = [];
  for (let k = from; k <= to; k++) out.push({ day: k, symbol, close: 1, turnover_usd: turnover(k) });
  return out;
}

/** A signals frame with one row per (day, symbol) of the grid; prediction 0.5. */
export function signals(days: readonly number[], symbols: readonly string[]): NumerFrame {
  const date: string[] = [];
  const symbol: string[] = [];
  for (const k of days) {
    for (const s of symbols) {
      date.push(day(k));
      symbol.push(s);
    }
  }
  return NumerFrame.fromColumns({ date, symbol, prediction: new Float64Array(date.length).fill(0.5) });
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** The universe as `{ "YYYY-MM-DD|SYMBOL": reason }`, for compact assertions. */
export function reasonsOf(universe: NumerFrame): Record<string, string> {
  const d = universe.strings("date");
  const s = universe.strings("symbol");
  const r = universe.strings("reason");
  const out: Record<string, string> = {};
  for (let i = 0; i < d.length; i++) out[`${d[i]}|${s[i]}`] = r[i]!;
  return out;
}

/** Reason of one symbol on each day k in `days`. */
export function reasonsFor(universe: NumerFrame, symbol: string, days: readonly number[]): string[] {
  const all = reasonsOf(universe);
  return days.map((k) => all[`${day(k)}|${symbol}`] ?? "(absent)");
}
