import { nanMean, pearson } from "@nmrblox/numerframe";
import { gaussianRank, pow15, topBottomLabels } from "@nmrblox/ranker";
import { ScoreError } from "./errors.js";

// The arithmetic of CORR and MMC split at the points where work can be shared: a prediction's
// gaussian ranks (used by CORR, MMC, every BMC and FNC), a reference's gaussian ranks and m·m
// (one meta model or benchmark, shared by every prediction of the era), and the era's CORR and
// MMC targets. `numeraiCorr` and `correlationContribution` call the same functions, so scores
// computed through `scoreByEra` are bitwise those of the one-era functions.

/** A meta model or benchmark ranked once: its gaussian ranks and their sum of squares. */
export interface Reference {
  readonly g: Float64Array;
  readonly mm: number;
}

/**
 * gaussianRank of a meta model or benchmark with Σ m² (the denominator of every prediction's
 * projection onto it).
 */
export function prepareReference(values: ArrayLike<number>): Reference {
  const g = gaussianRank(values);
  let mm = 0;
  for (let i = 0; i < g.length; i++) mm += g[i]! * g[i]!;
  return { g, mm };
}

/**
 * CORR's target: centred by `targetMean`, raised to the power 1.5 when `pow` (then checked:
 * Pearson(pow15(t), t) ≥ 0.9, else TARGET_POWER).
 */
export function prepareCorrTarget(target: ArrayLike<number>, targetMean: number, pow: boolean): Float64Array {
  const n = target.length;
  const centred = new Float64Array(n);
  for (let i = 0; i < n; i++) centred[i] = target[i]! - targetMean;
  if (!pow) return centred;
  const t = pow15(centred);
  if (!isConstant(t)) {
    const r = pearson(t, centred);
    if (!(r >= 0.9)) {
      throw new ScoreError(
        "TARGET_POWER",
        `numeraiCorr: pow15 distorts the target (Pearson(pow15(t), t) = ${r} < 0.9); pass targetPow15: false for unbounded targets`,
        { input: "target" },
      );
    }
  }
  return t;
}

/** CORR's target centred by the mean of all its non-NaN values (numerai-tools centres before aligning). */
export function corrTargetMean(target: ArrayLike<number>): number {
  return nanMean(target);
}

/** MMC's target: scaled by 4 when every value lies in [0, 1], then centred. */
export function prepareContributionTarget(target: ArrayLike<number>): Float64Array {
  const n = target.length;
  let bounded = true;
  for (let i = 0; i < n; i++) {
    const v = target[i]!;
    if (!(v >= 0 && v <= 1)) {
      bounded = false;
      break;
    }
  }
  const t = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    t[i] = bounded ? target[i]! * 4 : target[i]!;
    sum += t[i]!;
  }
  const mean = sum / n;
  for (let i = 0; i < n; i++) t[i] = t[i]! - mean;
  return t;
}

/** CORR from a prediction's gaussian ranks `g` and a prepared CORR target. */
export function corrFromRanks(g: Float64Array, t: Float64Array, topBottom: number | undefined): number {
  const n = g.length;
  const p = pow15(g);
  if (topBottom === undefined) return pearson(p, t);
  if (2 * topBottom > n) {
    throw new ScoreError("TOP_BOTTOM_TOO_LARGE", `numeraiCorr: topBottom ${topBottom} needs ${2 * topBottom} rows, only ${n} remain after alignment`, {
      input: "predictions",
    });
  }
  const labels = topBottomLabels(p, topBottom);
  const ps = new Float64Array(2 * topBottom);
  const ts = new Float64Array(2 * topBottom);
  let c = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] !== 0) {
      ps[c] = p[i]!;
      ts[c] = t[i]!;
      c++;
    }
  }
  return pearson(ps, ts);
}

/** MMC/BMC from a prediction's gaussian ranks `g`, a prepared reference and a prepared MMC target. */
export function contributionFromRanks(g: Float64Array, ref: Reference, t: Float64Array, topBottom: number | undefined): number {
  const n = g.length;
  const m = ref.g;
  let pm = 0;
  for (let i = 0; i < n; i++) pm += g[i]! * m[i]!;
  const beta = pm / ref.mm;
  if (topBottom === undefined) {
    // Σ t·(p − m·β) with each residual rounded as it would be stored: the same doubles as a
    // residual vector, without allocating one.
    let s = 0;
    for (let i = 0; i < n; i++) s += t[i]! * (g[i]! - m[i]! * beta);
    return s / n;
  }
  const neutral = new Float64Array(n);
  for (let i = 0; i < n; i++) neutral[i] = g[i]! - m[i]! * beta;
  if (2 * topBottom > n) {
    throw new ScoreError(
      "TOP_BOTTOM_TOO_LARGE",
      `correlationContribution: topBottom ${topBottom} needs ${2 * topBottom} rows, only ${n} remain after alignment`,
      { input: "predictions" },
    );
  }
  const labels = topBottomLabels(neutral, topBottom);
  let s = 0;
  for (let i = 0; i < n; i++) if (labels[i] !== 0) s += t[i]! * neutral[i]!;
  return s / (2 * topBottom);
}

function isConstant(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}
