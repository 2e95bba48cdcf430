import { isoDay } from "../days.js";
import type { NumerFrame } from "../numer-frame.js";
import { requireColumns } from "./contracts.js";
import { NumerFrameError } from "./error.js";
import { DuplicateRowError, InvalidCloseError } from "./market-errors.js";
import { dayCodes, stringCodes } from "./string-codes.js";

/**
 * The market frame as dense day × symbol matrices (row-major by day: cell `t * nSymbols + s`),
 * every calendar day from the first to the last market date. Built once per market frame and
 * key column (cached), validated once: every reader of the market (universe filter, portfolio,
 * backtest, factor analysis) sees the same layout and meets the same errors.
 */
export interface MarketPanel {
  /** Day number (days since 1970-01-01, UTC) of matrix row 0. */
  readonly firstDay: number;
  readonly nDays: number;
  readonly nSymbols: number;
  /** The key column the panel was built on ("symbol" or "exchange_symbol"). */
  readonly key: string;
  /** Keys in code-point order; column s of every matrix. Only keys that have rows. */
  readonly symbols: readonly string[];
  readonly symbolIndex: ReadonlyMap<string, number>;
  /** Closes as given; NaN where the day has no row or a NaN close. */
  readonly actualClose: Float64Array;
  /** Close carried forward from the last actual close, indefinitely; NaN before the first one. */
  readonly close: Float64Array;
  /** 1 where the day has an actual (non-NaN) close. */
  readonly hasClose: Uint8Array;
  /** 1 where the day has a row. */
  readonly hasRow: Uint8Array;
  /** Daily USD turnover; NaN where the row or the column is missing. */
  readonly turnoverUsd: Float64Array;
  /** Sum of the day's funding settlement rates (fractions); 0 where missing. */
  readonly fundingRate: Float64Array;
}

const cache = new WeakMap<NumerFrame, Map<string, MarketPanel>>();

/**
 * The market panel of a frame with columns date, `key`, close (> 0; NaN means missing) and
 * optionally turnover_usd and funding_rate. Cached per frame and key.
 *
 * @param market - the market frame
 * @param key - the column that names the instrument: "symbol" (default) or "exchange_symbol"
 * @returns the dense panel; treat its arrays as read-only
 * @throws ContractError for a missing column; InvalidDateError for a bad date;
 *   DuplicateRowError (DUPLICATE_ROW) for a repeated (date, key); InvalidCloseError
 *   (INVALID_CLOSE) for a zero, negative or infinite close; NumerFrameError INVALID_TURNOVER for a
 *   negative or infinite turnover_usd; NumerFrameError EMPTY_MARKET when
 *   the frame has no rows
 * @example
 * const panel = marketPanel(market);
 * const btc = panel.symbolIndex.get("BTC")!;
 * const lastClose = panel.close[(panel.nDays - 1) * panel.nSymbols + btc];
 */
export function marketPanel(market: NumerFrame, key = "symbol"): MarketPanel {
  let perKey = cache.get(market);
  if (perKey === undefined) {
    perKey = new Map();
    cache.set(market, perKey);
  }
  let panel = perKey.get(key);
  if (panel === undefined) {
    panel = buildPanel(market, key);
    perKey.set(key, panel);
  }
  return panel;
}

/**
 * Caches a panel built elsewhere (see `adoptPanel`) as the panel of `market` and its key.
 *
 * @param market - the frame the panel belongs to
 * @param panel - the panel, built from the same rows
 * @returns the panel
 * @throws NumerFrameError (INVALID_OPTION) when the matrices do not have nDays × nSymbols cells
 * @example
 * adoptMarketPanel(market, panel);
 */
