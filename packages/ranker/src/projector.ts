import { orthogonalizeColumns } from "./jacobi-svd.js";

/** numpy's `lstsq(rcond=1e-6)`: singular values at or below this share of the largest count as zero. */
export const SINGULAR_VALUE_CUTOFF = 1e-6;

/**
 * The orthogonal projector P = A·pinv(A) for A = [N, 1] (neutralizers plus an intercept), with
 * singular values of A at or below 1e-6 × the largest treated as zero. `project(x)` returns
 * P·x, so `x − P·x` is the minimum-norm least-squares residual numpy's `lstsq` gives.
 */
export interface Projector {
  /** Rows n. */
  readonly rows: number;
  /** Numerical rank of [N, 1] after the cutoff. */
  readonly rank: number;
  /** Which factorization was used: the centred Gram fast path or the QR + Jacobi SVD one. */
  readonly method: "gram" | "svd";
  /** P·x for a NaN-free x of length `rows`. */
  project(x: ArrayLike<number>): Float64Array;
}

/** Build options; `method: "svd"` forces the rank-revealing path (used to cross-check). */
export interface ProjectorBuildOptions {
  method?: "auto" | "svd";
}

// Fast path is used only while the scaled Cholesky pivots stay above this, so that forming the
// Gram matrix (which squares the condition number) keeps errors near 1e-13.
const MIN_SCALED_PIVOT = 0.05;
// Below this bound on cond([N, 1]) no singular value can reach the 1e-6 cutoff.
const SAFE_CONDITION = 1e5;

/**
 * Builds the projector for the neutralizer columns (each of length n, NaN-free). The common case
 * (well-conditioned features) centres the columns, forms their Gram matrix and Cholesky-factors
 * its scaled form; a rank-deficient, badly scaled or near-collinear set falls back to a
 * Householder QR of [N, 1] followed by a one-sided Jacobi SVD of R, which reveals the rank exactly
 * as numpy's SVD-based `lstsq` does.
 */
export function buildProjector(columns: readonly ArrayLike<number>[], n: number, options: ProjectorBuildOptions = {}): Projector {
  if (options.method !== "svd") {
    const fast = gramProjector(columns, n);
    if (fast) return fast;
  }
  return svdProjector(columns, n);
}

function centred(columns: readonly ArrayLike<number>[], n: number): { z: Float64Array[]; mean: Float64Array } {
  const k = columns.length;
  const mean = new Float64Array(k);
  const z: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const c = columns[j]!;
    let s = 0;
    for (let r = 0; r < n; r++) s += c[r]!;
    const mu = s / n;
    mean[j] = mu;
    const zj = new Float64Array(n);
    for (let r = 0; r < n; r++) zj[r] = c[r]! - mu;
    z.push(zj);
  }
  return { z, mean };
}

/**
 * Zᵀ·Z (k×k, row-major). The upper triangle is computed in 2×4 tiles: eight running sums per
 * pass over the rows, so each loaded value feeds several multiplications; then mirrored.
 */
function gram(z: readonly Float64Array[], n: number): Float64Array {
  const k = z.length;
  const g = new Float64Array(k * k);
  let i = 0;
  for (; i + 1 < k; i += 2) {
    const a0 = z[i]!;
    const a1 = z[i + 1]!;
    let j = i;
    for (; j + 3 < k; j += 4) {
      const b0 = z[j]!;
      const b1 = z[j + 1]!;
      const b2 = z[j + 2]!;
      const b3 = z[j + 3]!;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let r = 0; r < n; r++) {
        const x = a0[r]!;
        const y = a1[r]!;
        const c0 = b0[r]!;
        const c1 = b1[r]!;
        const c2 = b2[r]!;
        const c3 = b3[r]!;
        s00 += x * c0;
        s01 += x * c1;
        s02 += x * c2;
        s03 += x * c3;
        s10 += y * c0;
        s11 += y * c1;
        s12 += y * c2;
        s13 += y * c3;
      }
      g[i * k + j] = s00;
      g[i * k + j + 1] = s01;
      g[i * k + j + 2] = s02;
      g[i * k + j + 3] = s03;
      g[(i + 1) * k + j] = s10;
      g[(i + 1) * k + j + 1] = s11;
      g[(i + 1) * k + j + 2] = s12;
      g[(i + 1) * k + j + 3] = s13;
    }
    for (; j < k; j++) {
      const b = z[j]!;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < n; r++) {
        s0 += a0[r]! * b[r]!;
        s1 += a1[r]! * b[r]!;
      }
      g[i * k + j] = s0;
      g[(i + 1) * k + j] = s1;
    }
  }
  for (; i < k; i++) {
    const a = z[i]!;
    for (let j = i; j < k; j++) {
      const b = z[j]!;
      let s = 0;
      for (let r = 0; r < n; r++) s += a[r]! * b[r]!;
      g[i * k + j] = s;
    }
  }
  // The 2×4 tiles also filled entry (i+1, i) below the diagonal; mirror the upper triangle.
  for (let r = 0; r < k; r++) for (let c = r + 1; c < k; c++) g[c * k + r] = g[r * k + c]!;
  return g;
}

