import { golden } from "@nmrblox/fixtures";
import { InvalidOptionError, NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  ScoreError,
  alignById,
  churn,
  correlationContribution,
  featureNeutralCorr,
  maxFeatureCorrelation,
  numeraiCorr,
  turnover,
} from "../src/index.js";

function expectRel(actual: number, expected: number, rel = 1e-12): void {
  if (!(Math.abs(actual - expected) <= rel * Math.abs(expected))) {
    expect.fail(`${actual} != ${expected} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`);
  }
}

function thrown(fn: () => unknown): ScoreError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScoreError);
    return e as ScoreError;
  }
  return expect.fail("expected a ScoreError");
}

const { p, q, target, meta, ids } = golden;
const f1 = golden.f1;
const f2 = golden.f2;
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const up = [0, 1, 2, 3, 4];
const down = [4, 3, 2, 1, 0];

describe("REFERENCE golden values", () => {
  it("numeraiCorr", () => {
    expectRel(numeraiCorr(p, target), golden.numeraiCorrP);
    expectRel(numeraiCorr(p, target, { targetPow15: false }), golden.numeraiCorrPNoTargetPow15);
    expectRel(numeraiCorr(p, target, { topBottom: 2 }), golden.numeraiCorrPTopBottom2);
    expectRel(numeraiCorr(q, target), golden.numeraiCorrQ);
  });

  it("correlationContribution", () => {
    expectRel(correlationContribution(p, meta, target), golden.mmcP);
    expectRel(correlationContribution(p, meta, target, { topBottom: 2 }), golden.mmcPTopBottom2);
    expect(correlationContribution(p, p, target)).toBe(golden.mmcPP);
  });

  it("featureNeutralCorr and maxFeatureCorrelation", () => {
    expectRel(featureNeutralCorr(p, [f1, f2], target), golden.fncP);
    expectRel(featureNeutralCorr(p, { f1, f2 }, target), golden.fncP);
    const max = maxFeatureCorrelation(p, { f1, f2 });
    expect(max.feature).toBe(golden.maxFeatureCorrP.feature);
    expectRel(max.value, golden.maxFeatureCorrP.value);
  });

  it("churn and turnover", () => {
    expect(churn(up, up)).toBeCloseTo(0, 14);
    expect(churn(up, down)).toBe(2);
    expect(turnover(up, [0, 1, 2, 1, 0])).toBe(3);
    expect(turnover(up, down)).toBe(6);
    expect(churn(up, [1, 0, 1, 0, 1], { topBottom: 2 })).toBe(0.5);
  });
});

