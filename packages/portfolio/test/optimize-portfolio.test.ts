import { mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { InvalidOptionError, type NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  InfeasiblePortfolioError,
  type OptimizedPortfolio,
  type OptimizePortfolioOptions,
  optimizePortfolio,
  returnGradient,
} from "../src/index.js";

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

function normals(rand: () => number, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= tol)) expect.fail(`[${i}] ${actual[i]} != ${expected[i]}`);
  }
}

/**
 * An independent optimality certificate from the reported multipliers and the raw constraint
 * columns (not the solver's orthonormal basis): primal feasibility, dual feasibility,
 * complementarity, and each weight maximizing its own Lagrangian term. For a convex problem these
 * KKT conditions prove optimality. Returns the largest violation (relative, as kktResidual).
 */
function kktViolation(s: Float64Array, columns: Float64Array[], pf: OptimizedPortfolio, marketNeutral: boolean): number {
  const n = s.length;
  const { weights: w, riskAversion: lambda, maxPosition: cap, grossBudget: budget, budgetMultiplier: mu } = pf;
  const multipliers = [...(marketNeutral ? [pf.marketMultiplier!] : []), ...Object.values(pf.neutralizerMultipliers)];
  const all = [...(marketNeutral ? [new Float64Array(n).fill(1)] : []), ...columns];
  let worst = 0;
  const sScale = Math.max(...Array.from(s, Math.abs));
  for (const col of all) {
    let exposure = 0;
    let norm = 0;
    for (let i = 0; i < n; i++) {
      exposure += col[i]! * w[i]!;
      norm += col[i]! * col[i]!;
    }
    worst = Math.max(worst, Math.abs(exposure) / Math.sqrt(norm) / budget);
  }
  let gross = 0;
  for (let i = 0; i < n; i++) {
    gross += Math.abs(w[i]!);
    worst = Math.max(worst, Math.max(0, Math.abs(w[i]!) - cap));
  }
  worst = Math.max(worst, Math.max(0, gross - budget) / budget);
  expect(mu).toBeGreaterThanOrEqual(0);
  worst = Math.max(worst, (mu * Math.abs(budget - gross)) / Math.max(mu, 1) / budget);
  for (let i = 0; i < n; i++) {
    let u = s[i]!;
    all.forEach((col, j) => {
      u -= col[i]! * multipliers[j]!;
    });
    const wi = w[i]!;
    let r: number;
    if (wi === 0) r = Math.max(0, Math.abs(u) - mu);
    else if (Math.abs(wi) === cap) r = Math.sign(u) === Math.sign(wi) ? Math.max(0, lambda * cap - (Math.abs(u) - mu)) : Math.abs(u);
    else r = Math.abs(u - mu * Math.sign(wi) - lambda * wi);
    worst = Math.max(worst, r / sScale);
  }
  return worst;
}

describe("optimizePortfolio: hand-computed books", () => {
  it("splits a symmetric signal between the extremes when the budget binds", () => {
    // s = [3, 1, −1, −3], λ = 1: unconstrained w = s (gross 8). Symmetry keeps the market
    // multiplier at 0, so w = sign(s)·(|s| − μ)₊ with 2·(3 − μ) = 1: μ = 2.5.
    const pf = optimizePortfolio([3, 1, -1, -3], { riskAversion: 1 });
    expectClose(pf.weights, [0.5, 0, 0, -0.5]);
    expect(pf.budgetMultiplier).toBeCloseTo(2.5, 14);
    expect(Array.from(pf.states)).toEqual([1, 0, 0, -1]);
    // A cap of 0.4 pushes the rest of the budget into the middle names: 0.8 + 2·(1 − μ) = 1.
    const capped = optimizePortfolio([3, 1, -1, -3], { riskAversion: 1, maxPosition: 0.4 });
    expectClose(capped.weights, [0.4, 0.1, -0.1, -0.4]);
    expect(capped.budgetMultiplier).toBeCloseTo(0.9, 14);
    expect(Array.from(capped.states)).toEqual([2, 1, -1, -2]);
  });

  it("is the projection s − QQᵀs over λ when nothing but the equalities binds", () => {
    // Σw = 0 and w₃ + w₄ = 0 force w₁ = −w₂, w₃ = −w₄: w₁ = (s₁ − s₂)/2λ, w₃ = (s₃ − s₄)/2λ.
    const pf = optimizePortfolio([1, 0, 0.4, 0], { riskAversion: 10, neutralizers: { sector: [0, 0, 1, 1] } });
    expectClose(pf.weights, [0.05, -0.05, 0.02, -0.02]);
    expect(pf.budgetMultiplier).toBe(0);
    expect(pf.gross).toBeCloseTo(0.14, 15);
    // Without market neutrality: w = s/λ off the neutralizer, w₃ = −w₄ = (s₃ − s₄)/2λ on it.
    const free = optimizePortfolio([1, 0, 0.4, 0], { riskAversion: 10, marketNeutral: false, neutralizers: { sector: [0, 0, 1, 1] } });
    expectClose(free.weights, [0.1, 0, 0.02, -0.02]);
    expect(free.marketMultiplier).toBeNull();
    expect(free.neutralizerMultipliers.sector).toBeCloseTo(0.2, 15);
  });
});