/** Lower Cholesky factor of a k×k SPD matrix (row-major), or null if a pivot is too small. */
function cholesky(a: Float64Array, k: number, minPivot: number): Float64Array | null {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let p = 0; p < j; p++) d -= l[j * k + p]! * l[j * k + p]!;
    if (!(d > minPivot * minPivot)) return null;
    const ljj = Math.sqrt(d);
    l[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = s / ljj;
    }
  }
  return l;
}

/** Inverse of a lower-triangular k×k matrix (row-major). */
function lowerInverse(l: Float64Array, k: number): Float64Array {
  const inv = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    inv[j * k + j] = 1 / l[j * k + j]!;
    for (let i = j + 1; i < k; i++) {
      let s = 0;
      for (let p = j; p < i; p++) s += l[i * k + p]! * inv[p * k + j]!;
      inv[i * k + j] = -s / l[i * k + i]!;
    }
  }
  return inv;
}

function gramProjector(columns: readonly ArrayLike<number>[], n: number): Projector | null {
  const k = columns.length;
  if (n < k + 2) return null;
  const { z, mean } = centred(columns, n);
  const c = gram(z, n);
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const d = c[j * k + j]!;
    if (!(d > 0)) return null;
    scale[j] = Math.sqrt(d);
  }
  const cs = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cs[i * k + j] = c[i * k + j]! / (scale[i]! * scale[j]!);
  const l = cholesky(cs, k, MIN_SCALED_PIVOT);
  if (l === null) return null;

  // A = [N, 1] = Q'·M with Q' = [Z·Rc⁻¹, 1/√n] orthonormal, Rc = Lᵀ·D, M = [[Rc, 0], [√n·μᵀ, √n]].
  // Bound cond(A) = cond(M) ≤ ‖M‖_F·‖M⁻¹‖_F; above the safe bound compute σ(M) exactly.
  const linv = lowerInverse(l, k);
  let normM = n;
  for (let j = 0; j < k; j++) normM += c[j * k + j]! + n * mean[j]! * mean[j]!;
  let normInv = 1 / n;
  for (let j = 0; j < k; j++) {
    // Row j of Rc⁻ᵀ... column j of Rc⁻¹ = D⁻¹·L⁻ᵀ: entries linv[j][i] / scale[i] for i ≤ j.
    let w = 0;
    for (let i = 0; i <= j; i++) {
      const v = linv[j * k + i]! / scale[i]!;
      normInv += v * v;
      w += mean[i]! * v;
    }
    normInv += w * w;
  }
  if (Math.sqrt(normM * normInv) >= SAFE_CONDITION) {
    const m: Float64Array[] = [];
    const rootN = Math.sqrt(n);
    for (let j = 0; j < k; j++) {
      const col = new Float64Array(k + 1);
      for (let i = 0; i <= j; i++) col[i] = l[j * k + i]! * scale[j]!;
      col[k] = rootN * mean[j]!;
      m.push(col);
    }
    const last = new Float64Array(k + 1);
    last[k] = rootN;
    m.push(last);
    const sigma = orthogonalizeColumns(m);
    const cutoff = SINGULAR_VALUE_CUTOFF * Math.max(...sigma);
    if (sigma.some((s) => s <= cutoff)) return null;
  }

  return {
    rows: n,
    rank: k + 1,
    method: "gram",
    project(x: ArrayLike<number>): Float64Array {
      let sx = 0;
      for (let r = 0; r < n; r++) sx += x[r]!;
      const mx = sx / n;
      // y = D⁻¹·Zᵀ·(x − x̄), then solve L·Lᵀ·w = y, β = D⁻¹·w.
      const y = new Float64Array(k);
      for (let j = 0; j < k; j++) {
        const zj = z[j]!;
        let s = 0;
        for (let r = 0; r < n; r++) s += zj[r]! * (x[r]! - mx);
        y[j] = s / scale[j]!;
      }
      for (let i = 0; i < k; i++) {
        let s = y[i]!;
        for (let p = 0; p < i; p++) s -= l[i * k + p]! * y[p]!;
        y[i] = s / l[i * k + i]!;
      }
      for (let i = k - 1; i >= 0; i--) {
        let s = y[i]!;
        for (let p = i + 1; p < k; p++) s -= l[p * k + i]! * y[p]!;
        y[i] = s / l[i * k + i]!;
      }
      const out = new Float64Array(n).fill(mx);
      for (let j = 0; j < k; j++) {
        const zj = z[j]!;
        const b = y[j]! / scale[j]!;
        for (let r = 0; r < n; r++) out[r] = out[r]! + zj[r]! * b;
      }
      return out;
    },
  };
}

