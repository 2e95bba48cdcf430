import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { churn, correlationContribution, numeraiCorr } from "../src/index.js";

// Distinct-ish predictions and bounded targets, 10..60 rows.
const era = fc.integer({ min: 10, max: 60 }).chain((n) =>
  fc.tuple(
    fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: 0, max: 4 }).map((v) => v / 4), { minLength: n, maxLength: n }),
    fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: n, maxLength: n }),
  ),
);

describe("score properties", () => {
  it("numeraiCorr is invariant to strictly increasing transforms of the prediction", () => {
    fc.assert(
      fc.property(era, ([pred, target]) => {
        const base = numeraiCorr(pred, target);
        const transformed = numeraiCorr(
          pred.map((v) => Math.exp(v / 100) - 3),
          target,
        );
        if (Number.isNaN(base)) expect(transformed).toBeNaN();
        else expect(transformed).toBe(base);
      }),
      { numRuns: 80 },
    );
  });

  it("numeraiCorr lies in [−1, 1] and flips sign when the prediction is reversed", () => {
    fc.assert(
      fc.property(era, ([pred, target]) => {
        const a = numeraiCorr(pred, target);
        const b = numeraiCorr(
          pred.map((v) => -v),
          target,
        );
        if (Number.isNaN(a)) return;
        expect(Math.abs(a)).toBeLessThanOrEqual(1);
        expect(b).toBeCloseTo(-a, 12);
      }),
      { numRuns: 80 },
    );
  });

  it("MMC of the meta model against itself is 0, and MMC ignores monotone transforms of the meta model", () => {
    fc.assert(
      fc.property(era, ([pred, target, meta]) => {
        // A constant meta model has no ranks to orthogonalize against: the reference's NaN.
        if (new Set(meta).size > 1) expect(correlationContribution(meta, meta, target)).toBe(0);
        else expect(correlationContribution(meta, meta, target)).toBeNaN();
        const a = correlationContribution(pred, meta, target);
        const b = correlationContribution(
          pred,
          meta.map((v) => Math.exp(v / 100) + 2),
          target,
        );
        if (!Number.isNaN(a)) expect(b).toBeCloseTo(a, 12);
      }),
      { numRuns: 80 },
    );
  });

  it("churn lies in [0, 2] and is symmetric", () => {
    fc.assert(
      fc.property(era, ([a, , b]) => {
        const distinct = new Set(a).size > 1 && new Set(b).size > 1;
        if (!distinct) return;
        const c = churn(a, b);
        expect(c).toBeGreaterThanOrEqual(0);
        expect(c).toBeLessThanOrEqual(2);
        expect(churn(b, a)).toBeCloseTo(c, 14);
        const k = churn(a, b, { topBottom: 3 });
        expect(k).toBeGreaterThanOrEqual(0);
        expect(k).toBeLessThanOrEqual(1);
      }),
      { numRuns: 80 },
    );
  });
});
