import { InvalidOptionError, NumerFrame, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { DAY_MS, dayNumber, isoDay } from "./calendar.js";
import { type TokenSpec, tokenCatalogue } from "./crypto-catalogue.js";
import { type MarketPaths, simulateMarket } from "./crypto-market.js";
import { type SignalRows, TARGET_HORIZON_DAYS, signalRows, universeWindows } from "./crypto-signals.js";
import { roundPrice } from "./decimals.js";
import type { OptionSite } from "./option-site.js";
import { substream } from "./prng.js";

const isoDate = z
  .string()
  .refine((s) => !Number.isNaN(dayNumber(s)), { message: 'expected a real calendar day "YYYY-MM-DD"' });

/**
 * Options of `syntheticCrypto` (strict: an unknown key is an `InvalidOptionError`). Rates are
 * fractions; days are calendar days (UTC).
 */
export const syntheticCryptoOptions = z.strictObject({
  /** Master seed (unsigned 32-bit): the same seed gives byte-identical frames. */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  /** Numerai symbols over the whole period (the daily universe is a subset). */
  symbols: z.number().int().min(10).max(5000).default(500),
  /** First and last calendar day, inclusive, "YYYY-MM-DD". */
  start: isoDate.default("2021-01-01"),
  end: isoDate.default("2025-12-31"),
  /** Share of Numerai symbols with a Bybit USDT perpetual (Trading or Closed). */
  perpetualShare: z.number().min(0.05).max(0.95).default(0.55),
  /** Target mean Spearman IC of `prediction` against `target_20d`, per date. */
  ic: z.number().min(-0.5).max(0.5).default(0.03),
  /** Days between a signal's date and the start of its target's 20-day return window (Numerai's 20D2L: 2). */
  targetLagDays: z.number().int().min(0).max(10).default(2),
  /** Share of USDT perpetuals delisted (status Closed) during the period. */
  delistedShare: z.number().min(0).max(0.5).default(0.08),
  /** Chance per listed day that a gap of 1-3 days without candles starts. */
  gapRate: z.number().min(0).max(0.05).default(0.002),
  /** Pump-and-dump episodes per ordinary coin per year. */
  pumpsPerYear: z.number().min(0).max(20).default(0.7),
  /** Long-run daily volatility of the common market factor. */
  marketVolatility: z.number().positive().max(0.2).default(0.035),
});
/** Options of `syntheticCrypto` as a caller writes them; every field optional. */
export type SyntheticCryptoOptions = z.input<typeof syntheticCryptoOptions>;
/** The options after parsing, every default filled in (what the generator actually used). */
export type SyntheticCryptoConfig = z.infer<typeof syntheticCryptoOptions>;

/**
 * The frames of a synthetic Numerai Crypto + Bybit world. signals, market and instruments meet
 * numerframe's `signalsContract`, `marketContract` and `instrumentsContract`.
 */
export interface SyntheticCrypto {
  /** date, symbol, prediction: meta-model-like scores in (0, 1), weekdays only (`signalsContract`). */
  signals: NumerFrame;
  /** date, symbol, exchange_symbol, close, turnover_usd, funding_rate: daily, perpetuals only, while listed, with gaps (`marketContract`). */
  market: NumerFrame;
  /** Bybit instruments: symbol (Bybit's), base_coin, quote_coin, contract_type, status, launch_time, delivery_time, funding_interval_min (`instrumentsContract`). */
  instruments: NumerFrame;
  /** date, symbol, target_20d in {0, .25, .5, .75, 1}: dates whose forward return window has closed. */
  targets: NumerFrame;
  /** date, symbol: the Numerai universe on every weekday. */
  universe: NumerFrame;
  /** symbol, category ("coin" | "stablecoin" | "staked"), base_coin, multiplier: ground truth for filters. */
  tokens: NumerFrame;
}

/** Everything simulated, before it is cut into frames (shared with writeSyntheticFiles). */
export interface CryptoWorld {
  config: SyntheticCryptoConfig;
  startDay: number;
  days: number;
  dayLabels: string[];
  tokens: TokenSpec[];
  market: MarketPaths;
  rows: SignalRows;
}

/** Runs the simulation behind `syntheticCrypto`. */
export function simulateCryptoWorld(
  options: SyntheticCryptoOptions = {},
  site: OptionSite = { where: "syntheticCrypto", prefix: "" },
): CryptoWorld {
  const config = parseOptions(syntheticCryptoOptions, options, site.where);
  const startDay = dayNumber(config.start);
  const days = dayNumber(config.end) - startDay + 1;
  const minDays = 2 * (TARGET_HORIZON_DAYS + config.targetLagDays);
  if (days < minDays) {
    throw new InvalidOptionError(site.where, [
      { path: `${site.prefix}end`, message: `the period ${config.start}..${config.end} has ${days} days; at least ${minDays} are needed` },
    ]);
  }
  const tokens = tokenCatalogue(config.symbols, substream(config.seed, "catalogue"));
  const hiddenDays = config.targetLagDays + TARGET_HORIZON_DAYS;
  const market = simulateMarket(tokens, {
    seed: config.seed,
    startDay,
    days,
    hiddenDays,
    perpetualShare: config.perpetualShare,
    delistedShare: config.delistedShare,
    gapRate: config.gapRate,
    pumpsPerYear: config.pumpsPerYear,
    marketVolatility: config.marketVolatility,
  });
  const delistDay = new Int32Array(tokens.length).fill(-1);
  for (const p of market.perpetuals) if (p.instrument.status === "Closed") delistDay[p.token] = p.lastDay;
  const windows = universeWindows(tokens, days, delistDay, config.seed);
  const rows = signalRows(market.logPrice, market.stride, windows, {
    seed: config.seed,
    startDay,
    days,
    targetLagDays: config.targetLagDays,
    ic: config.ic,
  });
  const dayLabels = Array.from({ length: days }, (_, t) => isoDay(startDay + t));
  return { config, startDay, days, dayLabels, tokens, market, rows };
}

/**
 * Generates a seeded synthetic Numerai Crypto + Bybit perpetuals world: meta-model-like
 * signals with a chosen rank IC against 20-day forward returns, daily perpetual closes with a
 * common market factor, fat tails, volatility clustering and pump-and-dumps, daily funding
 * (sum of the day's settlements, fractions) rising with recent returns, listings, delistings,
 * gaps, multiplier names, stablecoins and staked tokens. Same options, same bytes.
 *
 * @param options - see `syntheticCryptoOptions`; all optional
 * @returns signals, market, instruments, targets, universe and tokens frames
 * @throws InvalidOptionError (INVALID_OPTION) naming every unknown or out-of-range option (an
 *   unknown key with its nearest valid one), or `end` when the period is too short
 * @example
 * const { signals, market, instruments } = syntheticCrypto({ seed: 1, symbols: 30, start: "2024-01-01", end: "2024-03-31" });
 */
export function syntheticCrypto(options: SyntheticCryptoOptions = {}): SyntheticCrypto {
  return cryptoFrames(simulateCryptoWorld(options));
}

/** Cuts a simulated world into the public frames. */
export function cryptoFrames(world: CryptoWorld): SyntheticCrypto {
  const { config, tokens, rows, dayLabels } = world;
  const source = { generator: "syntheticCrypto", ...config };
  const crypto = { kind: "crypto" as const, eraCol: "date", idCol: "symbol", source };

  const date = Array.from(rows.day, (t) => dayLabels[t]!);
  const symbol = Array.from(rows.token, (s) => tokens[s]!.symbol);
  const signals = NumerFrame.fromColumns({ date, symbol, prediction: rows.prediction }, crypto);
  const universe = signals.select(["date", "symbol"]);
  const head = Int32Array.from({ length: rows.targetRows }, (_, i) => i);
  const targets = universe
    .take(head)
    .withColumn("target_20d", rows.target.subarray(0, rows.targetRows))
    .withMeta({ roles: { target_20d: "target" } });

  return {
    signals,
    market: marketFrame(world, crypto),
    instruments: instrumentsFrame(world, source),
    targets,
    universe,
    tokens: NumerFrame.fromColumns(
      {
        symbol: tokens.map((t) => t.symbol),
        category: tokens.map((t) => t.category),
        base_coin: tokens.map((t) => t.baseCoin),
        multiplier: tokens.map((t) => t.multiplier),
      },
      { kind: "custom", idCol: "symbol", source },
    ),
  };
}

function marketFrame(world: CryptoWorld, meta: { kind: "crypto"; eraCol: string; idCol: string; source: Record<string, unknown> }): NumerFrame {
  const { tokens, market, days, startDay, dayLabels } = world;
  const perps = [...market.perpetuals].sort((a, b) => a.token - b.token);
  const fundingByDay = perps.map((p) => {
    const sums = new Float64Array(p.lastDay - p.firstDay + 1);
    for (let k = 0; k < p.settlementMs.length; k++) {
      const t = Math.floor(p.settlementMs[k]! / DAY_MS) - startDay - p.firstDay;
      sums[t] = sums[t]! + p.settlementRate[k]!;
    }
    return sums;
  });
  let total = 0;
  for (const p of perps) for (let t = p.firstDay; t <= p.lastDay; t++) if (!market.gap[p.token * days + t]) total++;
  const date = new Array<string>(total);
  const symbol = new Array<string>(total);
  const exchange = new Array<string>(total);
  const close = new Float64Array(total);
  const turnover = new Float64Array(total);
  const funding = new Float64Array(total);
  let row = 0;
  for (let t = 0; t < days; t++) {
    for (let k = 0; k < perps.length; k++) {
      const p = perps[k]!;
      if (t < p.firstDay || t > p.lastDay || market.gap[p.token * days + t]) continue;
      const tok = tokens[p.token]!;
      date[row] = dayLabels[t]!;
      symbol[row] = tok.symbol;
      exchange[row] = p.instrument.symbol;
      close[row] = contractClose(world, p.token, t);
      turnover[row] = market.turnover[p.token * days + t]!;
      funding[row] = fundingByDay[k]![t - p.firstDay]!;
      row++;
    }
  }
  return NumerFrame.fromColumns(
    { date, symbol, exchange_symbol: exchange, close, turnover_usd: turnover, funding_rate: funding },
    meta,
    { allowEmpty: true },
  );
}

/** A perpetual's daily close: token price times the contract multiplier, 6 significant digits. */
export function contractClose(world: CryptoWorld, token: number, day: number): number {
  const tok = world.tokens[token]!;
  return roundPrice(Math.exp(world.market.logPrice[token * world.market.stride + day]!) * tok.multiplier);
}

function instrumentsFrame(world: CryptoWorld, source: Record<string, unknown>): NumerFrame {
  const list = world.market.instruments;
  return NumerFrame.fromColumns(
    {
      symbol: list.map((i) => i.symbol),
      base_coin: list.map((i) => i.baseCoin),
      quote_coin: list.map((i) => i.quoteCoin),
      contract_type: list.map((i) => i.contractType),
      status: list.map((i) => i.status),
      launch_time: Float64Array.from(list, (i) => i.launchMs),
      delivery_time: Float64Array.from(list, (i) => i.deliveryMs),
      funding_interval_min: Float64Array.from(list, (i) => i.fundingIntervalMin),
    },
    { kind: "custom", idCol: "symbol", source },
  );
}