describe("optimizePortfolio: KKT conditions on random problems", () => {
  const cases: [number, number, number, number | undefined, boolean][] = [];
  for (const n of [7, 60, 800]) {
    for (const k of [0, 1, 3]) {
      for (const lambda of [0.002, 1, 40, 5000]) {
        for (const cap of [undefined, 0.2, 2.5 / n]) cases.push([n, k, lambda, cap, true]);
      }
    }
  }
  cases.push([9, 2, 1, 0.3, false], [300, 2, 0.05, 0.01, false], [300, 0, 100, undefined, false]);

  it.each(cases)("n %i, %i neutralizers, λ %d, cap %s, market-neutral %s", (n, k, lambda, cap, marketNeutral) => {
    const rand = mulberry32(n * 1000 + k * 100 + Math.round(Math.log(lambda) * 10) + (cap === undefined ? 0 : 7));
    const s = normals(rand, n);
    const columns = Array.from({ length: k }, () => normals(rand, n));
    const options: OptimizePortfolioOptions = { riskAversion: lambda, neutralizers: columns, marketNeutral };
    if (cap !== undefined) options.maxPosition = cap;
    const pf = optimizePortfolio(s, options);
    expect(pf.kktResidual).toBeLessThanOrEqual(1e-10);
    expect(kktViolation(s, columns, pf, marketNeutral)).toBeLessThanOrEqual(1e-10);
    expect(pf.gross).toBeLessThanOrEqual(1 + 1e-12);
    for (const wi of pf.weights) expect(Math.abs(wi)).toBeLessThanOrEqual(cap ?? 1);
    // A few Newton steps normally; up to ~100 when λ·c is tiny and the book nearly a linear program.
    expect(pf.iterations).toBeLessThan(150);
  });

  it("handles a feasible set of one direction (n − 1 constraints) and tied signals", () => {
    const rand = mulberry32(235);
    const s = normals(rand, 5);
    const columns = [normals(rand, 5), normals(rand, 5), normals(rand, 5)];
    const pf = optimizePortfolio(s, { riskAversion: 1, maxPosition: 0.3, neutralizers: columns });
    expect(kktViolation(s, columns, pf, true)).toBeLessThanOrEqual(1e-10);
    const tied = Float64Array.from({ length: 40 }, (_, i) => Math.floor(i / 8) - 2);
    const pt = optimizePortfolio(tied, { riskAversion: 0.5, maxPosition: 0.05 });
    expect(kktViolation(tied, [], pt, true)).toBeLessThanOrEqual(1e-10);
    // Tied names get tied weights.
    for (let i = 0; i < 40; i++) expect(pt.weights[i]).toBe(pt.weights[8 * Math.floor(i / 8)]);
  });

  it("ignores a neutralizer implied by the others (multiplier 0, same book)", () => {
    const rand = mulberry32(3);
    const s = normals(rand, 50);
    const beta = normals(rand, 50);
    const implied = beta.map((b) => 2 * b + 3);
    const one = optimizePortfolio(s, { riskAversion: 0.3, maxPosition: 0.05, neutralizers: { beta } });
    const two = optimizePortfolio(s, { riskAversion: 0.3, maxPosition: 0.05, neutralizers: { beta, implied } });
    expectClose(two.weights, one.weights, 1e-15);
    expect(two.neutralizerMultipliers.implied).toBe(0);
  });
});

