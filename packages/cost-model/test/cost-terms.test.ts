import { describe, expect, it } from "vitest";
import { NumerFrameError } from "@nmrblox/numerframe";
import {
  InvalidOptionError,
  averageDailyTurnover,
  bindCosts,
  costComponent,
  defaultCosts,
  fixedSlippage,
  fixedSlippageCost,
  funding,
  fundingCashFlow,
  makerTakerFee,
  makerTakerFeeCost,
  sqrtImpact,
  sqrtImpactCost,
  takerFee,
  takerFeeCost,
} from "../src/index.js";

// 3 days x 2 symbols, row-major by day.
const market = {
  nDays: 3,
  nSymbols: 2,
  fundingRate: Float64Array.from([0.001, -0.002, 0, 0.0005, 0.003, 0]),
  turnoverUsd: Float64Array.from([1e6, 4e6, Number.NaN, 2e6, 3e6, Number.NaN]),
};

describe("cost terms", () => {
  it("charge linear fees and slippage on |traded notional|", () => {
    expect(takerFeeCost(takerFee(0.00055), -0.5)).toBeCloseTo(0.000275, 15);
    expect(fixedSlippageCost(fixedSlippage(0.0005), 0.5)).toBeCloseTo(0.00025, 15);
    // 0.4 · 0.0002 + 0.6 · 0.00055 = 0.00008 + 0.00033 = 0.00041 per unit.
    expect(makerTakerFeeCost(makerTakerFee({ maker: 0.0002, taker: 0.00055, makerShare: 0.4 }), 2)).toBeCloseTo(0.00082, 15);
  });

  it("grows impact with the square root of traded notional over average daily turnover", () => {
    // k 0.1, N 0.01 of a 1e6 capital = 1e4 USD against ADV 1e6: 0.1 · 0.01 · √(0.01) = 0.0001.
    const term = sqrtImpact({ k: 0.1, capitalUsd: 1e6 });
    expect(sqrtImpactCost(term, 0.01, 1e6)).toBeCloseTo(0.0001, 15);
    expect(sqrtImpactCost(term, 0.04, 1e6)).toBeCloseTo(0.1 * 0.04 * 0.2, 15);
    expect(sqrtImpactCost(term, 0.01, Number.NaN)).toBe(0);
    // ADV over 2 days ending on the day, missing days skipped:
    // symbol 0: [1e6, (1e6)/1, (3e6)/1]; symbol 1: [4e6, (4e6 + 2e6)/2, 2e6/1].
    expect(Array.from(averageDailyTurnover(market, 2))).toEqual([1e6, 4e6, 1e6, 3e6, 3e6, 2e6]);
  });

  it("pays funding from longs on a positive rate and to shorts", () => {
    expect(fundingCashFlow(2, 0.001)).toBeCloseTo(-0.002, 15);
    expect(fundingCashFlow(-2, 0.001)).toBeCloseTo(0.002, 15);
    expect(fundingCashFlow(-2, -0.001)).toBeCloseTo(-0.002, 15);
  });

  it("composes terms into fee, slippage and funding components", () => {
    const defaults = defaultCosts();
    expect(defaults.map(costComponent)).toEqual(["fee", "slippage", "funding"]);
    const bound = bindCosts(defaults, market);
    expect(bound.feeRate).toBe(0.00055);
    expect(bound.slippageRate).toBe(0.0005);
    expect(bound.fee(0, 0, 0.5)).toBeCloseTo(0.000275, 15);
    // Held notional 1.5 of symbol 1 on day 1 at rate 0.0005: −0.00075.
    expect(bound.funding(1, 1, 1.5)).toBeCloseTo(-0.00075, 15);
    const both = bindCosts([takerFee(0.001), makerTakerFee({ maker: 0, taker: 0.001, makerShare: 0.5 }), fixedSlippage(0.0005), sqrtImpact({ k: 0.1, advWindowDays: 1 })], market);
    // fee 0.001 + 0.0005 per unit; no funding term: 0.
    expect(both.fee(0, 0, 1)).toBeCloseTo(0.0015, 15);
    expect(both.funding(0, 0, 1)).toBe(0);
    // slippage 0.0005 · 0.01 + impact 0.1 · 0.01 · √(0.01 · 1e6 / 1e6) = 0.000005 + 0.0001.
    expect(both.slippage(0, 0, 0.01)).toBeCloseTo(0.000105, 15);
  });

  it("rejects negative rates and duplicate funding by option name", () => {
    expect(() => takerFee(-0.001)).toThrow(InvalidOptionError);
    expect(caught(() => fixedSlippage(-1))).toMatchObject({ code: "INVALID_OPTION", option: "rate", where: "fixedSlippage" });
    expect(caught(() => makerTakerFee({ maker: 0.0002, taker: 0.00055, makerShare: 1.5 })).option).toBe("makerShare");
    expect(caught(() => bindCosts([funding(), funding()], market)).message).toMatch(/funding\(\) may appear at most once/);
    expect(caught(() => bindCosts([{ type: "takerFee", rate: -1 }], market)).option).toBe("costs.0.rate");
  });

  it("names an unknown key of a term and the nearest valid one", () => {
    const share = caught(() => makerTakerFee({ maker: 0.0002, taker: 0.00055, makershare: 0.4 } as never));
    expect(share.problems).toContainEqual({ path: "makershare", message: "unknown option", suggestion: "makerShare" });
    expect(caught(() => sqrtImpact({ k: 0.1, advWindow: 5 } as never)).problems).toEqual([
      { path: "advWindow", message: "unknown option", suggestion: "advWindowDays" },
    ]);
    // "k" is a sqrtImpact key: on a takerFee it is unknown, not silently dropped.
    const k = caught(() => bindCosts([{ type: "takerFee", rate: 0.001, k: 1 } as never], market));
    expect(k.problems.map((p) => p.path)).toEqual(["costs.0.k"]);
    expect(caught(() => bindCosts([{ type: "takerFees", rate: 0.001 } as never], market)).option).toBe("costs.0.type");
    expect(caught(() => bindCosts("takerFee" as never, market)).option).toBe("costs");
  });
});

function caught(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(NumerFrameError.isInstance(e)).toBe(true);
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError");
}