describe("alignment by id", () => {
  // The golden inputs as id series in shuffled order, with extra and missing ids.
  const order = [5, 2, 7, 0, 3, 6, 1, 4];
  const series = (values: readonly number[]) => ({ ids: order.map((i) => ids[i]!), values: order.map((i) => values[i]!) });

  it("sorts by id, so shuffled series score like ordered arrays", () => {
    expectRel(numeraiCorr(series(p), series(target)), golden.numeraiCorrP);
    expectRel(numeraiCorr(series(p), series(target), { topBottom: 2 }), golden.numeraiCorrPTopBottom2);
    expectRel(correlationContribution(series(p), series(meta), series(target)), golden.mmcP);
    expectRel(correlationContribution(series(p), series(meta), series(target), { topBottom: 2 }), golden.mmcPTopBottom2);
    expectRel(featureNeutralCorr(series(p), [order.map((i) => f1[i]!), order.map((i) => f2[i]!)], series(target)), golden.fncP);
  });

  it("centres the target over all its non-NaN ids, before alignment", () => {
    // Adding target-only ids shifts the mean: the result must differ from the aligned-only one.
    const extended = { ids: [...ids, "z1", "z2"], values: [...target, 1, 1] };
    const mean = (sum(target) + 2) / 10;
    const t = target.map((v) => v - mean);
    const pow = t.map((v) => Math.sign(v) * Math.abs(v) ** 1.5);
    // Pearson of the golden pow15 gaussianized ranks against the shifted target.
    const x = golden.pow15GaussP;
    const mx = sum(x) / 8;
    const my = sum(pow) / 8;
    let sxy = 0;
    let sxx = 0;
    let syy = 0;
    for (let i = 0; i < 8; i++) {
      sxy += (x[i]! - mx) * (pow[i]! - my);
      sxx += (x[i]! - mx) ** 2;
      syy += (pow[i]! - my) ** 2;
    }
    expectRel(numeraiCorr({ ids, values: p }, extended), sxy / Math.sqrt(sxx * syy), 1e-12);
  });

  it("keeps ids non-NaN in both and returns them in code-point order", () => {
    const a = { ids: ["b", "B", "a", "c"], values: [1, 2, 3, 4] };
    const b = { ids: ["a", "b", "B", "c", "d"], values: [10, 20, 30, NaN, 50] };
    expect(() => alignById(a, b)).toThrow(/a keeps 3 of its 4 rows after alignment \(75.0 %\)/);
    const ok = alignById(a, { ids: ["a", "b", "B", "c"], values: [10, 20, 30, 40] });
    expect(ok.ids).toEqual(["B", "a", "b", "c"]);
    expect(Array.from(ok.a)).toEqual([2, 3, 1, 4]);
    expect(Array.from(ok.b)).toEqual([30, 10, 20, 40]);
  });

  it("accepts exactly 80 % and names the input that fell short", () => {
    const t5 = [0, 0.25, 0.5, 0.75, NaN];
    expect(Number.isFinite(numeraiCorr([0.1, 0.2, 0.3, 0.4, 0.5], t5))).toBe(true);
    const short = thrown(() => numeraiCorr([0.1, 0.2, 0.3, 0.4, 0.5], [0, 0.25, 0.5, NaN, NaN]));
    expect([short.code, short.input]).toEqual(["INSUFFICIENT_OVERLAP", "target"]);
    // Same-length arrays keep the same count, so the target (checked first) is named.
    expect(thrown(() => numeraiCorr([0.1, NaN, NaN, 0.4, 0.5], [0, 0.25, 0.5, 0.75, 1])).input).toBe("target");
    const shortPred = thrown(() =>
      numeraiCorr({ ids: ["a", "b", "c", "d", "x", "y"], values: [1, 2, 3, 4, 5, 6] }, { ids: ["a", "b", "c", "d"], values: [0, 1, 0, 1] }),
    );
    expect(shortPred.input).toBe("predictions");
    expect(shortPred.message).toMatch(/predictions keeps 4 of its 6 rows after alignment \(66.7 %\)/);
    const meta5 = thrown(() => correlationContribution([1, 2, 3, 4, 5], [1, NaN, NaN, 4, 5], [0, 0.25, 0.5, 0.75, 1]));
    expect(meta5.input).toBe("metaModel");
    const series1 = thrown(() => numeraiCorr({ ids: ["a", "b", "c", "d", "e"], values: up }, { ids: ["a", "b", "x", "y", "z"], values: up }));
    expect(series1.input).toBe("target");
  });
});

