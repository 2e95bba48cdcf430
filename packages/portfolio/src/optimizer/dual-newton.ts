import { ordinalRank } from "@nmrblox/ranker";
import { choleskySolve } from "./small-dense.js";

/**
 * The optimizer's kernel. Primal: maximize sᵀw − (λ/2)‖w‖² subject to Qᵀw = 0 (Q orthonormal,
 * n × p), Σ|wᵢ| ≤ B and |wᵢ| ≤ c. The Hessian is diagonal, so for multipliers y (equalities)
 * and μ ≥ 0 (gross budget) each asset solves its own one-variable problem in closed form:
 *
 *   uᵢ = sᵢ − (Qy)ᵢ,  wᵢ = sign(uᵢ)·min(max(|uᵢ| − μ, 0)/λ, c)
 *
 * (soft threshold by μ, then the box). The dual D(y, μ) = Σᵢ maxᵢ(...) + μB is convex and
 * piecewise quadratic in p + 1 variables, with gradient (−Qᵀw, B − Σ|w|) and generalized
 * Hessian (1/λ)·Σ over free assets of bᵢbᵢᵀ, bᵢ = (qᵢ, sign uᵢ). Newton on those few variables,
 * safeguarded by an exact line search, finds the active set (which assets are free, capped or
 * flat); once it stops changing, the full Newton step solves the piecewise-linear optimality
 * system exactly, so the answer is exact to rounding rather than to an iteration tolerance.
 */
export interface DualProblem {
  readonly n: number;
  readonly p: number;
  /** Q, n × p row-major. */
  readonly q: Float64Array;
  readonly s: Float64Array;
  readonly lambda: number;
  /** Position cap c (Infinity for none). */
  readonly cap: number;
  /** Gross budget B. */
  readonly budget: number;
}

export interface DualSolution {
  readonly w: Float64Array;
  /** Per asset: 0 flat, ±1 free (long/short), ±2 at the cap. */
  readonly state: Int8Array;
  /** Equality multipliers in Q's coordinates. */
  readonly y: Float64Array;
  /** Gross-budget multiplier μ ≥ 0. */
  readonly mu: number;
  readonly iterations: number;
  /** ‖Qᵀw‖∞ at the solution. */
  readonly equalityResidual: number;
}

const MAX_ITERATIONS = 500;

/** Evaluates w, the states and the dual gradient at (y, μ); returns D(y, μ). */
function evaluate(pr: DualProblem, y: Float64Array, mu: number, w: Float64Array, state: Int8Array, grad: Float64Array): number {
  const { n, p, q, s, lambda, cap, budget } = pr;
  const band = lambda * cap;
  const capCost = cap === Number.POSITIVE_INFINITY ? 0 : 0.5 * lambda * cap * cap;
  for (let j = 0; j < p; j++) grad[j] = 0;
  let h = 0;
  let gross = 0;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let u = s[i]!;
    for (let j = 0; j < p; j++) u -= q[o + j]! * y[j]!;
    const a = (u < 0 ? -u : u) - mu;
    let wi: number;
    if (a <= 0) {
      wi = 0;
      state[i] = 0;
    } else if (a >= band) {
      wi = u > 0 ? cap : -cap;
      state[i] = u > 0 ? 2 : -2;
      h += a * cap - capCost;
      gross += cap;
    } else {
      const v = a / lambda;
      wi = u > 0 ? v : -v;
      state[i] = u > 0 ? 1 : -1;
      h += 0.5 * a * v;
      gross += v;
    }
    w[i] = wi;
    if (wi !== 0) for (let j = 0; j < p; j++) grad[j] = grad[j]! - q[o + j]! * wi;
  }
  grad[p] = budget - gross;
  return h + mu * budget;
}

/** λ·(generalized Hessian) over y, and μ when `withMu`, row-major k × k. */
function hessian(pr: DualProblem, state: Int8Array, withMu: boolean, k: number, out: Float64Array): void {
  const { n, p, q } = pr;
  out.fill(0, 0, k * k);
  for (let i = 0; i < n; i++) {
    const st = state[i]!;
    if (st !== 1 && st !== -1) continue;
    const o = i * p;
    for (let a = 0; a < p; a++) {
      const qa = q[o + a]!;
      for (let b = 0; b <= a; b++) out[a * k + b] = out[a * k + b]! + qa * q[o + b]!;
      if (withMu) out[p * k + a] = out[p * k + a]! + st * qa;
    }
    if (withMu) out[p * k + p] = out[p * k + p]! + 1;
  }
  for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) out[b * k + a] = out[a * k + b]!;
}

