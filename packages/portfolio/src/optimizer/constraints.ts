import { NumerFrameError } from "@nmrblox/numerframe";
import { InfeasiblePortfolioError } from "./errors.js";

/** Neutralizer columns: an array of columns (named by position) or columns by name. */
export type NeutralizerColumns = readonly ArrayLike<number>[] | Readonly<Record<string, ArrayLike<number>>>;

/**
 * The equality constraints Aᵀw = 0 (A = [1 (market), neutralizers...]) as an orthonormal basis Q
 * of A's column space, A_kept = Q·R. The solver works with Q (well conditioned, and the
 * projection s − QQᵀs is the whole answer when no inequality binds); R maps its multipliers back
 * to A's columns.
 */
export interface EqualityBasis {
  readonly n: number;
  /** Columns of Q kept (the rank of A). */
  readonly p: number;
  /** Q, n × p, row-major: row i holds asset i's coordinates, read together in the hot loop. */
  readonly q: Float64Array;
  /** R, p × p upper triangular, row-major. */
  readonly r: Float64Array;
  /** For each kept column of Q, the index of its source column in `names`. */
  readonly source: Int32Array;
  /** Names of A's columns: "market" first when market-neutral, then the neutralizers. */
  readonly names: readonly string[];
  /** Whether A's first column is the market (ones). */
  readonly market: boolean;
}

/** A column whose Gram–Schmidt residual keeps less than this share of its norm adds no constraint. */
const DEPENDENT = 1e-10;

/** Neutralizer columns as (name, values) pairs. */
export function neutralizerEntries(neutralizers: NeutralizerColumns): [string, ArrayLike<number>][] {
  return Array.isArray(neutralizers)
    ? (neutralizers as readonly ArrayLike<number>[]).map((c, j) => [`neutralizers[${j}]`, c])
    : Object.entries(neutralizers as Readonly<Record<string, ArrayLike<number>>>);
}

/**
 * Validates the neutralizers and builds the orthonormal basis of [1, N] by modified Gram–Schmidt,
 * each column orthogonalized twice ("twice is enough"). A neutralizer that is a combination of
 * the columns before it adds no constraint and is left out of Q (its multiplier is 0).
 *
 * @throws NumerFrameError LENGTH_MISMATCH, NAN_NEUTRALIZER, NON_FINITE or CONSTANT_INPUT naming the column
 * @throws InfeasiblePortfolioError when the constraints leave only w = 0
 */
export function equalityBasis(n: number, neutralizers: NeutralizerColumns, marketNeutral: boolean, where: string): EqualityBasis {
  const entries = neutralizerEntries(neutralizers);
  const names: string[] = [];
  const columns: Float64Array[] = [];
  if (marketNeutral) {
    names.push("market");
    columns.push(new Float64Array(n).fill(1));
  }
  for (const [name, values] of entries) {
    columns.push(checkNeutralizer(where, name, values, n));
    names.push(name);
  }
  const total = columns.length;
  const qColumns: Float64Array[] = [];
  const rFull = new Float64Array(total * total);
  const source: number[] = [];
  for (let j = 0; j < total; j++) {
    const v = Float64Array.from(columns[j]!);
    const norm0 = Math.sqrt(dot(v, v, n));
    const coef = new Float64Array(qColumns.length);
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < qColumns.length; k++) {
        const qk = qColumns[k]!;
        const c = dot(qk, v, n);
        coef[k] = coef[k]! + c;
        for (let i = 0; i < n; i++) v[i] = v[i]! - c * qk[i]!;
      }
    }
    const norm = Math.sqrt(dot(v, v, n));
    if (!(norm > DEPENDENT * norm0)) continue;
    const row = qColumns.length;
    for (let k = 0; k < row; k++) rFull[k * total + row] = coef[k]!;
    rFull[row * total + row] = norm;
    for (let i = 0; i < n; i++) v[i] = v[i]! / norm;
    qColumns.push(v);
    source.push(j);
  }
  const p = qColumns.length;
  if (p >= n && n > 0) {
    throw new InfeasiblePortfolioError(
      `${where}: ${p} independent neutrality constraints on ${n} assets leave only the empty portfolio`,
      {},
    );
  }
  const q = new Float64Array(n * p);
  for (let k = 0; k < p; k++) {
    const qk = qColumns[k]!;
    for (let i = 0; i < n; i++) q[i * p + k] = qk[i]!;
  }
  const r = new Float64Array(p * p);
  for (let a = 0; a < p; a++) for (let b = a; b < p; b++) r[a * p + b] = rFull[a * total + b]!;
  return { n, p, q, r, source: Int32Array.from(source), names, market: marketNeutral };
}

function dot(a: Float64Array, b: Float64Array, n: number): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += a[i]! * b[i]!;
  return s;
}

function checkNeutralizer(where: string, name: string, values: ArrayLike<number>, n: number): Float64Array {
  if (values.length !== n) {
    throw new NumerFrameError("LENGTH_MISMATCH", `${where}: neutralizer "${name}" has ${values.length} values for ${n} assets`, {
      column: name,
    });
  }
  const out = new Float64Array(n);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = Number(values[i]);
    if (Number.isNaN(v)) {
      throw new NumerFrameError("NAN_NEUTRALIZER", `${where}: neutralizer "${name}" is NaN at row ${i}`, { column: name, row: i });
    }
    if (!Number.isFinite(v)) {
      throw new NumerFrameError("NON_FINITE", `${where}: neutralizer "${name}" is ${v} at row ${i}`, { column: name, row: i });
    }
    out[i] = v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  // A constant exposure is the market itself (or nothing, when 0): neutrality to it is either
  // redundant or the market constraint under another name, which is almost always a data fault
  // (a factor that failed to load), so it is refused rather than guessed at.
  if (n > 0 && max - min <= 1e-12 * Math.max(Math.abs(max), Math.abs(min))) {
    throw new NumerFrameError(
      "CONSTANT_INPUT",
      `${where}: neutralizer "${name}" is constant (${min}); a constant exposure is market neutrality, use marketNeutral instead`,
      { column: name },
    );
  }
  return out;
}
