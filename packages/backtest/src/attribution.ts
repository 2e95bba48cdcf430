import { type ColumnInput, NumerFrame } from "@nmrblox/numerframe";
import { type MarketPanel, stringCodes } from "@nmrblox/numerframe/internal";
import type { Attribution } from "./simulate.js";

/**
 * The columns of the attribution frames, after `symbol` (and `exchange_symbol` when the market
 * has one): price_pnl, funding (received +), fee, slippage, net_pnl = price_pnl + funding −
 * fee − slippage, days_long, days_short, stale_close_days.
 */
export const ATTRIBUTION_COLUMNS = ["price_pnl", "funding", "fee", "slippage", "net_pnl", "days_long", "days_short", "stale_close_days"] as const;

/** Exchange symbol of each panel symbol (its first market row's), or null without that column. */
function exchangeSymbols(market: NumerFrame, panel: MarketPanel): string[] | null {
  if (!market.has("exchange_symbol")) return null;
  const sym = stringCodes(market, "symbol");
  const ex = stringCodes(market, "exchange_symbol");
  const out = new Array<string>(panel.nSymbols).fill("");
  const seen = new Uint8Array(sym.labels.length);
  for (let i = 0; i < sym.codes.length; i++) {
    const c = sym.codes[i]!;
    if (seen[c] === 1) continue;
    seen[c] = 1;
    const s = panel.symbolIndex.get(sym.labels[c]!);
    if (s !== undefined) out[s] = ex.labels[ex.codes[i]!] ?? "";
  }
  return out;
}

/**
 * Per-symbol (or per month and symbol) attribution of a simulation: one row per symbol that
 * was held or traded, in symbol order (months first for the monthly frame). Summed over rows,
 * price_pnl, funding, fee and slippage equal the daily frame's gross_pnl, funding, fee and
 * slippage totals (to rounding).
 */
export function attributionFrame(attr: Attribution, panel: MarketPanel, market: NumerFrame, monthly: boolean): NumerFrame {
  const nS = panel.nSymbols;
  const groups = monthly ? attr.nMonths : 1;
  const width = monthly ? 1 : attr.nMonths;
  const size = groups * nS;
  // Whole run: sum the months of each symbol in month order.
  const price = new Float64Array(size);
  const funding = new Float64Array(size);
  const fee = new Float64Array(size);
  const slippage = new Float64Array(size);
  const daysLong = new Int32Array(size);
  const daysShort = new Int32Array(size);
  const staleDays = new Int32Array(size);
  for (let g = 0; g < groups; g++) {
    for (let m = g * width; m < (g + 1) * width; m++) {
      for (let s = 0; s < nS; s++) {
        const from = m * nS + s;
        const to = g * nS + s;
        price[to]! += attr.price[from]!;
        funding[to]! += attr.funding[from]!;
        fee[to]! += attr.fee[from]!;
        slippage[to]! += attr.slippage[from]!;
        daysLong[to]! += attr.daysLong[from]!;
        daysShort[to]! += attr.daysShort[from]!;
        staleDays[to]! += attr.staleDays[from]!;
      }
    }
  }
  const rows: number[] = [];
  for (let c = 0; c < size; c++) {
    if (daysLong[c] !== 0 || daysShort[c] !== 0 || fee[c] !== 0 || slippage[c] !== 0 || price[c] !== 0 || funding[c] !== 0) rows.push(c);
  }
  const exchange = exchangeSymbols(market, panel);
  const columns: Record<string, ColumnInput> = {};
  if (monthly) {
    columns.month = rows.map((c) => monthLabel(attr.firstMonth + Math.floor(c / nS)));
  }
  columns.symbol = rows.map((c) => panel.symbols[c % nS]!);
  if (exchange !== null) columns.exchange_symbol = rows.map((c) => exchange[c % nS]!);
  const pick = (values: Float64Array | Int32Array) => Float64Array.from(rows, (c) => values[c]!);
  columns.price_pnl = pick(price);
  columns.funding = pick(funding);
  columns.fee = pick(fee);
  columns.slippage = pick(slippage);
  columns.net_pnl = Float64Array.from(rows, (c) => price[c]! + funding[c]! - fee[c]! - slippage[c]!);
  columns.days_long = Int32Array.from(rows, (c) => daysLong[c]!);
  columns.days_short = Int32Array.from(rows, (c) => daysShort[c]!);
  columns.stale_close_days = Int32Array.from(rows, (c) => staleDays[c]!);
  const strings = monthly ? ["month", "symbol"] : ["symbol"];
  if (exchange !== null) strings.push("exchange_symbol");
  return NumerFrame.fromColumns(
    columns,
    monthly ? { eraCol: "month", idCol: "symbol", kind: "custom" } : { idCol: "symbol", kind: "custom" },
    { allowEmpty: true, strings },
  );
}

/** "YYYY-MM" of a month number year · 12 + month − 1. */
function monthLabel(month: number): string {
  const year = Math.floor(month / 12);
  return `${String(year).padStart(4, "0")}-${String((month % 12) + 1).padStart(2, "0")}`;
}