/**
 * The budget multiplier that makes Σᵢ min(max(aᵢ − μ, 0)/λ, c) = B for fixed aᵢ = |uᵢ|: the sum
 * is piecewise linear and decreasing in μ with kinks at aᵢ and aᵢ − λc, so sweep the sorted
 * kinks downward from max aᵢ and solve on the piece where it crosses B. 0 when even μ = 0 stays
 * within the budget.
 */
export function budgetMultiplier(a: Float64Array, lambda: number, cap: number, budget: number): number {
  const n = a.length;
  const band = lambda * cap;
  const finiteBand = Number.isFinite(band);
  // Walking μ down from max aᵢ: below aᵢ asset i is free (the sum's slope grows by 1/λ), below
  // aᵢ − λc it is at the cap (the slope drops back). Both kink lists are sorted once.
  const sortedA = Float64Array.from(a).sort();
  let gross = 0;
  let free = 0;
  let mu = sortedA[n - 1]!;
  let ia = n - 1;
  let ib = n - 1;
  const sortedB = finiteBand ? Float64Array.from(sortedA, (v) => v - band) : new Float64Array(0);
  while (true) {
    // Next kink below μ.
    const nextA = ia >= 0 ? sortedA[ia]! : Number.NEGATIVE_INFINITY;
    const nextB = finiteBand && ib >= 0 ? sortedB[ib]! : Number.NEGATIVE_INFINITY;
    const next = Math.max(nextA, nextB, 0);
    // On (next, μ] the gross grows by free/λ per unit decrease of μ.
    const reach = gross + (free * (mu - next)) / lambda;
    if (reach >= budget && free > 0) return mu - ((budget - gross) * lambda) / free;
    gross = reach;
    mu = next;
    if (mu <= 0) return 0;
    while (ia >= 0 && sortedA[ia]! >= mu) {
      free++;
      ia--;
    }
    while (finiteBand && ib >= 0 && sortedB[ib]! >= mu) {
      free--;
      ib--;
    }
  }
}

/**
 * Minimizes the dual from y = Qᵀs (the exact answer when nothing but the equalities binds) and
 * the μ that meets the budget there.
 *
 * Plain semismooth Newton finishes in a few steps whenever enough assets are free to make the
 * generalized Hessian non-singular. When λ is small against the signal's spread the book is
 * nearly a linear program: few assets are free, D is flat along some directions and Newton would
 * zig-zag along its valleys. Then the solver switches to proximal-point steps (the augmented
 * Lagrangian method seen from the dual): it minimizes D(z) + (σ/2)‖z − zₖ‖², strongly convex so
 * Newton is well posed, re-centres, and shrinks σ; after each proximal step it tries the exact
 * finish on D itself. Either way the answer comes from a full Newton step on D whose active set
 * did not change, or from a dual gradient at rounding level.
 */
