import { mulberry32 } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { backSolveTransposed, choleskyBlocked, estimateNorm1, forwardSolve } from "../src/dense.js";

/** A random k×k SPD matrix B·Bᵀ + k·I/10 (row-major). */
function spd(k: number, seed: number): Float64Array {
  const random = mulberry32(seed);
  const b = Float64Array.from({ length: k * k }, () => random() - 0.5);
  const a = new Float64Array(k * k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += b[i * k + p]! * b[j * k + p]!;
      a[i * k + j] = s + (i === j ? k / 10 : 0);
    }
  }
  return a;
}

/** The textbook unblocked Cholesky, for comparison. */
function choleskyPlain(a: Float64Array, k: number): Float64Array {
  const l = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let p = 0; p < j; p++) d -= l[j * k + p]! ** 2;
    l[j * k + j] = Math.sqrt(d);
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let p = 0; p < j; p++) s -= l[i * k + p]! * l[j * k + p]!;
      l[i * k + j] = s / l[j * k + j]!;
    }
  }
  return l;
}

describe("dense kernels", () => {
  it("choleskyBlocked equals the unblocked factor across several panels (k = 131) and refuses a small pivot", () => {
    const k = 131;
    const a = spd(k, 3);
    const l = choleskyBlocked(a, k, 1e-8)!;
    const ref = choleskyPlain(a, k);
    let worst = 0;
    for (let i = 0; i < k * k; i++) worst = Math.max(worst, Math.abs(l[i]! - ref[i]!) / (Math.abs(ref[i]!) + 1e-300));
    expect(worst).toBeLessThan(1e-12);
    // Upper triangle stays zero.
    expect(l[0 * k + 5]).toBe(0);
    // [[1, 1], [1, 1]] is singular: its second pivot is 0.
    expect(choleskyBlocked(Float64Array.of(1, 1, 1, 1), 2, 1e-8)).toBeNull();
    // A hand case: [[4, 2], [2, 5]] = L·Lᵀ with L = [[2, 0], [1, 2]].
    expect(Array.from(choleskyBlocked(Float64Array.of(4, 2, 2, 5), 2, 0)!)).toEqual([2, 0, 1, 2]);
  });

  it("forwardSolve and backSolveTransposed solve L·Lᵀ·x = b", () => {
    const l = Float64Array.of(2, 0, 1, 2); // L·Lᵀ = [[4, 2], [2, 5]]
    const y = Float64Array.of(8, 12); // A·[1, 2] = [4 + 4, 2 + 10]
    forwardSolve(l, 2, y);
    backSolveTransposed(l, 2, y);
    expect(Array.from(y)).toEqual([1, 2]);
  });

  it("estimateNorm1 is a lower bound of ‖X‖₁ within a factor 3 on SPD inverses", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const k = 40;
      const a = spd(k, seed);
      const l = choleskyPlain(a, k);
      const apply = (x: Float64Array) => {
        const y = Float64Array.from(x);
        forwardSolve(l, k, y);
        backSolveTransposed(l, k, y);
        return y;
      };
      // Exact ‖A⁻¹‖₁: the largest column sum of |A⁻¹|.
      let exact = 0;
      for (let j = 0; j < k; j++) {
        const e = new Float64Array(k);
        e[j] = 1;
        exact = Math.max(exact, apply(e).reduce((s, v) => s + Math.abs(v), 0));
      }
      const estimate = estimateNorm1(k, apply);
      expect(estimate).toBeLessThanOrEqual(exact * (1 + 1e-12));
      expect(estimate).toBeGreaterThanOrEqual(exact / 3);
    }
  });
});
