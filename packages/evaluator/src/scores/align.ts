import { InvalidOptionError } from "@nmrblox/numerframe";
import { ScoreError } from "./errors.js";

/** Values keyed by id: Numerai's (id → value) series. `ids` must be unique. */
export interface IdSeries {
  readonly ids: readonly string[];
  readonly values: ArrayLike<number>;
}

/**
 * A score input: a plain array (rows already in id order, the same length as the other inputs;
 * NaN marks a missing row) or an id-keyed series (aligned by id).
 */
export type ScoreInput = ArrayLike<number> | IdSeries;

/** Share of its own rows each input must keep after alignment (numerai-tools: 1 − 0.2). */
export const MIN_OVERLAP = 1 - 0.2;

/** An input ready for alignment: values plus either ids or positions, both ascending. */
export interface Keyed {
  readonly name: string;
  readonly values: Float64Array;
  /** Ids (code-point order after alignment), or null for positional inputs. */
  readonly ids: readonly string[] | null;
  /** Original row numbers of positional inputs (null: 0..n-1). */
  readonly positions: Int32Array | null;
}

export function isIdSeries(x: ScoreInput): x is IdSeries {
  return typeof x === "object" && x !== null && "ids" in x && "values" in x;
}

function isArrayLike(x: unknown): x is ArrayLike<unknown> {
  return (Array.isArray(x) || ArrayBuffer.isView(x)) && !(x instanceof DataView);
}

/**
 * Refuses an argument that is neither an array (plain or typed) of numbers nor an id series,
 * so a wrong argument is a named error rather than a TypeError deep inside a score.
 */
export function checkScoreInput(fn: string, name: string, x: unknown): asserts x is ScoreInput {
  const ok = isArrayLike(x) || (typeof x === "object" && x !== null && Array.isArray((x as IdSeries).ids) && isArrayLike((x as IdSeries).values));
  if (!ok) {
    const found = x === null ? "null" : Array.isArray(x) ? "array" : typeof x;
    throw new InvalidOptionError(fn, [{ path: name, message: `expected an array of numbers or {ids, values}, found ${found}` }]);
  }
  // Plain arrays may hold anything: a string would become a number (or NaN, then a misleading
  // overlap error) in the Float64Array copy, so every element must already be a number.
  const values: ArrayLike<unknown> = isArrayLike(x) ? x : (x as IdSeries).values;
  if (Array.isArray(values)) {
    for (let i = 0; i < values.length; i++) {
      const v: unknown = values[i];
      if (typeof v !== "number") {
        const shown = typeof v === "string" ? JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v) : v === null ? "null" : typeof v;
        throw new ScoreError("NON_NUMERIC_COLUMN", `${fn}: ${name} holds ${shown} at row ${i}; scores need numbers (NaN marks a missing value)`, {
          input: name,
          row: i,
        });
      }
    }
  }
}

/** Checks inputs are all arrays of one length or all id series, and wraps them. */
export function keyedInputs(fn: string, inputs: readonly (readonly [string, ScoreInput])[]): Keyed[] {
  for (const [name, x] of inputs) checkScoreInput(fn, name, x);
  const series = inputs.filter(([, x]) => isIdSeries(x));
  if (series.length !== 0 && series.length !== inputs.length) {
    throw new ScoreError("MIXED_INPUTS", `${fn}: pass every input as an array or every input as {ids, values}, not a mix`);
  }
  const keyed = inputs.map(([name, x]) => toKeyed(fn, name, x));
  if (series.length === 0) {
    const [first, ...rest] = keyed;
    for (const k of rest) {
      if (k.values.length !== first!.values.length) {
        throw new ScoreError(
          "LENGTH_MISMATCH",
          `${fn}: ${k.name} has ${k.values.length} rows but ${first!.name} has ${first!.values.length}`,
          { input: k.name },
        );
      }
    }
  }
  return keyed;
}

function toKeyed(fn: string, name: string, x: ScoreInput): Keyed {
  if (!isIdSeries(x)) return { name, values: x instanceof Float64Array ? x : Float64Array.from(x), ids: null, positions: null };
  if (x.ids.length !== x.values.length) {
    throw new ScoreError("LENGTH_MISMATCH", `${fn}: ${name} has ${x.ids.length} ids but ${x.values.length} values`, { input: name });
  }
  const seen = new Set<string>();
  for (const id of x.ids) {
    if (seen.has(id)) throw new ScoreError("DUPLICATE_ID", `${fn}: ${name} has id "${id}" more than once`, { input: name });
    seen.add(id);
  }
  return { name, values: Float64Array.from(x.values), ids: x.ids, positions: null };
}

