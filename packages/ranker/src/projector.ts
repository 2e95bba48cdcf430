import { backSolveTransposed, choleskyBlocked, estimateNorm1, forwardSolve } from "./dense.js";
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

/**
 * Columns as the Gram fast path reads them: `cols[j][r] − offset[j]` is column j centred.
 * Integer columns (Numerai's int8 features) are read in place, uncentred, with their mean as
 * the offset: their raw Gram matrix is exact in doubles and is centred algebraically, which
 * avoids a Float64 copy of every feature per era and keeps the hot loop on 1-byte values.
 * Float columns are copied centred (offset 0), which keeps badly scaled data accurate.
 */
interface CentredColumns {
  cols: ArrayLike<number>[];
  offset: Float64Array;
  mean: Float64Array;
  /** Whether `cols` are raw integer columns whose Gram matrix must be centred algebraically. */
  raw: boolean;
  /** Smallest and largest value over all columns (bounds for the packed integer Gram). */
  min: number;
  max: number;
}

const isIntegerArray = (c: ArrayLike<number>): boolean =>
  c instanceof Int8Array || c instanceof Uint8Array || c instanceof Int16Array || c instanceof Uint16Array || c instanceof Int32Array;

function centred(columns: readonly ArrayLike<number>[], n: number): CentredColumns {
  const k = columns.length;
  const mean = new Float64Array(k);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let j = 0; j < k; j++) {
    const c = columns[j]!;
    let s = 0;
    for (let r = 0; r < n; r++) {
      const v = c[r]!;
      s += v;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    mean[j] = s / n;
  }
  if (columns.every(isIntegerArray)) return { cols: [...columns], offset: mean, mean, raw: true, min, max };
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const c = columns[j]!;
    const mu = mean[j]!;
    const zj = new Float64Array(n);
    for (let r = 0; r < n; r++) zj[r] = c[r]! - mu;
    cols.push(zj);
  }
  return { cols, offset: new Float64Array(k), mean, raw: false, min, max };
}

/**
 * Zᵀ·Z (k×k, row-major). The upper triangle is computed in 2×4 tiles: eight running sums per
 * pass over the rows, so each loaded value feeds several multiplications; then mirrored.
 */
