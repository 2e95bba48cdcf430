import { DAY_MS } from "./calendar.js";
import type { TokenSpec } from "./crypto-catalogue.js";
import { type Sfc32, substream } from "./prng.js";

/** Bybit instrument status values used here. */
export type InstrumentStatus = "Trading" | "Closed" | "PreLaunch";

/** One row of the Bybit instruments list. */
export interface InstrumentSpec {
  /** Bybit symbol, e.g. "1000PEPEUSDT". */
  symbol: string;
  baseCoin: string;
  quoteCoin: "USDT" | "USDC";
  contractType: "LinearPerpetual" | "LinearFutures";
  status: InstrumentStatus;
  /** Epoch ms. */
  launchMs: number;
  /** Epoch ms; 0 when none is scheduled (as Bybit reports it). */
  deliveryMs: number;
  fundingIntervalMin: number;
  /** Index of the Numerai token the contract trades, or -1 (dated futures, USDC perpetuals). */
  token: number;
}

/** A USDT perpetual with market rows: its listing window and every funding settlement. */
export interface PerpetualPath {
  token: number;
  instrument: InstrumentSpec;
  /** First and last simulated day index with a daily candle (inclusive). */
  firstDay: number;
  lastDay: number;
  /** Settlement times (epoch ms, ascending) and rates (fractions, rounded to 8 decimals as Bybit prints them). */
  settlementMs: Float64Array;
  settlementRate: Float64Array;
}

/** Parameters of the market simulation (resolved options). */
export interface MarketConfig {
  seed: number;
  startDay: number;
  /** Calendar days reported. */
  days: number;
  /** Extra unreported days simulated after the end, so forward returns exist for the last signals. */
  hiddenDays: number;
  perpetualShare: number;
  delistedShare: number;
  gapRate: number;
  pumpsPerYear: number;
  marketVolatility: number;
}

/** Prices, liquidity and listings of every token, day by day (row-major: token * stride + day). */
export interface MarketPaths {
  /** Log token price (USD), stride `days + hiddenDays`. */
  logPrice: Float64Array;
  stride: number;
  /** Daily turnover (USD) of the token's perpetual, stride `days`. */
  turnover: Float64Array;
  /** 1 where a listed perpetual has no candle (a gap), stride `days`. */
  gap: Uint8Array;
  instruments: InstrumentSpec[];
  perpetuals: PerpetualPath[];
}

const GARCH_ALPHA = 0.1;
const GARCH_BETA = 0.86;
/** BTCUSDT's real Bybit launch time (2020-03-30). */
const BTC_LAUNCH_MS = 1585526400000;

/**
 * Simulates the common market factor, each token's price path and the Bybit listings:
 * log return = drift + beta x market + idiosyncratic GARCH(1,1) shock with Student-t(4)
 * innovations + pump-and-dump episodes; staked and wrapped tokens follow their underlying,
 * stablecoins hover at 1.
 */
