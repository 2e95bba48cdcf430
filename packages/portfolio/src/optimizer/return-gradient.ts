import { NumerFrameError } from "@nmrblox/numerframe";
import { type OptimizedPortfolio, portfolioInternals } from "./optimize-portfolio.js";

/** The realized return of an optimized portfolio and its gradient with respect to the signal. */
export interface ReturnGradient {
  /** r = wᵀ·returns. */
  readonly realizedReturn: number;
  /** ∂r/∂signalᵢ for every asset (0 for flat and capped positions). */
  readonly gradient: Float64Array;
}

/**
 * The gradient of the optimized portfolio's realized return r = w(s)ᵀ·t with respect to the
 * signal s, by implicit differentiation of the KKT system: one adjoint solve, however many
 * directions (models) it is later dotted with.
 *
 * With the active set fixed (strict complementarity, the generic case), flat and capped
 * positions do not move; the free ones F satisfy w_F = (s_F − B_F·z)/λ with z the multipliers
 * of the binding equalities, B_F = [Q_F, sign_F] (the sign column only when the gross budget
 * binds), and B_Fᵀ·dw_F = 0. So dw_F/ds_F = P/λ with P the orthogonal projector onto the
 * complement of B_F's columns, and since P is symmetric, ∇_s r = P·t_F / λ on F, 0 elsewhere.
 * When no inequality binds this is (I − QQᵀ)·t / λ, the closed form.
 *
 * @param portfolio - a result of `optimizePortfolio`
 * @param returns - realized return (or target) per asset, same order as the signal, finite
 * @returns r and ∂r/∂s
 * @throws NumerFrameError LENGTH_MISMATCH or NAN_INPUT / NON_FINITE (`row`) for bad returns
 * @example
 * const p = optimizePortfolio(meta, { maxPosition: 0.02, riskAversion: 50 });
 * const { realizedReturn, gradient } = returnGradient(p, target);
 */
export function returnGradient(portfolio: OptimizedPortfolio, returns: ArrayLike<number>): ReturnGradient {
  const { basis, dual } = portfolioInternals(portfolio);
  const { n, p, q } = basis;
  if (returns.length !== n) {
    throw new NumerFrameError("LENGTH_MISMATCH", `returnGradient: ${returns.length} returns for ${n} assets`);
  }
  const t = new Float64Array(n);
  let r = 0;
  for (let i = 0; i < n; i++) {
    const v = Number(returns[i]);
    if (!Number.isFinite(v)) {
      throw new NumerFrameError(Number.isNaN(v) ? "NAN_INPUT" : "NON_FINITE", `returnGradient: return is ${v} at row ${i}`, { row: i });
    }
    t[i] = v;
    r += portfolio.weights[i]! * v;
  }
  const state = dual.state;
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (state[i] === 1 || state[i] === -1) free.push(i);
  const m = free.length;
  const rows = Int32Array.from(free);
  // Columns of B_F (restricted to the free rows), orthonormalized by Gram–Schmidt twice; a
  // column dependent on the earlier ones adds nothing to the projector and is skipped.
  const columns: Float64Array[] = [];
  const k = p + (dual.mu > 0 ? 1 : 0);
  for (let c = 0; c < k; c++) {
    const v = new Float64Array(m);
    if (c < p) for (let a = 0; a < m; a++) v[a] = q[rows[a]! * p + c]!;
    else for (let a = 0; a < m; a++) v[a] = state[rows[a]!]!;
    const norm0 = Math.sqrt(dot(v, v));
    for (let pass = 0; pass < 2; pass++) {
      for (const e of columns) {
        const x = dot(e, v);
        for (let a = 0; a < m; a++) v[a] = v[a]! - x * e[a]!;
      }
    }
    const norm = Math.sqrt(dot(v, v));
    if (!(norm > 1e-10 * norm0)) continue;
    for (let a = 0; a < m; a++) v[a] = v[a]! / norm;
    columns.push(v);
  }
  const g = new Float64Array(m);
  for (let a = 0; a < m; a++) g[a] = t[rows[a]!]!;
  for (let pass = 0; pass < 2; pass++) {
    for (const e of columns) {
      const x = dot(e, g);
      for (let a = 0; a < m; a++) g[a] = g[a]! - x * e[a]!;
    }
  }
  const gradient = new Float64Array(n);
  const lambda = portfolio.riskAversion;
  for (let a = 0; a < m; a++) gradient[rows[a]!] = g[a]! / lambda;
  return { realizedReturn: r, gradient };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
