import { NumerFrame, requireColumns } from "@nmrblox/numerframe";
import { InvalidHoldingsError, PositionModeError } from "./errors.js";

/** One holding: an exchange symbol and a signed quantity in contracts (< 0 short). */
export interface HoldingRow {
  symbol: string;
  quantity: number;
  /** Bybit's position index; anything but 0 (one-way mode) is refused. */
  positionIdx?: number;
}

/**
 * Positions keyed by exchange symbol, in signed contracts: a Map, a plain record, rows such as
 * `BybitPrivateClient.positions()` returns, or a frame with `quantity` and `exchange_symbol`
 * (or `symbol`) columns, such as portfolio's `targetBook`.
 */
export type Holdings =
  | ReadonlyMap<string, number>
  | Readonly<Record<string, number>>
  | readonly HoldingRow[]
  | NumerFrame;

/**
 * Reads holdings into a map of non-zero quantities by exchange symbol.
 *
 * @param holdings - any `Holdings` shape
 * @param input - its name in messages ("current", "target")
 * @returns symbol → signed quantity, zeros left out
 * @throws InvalidHoldingsError (NON_FINITE, DUPLICATE_ROW) naming the symbol; PositionModeError for a
 *   hedge-mode position; ContractError when a frame lacks `quantity`
 * @example
 * readHoldings({ BTCUSDT: 0.5, ETHUSDT: -2 }, "target").get("ETHUSDT"); // -2
 */
export function readHoldings(holdings: Holdings, input: string): Map<string, number> {
  const out = new Map<string, number>();
  const add = (symbol: string, quantity: number) => {
    if (typeof quantity !== "number" || !Number.isFinite(quantity)) {
      throw new InvalidHoldingsError("NON_FINITE", input, symbol, `quantity must be a finite number, got ${String(quantity)}`);
    }
    if (out.has(symbol)) throw new InvalidHoldingsError("DUPLICATE_ROW", input, symbol, "listed twice");
    out.set(symbol, quantity);
  };
  if (NumerFrame.isInstance(holdings)) {
    requireColumns(holdings, ["quantity"], `${input} holdings`);
    const key = holdings.has("exchange_symbol") ? "exchange_symbol" : "symbol";
    requireColumns(holdings, [key], `${input} holdings`);
    const symbols = holdings.strings(key);
    const quantity = holdings.float64("quantity");
    for (let i = 0; i < symbols.length; i++) add(symbols[i]!, quantity[i]!);
  } else if (holdings instanceof Map) {
    for (const [symbol, quantity] of holdings) add(symbol, quantity);
  } else if (Array.isArray(holdings)) {
    for (const row of holdings as readonly HoldingRow[]) {
      if (row.positionIdx !== undefined && row.positionIdx !== 0 && row.quantity !== 0) {
        throw new PositionModeError(row.symbol, row.positionIdx);
      }
      add(row.symbol, row.quantity);
    }
  } else {
    for (const [symbol, quantity] of Object.entries(holdings as Record<string, number>)) add(symbol, quantity);
  }
  for (const [symbol, quantity] of out) if (quantity === 0) out.delete(symbol);
  return out;
}