export function simulateMarket(tokens: readonly TokenSpec[], cfg: MarketConfig): MarketPaths {
  const n = tokens.length;
  const stride = cfg.days + cfg.hiddenDays;
  const logPrice = new Float64Array(n * stride);
  const volumeBoost = new Float32Array(n * cfg.days).fill(1);
  const market = marketFactor(stride, cfg);

  const listing = assignListings(tokens, cfg);
  const bySymbol = new Map(tokens.map((t, i) => [t.symbol, i]));

  for (let s = 0; s < n; s++) {
    const tok = tokens[s]!;
    if (tok.category === "staked") continue;
    const rng = substream(cfg.seed, `price:${tok.symbol}`);
    const base = s * stride;
    if (tok.category === "stablecoin") {
      let dev = 0;
      for (let t = 0; t < stride; t++) {
        dev = 0.6 * dev + tok.idioVol * rng.normal();
        logPrice[base + t] = dev;
      }
      continue;
    }
    simulateCoin(tok, rng, market, logPrice, base, stride, cfg, volumeBoost, s * cfg.days, listing.delistDay[s]!);
  }
  // Staked and wrapped tokens need their underlying's path first.
  for (let s = 0; s < n; s++) {
    const tok = tokens[s]!;
    if (tok.category !== "staked") continue;
    const rng = substream(cfg.seed, `price:${tok.symbol}`);
    const under = (bySymbol.get(tok.tracks ?? "") ?? -1) * stride;
    const premium = Math.log(tok.initialPrice);
    let dev = 0;
    for (let t = 0; t < stride; t++) {
      dev = 0.8 * dev + tok.idioVol * rng.normal();
      logPrice[s * stride + t] = (under >= 0 ? logPrice[under + t]! : 0) + premium + dev;
    }
  }

  const turnover = new Float64Array(n * cfg.days);
  const gap = new Uint8Array(n * cfg.days);
  const perpetuals: PerpetualPath[] = [];
  for (const inst of listing.instruments) {
    if (inst.token < 0 || inst.status === "PreLaunch" || inst.quoteCoin !== "USDT" || inst.contractType !== "LinearPerpetual") continue;
    const s = inst.token;
    const tok = tokens[s]!;
    const launchDay = Math.floor(inst.launchMs / DAY_MS) - cfg.startDay;
    const firstDay = Math.max(0, launchDay);
    const lastDay = inst.deliveryMs > 0 ? Math.floor(inst.deliveryMs / DAY_MS) - cfg.startDay : cfg.days - 1;
    const rng = substream(cfg.seed, `perp:${inst.symbol}`);
    const base = s * stride;
    for (let t = firstDay; t <= lastDay; t++) {
      const r = t > 0 ? logPrice[base + t]! - logPrice[base + t - 1]! : 0;
      const noise = Math.exp(0.5 * rng.normal() - 0.125);
      const raw = tok.liquidityUsd * noise * (0.5 + 12 * Math.abs(r)) * volumeBoost[s * cfg.days + t]!;
      turnover[s * cfg.days + t] = Math.round(raw * 100) / 100;
    }
    // A gap never hides the first or last candle, so listing and delisting days stay visible.
    for (let t = firstDay + 1; t < lastDay; t++) {
      if (!rng.chance(cfg.gapRate)) continue;
      const len = 1 + rng.int(3);
      for (let k = 0; k < len && t + k < lastDay; k++) gap[s * cfg.days + t + k] = 1;
      t += len;
    }
    const { settlementMs, settlementRate } = fundingSettlements(tok, inst, logPrice, base, firstDay, lastDay, cfg, rng);
    perpetuals.push({ token: s, instrument: inst, firstDay, lastDay, settlementMs, settlementRate });
  }
  return { logPrice, stride, turnover, gap, instruments: listing.instruments, perpetuals };
}

/** The common (BTC-like) market factor: GARCH(1,1) log returns with Student-t(4) shocks. */
function marketFactor(length: number, cfg: MarketConfig): Float64Array {
  const rng = substream(cfg.seed, "market");
  const out = new Float64Array(length);
  const longRun = cfg.marketVolatility * cfg.marketVolatility;
  const omega = longRun * (1 - GARCH_ALPHA - GARCH_BETA);
  let variance = longRun;
  let shock = 0;
  for (let t = 0; t < length; t++) {
    variance = omega + GARCH_ALPHA * shock * shock + GARCH_BETA * variance;
    shock = Math.sqrt(variance) * rng.studentT4();
    out[t] = 0.0004 + shock;
  }
  return out;
}

function simulateCoin(
  tok: TokenSpec,
  rng: Sfc32,
  market: Float64Array,
  logPrice: Float64Array,
  base: number,
  stride: number,
  cfg: MarketConfig,
  volumeBoost: Float32Array,
  boostBase: number,
  delistDay: number,
): void {
  const longRun = tok.idioVol * tok.idioVol;
  const omega = longRun * (1 - GARCH_ALPHA - GARCH_BETA);
  const drift = -0.0004 + 0.0008 * rng.normal();
  const pumps = tok.symbol !== "BTC" && tok.symbol !== "ETH";
  const pumpChance = cfg.pumpsPerYear / 365;
  // Floor: keep the contract price above 1e-8 so every close is a positive Bybit-printable decimal.
  const floor = Math.log(1e-8 / tok.multiplier);
  let variance = longRun;
  let shock = 0;
  let pumpLeft = 0;
  let pumpStep = 0;
  let dumpLeft = 0;
  let dumpStep = 0;
  let level = Math.log(tok.initialPrice);
  for (let t = 0; t < stride; t++) {
    variance = omega + GARCH_ALPHA * shock * shock + GARCH_BETA * variance;
    shock = Math.sqrt(variance) * rng.studentT4();
    let r = drift + tok.beta * market[t]! + shock;
    let boost = 1;
    if (pumpLeft > 0) {
      r += pumpStep * (0.5 + rng.uniform());
      boost = 3 + 7 * rng.uniform();
      if (--pumpLeft === 0) {
        dumpLeft = 4 + rng.int(12);
        dumpStep = dumpStep / dumpLeft;
      }
    } else if (dumpLeft > 0) {
      r -= dumpStep * (0.5 + rng.uniform());
      boost = 2;
      dumpLeft--;
    } else if (pumps && t > 0 && rng.chance(pumpChance)) {
      pumpLeft = 2 + rng.int(5);
      const gain = 0.4 + 1.1 * rng.uniform();
      pumpStep = gain / pumpLeft;
      dumpStep = gain * (0.7 + 0.4 * rng.uniform()); // total give-back, spread once the pump ends
    }
    // Perpetuals about to be delisted bleed out over their last two months.
    if (delistDay >= 0 && t <= delistDay && t > delistDay - 60) r -= 0.01;
    if (t > 0) level += r;
    if (level < floor) level = floor;
    logPrice[base + t] = level;
    if (t < cfg.days) volumeBoost[boostBase + t] = boost;
  }
}