export function solveDual(pr: DualProblem): DualSolution {
  const { n, p, q, s, lambda, cap, budget } = pr;
  const y = new Float64Array(p);
  for (let i = 0; i < n; i++) {
    const o = i * p;
    for (let j = 0; j < p; j++) y[j] = y[j]! + q[o + j]! * s[i]!;
  }
  const w = new Float64Array(n);
  const state = new Int8Array(n);
  const grad = new Float64Array(p + 1);
  let value = evaluate(pr, y, 0, w, state, grad);
  let mu = 0;
  if (grad[p]! < 0) {
    const a = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const o = i * p;
      let u = s[i]!;
      for (let j = 0; j < p; j++) u -= q[o + j]! * y[j]!;
      a[i] = Math.abs(u);
    }
    mu = budgetMultiplier(a, lambda, cap, budget);
    value = evaluate(pr, y, mu, w, state, grad);
  }

  const yT = new Float64Array(p);
  const wT = new Float64Array(n);
  const stateT = new Int8Array(n);
  const gradT = new Float64Array(p + 1);
  const h = new Float64Array((p + 1) * (p + 1));
  const rhs = new Float64Array(p + 1);
  const d = new Float64Array(p + 1);
  // Line-search buffers: uᵢ, the change of uᵢ per unit step, and up to four kinks per asset.
  const u = new Float64Array(n);
  const e = new Float64Array(n);
  const kinkT = new Float64Array(4 * n);
  const kinkB = new Float64Array(4 * n);
  const order = new Int32Array(4 * n);
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(s[i]!));
  if (!(scale > 0)) scale = 1;
  const tol = 1e-15 * budget;

  // Proximal term (σ/2)‖z − centre‖², off (σ = 0) until Newton meets a singular Hessian. σ is in
  // the units of λ·Hessian: 1 is the curvature one free asset with ‖bᵢ‖ = 1 adds.
  let sigma = 0;
  const centre = new Float64Array(p + 1);
  const proxGrad = new Float64Array(p + 1);

  /** ∇ of D + (σ/2λ)‖z − centre‖² (the λ keeps σ in the scaled Hessian's units). */
  const fullGradient = (g: Float64Array, yy: Float64Array, m: number, out: Float64Array): void => {
    for (let j = 0; j < p; j++) out[j] = g[j]! + (sigma / lambda) * (yy[j]! - centre[j]!);
    out[p] = g[p]! + (sigma / lambda) * (m - centre[p]!);
  };
  const proxValue = (yy: Float64Array, m: number): number => {
    if (sigma === 0) return 0;
    let v = (m - centre[p]!) ** 2;
    for (let j = 0; j < p; j++) v += (yy[j]! - centre[j]!) ** 2;
    return (0.5 * sigma * v) / lambda;
  };

  /** Newton direction over y and, if `withMu`, μ; false when the Hessian is singular. */
  const direction = (withMu: boolean, g: Float64Array): boolean => {
    const k = p + (withMu ? 1 : 0);
    hessian(pr, state, withMu, k, h);
    for (let j = 0; j < k; j++) h[j * k + j] = h[j * k + j]! + sigma;
    for (let j = 0; j < k; j++) rhs[j] = -lambda * g[j]!;
    if (!withMu) d[p] = 0;
    return choleskySolve(h, k, rhs, d);
  };

  let iterations = 0;
  let stalls = 0;
  let proxSteps = 0;
  let singular = 0;
  for (; iterations < MAX_ITERATIONS; iterations++) {
    fullGradient(grad, y, mu, proxGrad);
    const muFree = mu > 0 || proxGrad[p]! < 0;
    let gy = 0;
    for (let j = 0; j < p; j++) gy = Math.max(gy, Math.abs(proxGrad[j]!));
    // Rounding floor of the gradient: each free wᵢ = (|uᵢ| − μ)/λ carries an error of a few
    // ulps of (|uᵢ| + μ)/λ, and the gradient sums them.
    let nFree = 0;
    for (let i = 0; i < n; i++) if (state[i] === 1 || state[i] === -1) nFree++;
    const floor = Math.max(tol, (8 * Number.EPSILON * (scale + mu) * Math.sqrt(nFree + 1)) / lambda);
    const innerDone = gy <= floor && (!muFree || Math.abs(proxGrad[p]!) <= floor * Math.sqrt(nFree + 1));
    if (innerDone || (sigma > 0 && stalls >= 2)) {
      if (sigma === 0) break;
      // A proximal step is done: re-centre, shrink σ and try the exact finish on D.
      proxSteps++;
      for (let j = 0; j < p; j++) centre[j] = y[j]!;
      centre[p] = mu;
      sigma = proxSteps > 60 ? 0 : sigma * 0.25;
      stalls = 0;
      continue;
    }

    let newton = direction(muFree, proxGrad);
    if (newton && muFree && mu === 0 && d[p]! < 0) newton = direction(false, proxGrad); // μ at its bound stays there
    let regularized = false;
    if (!newton && sigma === 0 && singular < 5) {
      // A singular Hessian now and then (an asset crossing a kink) needs only a regularized
      // (Levenberg–Marquardt) direction; the exact line search sizes it.
      singular++;
      const k = p + (muFree ? 1 : 0);
      let maxDiag = 0;
      for (let j = 0; j < k; j++) maxDiag = Math.max(maxDiag, h[j * k + j]!);
      const delta = maxDiag > 0 ? 1e-6 * maxDiag : 1;
      for (let j = 0; j < k; j++) h[j * k + j] = h[j * k + j]! + delta;
      if (!choleskySolve(h, k, rhs, d, 0)) for (let j = 0; j < k; j++) d[j] = rhs[j]!;
      if (!muFree) d[p] = 0;
      let change = Math.abs(d[p]!);
      for (let i = 0; i < n; i++) {
        const o = i * p;
        let v = 0;
        for (let j = 0; j < p; j++) v += q[o + j]! * d[j]!;
        change = Math.max(change, Math.abs(v));
      }
      if (change > 0) for (let j = 0; j <= p; j++) d[j] = (d[j]! * scale) / change;
      regularized = true;
    } else if (!newton) {
      if (sigma === 0) {
        // Too few free assets to pin the multipliers down: start proximal steps around here.
        let trace = 0;
        const k = p + (muFree ? 1 : 0);
        for (let j = 0; j < k; j++) trace += h[j * k + j]!;
        sigma = Math.max(1e-3 * (n / (p + 1)), trace / k);
        for (let j = 0; j < p; j++) centre[j] = y[j]!;
        centre[p] = mu;
        fullGradient(grad, y, mu, proxGrad);
        newton = direction(muFree, proxGrad);
        if (newton && muFree && mu === 0 && d[p]! < 0) newton = direction(false, proxGrad);
      }
      if (!newton) for (let j = 0; j <= p; j++) d[j] = -lambda * proxGrad[j]!; // cannot happen with σ > 0
      if (!muFree) d[p] = 0;
    }
    let slope = 0;
    for (let j = 0; j <= p; j++) slope += proxGrad[j]! * d[j]!;
    if (!(slope < 0)) {
      stalls++;
      continue;
    }
    // μ stays ≥ 0: the step ends where μ reaches 0.
    const tMax = d[p]! < 0 ? mu / -d[p]! : Number.POSITIVE_INFINITY;
    const trial = (t: number): number => {
      for (let j = 0; j < p; j++) yT[j] = y[j]! + t * d[j]!;
      const m = t >= tMax ? 0 : Math.max(0, mu + t * d[p]!);
      return evaluate(pr, yT, m, wT, stateT, gradT) + proxValue(yT, m);
    };
    const current = value + proxValue(y, mu);
    let t = Math.min(1, tMax);
    let vT = trial(t);
    const fullStep = !regularized && t === 1 && vT <= current + 1e-4 * slope;
    if (!fullStep) {
      let curvature = 0;
      if (sigma > 0) for (let j = 0; j <= p; j++) curvature += (sigma / lambda) * d[j]! * d[j]!;
      t = exactStep(pr, y, mu, d, slope, curvature, tMax, u, e, kinkT, kinkB, order);
      if (!Number.isFinite(t)) t = 1; // D is bounded below, so only rounding can get here
      vT = trial(t);
    }
    let unchanged = fullStep;
    if (unchanged) {
      for (let i = 0; i < n; i++) {
        if (state[i] !== stateT[i]) {
          unchanged = false;
          break;
        }
      }
    }
    stalls = vT >= current - 1e-16 * Math.abs(current) ? stalls + 1 : 0;
    for (let j = 0; j < p; j++) y[j] = yT[j]!;
    mu = t >= tMax ? 0 : Math.max(0, mu + t * d[p]!);
    value = vT - proxValue(y, mu);
    w.set(wT);
    state.set(stateT);
    grad.set(gradT);
    if (unchanged) {
      if (sigma === 0) {
        // Same active set before and after a full Newton step on D: that step solved this
        // active set's optimality system exactly, and the active set is consistent: optimal.
        iterations++;
        break;
      }
      // The proximal subproblem is solved exactly; see whether D's own Newton step finishes.
      const muFreeD = mu > 0 || grad[p]! < 0;
      const saved = sigma;
      sigma = 0;
      let ok = direction(muFreeD, grad);
      if (ok && muFreeD && mu === 0 && d[p]! < 0) ok = direction(false, grad);
      if (ok) {
        const tMaxD = d[p]! < 0 ? mu / -d[p]! : Number.POSITIVE_INFINITY;
        if (tMaxD >= 1) {
          for (let j = 0; j < p; j++) yT[j] = y[j]! + d[j]!;
          const m = Math.max(0, mu + d[p]!);
          const vD = evaluate(pr, yT, m, wT, stateT, gradT);
          let same = vD <= value + 1e-12 * Math.abs(value);
          for (let i = 0; same && i < n; i++) if (stateT[i] !== state[i]) same = false;
          if (same) {
            y.set(yT);
            mu = m;
            value = vD;
            w.set(wT);
            state.set(stateT);
            grad.set(gradT);
            iterations++;
            break;
          }
        }
      }
      sigma = saved;
      stalls = 2; // re-centre next time round
    }
    if (sigma === 0 && stalls >= 3) break;
  }
  let equalityResidual = 0;
  for (let j = 0; j < p; j++) equalityResidual = Math.max(equalityResidual, Math.abs(grad[j]!));
  return { w, state, y, mu, iterations, equalityResidual };
}