describe("optimizePortfolio: named errors", () => {
  it("refuses a cap that cannot reach the budget (c·n < 1, 2c·⌊n/2⌋ < 1 when neutral)", () => {
    const e = caught(() => optimizePortfolio([1, 2, 3, 4], { maxPosition: 0.2 }));
    expect(e).toBeInstanceOf(InfeasiblePortfolioError);
    expect(e.code).toBe("INFEASIBLE_PORTFOLIO");
    expect(e.option).toBe("maxPosition");
    expect(e.message).toContain("0.25");
    // Five names, neutral: at most 2 long and 2 short at the cap, 4·0.2 < 1.
    expect(caught(() => optimizePortfolio([1, 2, 3, 4, 5], { maxPosition: 0.2 })).code).toBe("INFEASIBLE_PORTFOLIO");
    // Without neutrality 5·0.2 = 1 is reachable.
    expect(optimizePortfolio([1, 2, 3, 4, 5], { maxPosition: 0.2, marketNeutral: false }).gross).toBeCloseTo(1, 14);
  });

  it("refuses a constant neutralizer, naming it", () => {
    for (const marketNeutral of [true, false]) {
      const e = caught(() => optimizePortfolio([1, 2, 3, 4], { marketNeutral, neutralizers: { beta: [1, 1, 1, 1] } }));
      expect(e.code).toBe("CONSTANT_INPUT");
      expect(e.column).toBe("beta");
    }
    expect(caught(() => optimizePortfolio([1, 2, 3], { neutralizers: [[0, 0, 0]] })).column).toBe("neutralizers[0]");
  });

  it("refuses constraints that leave only the empty book, NaN and bad options", () => {
    expect(caught(() => optimizePortfolio([1, 2, 3], { neutralizers: [[1, 0, 0], [0, 1, 5]] })).code).toBe("INFEASIBLE_PORTFOLIO");
    const nan = caught(() => optimizePortfolio([1, 2, 3], { neutralizers: { size: [1, Number.NaN, 3] } }));
    expect([nan.code, nan.column, nan.row]).toEqual(["NAN_NEUTRALIZER", "size", 1]);
    const short = caught(() => optimizePortfolio([1, 2, 3], { neutralizers: { size: [1, 2] } }));
    expect([short.code, short.column]).toEqual(["LENGTH_MISMATCH", "size"]);
    const bad = caught(() => optimizePortfolio([1, Number.NaN, 3]));
    expect([bad.code, bad.row]).toEqual(["NAN_INPUT", 1]);
    expect(caught(() => optimizePortfolio([1, Infinity, 3])).code).toBe("NON_FINITE");
    expect(caught(() => optimizePortfolio([])).code).toBe("EMPTY_FRAME");
    const typo = caught(() => optimizePortfolio([1, 2, 3], { maxPositon: 0.5 } as OptimizePortfolioOptions));
    expect(typo).toBeInstanceOf(InvalidOptionError);
    expect((typo as InvalidOptionError).problems[0]!.suggestion).toBe("maxPosition");
    expect(caught(() => optimizePortfolio([1, 2, 3], { riskAversion: 0 })).option).toBe("riskAversion");
  });
});

describe("returnGradient", () => {
  /** Realized return of the optimized book for signal s. */
  const realized = (s: Float64Array, t: Float64Array, options: OptimizePortfolioOptions): number => {
    const w = optimizePortfolio(s, options).weights;
    let r = 0;
    for (let i = 0; i < s.length; i++) r += w[i]! * t[i]!;
    return r;
  };

  it("matches central finite differences where the cap and the budget bind", () => {
    const rand = mulberry32(11);
    const n = 120;
    const s = normals(rand, n);
    const t = normals(rand, n);
    const options: OptimizePortfolioOptions = { riskAversion: 2, maxPosition: 0.03, neutralizers: { beta: normals(rand, n) } };
    const pf = optimizePortfolio(s, options);
    const capped = Array.from(pf.states).filter((x) => Math.abs(x) === 2).length;
    const free = Array.from(pf.states).filter((x) => Math.abs(x) === 1).length;
    expect(pf.budgetMultiplier).toBeGreaterThan(0);
    expect(capped).toBeGreaterThan(0);
    expect(free).toBeGreaterThan(3);
    const { realizedReturn, gradient } = returnGradient(pf, t);
    expect(realizedReturn).toBeCloseTo(realized(s, t, options), 15);
    let checked = 0;
    for (let i = 0; i < n; i++) {
      const h = 1e-7;
      const up = Float64Array.from(s);
      const down = Float64Array.from(s);
      up[i] = up[i]! + h;
      down[i] = down[i]! - h;
      const fd = (realized(up, t, options) - realized(down, t, options)) / (2 * h);
      if (gradient[i] === 0) {
        expect(Math.abs(fd)).toBeLessThan(1e-9);
      } else {
        expect(Math.abs(fd - gradient[i]!)).toBeLessThanOrEqual(1e-6 * Math.abs(gradient[i]!));
        checked++;
      }
    }
    expect(checked).toBe(free);
  });

  it("is (I − QQᵀ)t/λ when no inequality binds", () => {
    const rand = mulberry32(12);
    const n = 30;
    const s = normals(rand, n);
    const t = normals(rand, n);
    const f = normals(rand, n);
    const lambda = 1000;
    const pf = optimizePortfolio(s, { riskAversion: lambda, neutralizers: [f] });
    expect(pf.budgetMultiplier).toBe(0);
    // Residual of t regressed on [1, f] (normal equations by hand), over λ.
    const m = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / n;
    const fc = f.map((v) => v - m(f));
    const beta = Array.from(t).reduce((a, v, i) => a + v * fc[i]!, 0) / Array.from(fc).reduce((a, v) => a + v * v, 0);
    const expected = t.map((v, i) => (v - m(t) - beta * fc[i]!) / lambda);
    expectClose(returnGradient(pf, t).gradient, expected, 1e-16);
  });

  it("names bad returns", () => {
    const pf = optimizePortfolio([1, 2, 3]);
    expect(caught(() => returnGradient(pf, [1, 2])).code).toBe("LENGTH_MISMATCH");
    expect(caught(() => returnGradient(pf, [1, Number.NaN, 2])).row).toBe(1);
  });
});
