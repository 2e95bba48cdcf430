// Dense kernels behind the Gram fast path of the projector: a blocked Cholesky factorization,
// triangular solves, and a condition estimate built from solves (no explicit inverse). All
// matrices are k×k, row-major, in Float64Arrays.

/** Panel width of the blocked Cholesky: a panel of 2,400 rows × 48 doubles (0.9 MB) stays in cache. */
const PANEL = 48;

/**
 * Lower Cholesky factor L (L·Lᵀ = a) of a k×k symmetric positive definite matrix, or null when a
 * pivot d (the diagonal left after removing the earlier columns) is at or below minPivot². Only
 * the lower triangle of `a` is read. Right-looking and blocked: each panel of PANEL columns is
 * factored, then the trailing matrix is updated by the panel's rows in 2×4 tiles, so the k³/6
 * multiply-adds run on rows that stay in cache instead of streaming the whole factor per column.
 */
export function choleskyBlocked(a: Float64Array, k: number, minPivot: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j <= i; j++) l[i * k + j] = a[i * k + j]!;
  const min2 = minPivot * minPivot;
  for (let j0 = 0; j0 < k; j0 += PANEL) {
    const j1 = Math.min(k, j0 + PANEL);
    if (!factorPanel(l, k, j0, j1, min2)) return null;
    if (j1 < k) trailingUpdate(l, k, j0, j1);
  }
  return l;
}

/** Factors columns j0..j1 of rows j0..k (already updated by the earlier panels). */
function factorPanel(l: Float64Array, k: number, j0: number, j1: number, min2: number): boolean {
  for (let j = j0; j < j1; j++) {
    const rj = j * k;
    let d = l[rj + j]!;
    for (let p = j0; p < j; p++) d -= l[rj + p]! * l[rj + p]!;
    if (!(d > min2)) return false;
    const ljj = Math.sqrt(d);
    l[rj + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      const ri = i * k;
      let s = l[ri + j]!;
      for (let p = j0; p < j; p++) s -= l[ri + p]! * l[rj + p]!;
      l[ri + j] = s / ljj;
    }
  }
  return true;
}

/** l[i][j] −= Σ_{p in [j0, j1)} l[i][p]·l[j][p] for j1 ≤ j ≤ i < k. */
function trailingUpdate(l: Float64Array, k: number, j0: number, j1: number): void {
  let i = j1;
  for (; i + 1 < k; i += 2) {
    const r0 = i * k;
    const r1 = r0 + k;
    let j = j1;
    // Columns j ≤ i of both rows in tiles of four (row i+1 also takes column i+1 below).
    for (; j + 3 <= i; j += 4) {
      const c0 = j * k;
      const c1 = c0 + k;
      const c2 = c1 + k;
      const c3 = c2 + k;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let p = j0; p < j1; p++) {
        const x = l[r0 + p]!;
        const y = l[r1 + p]!;
        const v0 = l[c0 + p]!;
        const v1 = l[c1 + p]!;
        const v2 = l[c2 + p]!;
        const v3 = l[c3 + p]!;
        s00 += x * v0;
        s01 += x * v1;
        s02 += x * v2;
        s03 += x * v3;
        s10 += y * v0;
        s11 += y * v1;
        s12 += y * v2;
        s13 += y * v3;
      }
      l[r0 + j] = l[r0 + j]! - s00;
      l[r0 + j + 1] = l[r0 + j + 1]! - s01;
      l[r0 + j + 2] = l[r0 + j + 2]! - s02;
      l[r0 + j + 3] = l[r0 + j + 3]! - s03;
      l[r1 + j] = l[r1 + j]! - s10;
      l[r1 + j + 1] = l[r1 + j + 1]! - s11;
      l[r1 + j + 2] = l[r1 + j + 2]! - s12;
      l[r1 + j + 3] = l[r1 + j + 3]! - s13;
    }
    for (; j <= i + 1; j++) {
      const c = j * k;
      let s0 = 0;
      let s1 = 0;
      for (let p = j0; p < j1; p++) {
        s0 += l[r0 + p]! * l[c + p]!;
        s1 += l[r1 + p]! * l[c + p]!;
      }
      if (j <= i) l[r0 + j] = l[r0 + j]! - s0;
      l[r1 + j] = l[r1 + j]! - s1;
    }
  }
  for (; i < k; i++) {
    const r = i * k;
    for (let j = j1; j <= i; j++) {
      const c = j * k;
      let s = 0;
      for (let p = j0; p < j1; p++) s += l[r + p]! * l[c + p]!;
      l[r + j] = l[r + j]! - s;
    }
  }
}

/** Solves L·y = b in place (L lower, row-major). */
export function forwardSolve(l: Float64Array, k: number, y: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    let s = y[i]!;
    for (let p = 0; p < i; p++) s -= l[ri + p]! * y[p]!;
    y[i] = s / l[ri + i]!;
  }
}

/** Solves Lᵀ·y = b in place (L lower, row-major), sweeping rows of L so reads stay contiguous. */
export function backSolveTransposed(l: Float64Array, k: number, y: Float64Array): void {
  for (let i = k - 1; i >= 0; i--) {
    const ri = i * k;
    const v = (y[i] = y[i]! / l[ri + i]!);
    for (let p = 0; p < i; p++) y[p] = y[p]! - l[ri + p]! * v;
  }
}

/**
 * An estimate of ‖X‖₁ for a symmetric k×k matrix known only through `apply(x)` = X·x (Hager's
 * method as refined by Higham, LAPACK's dlacn2, for symmetric X): a few products with ±1 and unit
 * vectors, plus Higham's alternating test vector. It is a lower bound of ‖X‖₁ and, in practice,
 * within a small factor of it; LAPACK's dpocon estimates a Cholesky factor's condition this way.
 */
export function estimateNorm1(k: number, apply: (x: Float64Array) => Float64Array): number {
  let x = new Float64Array(k).fill(1 / k);
  let estimate = 0;
  let previous = -1;
  for (let iter = 0; iter < 5; iter++) {
    const y = apply(x);
    let norm = 0;
    for (let i = 0; i < k; i++) norm += Math.abs(y[i]!);
    if (norm <= estimate && iter > 0) break;
    estimate = Math.max(estimate, norm);
    const xi = new Float64Array(k);
    for (let i = 0; i < k; i++) xi[i] = y[i]! >= 0 ? 1 : -1;
    const z = apply(xi);
    let best = 0;
    let zx = 0;
    for (let i = 0; i < k; i++) {
      if (Math.abs(z[i]!) > Math.abs(z[best]!)) best = i;
      zx += z[i]! * x[i]!;
    }
    if (iter > 0 && (Math.abs(z[best]!) <= zx || best === previous)) break;
    previous = best;
    x = new Float64Array(k);
    x[best] = 1;
  }
  // Higham's extra vector catches matrices the iteration above underestimates.
  const alt = new Float64Array(k);
  for (let i = 0; i < k; i++) alt[i] = (i % 2 === 0 ? 1 : -1) * (1 + i / Math.max(1, k - 1));
  const w = apply(alt);
  let altNorm = 0;
  for (let i = 0; i < k; i++) altNorm += Math.abs(w[i]!);
  return Math.max(estimate, (2 * altNorm) / (3 * k));
}