/**
 * The exact minimizer of D along (y, μ) + t·d on [0, tMax]. Along the line uᵢ(t) = uᵢ − t·eᵢ
 * (eᵢ = (Q·d_y)ᵢ) and μ(t) = μ + t·d_μ, and the slope of D is
 *
 *   φ'(t) = B·d_μ − Σᵢ (eᵢ·wᵢ(t) + d_μ·|wᵢ(t)|),
 *
 * continuous, piecewise linear and non-decreasing: an asset free on side σ (σ = sign uᵢ) adds
 * (σeᵢ + d_μ)²/λ to its slope, a flat or capped one nothing. Each asset is free on an interval
 * of t bounded by the kinks where σuᵢ(t) − μ(t) crosses 0 or λc; sweeping the sorted kinks from
 * φ'(0) = gᵀd < 0 finds the zero in O(n log n), where repeated evaluations would need one O(np)
 * pass per kink crossed (many when λ is small and the book nearly a linear program).
 */
function exactStep(
  pr: DualProblem,
  y: Float64Array,
  mu: number,
  d: Float64Array,
  slope0: number,
  curvature: number,
  tMax: number,
  u: Float64Array,
  e: Float64Array,
  kinkT: Float64Array,
  kinkB: Float64Array,
  order: Int32Array,
): number {
  const { n, p, q, s, lambda, cap } = pr;
  const band = lambda * cap;
  const dMu = d[p]!;
  for (let i = 0; i < n; i++) {
    const o = i * p;
    let ui = s[i]!;
    let ei = 0;
    for (let j = 0; j < p; j++) {
      ui -= q[o + j]! * y[j]!;
      ei += q[o + j]! * d[j]!;
    }
    u[i] = ui;
    e[i] = ei;
  }
  let beta = curvature; // slope of φ' just after t = 0 (the proximal term's share first)
  let kinks = 0;
  for (let i = 0; i < n; i++) {
    for (let side = -1; side <= 1; side += 2) {
      // a(t) = side·uᵢ(t) − μ(t) = A − t·K; the asset is free on this side while 0 < a(t) < λc.
      const A = side * u[i]! - mu;
      const K = side * e[i]! + dMu;
      const b = (K * K) / lambda;
      if (b === 0) continue;
      let lo: number;
      let hi: number;
      if (K > 0) {
        lo = (A - band) / K; // a falls through λc (NaN-free: band may be Infinity → −Infinity)
        hi = A / K;
      } else {
        lo = A / K;
        hi = (A - band) / K;
      }
      if (!(hi > 0) || !(lo < hi)) continue;
      if (lo <= 0) beta += b;
      else {
        kinkT[kinks] = lo;
        kinkB[kinks++] = b;
      }
      if (hi < Number.POSITIVE_INFINITY) {
        kinkT[kinks] = hi;
        kinkB[kinks++] = -b;
      }
    }
  }
  // The ranker's bucket sort orders the kinks in about one pass (a comparator sort of 4n
  // entries would cost more than the rest of the step).
  const { ranks } = ordinalRank(kinkT.subarray(0, kinks));
  for (let k = 0; k < kinks; k++) order[ranks[k]! - 1] = k;
  const idx = order;
  let t = 0;
  let slope = slope0;
  for (let k = 0; k <= kinks; k++) {
    const next = k < kinks ? Math.min(kinkT[idx[k]!]!, tMax) : tMax;
    // φ' on [t, next] is slope + beta·(τ − t): its zero, if inside, is the minimizer.
    if (beta > 0) {
      const zero = t - slope / beta;
      if (zero <= next) return zero;
    }
    if (next >= tMax) return tMax;
    slope += beta * (next - t);
    t = next;
    beta += kinkB[idx[k]!]!;
    if (beta < 0) beta = 0; // rounding
  }
  return tMax;
}
