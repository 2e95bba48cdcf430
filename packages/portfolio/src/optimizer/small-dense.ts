/**
 * Dense linear algebra for the optimizer's few multipliers (market, neutralizers, gross budget):
 * systems of a handful of unknowns, so plain loops over row-major Float64Arrays.
 */

/**
 * Solves the symmetric positive definite system A·x = b by Cholesky, A k×k row-major (only the
 * lower triangle is read). Returns false, leaving x untouched, when a pivot falls to
 * `pivotTolerance` × the largest diagonal entry or below: A is (numerically) singular there.
 */
export function choleskySolve(a: Float64Array, k: number, b: Float64Array, x: Float64Array, pivotTolerance = 1e-13): boolean {
  let maxDiag = 0;
  for (let i = 0; i < k; i++) maxDiag = Math.max(maxDiag, a[i * k + i]!);
  if (!(maxDiag > 0)) return false;
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let m = 0; m < j; m++) d -= l[j * k + m]! * l[j * k + m]!;
    if (!(d > pivotTolerance * maxDiag)) return false;
    const root = Math.sqrt(d);
    l[j * k + j] = root;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let m = 0; m < j; m++) s -= l[i * k + m]! * l[j * k + m]!;
      l[i * k + j] = s / root;
    }
  }
  const z = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let m = 0; m < i; m++) s -= l[i * k + m]! * z[m]!;
    z[i] = s / l[i * k + i]!;
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = z[i]!;
    for (let m = i + 1; m < k; m++) s -= l[m * k + i]! * x[m]!;
    x[i] = s / l[i * k + i]!;
  }
  return true;
}

/** Solves R·x = b for the upper-triangular k×k row-major R (non-zero diagonal) in place of b. */
export function solveUpperTriangular(r: Float64Array, k: number, b: Float64Array): void {
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let m = i + 1; m < k; m++) s -= r[i * k + m]! * b[m]!;
    b[i] = s / r[i * k + i]!;
  }
}
