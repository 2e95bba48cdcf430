import { InvalidOptionError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { RankerError } from "./errors.js";
import { type Projector, buildProjector } from "./projector.js";

/** Options of `neutralizer` (strict). */
export const neutralizerOptions = z.strictObject({
  /** "auto" (the Gram fast path when well conditioned, else SVD) or "svd" (always the rank-revealing path). */
  method: z.enum(["auto", "svd"]).default("auto"),
});
/** Neutralizer options as a caller writes them; see `neutralizerOptions`. */
export type NeutralizerOptions = z.input<typeof neutralizerOptions>;

/**
 * A neutralizer for one set of neutralizer columns: build it once, neutralize many vectors.
 * Equals numerai-tools' `neutralize` (an intercept is appended; least squares by pseudo-inverse
 * with rcond 1e-6).
 */
export interface Neutralizer {
  readonly rows: number;
  /** Numerical rank of [N, 1] after the 1e-6 singular-value cutoff. */
  readonly rank: number;
  readonly method: Projector["method"];
  /** x − proportion·[N, 1]·β (β the min-norm least-squares fit); constant x or any NaN in x gives all NaN. */
  neutralize(values: ArrayLike<number>, proportion?: number): Float64Array;
}

/**
 * Prepares neutralization against `neutralizers` (columns of equal length, NaN-free; NaN is a
 * RankerError naming the column position).
 *
 * @param neutralizers - the neutralizer columns (an intercept is added)
 * @param options - see `neutralizerOptions`
 * @returns a neutralizer to apply to many vectors
 * @throws InvalidOptionError for an unknown or bad option; RankerError LENGTH_MISMATCH when the
 *   columns differ in length, NAN_NEUTRALIZER for a NaN in one
 * @example
 * const nz = neutralizer([[1, 2, 3, 4]]);
 * nz.neutralize([1, 3, 2, 4]); // [-0.3, 0.9, -0.9, 0.3]
 */
export function neutralizer(neutralizers: readonly ArrayLike<number>[], options?: NeutralizerOptions): Neutralizer {
  // Called once per era in scoring loops: skip the schema when there is nothing to check.
  const opts = options === undefined ? { method: "auto" as const } : parseOptions(neutralizerOptions, options, "neutralizer");
  const n = neutralizers.length === 0 ? 0 : neutralizers[0]!.length;
  neutralizers.forEach((c, j) => {
    if (c.length !== n) {
      throw new RankerError("LENGTH_MISMATCH", `neutralizer ${j} has ${c.length} values, neutralizer 0 has ${n}`);
    }
    // Integer typed arrays (Numerai's int8 features) cannot hold NaN.
    if (ArrayBuffer.isView(c) && !(c instanceof Float64Array || c instanceof Float32Array)) return;
    for (let r = 0; r < n; r++) {
      if (Number.isNaN(c[r]!)) throw new RankerError("NAN_NEUTRALIZER", `neutralizer ${j} has NaN at row ${r}`, { row: r });
    }
  });
  let projector: Projector | undefined;
  return {
    rows: n,
    get rank() {
      projector ??= buildProjector(neutralizers, n, opts);
      return projector.rank;
    },
    get method() {
      projector ??= buildProjector(neutralizers, n, opts);
      return projector.method;
    },
    neutralize(values: ArrayLike<number>, proportion = 1): Float64Array {
      if (values.length !== n && neutralizers.length > 0) {
        throw new RankerError("LENGTH_MISMATCH", `values have ${values.length} rows, neutralizers have ${n}`);
      }
      const len = values.length;
      const out = new Float64Array(len);
      if (isConstantOrNaN(values)) return out.fill(NaN);
      if (neutralizers.length === 0) {
        // Only the intercept: the residual is x − proportion·mean(x).
        let s = 0;
        for (let r = 0; r < len; r++) s += values[r]!;
        for (let r = 0; r < len; r++) out[r] = values[r]! - (proportion * s) / len;
        return out;
      }
      projector ??= buildProjector(neutralizers, n, opts);
      const fitted = projector.project(values);
      for (let r = 0; r < n; r++) out[r] = values[r]! - proportion * fitted[r]!;
      return out;
    },
  };
}

/**
 * Feature neutralization as numerai-tools does it: with N the neutralizer columns plus a column
 * of ones, returns x − proportion·N·β where β is the minimum-norm least-squares solution of
 * N·β ≈ x, singular values of N at or below 1e-6 × the largest counting as zero (numpy
 * `lstsq(rcond=1e-6)`). A constant x (two or more equal values) or any NaN in x gives all NaN;
 * NaN in a neutralizer is an error.
 *
 * @param values - x
 * @param neutralizers - the columns N, each as long as x
 * @param proportion - share of the fitted exposure removed (finite)
 * @returns the residual, or all NaN for a constant or NaN-holding x
 * @throws InvalidOptionError (option "proportion") for a non-finite proportion; RankerError
 *   LENGTH_MISMATCH or NAN_NEUTRALIZER for bad neutralizers
 * @example
 * neutralize([1, 3, 2, 4], [[1, 2, 3, 4]], 0.5); // [0.35, 1.95, 0.55, 2.15]
 */
export function neutralize(values: ArrayLike<number>, neutralizers: readonly ArrayLike<number>[], proportion = 1): Float64Array {
  if (!Number.isFinite(proportion)) {
    throw new InvalidOptionError("neutralize", [{ path: "proportion", message: `proportion must be finite, got ${proportion}` }]);
  }
  return neutralizer(neutralizers).neutralize(values, proportion);
}

function isConstantOrNaN(x: ArrayLike<number>): boolean {
  const n = x.length;
  let constant = n >= 2;
  const first = x[0]!;
  for (let r = 0; r < n; r++) {
    const v = x[r]!;
    if (Number.isNaN(v)) return true;
    if (v !== first) constant = false;
  }
  return constant;
}