/** Householder vectors of A (columns modified in place into R's upper part). */
interface Householder {
  v: Float64Array[];
  beta: Float64Array;
}

function householderQr(a: Float64Array[], n: number): Householder {
  const m = a.length;
  const v: Float64Array[] = [];
  const beta = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const col = a[j]!;
    let norm = 0;
    for (let r = j; r < n; r++) norm += col[r]! * col[r]!;
    norm = Math.sqrt(norm);
    const vj = new Float64Array(n);
    v.push(vj);
    if (norm === 0) continue;
    const alpha = col[j]! >= 0 ? -norm : norm;
    for (let r = j; r < n; r++) vj[r] = col[r]!;
    vj[j] = vj[j]! - alpha;
    let vv = 0;
    for (let r = j; r < n; r++) vv += vj[r]! * vj[r]!;
    if (vv === 0) continue;
    beta[j] = 2 / vv;
    for (let c = j; c < m; c++) applyReflector(vj, beta[j]!, a[c]!, j, n);
  }
  return { v, beta };
}

function applyReflector(v: Float64Array, beta: number, x: Float64Array, from: number, n: number): void {
  let s = 0;
  for (let r = from; r < n; r++) s += v[r]! * x[r]!;
  s *= beta;
  if (s === 0) return;
  for (let r = from; r < n; r++) x[r] = x[r]! - s * v[r]!;
}

function svdProjector(columns: readonly ArrayLike<number>[], n: number): Projector {
  const m = columns.length + 1;
  const a: Float64Array[] = columns.map((c) => Float64Array.from({ length: n }, (_, r) => c[r]!));
  a.push(new Float64Array(n).fill(1));
  let basis: Float64Array[];
  let qr: Householder | null = null;
  if (n >= m) {
    qr = householderQr(a, n);
    // R is the leading m×m upper triangle; its left singular vectors live in the first m
    // coordinates of Qᵀ space.
    basis = a.map((col) => col.slice(0, m));
    for (let j = 0; j < m; j++) basis[j]!.fill(0, j + 1);
  } else {
    basis = a;
  }
  const sigma = orthogonalizeColumns(basis);
  const cutoff = SINGULAR_VALUE_CUTOFF * Math.max(0, ...sigma);
  const kept: Float64Array[] = [];
  for (let j = 0; j < basis.length; j++) {
    const s = sigma[j]!;
    if (s > cutoff && s > 0) kept.push(basis[j]!.map((x) => x / s));
  }
  const dim = qr ? m : n;
  return {
    rows: n,
    rank: kept.length,
    method: "svd",
    project(x: ArrayLike<number>): Float64Array {
      const y = Float64Array.from({ length: n }, (_, r) => x[r]!);
      if (qr) for (let j = 0; j < m; j++) if (qr.beta[j]! !== 0) applyReflector(qr.v[j]!, qr.beta[j]!, y, j, n);
      const z = new Float64Array(n);
      for (const u of kept) {
        let d = 0;
        for (let r = 0; r < dim; r++) d += u[r]! * y[r]!;
        for (let r = 0; r < dim; r++) z[r] = z[r]! + u[r]! * d;
      }
      if (qr) for (let j = m - 1; j >= 0; j--) if (qr.beta[j]! !== 0) applyReflector(qr.v[j]!, qr.beta[j]!, z, j, n);
      return z;
    },
  };
}