/**
 * Funding per settlement: a base premium of 0.01 % per 8 h plus a momentum premium that grows
 * with the trailing 20-day and 3-day log returns (pumping coins carry large positive funding),
 * scaled to the interval, with noise, capped, rounded to 8 decimals. Settlements fall at
 * multiples of the interval from 00:00 UTC, strictly after launch and before delivery.
 */
function fundingSettlements(
  tok: TokenSpec,
  inst: InstrumentSpec,
  logPrice: Float64Array,
  base: number,
  firstDay: number,
  lastDay: number,
  cfg: MarketConfig,
  rng: Sfc32,
): { settlementMs: Float64Array; settlementRate: Float64Array } {
  const perDay = 1440 / inst.fundingIntervalMin;
  const scale = inst.fundingIntervalMin / 480;
  const cap = (tok.symbol === "BTC" || tok.symbol === "ETH" ? 0.00375 : 0.0075) * Math.sqrt(scale);
  const noise = 0.00006 * Math.sqrt(scale);
  // A lasting per-contract bias and a slowly moving daily basis keep funding from being a mere echo of returns.
  const bias = 0.0001 * rng.normal();
  let basis = 0;
  const ms = new Float64Array((lastDay - firstDay + 1) * perDay);
  const rate = new Float64Array(ms.length);
  let k = 0;
  for (let t = firstDay; t <= lastDay; t++) {
    const p = logPrice[base + t]!;
    const trailing20 = p - logPrice[base + Math.max(0, t - 20)]!;
    const trailing3 = p - logPrice[base + Math.max(0, t - 3)]!;
    basis = 0.7 * basis + 0.0003 * rng.normal();
    const premium = 0.0001 + bias + basis + 0.003 * (0.6 * trailing20 + 0.4 * trailing3);
    const dayMs = (cfg.startDay + t) * DAY_MS;
    for (let j = 0; j < perDay; j++) {
      const at = dayMs + j * inst.fundingIntervalMin * 60_000;
      const r = scale * premium + noise * rng.normal();
      if (at <= inst.launchMs || (inst.deliveryMs > 0 && at >= inst.deliveryMs)) continue;
      ms[k] = at;
      rate[k] = Math.round(Math.min(cap, Math.max(-cap, r)) * 1e8) / 1e8;
      k++;
    }
  }
  return { settlementMs: ms.slice(0, k), settlementRate: rate.slice(0, k) };
}

interface Listings {
  instruments: InstrumentSpec[];
  /** Day index of each token's perpetual delisting, or -1. */
  delistDay: Int32Array;
}

/**
 * Decides which tokens get a USDT perpetual (exactly round(share x count), forced names first),
 * when each launched, which were delisted, each funding interval (8 h mostly, some 4 h and
 * 1 h), plus dated futures, USDC perpetuals and pre-launch contracts that a filter must drop.
 */