export function adoptMarketPanel(market: NumerFrame, panel: MarketPanel): MarketPanel {
  const cells = panel.nDays * panel.nSymbols;
  const matrices = [panel.actualClose, panel.close, panel.hasClose, panel.hasRow, panel.turnoverUsd, panel.fundingRate];
  if (panel.symbols.length !== panel.nSymbols || matrices.some((m) => m.length !== cells)) {
    throw new NumerFrameError("INVALID_OPTION", `a shared market panel must have ${panel.nDays} × ${panel.nSymbols} cells per matrix`, { option: "panel" });
  }
  let perKey = cache.get(market);
  if (perKey === undefined) {
    perKey = new Map();
    cache.set(market, perKey);
  }
  perKey.set(panel.key, panel);
  return panel;
}

function dayRange(days: Int32Array): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < days.length; i++) {
    const d = days[i]!;
    if (d < first) first = d;
    if (d > last) last = d;
  }
  return { first, last };
}

function buildPanel(market: NumerFrame, key: string): MarketPanel {
  requireColumns(market, ["date", key, "close"], "market panel");
  const n = market.numRows;
  if (n === 0) throw new NumerFrameError("EMPTY_MARKET", "market: the frame has no rows", { column: "date" });
  const days = dayCodes(market, "date");
  const { codes, labels, index } = stringCodes(market, key);
  const close = market.float64("close");
  const turnover = market.has("turnover_usd") ? market.float64("turnover_usd") : null;
  const funding = market.has("funding_rate") ? market.float64("funding_rate") : null;
  const { first, last } = dayRange(days);
  const nDays = last - first + 1;
  const nSymbols = labels.length;
  const cells = nDays * nSymbols;
  const actualClose = new Float64Array(cells).fill(Number.NaN);
  const hasClose = new Uint8Array(cells);
  const hasRow = new Uint8Array(cells);
  const turnoverUsd = new Float64Array(cells).fill(Number.NaN);
  const fundingRate = new Float64Array(cells);
  for (let i = 0; i < n; i++) {
    const cell = (days[i]! - first) * nSymbols + codes[i]!;
    if (hasRow[cell]) throw new DuplicateRowError("market", isoDay(days[i]!), labels[codes[i]!]!);
    hasRow[cell] = 1;
    const c = close[i]!;
    if (!Number.isNaN(c)) {
      if (!(c > 0) || c === Infinity) throw new InvalidCloseError(isoDay(days[i]!), labels[codes[i]!]!, c);
      actualClose[cell] = c;
      hasClose[cell] = 1;
    }
    if (turnover !== null) {
      const u = turnover[i]!;
      if (u < 0 || u === Infinity) {
        const date = isoDay(days[i]!);
        const symbol = labels[codes[i]!]!;
        throw new NumerFrameError("INVALID_TURNOVER", `market: turnover_usd must be ≥ 0 and finite, found ${u} on ${date} for ${symbol}`, {
          column: "turnover_usd",
          symbol,
          date,
        });
      }
      turnoverUsd[cell] = u;
    }
    if (funding !== null) {
      const f = funding[i]!;
      if (!Number.isNaN(f)) fundingRate[cell] = f;
    }
  }
  return {
    firstDay: first,
    nDays,
    nSymbols,
    key,
    symbols: labels,
    symbolIndex: index,
    actualClose,
    close: carryForward(actualClose, hasClose, nDays, nSymbols),
    hasClose,
    hasRow,
    turnoverUsd,
    fundingRate,
  };
}

// A delisted symbol is held (and exits) at its last price: carry the last actual close forward.
function carryForward(actual: Float64Array, hasClose: Uint8Array, nDays: number, nSymbols: number): Float64Array {
  const carried = actual.slice();
  for (let t = 1; t < nDays; t++) {
    const row = t * nSymbols;
    const prev = row - nSymbols;
    for (let s = 0; s < nSymbols; s++) {
      if (hasClose[row + s] === 0) carried[row + s] = carried[prev + s]!;
    }
  }
  return carried;
}

/**
 * `YYYY-MM-DD` of panel row `t`.
 *
 * @param panel - a market panel
 * @param t - a row (day) of the panel
 * @returns the ISO day
 * @example
 * panelDate(panel, 0); // the first market date
 */
export function panelDate(panel: Pick<MarketPanel, "firstDay">, t: number): string {
  return isoDay(panel.firstDay + t);
}