function gram(z: readonly ArrayLike<number>[], n: number): Float64Array {
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

/**
 * Exact Gram matrix Σ_r a_r·b_r of small non-negative integer columns, several dot products per
 * multiply: with every entry below 2^bits, columns b, c, d... are packed into one double as
 * b + c·2^bits + d·2^(2·bits) + ..., so Σ a·packed carries each dot product in its own bit field.
 * All partial sums are integers below 2^53, hence exact; the fields are then split off. Returns
 * null when a value is negative (`min` < 0) or entries are too large to pack two to a double.
 */
function packedIntegerGram(cols: readonly ArrayLike<number>[], n: number, min: number, vmax: number): Float64Array | null {
  const k = cols.length;
  if (min < 0) return null;
  const bits = Math.max(1, Math.ceil(Math.log2(n * vmax * vmax + 1)));
  const per = Math.floor(53 / bits);
  if (per < 2) return null;
  const packs: Float64Array[] = [];
  for (let q = 0; q * per < k; q++) {
    const packed = new Float64Array(n);
    const t0 = q * per;
    if (per === 3 && t0 + 2 < k) {
      const c0 = cols[t0]!;
      const c1 = cols[t0 + 1]!;
      const c2 = cols[t0 + 2]!;
      const w1 = 2 ** bits;
      const w2 = 2 ** (2 * bits);
      for (let r = 0; r < n; r++) packed[r] = c0[r]! + c1[r]! * w1 + c2[r]! * w2;
    } else {
      for (let t = 0; t < per && t0 + t < k; t++) {
        const c = cols[t0 + t]!;
        const w = 2 ** (bits * t);
        for (let r = 0; r < n; r++) packed[r] = packed[r]! + c[r]! * w;
      }
    }
    packs.push(packed);
  }
  const g = new Float64Array(k * k);
  const x0 = new Float64Array(n);
  const x1 = new Float64Array(n);
  let a = 0;
  // Two columns a, a+1 against three packs per pass over the rows: five loads feed six products.
  for (; a + 1 < k; a += 2) {
    const ca = cols[a]!;
    const cb = cols[a + 1]!;
    for (let r = 0; r < n; r++) {
      x0[r] = ca[r]!;
      x1[r] = cb[r]!;
    }
    let q = Math.floor(a / per);
    for (; q + 2 < packs.length; q += 3) {
      const p0 = packs[q]!;
      const p1 = packs[q + 1]!;
      const p2 = packs[q + 2]!;
      let s00 = 0;
      let s01 = 0;
      let s02 = 0;
      let s10 = 0;
      let s11 = 0;
      let s12 = 0;
      for (let r = 0; r < n; r++) {
        const u = x0[r]!;
        const v = x1[r]!;
        const w0 = p0[r]!;
        const w1 = p1[r]!;
        const w2 = p2[r]!;
        s00 += u * w0;
        s01 += u * w1;
        s02 += u * w2;
        s10 += v * w0;
        s11 += v * w1;
        s12 += v * w2;
      }
      unpackFields(s00, q * per, per, bits, k, g, a);
      unpackFields(s01, (q + 1) * per, per, bits, k, g, a);
      unpackFields(s02, (q + 2) * per, per, bits, k, g, a);
      unpackFields(s10, q * per, per, bits, k, g, a + 1);
      unpackFields(s11, (q + 1) * per, per, bits, k, g, a + 1);
      unpackFields(s12, (q + 2) * per, per, bits, k, g, a + 1);
    }
    for (; q < packs.length; q++) {
      const p0 = packs[q]!;
      let s0 = 0;
      let s1 = 0;
      for (let r = 0; r < n; r++) {
        s0 += x0[r]! * p0[r]!;
        s1 += x1[r]! * p0[r]!;
      }
      unpackFields(s0, q * per, per, bits, k, g, a);
      unpackFields(s1, q * per, per, bits, k, g, a + 1);
    }
  }
  for (; a < k; a++) {
    const ca = cols[a]!;
    for (let r = 0; r < n; r++) x0[r] = ca[r]!;
    for (let q = Math.floor(a / per); q < packs.length; q++) {
      const p0 = packs[q]!;
      let s0 = 0;
      for (let r = 0; r < n; r++) s0 += x0[r]! * p0[r]!;
      unpackFields(s0, q * per, per, bits, k, g, a);
    }
  }
  for (let r = 0; r < k; r++) for (let c = r + 1; c < k; c++) g[c * k + r] = g[r * k + c]!;
  return g;
}

/** Splits a packed sum into its dot products g[a][first + t]; only the upper triangle is kept. */
function unpackFields(sum: number, first: number, per: number, bits: number, k: number, g: Float64Array, a: number): void {
  let rest = sum;
  for (let t = per - 1; t >= 0; t--) {
    const w = 2 ** (bits * t);
    const field = Math.floor(rest / w);
    rest -= field * w;
    const j = first + t;
    if (j < k && j >= a) g[a * k + j] = field;
  }
}

function gramProjector(columns: readonly ArrayLike<number>[], n: number): Projector | null {
  const k = columns.length;
  if (n < k + 2) return null;
  const { cols: z, offset, mean, raw, min, max } = centred(columns, n);
  const c = (raw && packedIntegerGram(z, n, min, max)) || gram(z, n);
  if (raw) {
    // Centre the exact integer Gram matrix: Σ(a − ā)(b − b̄) = Σab − n·ā·b̄.
    for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) c[i * k + j] = c[i * k + j]! - n * mean[i]! * mean[j]!;
  }
  const scale = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const d = c[j * k + j]!;
    if (!(d > 0)) return null;
    scale[j] = Math.sqrt(d);
  }
  const cs = new Float64Array(k * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < k; j++) cs[i * k + j] = c[i * k + j]! / (scale[i]! * scale[j]!);
  const l = choleskyBlocked(cs, k, MIN_SCALED_PIVOT);
  if (l === null) return null;

  // A = [N, 1] = Q'·M with Q' = [Z·Rc⁻¹, 1/√n] orthonormal, Rc = Lᵀ·D, M = [[Rc, 0], [√n·μᵀ, √n]].
  // cond(A) = cond(M) ≤ ‖M‖_F·‖M⁻¹‖₂, and ‖M⁻¹‖₂² = ‖(MᵀM)⁻¹‖₂ ≤ ‖(MᵀM)⁻¹‖₁, estimated from
  // triangular solves with L (no inverse is formed). Above the safe bound compute σ(M) exactly.
  let normM = n;
  for (let j = 0; j < k; j++) normM += c[j * k + j]! + n * mean[j]! * mean[j]!;
  const rootN = Math.sqrt(n);
  const applyInverseGram = (y: Float64Array): Float64Array => {
    // Mᵀ·u = y: u_k = y_k/√n, then D·L·u₁ = y₁ − √n·μ·u_k.
    const uk = y[k]! / rootN;
    const u = new Float64Array(k + 1);
    for (let j = 0; j < k; j++) u[j] = (y[j]! - rootN * mean[j]! * uk) / scale[j]!;
    forwardSolve(l, k, u);
    // M·v = u: Lᵀ·D·v₁ = u₁, then v_k = (u_k − √n·μᵀ·v₁)/√n.
    backSolveTransposed(l, k, u);
    let dot = 0;
    for (let j = 0; j < k; j++) {
      u[j] = u[j]! / scale[j]!;
      dot += mean[j]! * u[j]!;
    }
    u[k] = (uk - rootN * dot) / rootN;
    return u;
  };
  const normInv = estimateNorm1(k + 1, applyInverseGram);
  if (Math.sqrt(normM * normInv) >= SAFE_CONDITION) {
    const m: Float64Array[] = [];
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
      const xc = new Float64Array(n);
      let sxc = 0;
      for (let r = 0; r < n; r++) {
        xc[r] = x[r]! - mx;
        sxc += xc[r]!;
      }
      const y = new Float64Array(k);
      let j0 = 0;
      // Four columns per pass over the rows: each load of x feeds four products.
      for (; j0 + 3 < k; j0 += 4) {
        const z0 = z[j0]!;
        const z1 = z[j0 + 1]!;
        const z2 = z[j0 + 2]!;
        const z3 = z[j0 + 3]!;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let r = 0; r < n; r++) {
          const v = xc[r]!;
          s0 += z0[r]! * v;
          s1 += z1[r]! * v;
          s2 += z2[r]! * v;
          s3 += z3[r]! * v;
        }
        y[j0] = s0;
        y[j0 + 1] = s1;
        y[j0 + 2] = s2;
        y[j0 + 3] = s3;
      }
      for (; j0 < k; j0++) {
        const zj = z[j0]!;
        let s = 0;
        for (let r = 0; r < n; r++) s += zj[r]! * xc[r]!;
        y[j0] = s;
      }
      for (let j = 0; j < k; j++) y[j] = (y[j]! - offset[j]! * sxc) / scale[j]!;
      forwardSolve(l, k, y);
      backSolveTransposed(l, k, y);
      const beta = new Float64Array(k);
      let base = mx;
      for (let j = 0; j < k; j++) {
        beta[j] = y[j]! / scale[j]!;
        base -= offset[j]! * beta[j]!;
      }
      const out = new Float64Array(n).fill(base);
      let j = 0;
      for (; j + 3 < k; j += 4) {
        const z0 = z[j]!;
        const z1 = z[j + 1]!;
        const z2 = z[j + 2]!;
        const z3 = z[j + 3]!;
        const b0 = beta[j]!;
        const b1 = beta[j + 1]!;
        const b2 = beta[j + 2]!;
        const b3 = beta[j + 3]!;
        for (let r = 0; r < n; r++) out[r] = out[r]! + z0[r]! * b0 + z1[r]! * b1 + z2[r]! * b2 + z3[r]! * b3;
      }
      for (; j < k; j++) {
        const zj = z[j]!;
        const b = beta[j]!;
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
