import { mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { InvalidOptionError, type NumerFrameError } from "@nmrblox/numerframe";
import { gaussianize, tieKeptRank } from "@nmrblox/ranker";
import { describe, expect, it } from "vitest";
import { type IdSeries, metaPortfolioContribution, trueContribution, trueContributionDetails, type TrueContributionOptions } from "../src/index.js";

function normals(rand: () => number, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
}

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

/** A Classic-like era: a target, three models (close to the target's signal, original, noisy), a beta. */
function era(seed: number, n: number) {
  const rand = mulberry32(seed);
  const signal = normals(rand, n);
  const other = normals(rand, n);
  const target = Float64Array.from(signal, (v, i) => Math.min(1, Math.max(0, 0.5 + 0.1 * v + 0.1 * other[i]! + 0.2 * (rand() - 0.5))));
  const noise = () => normals(rand, n);
  const [e1, e2, e3] = [noise(), noise(), noise()];
  const predictions = {
    close: Float64Array.from(signal, (v, i) => v + 0.5 * e1[i]!),
    original: Float64Array.from(other, (v, i) => v + 0.8 * e2[i]!),
    noisy: Float64Array.from(signal, (v, i) => 0.2 * v + e3[i]!),
  };
  const beta = Float64Array.from(signal, (v, i) => 1 + 0.3 * v + 0.5 * e3[i]!);
  return { predictions, target, beta };
}

const stakes = { close: 0.6, original: 0.25, noisy: 0.15 };

describe("trueContribution", () => {
  it("matches central finite differences of the realized return where the budget and the cap bind", () => {
    const { predictions, target, beta } = era(1, 400);
    const options: TrueContributionOptions = { neutralizers: { beta } };
    const details = trueContributionDetails(predictions, stakes, target, options);
    const states = Array.from(details.portfolio.states);
    expect(details.portfolio.budgetMultiplier).toBeGreaterThan(0);
    expect(states.filter((s) => Math.abs(s) === 2).length).toBeGreaterThan(0);
    expect(states.filter((s) => Math.abs(s) === 1).length).toBeGreaterThan(20);
    expect(details.portfolio.kktResidual).toBeLessThan(1e-12);
    // Stakes sum to 1, so TC = ∂r/∂stake with the meta signal Σ stakeₖgₖ / Σ stakeₖ.
    const h = 1e-6;
    for (const name of Object.keys(stakes) as (keyof typeof stakes)[]) {
      const up = trueContributionDetails(predictions, { ...stakes, [name]: stakes[name] + h }, target, options).realizedReturn;
      const down = trueContributionDetails(predictions, { ...stakes, [name]: stakes[name] - h }, target, options).realizedReturn;
      const fd = (up - down) / (2 * h);
      const tc = details.tc[name]!;
      if (!(Math.abs(fd - tc) <= 1e-6 * Math.abs(tc))) expect.fail(`${name}: TC ${tc}, finite difference ${fd}`);
    }
  });

  it("reduces to (gₖ − m)ᵀ(I − QQᵀ)t/λ when no inequality binds", () => {
    const { predictions, target, beta } = era(2, 300);
    const lambda = 5000;
    const details = trueContributionDetails(predictions, stakes, target, { neutralizers: { beta }, riskAversion: lambda, maxPosition: 1 });
    expect(details.portfolio.budgetMultiplier).toBe(0);
    expect(Array.from(details.portfolio.states).every((s) => Math.abs(s) === 1)).toBe(true);
    // The residual of the centred target on [1, beta], by the normal equations.
    const n = target.length;
    const mean = (x: ArrayLike<number>) => Array.from(x).reduce((a, b) => a + b, 0) / n;
    const bc = beta.map((v) => v - mean(beta));
    const tc = target.map((v) => v - mean(target));
    const coef = Array.from(tc).reduce((a, v, i) => a + v * bc[i]!, 0) / Array.from(bc).reduce((a, v) => a + v * v, 0);
    const resid = tc.map((v, i) => v - coef * bc[i]!);
    const g = Object.fromEntries(Object.entries(predictions).map(([k, v]) => [k, gaussianize(tieKeptRank(v))]));
    const total = Object.values(stakes).reduce((a, b) => a + b, 0);
    const m = new Float64Array(n);
    for (const [k, s] of Object.entries(stakes)) for (let i = 0; i < n; i++) m[i] = m[i]! + (s * g[k]![i]!) / total;
    for (const k of Object.keys(stakes)) {
      let expected = 0;
      for (let i = 0; i < n; i++) expected += ((g[k]![i]! - m[i]!) * resid[i]!) / lambda;
      expect(Math.abs(details.tc[k]! - expected)).toBeLessThanOrEqual(1e-12 * Math.abs(expected));
    }
  });

  it("sums to 0 weighted by stake share, ignores the stakes' scale, and gives a lone model 0 (as MPC)", () => {
    const { predictions, target, beta } = era(3, 250);
    const tc = trueContribution(predictions, stakes, target, { neutralizers: [beta] });
    const weighted = Object.entries(stakes).reduce((a, [k, s]) => a + s * tc[k]!, 0);
    expect(Math.abs(weighted)).toBeLessThan(1e-15);
    const scaled = trueContribution(predictions, { close: 60, original: 25, noisy: 15 }, target, { neutralizers: [beta] });
    for (const k of Object.keys(stakes)) expect(scaled[k]).toBeCloseTo(tc[k]!, 15);
    expect(Math.abs(trueContribution(predictions, { original: 3 }, target).original!)).toBeLessThan(1e-15);
    // MPC shares the zero-sum property: both are gradients of a function of the stake shares.
    const w = new Float64Array(target.length).fill(1 / target.length);
    const mpc = metaPortfolioContribution(predictions, stakes, [beta], w, target);
    expect(Math.abs(Object.entries(stakes).reduce((a, [k, s]) => a + s * mpc[k]!, 0))).toBeLessThan(1e-14 * Math.abs(mpc.close!));
  });

  it("aligns id series: shuffled ids, a missing target, extra neutralizer ids", () => {
    const { predictions, target, beta } = era(4, 120);
    const ids = Array.from({ length: 120 }, (_, i) => `id${String(i).padStart(3, "0")}`);
    const base = trueContribution(predictions, stakes, target, { neutralizers: { beta } });
    const order = Array.from({ length: 120 }, (_, i) => (i * 37) % 120);
    const series = (x: Float64Array): IdSeries => ({ ids: order.map((i) => ids[i]!), values: Float64Array.from(order, (i) => x[i]!) });
    const keyed = Object.fromEntries(Object.entries(predictions).map(([k, v]) => [k, series(v)]));
    const betaSeries: IdSeries = { ids: [...ids, "zzz"], values: [...beta, 1] };
    const tcKeyed = trueContribution(keyed, stakes, series(target), { neutralizers: { beta: betaSeries } });
    for (const k of Object.keys(stakes)) expect(tcKeyed[k]).toBeCloseTo(base[k]!, 14);
    // A NaN target drops its row from every input, as positional NaN does.
    const t = Float64Array.from(target);
    t[5] = Number.NaN;
    const dropped = trueContributionDetails(predictions, stakes, t, { neutralizers: { beta } });
    expect(dropped.portfolio.weights.length).toBe(119);
    const missing = caught(() => trueContribution(keyed, stakes, series(target), { neutralizers: { beta: { ids: ids.slice(1), values: beta.slice(1) } } }));
    expect(missing.code).toBe("INSUFFICIENT_OVERLAP");
  });

  it("names bad options, stakes and infeasible books", () => {
    const { predictions, target } = era(5, 50);
    const typo = caught(() => trueContribution(predictions, stakes, target, { maxPositon: 0.1 } as TrueContributionOptions));
    expect(typo).toBeInstanceOf(InvalidOptionError);
    expect((typo as InvalidOptionError).problems[0]!.suggestion).toBe("maxPosition");
    expect(caught(() => trueContribution(predictions, { nobody: 1 }, target)).code).toBe("MISSING_COLUMN");
    expect(caught(() => trueContribution(predictions, stakes, target, { maxPosition: 0.01 })).code).toBe("INFEASIBLE_PORTFOLIO");
    const constant = caught(() => trueContribution(predictions, stakes, target, { neutralizers: { flat: new Float64Array(50).fill(2) } }));
    expect([constant.code, constant.column]).toEqual(["CONSTANT_INPUT", "flat"]);
  });
});
