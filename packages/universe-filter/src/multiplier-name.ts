/** A Bybit base-coin name split into the coin and the contract multiplier. */
export interface MultiplierName {
  /** The coin, upper case: "PEPE" for "1000PEPE". */
  readonly coin: string;
  /** Coins per contract unit: 1000 for "1000PEPE" and "SHIB1000", 1 for plain names. */
  readonly multiplier: number;
}

// A multiplier is a power of ten of at least 100, before the coin (1000PEPE, 10000SATS,
// 1000000MOG) or after it (SHIB1000). The coin must keep a letter, so "1000" alone is a coin.
const PREFIX = /^(10{2,})([A-Z0-9]*[A-Z][A-Z0-9]*)$/;
const SUFFIX = /^([A-Z0-9]*[A-Z])(10{2,})$/;

/** Splits a Bybit base-coin name such as "1000PEPE" or "SHIB1000" into coin and multiplier. */
export function parseMultiplierName(name: string): MultiplierName {
  const upper = name.toUpperCase();
  const pre = PREFIX.exec(upper);
  if (pre !== null) return { coin: pre[2]!, multiplier: Number(pre[1]) };
  const suf = SUFFIX.exec(upper);
  if (suf !== null) return { coin: suf[1]!, multiplier: Number(suf[2]) };
  return { coin: upper, multiplier: 1 };
}

/**
 * Coin and multiplier of an instrument. Bybit's base_coin carries the multiplier ("1000PEPE");
 * when a source gives the bare coin as base_coin, the exchange symbol minus its quote coin
 * ("1000PEPEUSDT" minus "USDT") supplies it instead.
 */
export function instrumentMultiplierName(symbol: string, baseCoin: string, quoteCoin: string): MultiplierName {
  const fromBase = parseMultiplierName(baseCoin);
  if (fromBase.multiplier !== 1 || quoteCoin === "" || !symbol.endsWith(quoteCoin)) return fromBase;
  const fromSymbol = parseMultiplierName(symbol.slice(0, symbol.length - quoteCoin.length));
  return fromSymbol.coin === fromBase.coin ? fromSymbol : fromBase;
}
