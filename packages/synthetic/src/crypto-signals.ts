import { isWeekday } from "./calendar.js";
import type { TokenSpec } from "./crypto-catalogue.js";
import { binnedTarget, normalQuantile, tieKeptRanks } from "./distributions.js";
import { substream } from "./prng.js";

/** Days over which the target's forward return is measured. */
export const TARGET_HORIZON_DAYS = 20;

/**
 * Spearman IC of the predictions against the 5-bin target per unit of correlation between
 * the latent score and the Gaussianized forward-return rank. Measured by simulation (binning
 * to 5 uneven bins and the logistic squash cost about 11 % of the correlation); the option
 * `ic` is divided by it so the realised mean rank IC lands near the requested value.
 */
export const IC_PER_LATENT_CORRELATION = 0.89;

/** Persistence (daily AR(1) coefficient) of the prediction noise: meta-model scores change slowly. */
const NOISE_PERSISTENCE = 0.9;

export interface SignalConfig {
  seed: number;
  startDay: number;
  days: number;
  targetLagDays: number;
  ic: number;
}

/** Each token's Numerai listing window, day indices inclusive. */
export interface UniverseWindows {
  from: Int32Array;
  to: Int32Array;
}

/**
 * Numerai universe membership: most tokens present from the start, the rest joining over the
 * period, a few leaving early; half the tokens whose perpetual was delisted also leave the
 * Numerai universe one to three months later. BTC, ETH, NMR, stablecoins and staked tokens stay.
 */
export function universeWindows(tokens: readonly TokenSpec[], days: number, delistDay: Int32Array, seed: number): UniverseWindows {
  const rng = substream(seed, "universe");
  const from = new Int32Array(tokens.length);
  const to = new Int32Array(tokens.length).fill(days - 1);
  tokens.forEach((tok, s) => {
    const joinLate = rng.chance(0.35);
    const joinDay = rng.int(Math.max(1, Math.floor(days * 0.9)));
    const leave = rng.chance(0.07);
    const leaveDraw = rng.uniform();
    const afterDelist = rng.chance(0.5);
    const lag = 30 + rng.int(60);
    if (tok.alwaysListed) return;
    if (joinLate) from[s] = joinDay;
    if (leave && from[s]! + 90 < days - 1) to[s] = from[s]! + 90 + Math.floor(leaveDraw * (days - 1 - from[s]! - 90));
    const d = delistDay[s]!;
    if (d >= 0 && afterDelist) to[s] = Math.max(from[s]!, Math.min(to[s]!, d + lag));
  });
  return { from, to };
}

/** Universe, prediction and target rows, date-major with tokens in symbol order. */
export interface SignalRows {
  /** Day index of each row. */
  day: Int32Array;
  token: Int32Array;
  /** Meta-model-like score in (0, 1). */
  prediction: Float64Array;
  /** 5-bin forward-return rank; rows with an observable target come first in date order. */
  target: Float64Array;
  /** Rows [0, targetRows) carry a target; later dates' forward returns are not known yet. */
  targetRows: number;
}

/**
 * Builds the Numerai side on weekdays: for each date t the forward log return over
 * [t + lag, t + lag + 20] is ranked across that date's universe; the target bins the rank
 * (Numerai's 5/20/50/20/5 %), and the prediction is logistic(a z + e) with z the Gaussianized
 * rank and e persistent unit noise, a = rho / sqrt(1 - rho^2), rho = ic / IC_PER_LATENT_CORRELATION.
 * Forward returns beyond the reported period come from the hidden days of the price paths.
 */
export function signalRows(logPrice: Float64Array, stride: number, windows: UniverseWindows, cfg: SignalConfig): SignalRows {
  const n = windows.from.length;
  const rng = substream(cfg.seed, "signal-noise");
  const rho = Math.max(-0.95, Math.min(0.95, cfg.ic / IC_PER_LATENT_CORRELATION));
  const loading = rho / Math.sqrt(1 - rho * rho);
  const innovation = Math.sqrt(1 - NOISE_PERSISTENCE * NOISE_PERSISTENCE);

  let total = 0;
  for (let t = 0; t < cfg.days; t++) {
    if (!isWeekday(cfg.startDay + t)) continue;
    for (let s = 0; s < n; s++) if (windows.from[s]! <= t && t <= windows.to[s]!) total++;
  }
  const day = new Int32Array(total);
  const token = new Int32Array(total);
  const prediction = new Float64Array(total);
  const target = new Float64Array(total).fill(Number.NaN);
  const noise = new Float64Array(n);
  for (let s = 0; s < n; s++) noise[s] = rng.normal();
  const forward = new Float64Array(n);
  const members = new Int32Array(n);
  const ranks = new Float64Array(n);
  const scratch = new Int32Array(n);
  const lastObservable = cfg.days - 1 - cfg.targetLagDays - TARGET_HORIZON_DAYS;
  let row = 0;
  let targetRows = 0;
  for (let t = 0; t < cfg.days; t++) {
    if (t > 0) for (let s = 0; s < n; s++) noise[s] = NOISE_PERSISTENCE * noise[s]! + innovation * rng.normal();
    if (!isWeekday(cfg.startDay + t)) continue;
    let m = 0;
    for (let s = 0; s < n; s++) {
      if (windows.from[s]! > t || t > windows.to[s]!) continue;
      members[m++] = s;
      const at = s * stride + t + cfg.targetLagDays;
      forward[s] = logPrice[at + TARGET_HORIZON_DAYS]! - logPrice[at]!;
    }
    if (m === 0) continue;
    const idx = members.subarray(0, m);
    tieKeptRanks(forward, idx, ranks, scratch);
    const observable = t <= lastObservable;
    for (let k = 0; k < m; k++) {
      const s = idx[k]!;
      const score = loading * normalQuantile(ranks[k]!) + noise[s]!;
      day[row] = t;
      token[row] = s;
      prediction[row] = Math.min(1 - 1e-9, Math.max(1e-9, 1 / (1 + Math.exp(-0.9 * score))));
      if (observable) {
        target[row] = binnedTarget(ranks[k]!);
        targetRows = row + 1;
      }
      row++;
    }
  }
  return { day, token, prediction, target, targetRows };
}
