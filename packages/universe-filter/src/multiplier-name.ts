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

/**
 * Splits a Bybit base-coin name such as "1000PEPE" or "SHIB1000" into coin and multiplier, so
 * that a Numerai symbol ("PEPE") can be matched with the contract that quotes 1000 of it.
 * Only powers of ten of at least 100 count as multipliers, and the coin must keep a letter:
 * "1000" alone is a coin, not a multiplier.
 *
 * @param name - a base-coin name, any case
 * @returns the coin (upper case) and its multiplier (1 for a plain name)
 * @throws never throws; a name with no multiplier comes back whole with multiplier 1
 * @example
 * parseMultiplierName("1000PEPE"); // { coin: "PEPE", multiplier: 1000 }
 * parseMultiplierName("SHIB1000"); // { coin: "SHIB", multiplier: 1000 }
 * parseMultiplierName("btc"); // { coin: "BTC", multiplier: 1 }
 */
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
 *
 * @param symbol - the exchange symbol, e.g. "1000PEPEUSDT"
 * @param baseCoin - the instrument's base coin as the source gives it ("1000PEPE" or "PEPE")
 * @param quoteCoin - the quote coin, e.g. "USDT"; "" when unknown (then only `baseCoin` is read)
 * @returns the coin (upper case) and coins per contract unit
 * @throws never throws; when symbol and base coin disagree the base coin wins
 * @example
 * instrumentMultiplierName("1000PEPEUSDT", "PEPE", "USDT"); // { coin: "PEPE", multiplier: 1000 }
 * instrumentMultiplierName("BTCUSDT", "BTC", "USDT"); // { coin: "BTC", multiplier: 1 }
 */
export function instrumentMultiplierName(symbol: string, baseCoin: string, quoteCoin: string): MultiplierName {
  const fromBase = parseMultiplierName(baseCoin);
  if (fromBase.multiplier !== 1 || quoteCoin === "" || !symbol.endsWith(quoteCoin)) return fromBase;
  const fromSymbol = parseMultiplierName(symbol.slice(0, symbol.length - quoteCoin.length));
  return fromSymbol.coin === fromBase.coin ? fromSymbol : fromBase;
}
