import { InvalidOptionError, NumerFrameError } from "@nmrblox/numerframe";
import { rollingBeta } from "@nmrblox/portfolio";
import { describe, expect, it } from "vitest";
import { runBacktest } from "../src/index.js";
import { syntheticMarket } from "./synthetic-market.js";

describe('runBacktest with weighting "optimized"', () => {
  const { market, signals } = syntheticMarket({ symbols: 40, days: 90, seed: 16 });
  const portfolio = { weighting: "optimized" as const, long: 5, short: 5, holdDays: 10, tranches: 5, neutralizeBeta: { benchmark: "S0000", windowDays: 30, minDays: 10 } };
  const result = runBacktest({ signals, market, portfolio });

  it("opens beta-neutral, dollar-neutral tranches of capped names", () => {
    // The default cap is 0.5 / 5 names per leg = 0.1 of the book of gross 1.
    const book = result.book;
    const betas = rollingBeta(market, signals, portfolio.neutralizeBeta);
    const betaOf = new Map<string, number>();
    betas.strings("date").forEach((d, i) => betaOf.set(`${d}|${betas.strings("symbol")[i]}`, betas.numeric("beta")[i]!));
    const tranche = book.numeric("tranche");
    const notional = book.numeric("notional");
    const symbol = book.strings("symbol");
    const signalDate = book.strings("signal_date");
    const sums = new Map<number, { net: number; gross: number; beta: number; max: number }>();
    for (let i = 0; i < book.numRows; i++) {
      const s = sums.get(tranche[i]!) ?? { net: 0, gross: 0, beta: 0, max: 0 };
      s.net += notional[i]!;
      s.gross += Math.abs(notional[i]!);
      s.beta += notional[i]! * betaOf.get(`${signalDate[i]}|${symbol[i]}`)!;
      s.max = Math.max(s.max, Math.abs(notional[i]!));
      sums.set(tranche[i]!, s);
    }
    expect(sums.size).toBeGreaterThan(50);
    for (const s of sums.values()) {
      // Capital per tranche 1/5, half long, half short; each name at most 0.1 of the tranche.
      expect(s.gross).toBeCloseTo(0.2, 12);
      expect(Math.abs(s.net)).toBeLessThan(1e-12);
      expect(Math.abs(s.beta)).toBeLessThan(1e-12);
      // A name's notional: 0.2 capital × 0.5 per leg × at most 2 · 0.1 of its leg.
      expect(s.max).toBeLessThanOrEqual(0.02 + 1e-12);
    }
    expect(result.options.portfolio.neutralizeBeta).toEqual({ benchmark: "S0000", windowDays: 30, minDays: 10 });
  });

  it("differs from the equal-weighted book, and runs without a beta neutralizer too", () => {
    const equal = runBacktest({ signals, market, portfolio: { long: 5, short: 5, holdDays: 10, tranches: 5 } });
    expect(result.daily.numeric("equity").at(-1)).not.toBe(equal.daily.numeric("equity").at(-1));
    const plain = runBacktest({ signals, market, portfolio: { ...portfolio, neutralizeBeta: undefined } });
    expect(plain.book.numRows).toBeGreaterThan(0);
  });

  it("names neutralizeBeta without optimized weighting, and an unknown benchmark", () => {
    let e: unknown;
    try {
      runBacktest({ signals, market, portfolio: { neutralizeBeta: {} } });
    } catch (err) {
      e = err;
    }
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).problems[0]!.path).toBe("portfolio.neutralizeBeta");
    try {
      runBacktest({ signals, market, portfolio: { weighting: "optimized", neutralizeBeta: { benchmark: "BTC" } } });
    } catch (err) {
      e = err;
    }
    expect(NumerFrameError.isInstance(e) && [e.code, e.symbol]).toEqual(["UNKNOWN_SYMBOL", "BTC"]);
  });
});
