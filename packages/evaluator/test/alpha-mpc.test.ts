import { type GoldenSeries, type TcGoldenCase, caught as caughtError, goldenValues, tcGolden } from "@nmrblox/fixtures";
import type { NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { alpha, generateNeutralizedWeights, type IdSeries, metaPortfolioContribution, type ScoreInput, stakeWeight } from "../src/index.js";

function expectRel(actual: number, expected: number, rel = 1e-12): void {
  if (!(Math.abs(actual - expected) <= rel * Math.abs(expected))) {
    expect.fail(`${actual} != ${expected} (relative error ${Math.abs(actual - expected) / Math.abs(expected)})`);
  }
}

function expectAllRel(actual: ArrayLike<number>, expected: readonly number[], rel = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  // Entries that are exactly 0 in the reference (a tied middle rank) must be 0 here too.
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] === 0) expect(Math.abs(actual[i]!)).toBeLessThan(1e-15);
    else expectRel(actual[i]!, expected[i]!, rel);
  }
}

const caught = (fn: () => unknown) => caughtError<NumerFrameError & { input?: string }>(fn);

const stakesOf = (c: TcGoldenCase): Record<string, number> =>
  Object.fromEntries(Object.entries(c.stakes).map(([k, v]) => [k, v === null ? Number.NaN : v]));

/** The case's inputs as the positional form (every input in the predictions' row order). */
function positional(c: TcGoldenCase) {
  const values = (s: GoldenSeries) => {
    expect(s.ids).toEqual(c.ids);
    return goldenValues(s.values);
  };
  return {
    predictions: Object.fromEntries(Object.entries(c.predictions).map(([k, v]) => [k, goldenValues(v)])),
    neutralizers: Object.fromEntries(Object.entries(c.neutralizers).map(([k, v]) => [k, values(v)])),
    weights: values(c.sampleWeights),
    target: values(c.target),
  };
}

/** The case's inputs as id series. */
function keyed(c: TcGoldenCase) {
  const series = (s: GoldenSeries): IdSeries => ({ ids: s.ids, values: goldenValues(s.values) });
  return {
    predictions: Object.fromEntries(Object.entries(c.predictions).map(([k, v]) => [k, { ids: c.ids, values: goldenValues(v) }])),
    neutralizers: Object.fromEntries(Object.entries(c.neutralizers).map(([k, v]) => [k, series(v)])),
    weights: series(c.sampleWeights),
    target: series(c.target),
  };
}

const byName = new Map(tcGolden.cases.map((c) => [c.name, c]));

describe("numerai-tools 0.6 golden values (fixtures/golden/tc)", () => {
  it("comes from numerai-tools 0.6", () => {
    expect(tcGolden.source).toBe("numerai-tools 0.6.0");
    expect([...byName.keys()]).toEqual(["reference8", "random40", "idKeyed40"]);
  });

  for (const name of ["reference8", "random40"]) {
    const c = byName.get(name)!;
    const { predictions, neutralizers, weights, target } = positional(c);

    it(`${name}: stakeWeight`, () => {
      const meta = stakeWeight(predictions, stakesOf(c)) as Float64Array;
      expect(meta).toBeInstanceOf(Float64Array);
      expectAllRel(meta, c.stakeWeight!.values as number[]);
    });

    it(`${name}: generateNeutralizedWeights, plain and centred`, () => {
      const plain = generateNeutralizedWeights(predictions, neutralizers, weights);
      expect(plain.ids).toBeNull();
      const centred = generateNeutralizedWeights(predictions, neutralizers, weights, { centerAndNormalize: true });
      for (const k of Object.keys(predictions)) {
        expectAllRel(plain.weights[k]!, c.neutralizedWeights!.columns[k]! as number[]);
        expectAllRel(centred.weights[k]!, c.neutralizedWeightsCentered!.columns[k]! as number[]);
      }
      // Neutralizers passed as an array of columns give the same weights.
      const again = generateNeutralizedWeights(predictions, Object.values(neutralizers), weights);
      expect(again.weights).toEqual(plain.weights);
    });

    it(`${name}: alpha and MPC`, () => {
      const a = alpha(predictions, neutralizers, weights, target);
      for (const [k, v] of Object.entries(c.alpha)) expectRel(a[k]!, v);
      const m = metaPortfolioContribution(predictions, stakesOf(c), neutralizers, weights, target);
      expect(Object.keys(m)).toEqual(Object.keys(c.stakes));
      for (const [k, v] of Object.entries(c.mpc)) expectRel(m[k]!, v);
    });
  }

  it("idKeyed40: alpha and MPC on shuffled id series with NaN and missing targets, extra ids, a NaN stake", () => {
    const c = byName.get("idKeyed40")!;
    const { predictions, neutralizers, weights, target } = keyed(c);
    const a = alpha(predictions, neutralizers, weights, target);
    for (const [k, v] of Object.entries(c.alpha)) expectRel(a[k]!, v);
    const m = metaPortfolioContribution(predictions, stakesOf(c), neutralizers, weights, target);
    for (const [k, v] of Object.entries(c.mpc)) expectRel(m[k]!, v);
  });

  it("docs/scoring.md's table: alpha p, q and MPC p, q", () => {
    const c = byName.get("reference8")!;
    const { predictions, neutralizers, weights, target } = positional(c);
    const a = alpha(predictions, neutralizers, weights, target);
    expectRel(a.p!, 0.025258356713968828);
    expectRel(a.q!, -0.010365419421084047);
    const m = metaPortfolioContribution(predictions, { p: 3, q: 1 }, neutralizers, weights, target);
    expectRel(m.p!, 0.00031837185666362504);
    expectRel(m.q!, -0.0009551155699908758);
  });
});