function assignListings(tokens: readonly TokenSpec[], cfg: MarketConfig): Listings {
  const rng = substream(cfg.seed, "listings");
  const n = tokens.length;
  const want = Math.round(cfg.perpetualShare * n);
  const forced = tokens.map((t, i) => (t.forcedPerpetual ? i : -1)).filter((i) => i >= 0);
  const open = rng.shuffle(tokens.map((t, i) => (!t.forcedPerpetual && !t.noPerpetual ? i : -1)).filter((i) => i >= 0));
  const chosen = [...forced.slice(0, want), ...open.slice(0, Math.max(0, want - forced.length))].sort((a, b) => a - b);
  const isMajor = (i: number) => tokens[i]!.symbol === "BTC" || tokens[i]!.symbol === "ETH";

  // Funding intervals: BTC and ETH settle every 8 h; of the rest about 10 % hourly, 20 % 4-hourly.
  const others = rng.shuffle(chosen.filter((i) => !isMajor(i)));
  const hourly = others.length >= 3 ? Math.max(1, Math.round(0.1 * others.length)) : 0;
  const fourHourly = others.length >= 3 ? Math.max(1, Math.round(0.2 * others.length)) : 0;
  const interval = new Map<number, number>();
  others.forEach((i, k) => interval.set(i, k < hourly ? 60 : k < hourly + fourHourly ? 240 : 480));

  const startMs = cfg.startDay * DAY_MS;
  const delistDay = new Int32Array(n).fill(-1);
  const instruments: InstrumentSpec[] = [];
  const launchDay = new Map<number, number>();
  for (const i of chosen) {
    const tok = tokens[i]!;
    let launchMs: number;
    if (tok.symbol === "BTC") launchMs = BTC_LAUNCH_MS;
    else if (isMajor(i) || tok.forcedPerpetual || rng.chance(0.55)) launchMs = startMs - (30 + rng.int(500)) * DAY_MS + 8 * 3_600_000;
    else launchMs = startMs + rng.int(Math.max(1, Math.floor(cfg.days * 0.9))) * DAY_MS + 10 * 3_600_000;
    launchDay.set(i, Math.floor(launchMs / DAY_MS) - cfg.startDay);
    instruments.push({
      symbol: `${tok.baseCoin}USDT`,
      baseCoin: tok.baseCoin,
      quoteCoin: "USDT",
      contractType: "LinearPerpetual",
      status: "Trading",
      launchMs,
      deliveryMs: 0,
      fundingIntervalMin: interval.get(i) ?? 480,
      token: i,
    });
  }
  // Delistings: perpetuals of ordinary coins listed at least 120 days before the last 10 days.
  const delistable = rng.shuffle(
    instruments.filter((x) => !tokens[x.token]!.forcedPerpetual && Math.max(0, launchDay.get(x.token)!) + 120 < cfg.days - 10),
  );
  const delisted = Math.min(delistable.length, Math.max(instruments.length >= 10 ? 1 : 0, Math.round(cfg.delistedShare * instruments.length)));
  for (const inst of delistable.slice(0, delisted)) {
    const from = Math.max(0, launchDay.get(inst.token)!) + 120;
    const day = from + rng.int(cfg.days - 10 - from);
    inst.status = "Closed";
    inst.deliveryMs = (cfg.startDay + day) * DAY_MS + 8 * 3_600_000;
    delistDay[inst.token] = day;
  }

  const endMs = (cfg.startDay + cfg.days) * DAY_MS;
  // Pre-market perpetuals of two tokens without a perpetual: listed after the period ends.
  const bare = tokens.map((t, i) => (!chosen.includes(i) && t.category === "coin" ? i : -1)).filter((i) => i >= 0);
  for (const i of bare.slice(0, 2)) {
    const tok = tokens[i]!;
    instruments.push({
      symbol: `${tok.baseCoin}USDT`,
      baseCoin: tok.baseCoin,
      quoteCoin: "USDT",
      contractType: "LinearPerpetual",
      status: "PreLaunch",
      launchMs: endMs + (5 + rng.int(25)) * DAY_MS + 10 * 3_600_000,
      deliveryMs: 0,
      fundingIntervalMin: 60,
      token: i,
    });
  }
  instruments.push(...nonUsdtContracts(tokens, cfg));
  instruments.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
  return { instruments, delistDay };
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

/** USDC perpetuals (BTCPERP, ETHPERP) and quarterly dated USDT futures around the period's end. */
function nonUsdtContracts(tokens: readonly TokenSpec[], cfg: MarketConfig): InstrumentSpec[] {
  const out: InstrumentSpec[] = [];
  const endMs = (cfg.startDay + cfg.days) * DAY_MS;
  const end = new Date(endMs);
  for (const base of ["BTC", "ETH"]) {
    const token = tokens.findIndex((t) => t.symbol === base);
    if (token < 0) continue;
    out.push({
      symbol: `${base}PERP`,
      baseCoin: base,
      quoteCoin: "USDC",
      contractType: "LinearPerpetual",
      status: "Trading",
      launchMs: Date.UTC(2021, 8, 15, 8),
      deliveryMs: 0,
      fundingIntervalMin: 480,
      token: -1,
    });
    // The last Friday of the quarter month before the end and of the one after it.
    const quarter = Math.floor(end.getUTCMonth() / 3);
    for (const offset of [-1, 1]) {
      const q = quarter + offset;
      const year = end.getUTCFullYear() + Math.floor(q / 4);
      const month = (((q % 4) + 4) % 4) * 3 + 2;
      const last = new Date(Date.UTC(year, month + 1, 0, 8));
      const friday = new Date(last.getTime() - (((last.getUTCDay() - 5 + 7) % 7) * DAY_MS));
      const deliveryMs = friday.getTime();
      const name = `${String(friday.getUTCDate()).padStart(2, "0")}${MONTHS[friday.getUTCMonth()]}${String(year % 100).padStart(2, "0")}`;
      out.push({
        symbol: `${base}USDT-${name}`,
        baseCoin: base,
        quoteCoin: "USDT",
        contractType: "LinearFutures",
        status: deliveryMs < endMs ? "Closed" : "Trading",
        launchMs: deliveryMs - 182 * DAY_MS,
        deliveryMs,
        fundingIntervalMin: 0,
        token,
      });
    }
  }
  return out;
}
