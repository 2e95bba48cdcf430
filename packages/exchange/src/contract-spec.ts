import { NumerFrameError } from "@nmrblox/numerframe";

/**
 * What an order on one contract must respect, from Bybit's instruments-info (`lotSizeFilter`,
 * `priceFilter`). Quantities are in contracts (base coin units for linear perpetuals; a
 * 1000PEPEUSDT contract is 1000 PEPE), prices in USDT.
 */
export interface ContractSpec {
  symbol: string;
  /** Order quantities are multiples of this. */
  qtyStep: number;
  minOrderQty: number;
  /** Largest limit order; larger legs are split. Infinity when unknown. */
  maxOrderQty: number;
  /** Smallest order value in USDT for orders that open or add (closing orders are exempt); 0 when unknown. */
  minNotionalValue: number;
  /** Limit prices are multiples of this. */
  tickSize: number;
  /** Bybit's status ("Trading", "Closed", ...); undefined when not given. */
  status: string | undefined;
  /** Decimal places of qtyStep and tickSize, for formatting orders exactly. */
  qtyDecimals: number;
  priceDecimals: number;
}

/** A contract specification as numbers or Bybit's decimal strings. */
export interface ContractSpecInput {
  symbol: string;
  qtyStep: number | string;
  minOrderQty: number | string;
  tickSize: number | string;
  maxOrderQty?: number | string;
  minNotionalValue?: number | string;
  status?: string;
}

/** An entry of Bybit's `/v5/market/instruments-info` list (what `BybitClient.instruments()` returns). */
export interface BybitInstrumentInput {
  symbol: string;
  status?: string;
  lotSizeFilter: { qtyStep: string; minOrderQty: string; maxOrderQty?: string; minNotionalValue?: string };
  priceFilter: { tickSize: string };
}

/**
 * Either shape: Bybit's own instrument entries (as `BybitClient.instruments()` returns them,
 * typed loosely there) or plain specifications. Checked when read: a missing or non-positive
 * step, minimum or tick is an INVALID_INSTRUMENT error naming the symbol.
 */
export type InstrumentInput = BybitInstrumentInput | ContractSpecInput | ({ symbol: string } & Record<string, unknown>);

/**
 * Normalizes instrument entries (Bybit's instruments-info entries or plain specs) into a map of
 * contract specifications keyed by exchange symbol.
 *
 * @param instruments - entries from `BybitClient.instruments()` or `ContractSpecInput`s
 * @returns one spec per symbol
 * @throws NumerFrameError INVALID_INSTRUMENT naming the symbol when a step, minimum or tick is
 *   missing, not a number or not positive; DUPLICATE_EXCHANGE_SYMBOL when a symbol appears twice
 * @example
 * const specs = contractSpecs([{ symbol: "BTCUSDT", qtyStep: "0.001", minOrderQty: "0.001", tickSize: "0.1" }]);
 * specs.get("BTCUSDT")!.qtyDecimals; // 3
 */
export function contractSpecs(instruments: Iterable<InstrumentInput>): Map<string, ContractSpec> {
  const out = new Map<string, ContractSpec>();
  for (const entry of instruments) {
    const spec = contractSpec(entry);
    if (out.has(spec.symbol)) {
      throw new NumerFrameError("DUPLICATE_EXCHANGE_SYMBOL", `instrument ${spec.symbol} is listed twice`, { symbol: spec.symbol });
    }
    out.set(spec.symbol, spec);
  }
  return out;
}

function contractSpec(entry: InstrumentInput): ContractSpec {
  if (entry === null || typeof entry !== "object" || typeof entry.symbol !== "string" || entry.symbol === "") {
    throw new NumerFrameError("INVALID_INSTRUMENT", "an instrument entry has no symbol");
  }
  const symbol = entry.symbol;
  const e = entry as Record<string, unknown>;
  const lot = e.lotSizeFilter;
  const raw: Record<string, unknown> =
    lot !== null && typeof lot === "object"
      ? {
          ...(lot as Record<string, unknown>),
          tickSize: (e.priceFilter as Record<string, unknown> | undefined)?.tickSize,
          status: e.status,
        }
      : e;
  const positive = (name: string, v: unknown): number => {
    const n = typeof v === "string" && v.trim() !== "" ? Number(v) : typeof v === "number" ? v : Number.NaN;
    if (!(Number.isFinite(n) && n > 0)) {
      throw new NumerFrameError("INVALID_INSTRUMENT", `instrument ${symbol}: ${name} must be a number > 0, got ${JSON.stringify(v)}`, { symbol });
    }
    return n;
  };
  const optional = (name: string, v: unknown, fallback: number): number => {
    if (v === undefined || v === "") return fallback;
    const n = typeof v === "string" ? Number(v) : typeof v === "number" ? v : Number.NaN;
    if (!(Number.isFinite(n) && n >= 0)) {
      throw new NumerFrameError("INVALID_INSTRUMENT", `instrument ${symbol}: ${name} must be a number ≥ 0, got ${JSON.stringify(v)}`, { symbol });
    }
    return n;
  };
  const maxOrderQty = optional("maxOrderQty", raw.maxOrderQty, Number.POSITIVE_INFINITY);
  return {
    symbol,
    qtyStep: positive("qtyStep", raw.qtyStep),
    minOrderQty: positive("minOrderQty", raw.minOrderQty),
    maxOrderQty: maxOrderQty === 0 ? Number.POSITIVE_INFINITY : maxOrderQty,
    minNotionalValue: optional("minNotionalValue", raw.minNotionalValue, 0),
    tickSize: positive("tickSize", raw.tickSize),
    status: typeof raw.status === "string" ? raw.status : undefined,
    qtyDecimals: decimalsOf(raw.qtyStep as number | string),
    priceDecimals: decimalsOf(raw.tickSize as number | string),
  };
}

/**
 * Decimal places needed to write multiples of a step exactly. Trailing zeros of a decimal
 * string count ("0.10" → 2): Bybit's own strings say how it writes prices.
 *
 * @param step - a qtyStep or tickSize, as Bybit's decimal string or a number
 * @returns the number of decimal places
 * @throws never throws; a malformed string is counted as written (validity is checked where the
 * instrument is parsed: `contractSpecs` throws INVALID_INSTRUMENT)
 * @example
 * [decimalsOf("0.001"), decimalsOf("100"), decimalsOf(1e-7)]; // [3, 0, 7]
 */
export function decimalsOf(step: number | string): number {
  const text = typeof step === "string" ? step.trim() : String(step);
  const exp = /e-(\d+)$/i.exec(text);
  if (exp) {
    const mantissa = text.slice(0, exp.index);
    const dot = mantissa.indexOf(".");
    return Number(exp[1]) + (dot === -1 ? 0 : mantissa.length - dot - 1);
  }
  const dot = text.indexOf(".");
  return dot === -1 ? 0 : text.length - dot - 1;
}
