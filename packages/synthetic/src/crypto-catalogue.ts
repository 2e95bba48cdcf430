import type { Sfc32 } from "./prng.js";

/** What kind of token a Numerai symbol is; stablecoins and staked/wrapped tokens are the ones a universe filter drops. */
export type TokenCategory = "coin" | "stablecoin" | "staked";

/** One Numerai symbol with the facts the market simulation needs. */
export interface TokenSpec {
  /** Numerai symbol, e.g. "PEPE". */
  symbol: string;
  category: TokenCategory;
  /** Bybit base coin, with the multiplier where Bybit quotes one ("1000PEPE", "SHIB1000"). */
  baseCoin: string;
  /** Units of the token per contract unit: the contract price is the token price times this. */
  multiplier: number;
  /** Token price (USD) on the first simulated day. */
  initialPrice: number;
  /** Typical daily perpetual turnover (USD). */
  liquidityUsd: number;
  /** Beta to the common market factor. */
  beta: number;
  /** Idiosyncratic daily volatility (long-run, as a fraction). */
  idioVol: number;
  /** Symbol whose price path a staked or wrapped token follows ("ETH" for STETH). */
  tracks?: string;
  /** Bybit lists a USDT perpetual whatever the share drawn for the rest. */
  forcedPerpetual: boolean;
  /** Never gets a USDT perpetual. */
  noPerpetual: boolean;
  /** Always in the Numerai universe, over the whole period. */
  alwaysListed: boolean;
}

type Special = Partial<TokenSpec> & Pick<TokenSpec, "symbol" | "initialPrice" | "liquidityUsd">;

const coin = (symbol: string, initialPrice: number, liquidityUsd: number, extra: Partial<TokenSpec> = {}): Special => ({
  symbol,
  initialPrice,
  liquidityUsd,
  ...extra,
});
const multiplied = (symbol: string, multiplier: number, initialPrice: number, suffix = false): Special =>
  coin(symbol, initialPrice, 1.5e8, {
    multiplier,
    baseCoin: suffix ? `${symbol}${multiplier}` : `${multiplier}${symbol}`,
    forcedPerpetual: true,
    idioVol: 0.06,
  });
const stable = (symbol: string, perpetual = false): Special =>
  coin(symbol, 1, 2e7, { category: "stablecoin", beta: 0, idioVol: 0.0008, forcedPerpetual: perpetual, noPerpetual: !perpetual });
const staked = (symbol: string, tracks: string, premium: number): Special =>
  coin(symbol, premium, 1e7, { category: "staked", tracks, beta: 0, idioVol: 0.002, noPerpetual: true });

/**
 * Named symbols, most important first: a small universe takes the head of this list, so even
 * 10 symbols include BTC, ETH, NMR, multiplier names, a stablecoin and a staked token.
 * Prices are rough 2021-01-01 levels; they only set the scale.
 */
const SPECIALS: readonly Special[] = [
  coin("BTC", 29000, 3e9, { beta: 1, idioVol: 0.004, forcedPerpetual: true, alwaysListed: true }),
  coin("ETH", 730, 1.5e9, { beta: 1.15, idioVol: 0.018, forcedPerpetual: true, alwaysListed: true }),
  coin("NMR", 25, 5e6, { alwaysListed: true }),
  multiplied("PEPE", 1000, 1.2e-6),
  multiplied("SHIB", 1000, 5e-6, true),
  stable("USDC"),
  staked("STETH", "ETH", 0.999),
  multiplied("SATS", 10000, 2e-7),
  multiplied("MOG", 1000000, 1e-6),
  staked("WBTC", "BTC", 1.0),
  stable("USDT"),
  stable("DAI"),
  staked("WEETH", "ETH", 1.03),
  stable("USDE", true),
  stable("FDUSD"),
  staked("WSTETH", "ETH", 1.12),
  multiplied("BONK", 1000, 1e-6),
  multiplied("FLOKI", 1000, 4e-5),
  coin("SOL", 1.5, 8e8, { forcedPerpetual: true }),
  coin("XRP", 0.22, 6e8, { forcedPerpetual: true }),
  coin("DOGE", 0.0047, 5e8, { forcedPerpetual: true }),
  coin("BNB", 37, 2e8),
  coin("ADA", 0.18, 2e8),
  coin("AVAX", 3.6, 1.5e8),
  coin("LINK", 11, 1.5e8),
  coin("DOT", 9, 1e8),
  coin("LTC", 126, 1e8),
  coin("TRX", 0.027, 6e7),
  coin("ATOM", 5, 6e7),
  coin("UNI", 4.8, 6e7),
  coin("NEAR", 1.3, 6e7),
  coin("AAVE", 90, 5e7),
  multiplied("LUNC", 1000, 1e-4),
  multiplied("XEC", 1000, 3e-5),
  multiplied("RATS", 1000, 1e-4),
  multiplied("BABYDOGE", 1000000, 1e-9),
  multiplied("WEN", 10000, 1e-4),
  stable("TUSD"),
  staked("CBETH", "ETH", 1.02),
  staked("WETH", "ETH", 1.0),
];

/** Names a generated symbol may not take: Bybit words and quote currencies. */
const RESERVED = new Set(["USD", "PERP", "USDT", "USDC", "EUR", "BUSD"]);

/**
 * The Numerai universe's tokens: the head of the named list (at least 10, about a quarter of
 * the universe, all of it when large) and generated 3-5 letter names for the rest, sorted by
 * symbol in code-point order.
 */
export function tokenCatalogue(count: number, rng: Sfc32): TokenSpec[] {
  const named = SPECIALS.slice(0, Math.min(SPECIALS.length, Math.max(10, Math.ceil(count / 4)), count));
  const taken = new Set<string>(SPECIALS.map((s) => s.symbol));
  const specs: TokenSpec[] = named.map((s) => ({
    category: "coin",
    baseCoin: s.symbol,
    multiplier: 1,
    beta: 0.6 + 0.8 * rng.uniform(),
    idioVol: 0.035,
    forcedPerpetual: false,
    noPerpetual: false,
    alwaysListed: s.category !== undefined && s.category !== "coin",
    ...s,
  }));
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  while (specs.length < count) {
    const len = 3 + rng.int(3);
    let name = "";
    for (let i = 0; i < len; i++) name += letters[rng.int(26)];
    if (taken.has(name) || RESERVED.has(name) || name.startsWith("USD")) continue;
    taken.add(name);
    specs.push({
      symbol: name,
      category: "coin",
      baseCoin: name,
      multiplier: 1,
      initialPrice: rng.logUniform(0.002, 200),
      liquidityUsd: rng.logUniform(3e5, 6e7),
      beta: 0.5 + rng.uniform(),
      idioVol: rng.logUniform(0.025, 0.075),
      forcedPerpetual: false,
      noPerpetual: false,
      alwaysListed: false,
    });
  }
  return specs.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}