function checkOverlap(fn: string, k: Keyed, kept: number): void {
  const n = k.values.length;
  if (!(kept / n >= MIN_OVERLAP)) {
    const share = n === 0 ? "no rows" : `${((100 * kept) / n).toFixed(1)} %`;
    throw new ScoreError(
      "INSUFFICIENT_OVERLAP",
      `${fn}: ${k.name} keeps ${kept} of its ${n} rows after alignment (${share}); at least 80 % must have a non-NaN value in both inputs`,
      { input: k.name },
    );
  }
}

/**
 * Numerai's `filter_sort_index`: keeps keys present and non-NaN in both inputs, sorted by id
 * (positional inputs keep row order), and fails unless each input keeps ≥ 80 % of its rows
 * (rows with NaN count in the denominator). `a` is checked first.
 */
export function alignPair(fn: string, a: Keyed, b: Keyed): [Keyed, Keyed] {
  const av = a.values;
  const bv = b.values;
  // Same-length positional arrays without NaN are aligned already: keep them, copy nothing.
  if (a.ids === null && b.ids === null && a.positions === null && b.positions === null && av.length === bv.length) {
    if (!hasNaN(av) && !hasNaN(bv)) {
      checkOverlap(fn, a, av.length);
      checkOverlap(fn, b, bv.length);
      return [a, b];
    }
  }
  let ai: Int32Array;
  let bi: Int32Array;
  let kept = 0;
  if (a.ids === null || b.ids === null) {
    const ap = a.positions;
    const bp = b.positions;
    ai = new Int32Array(Math.min(av.length, bv.length));
    bi = new Int32Array(ai.length);
    // Merge the two ascending position lists.
    let i = 0;
    let j = 0;
    while (i < av.length && j < bv.length) {
      const pa = ap ? ap[i]! : i;
      const pb = bp ? bp[j]! : j;
      if (pa < pb) i++;
      else if (pa > pb) j++;
      else {
        if (!Number.isNaN(av[i]!) && !Number.isNaN(bv[j]!)) {
          ai[kept] = i;
          bi[kept] = j;
          kept++;
        }
        i++;
        j++;
      }
    }
  } else {
    const where = new Map<string, number>();
    b.ids.forEach((id, j) => {
      if (!Number.isNaN(bv[j]!)) where.set(id, j);
    });
    const pairs: [string, number, number][] = [];
    a.ids.forEach((id, i) => {
      if (Number.isNaN(av[i]!)) return;
      const j = where.get(id);
      if (j !== undefined) pairs.push([id, i, j]);
    });
    pairs.sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
    kept = pairs.length;
    ai = Int32Array.from(pairs, (p) => p[1]);
    bi = Int32Array.from(pairs, (p) => p[2]);
  }
  checkOverlap(fn, a, kept);
  checkOverlap(fn, b, kept);
  return [restrict(a, ai, kept), restrict(b, bi, kept)];
}

function hasNaN(x: Float64Array): boolean {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i]!)) return true;
  return false;
}

function restrict(k: Keyed, index: Int32Array, count: number): Keyed {
  const values = new Float64Array(count);
  for (let r = 0; r < count; r++) values[r] = k.values[index[r]!]!;
  if (k.ids !== null) {
    const ids = new Array<string>(count);
    for (let r = 0; r < count; r++) ids[r] = k.ids[index[r]!]!;
    return { name: k.name, values, ids, positions: null };
  }
  const positions = new Int32Array(count);
  for (let r = 0; r < count; r++) positions[r] = k.positions ? k.positions[index[r]!]! : index[r]!;
  return { name: k.name, values, ids: null, positions };
}

/**
 * Aligns two inputs by id (or position) with Numerai's 80 % rule: keeps the keys present and
 * non-NaN in both, in id (code-point) order.
 *
 * @param a - an array, or `{ids, values}`
 * @param b - the same kind of input
 * @param names - the inputs' names in error messages
 * @returns the kept ids (null for arrays) and both inputs' values, aligned
 * @throws ScoreError INSUFFICIENT_OVERLAP naming the input that keeps less than 80 % of its
 *   rows, LENGTH_MISMATCH, MIXED_INPUTS, DUPLICATE_ID; InvalidOptionError for an argument
 *   that is neither an array nor `{ids, values}`
 * @example
 * alignById({ ids: ["b", "a"], values: [2, 1] }, { ids: ["a", "b"], values: [10, 20] });
 * // { ids: ["a", "b"], a: [1, 2], b: [10, 20] }
 */
export function alignById(
  a: ScoreInput,
  b: ScoreInput,
  names: readonly [string, string] = ["a", "b"],
): { ids: readonly string[] | null; a: Float64Array; b: Float64Array } {
  const [ka, kb] = keyedInputs("alignById", [
    [names[0], a],
    [names[1], b],
  ]);
  const [ra, rb] = alignPair("alignById", ka!, kb!);
  return { ids: ra.ids, a: ra.values, b: rb.values };
}