describe("stake weighting and MPC: invariants and errors", () => {
  const c = byName.get("random40")!;
  const { predictions, neutralizers, weights, target } = positional(c);

  it("MPC is invariant to the stakes' scale; one model's MPC is 0", () => {
    const m1 = metaPortfolioContribution(predictions, { m1: 2, m2: 0.5 }, neutralizers, weights, target);
    const m2 = metaPortfolioContribution(predictions, { m1: 200, m2: 50 }, neutralizers, weights, target);
    expectRel(m2.m1!, m1.m1!, 1e-13);
    expectRel(m2.m2!, m1.m2!, 1e-13);
    // The meta portfolio of one model is that model: its alpha cannot grow by re-weighting.
    const solo = metaPortfolioContribution(predictions, { m2: 1 }, neutralizers, weights, target);
    expect(Math.abs(solo.m2!)).toBeLessThan(1e-17);
  });

  it("stakeWeight keeps id series in id order and names a missing prediction", () => {
    const meta = stakeWeight({ a: { ids: ["y", "x"], values: [0.2, 0.8] }, b: { ids: ["x", "y"], values: [0.6, 0.4] } }, { a: 3, b: 1 }) as IdSeries;
    expect(meta.ids).toEqual(["x", "y"]);
    expectAllRel(meta.values, [(3 * 0.8 + 0.6) / 4, (3 * 0.2 + 0.4) / 4]);
    const e = caught(() => stakeWeight({ a: { ids: ["x", "y"], values: [1, 2] }, b: { ids: ["x"], values: [1] } }, { a: 1, b: 1 }));
    expect([e.code, e.input]).toEqual(["NAN_INPUT", "b"]);
    expect(e.message).toContain('id "y"');
  });

  it("names bad stakes, NaN neutralizers, mixed inputs and rows the neutralizers miss", () => {
    const missing = caught(() => metaPortfolioContribution(predictions, { nope: 1 }, neutralizers, weights, target));
    expect([missing.code, missing.column]).toEqual(["MISSING_COLUMN", "nope"]);
    expect(caught(() => stakeWeight(predictions, { m1: -1, m2: 2 })).code).toBe("INVALID_WEIGHTS");
    expect(caught(() => stakeWeight(predictions, { m1: 0, m2: Number.NaN })).code).toBe("INVALID_WEIGHTS");
    const bad = Float64Array.from(neutralizers.beta!);
    bad[3] = Number.NaN;
    const nan = caught(() => alpha(predictions, { ...neutralizers, beta: bad }, weights, target));
    expect([nan.code, nan.input, nan.row]).toEqual(["NAN_INPUT", "beta", 3]);
    const mixed = caught(() => alpha(predictions, neutralizers, weights, { ids: c.ids, values: target }));
    expect(mixed.code).toBe("MIXED_INPUTS");
    const k = keyed(byName.get("idKeyed40")!);
    const short: IdSeries = { ids: k.weights.ids.slice(1), values: (k.weights.values as Float64Array).slice(1) };
    const gap = caught(() => alpha(k.predictions, k.neutralizers, short, k.target));
    expect(gap.code).toBe("INSUFFICIENT_OVERLAP");
    expect(gap.message).toContain(`id "${k.weights.ids[0]}" is missing from sampleWeights`);
  });

  it("applies the 80 % rule to predictions and target", () => {
    const t = Float64Array.from(target);
    for (let i = 0; i < 9; i++) t[i] = Number.NaN; // 31 of 40 rows left: 77.5 %
    const e = caught(() => alpha(predictions as Record<string, ScoreInput>, neutralizers, weights, t));
    // Both inputs keep 31 of 40; numerai-tools names its first argument, the predictions.
    expect([e.code, e.input]).toEqual(["INSUFFICIENT_OVERLAP", "predictions"]);
  });
});