describe("bad input", () => {
  it("NaN targets within the 80 % rule are dropped, beyond it an error", () => {
    const t: number[] = [...target];
    t[2] = NaN;
    // Dropping row c must equal scoring the seven other rows directly.
    const keep = [0, 1, 3, 4, 5, 6, 7];
    expectRel(
      numeraiCorr(p, t),
      numeraiCorr(
        keep.map((i) => p[i]!),
        keep.map((i) => target[i]!),
      ),
    );
    expect(thrown(() => numeraiCorr(p, [NaN, NaN, 0, 1, 0, 1, 0, 1])).code).toBe("INSUFFICIENT_OVERLAP");
  });

  it("constant predictions and one-row eras give the reference's NaN", () => {
    expect(numeraiCorr([0.5, 0.5, 0.5, 0.5], [0, 0.25, 0.75, 1])).toBeNaN();
    expect(numeraiCorr([0.3], [0.5])).toBeNaN();
    expect(correlationContribution([0.3], [0.2], [0.5])).toBeNaN();
    expect(maxFeatureCorrelation([0.5, 0.5, 0.5], [[1, 2, 3]])).toEqual({ feature: null, value: NaN });
    expect(thrown(() => featureNeutralCorr([0.5, 0.5, 0.5, 0.5], [[1, 2, 3, 5]], [0, 1, 0, 1])).code).toBe("CONSTANT_INPUT");
  });

  it("mismatched lengths, mixed kinds and duplicate ids are named errors", () => {
    const len = thrown(() => numeraiCorr([1, 2, 3], [1, 2]));
    expect([len.code, len.input]).toEqual(["LENGTH_MISMATCH", "predictions"]);
    expect(thrown(() => numeraiCorr({ ids: ["a"], values: [1] }, [1])).code).toBe("MIXED_INPUTS");
    expect(thrown(() => numeraiCorr({ ids: ["a", "a"], values: [1, 2] }, { ids: ["a"], values: [1] })).code).toBe("DUPLICATE_ID");
    expect(thrown(() => featureNeutralCorr(p, [[1, 2]], target)).input).toBe("0");
    expect(thrown(() => maxFeatureCorrelation(p, { f1: [...f1.slice(0, 7), NaN] })).input).toBe("f1");
    expect(thrown(() => maxFeatureCorrelation([NaN, ...p.slice(1)], { f1 })).input).toBe("predictions");
  });

  it("topBottom larger than half the rows, bad options and distorted targets are errors", () => {
    expect(thrown(() => numeraiCorr(p, target, { topBottom: 5 })).code).toBe("TOP_BOTTOM_TOO_LARGE");
    expect(thrown(() => correlationContribution(p, meta, target, { topBottom: 5 })).code).toBe("TOP_BOTTOM_TOO_LARGE");
    // 100 zeros, 100 ones and one 5: numpy gives corrcoef(pow15(t − t̄), t − t̄) = 0.868 < 0.9.
    const wild = [...Array<number>(100).fill(0), ...Array<number>(100).fill(1), 5];
    const pred = wild.map((_, i) => i);
    expect(thrown(() => numeraiCorr(pred, wild)).code).toBe("TARGET_POWER");
    expect(Number.isFinite(numeraiCorr(pred, wild, { targetPow15: false }))).toBe(true);
  });

  it("options are strict and a wrong argument is named, never a TypeError", () => {
    const invalid = (fn: () => unknown): InvalidOptionError => {
      try {
        fn();
      } catch (e) {
        expect(NumerFrameError.isInstance(e)).toBe(true);
        expect(e).toBeInstanceOf(InvalidOptionError);
        return e as InvalidOptionError;
      }
      return expect.fail("expected an InvalidOptionError");
    };
    expect(invalid(() => numeraiCorr(p, target, { topBottom: 1.5 })).message).toMatch(/^numeraiCorr: option "topBottom"/);
    const cases: [string, () => unknown, string, string][] = [
      ["numeraiCorr", () => numeraiCorr(p, target, { topbottom: 2 } as never), "topbottom", "topBottom"],
      ["numeraiCorr", () => numeraiCorr(p, target, { targetPow: false } as never), "targetPow", "targetPow15"],
      ["correlationContribution", () => correlationContribution(p, meta, target, { topBotom: 2 } as never), "topBotom", "topBottom"],
      ["featureNeutralCorr", () => featureNeutralCorr(p, [f1], target, { top_bottom: 2 } as never), "top_bottom", "topBottom"],
      ["churn", () => churn(up, down, { topbottom: 1 } as never), "topbottom", "topBottom"],
    ];
    for (const [fn, call, path, suggestion] of cases) {
      const e = invalid(call);
      expect(e.where).toBe(fn);
      expect(e.problems).toEqual([{ path, message: "unknown option", suggestion }]);
      expect(e.message).toContain(`(did you mean "${suggestion}"?)`);
    }
    expect(invalid(() => numeraiCorr(null as never, target)).problems[0]!.path).toBe("predictions");
    expect(invalid(() => correlationContribution(p, 3 as never, target)).problems[0]!.path).toBe("metaModel");
    expect(invalid(() => turnover(up, { ids: "abc", values: up } as never)).problems[0]!.path).toBe("b");
    expect(invalid(() => featureNeutralCorr(p, 5 as never, target)).problems[0]!.path).toBe("features");
    expect(invalid(() => maxFeatureCorrelation(p, { f1: "x" } as never)).problems[0]!.path).toBe("features.f1");
  });

  it("churn fails on a constant aligned input", () => {
    const e = thrown(() => churn([1, 1, 1, 1], up.slice(0, 4)));
    expect([e.code, e.input]).toEqual(["CONSTANT_INPUT", "a"]);
  });
});

describe("details", () => {
  it("MMC scales [0, 1] targets by 4 and leaves others alone (the scale cancels in centring only)", () => {
    const scaled = correlationContribution(p, meta, target.map((v) => v * 4));
    // 4·t is outside [0, 1], so it is not scaled again: same as the original.
    expectRel(scaled, golden.mmcP);
    const shifted = correlationContribution(p, meta, target.map((v) => v * 4 + 10));
    expectRel(shifted, golden.mmcP, 1e-12);
  });

  it("churn with topBottom ignores alignment and uses each input's own ids", () => {
    const a = { ids: ["a", "b", "c", "d"], values: [1, 2, 3, 4] };
    const b = { ids: ["c", "d", "e", "f"], values: [1, 2, 3, 4] };
    // top1(a) = d, top1(b) = f; bottom1(a) = a, bottom1(b) = c: no overlap.
    expect(churn(a, b, { topBottom: 1 })).toBe(1);
    // k above n/2: top2 = {c, d} vs {e, f}, bottom2 = {a, b} vs {c, d}: 1 − (0/2 + 0/2)/2.
    expect(churn(a, b, { topBottom: 2 })).toBe(1);
    // Fewer than k ids: all of them, still divided by k = 10.
    expect(churn(a, a, { topBottom: 10 })).toBeCloseTo(1 - 0.4, 15);
    // Ties by id order: in b2 the earlier id "x" counts as lower.
    expect(churn({ ids: ["x", "y"], values: [5, 5] }, { ids: ["x", "y"], values: [1, 2] }, { topBottom: 1 })).toBe(0);
  });
});
