import { mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { NumerFrame, type NumerFrameError, isoDay } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { optimizeBasket } from "../src/optimizer/optimized-basket.js";
import { rollingBeta } from "../src/rolling-beta.js";

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

/** 30 days of BTC, X (twice BTC's returns), Y (random), Z (from day 25 only). */
function market() {
  const rand = mulberry32(5);
  const days = 30;
  const date: string[] = [];
  const symbol: string[] = [];
  const close: number[] = [];
  let btc = 100;
  let x = 50;
  let y = 10;
  const btcReturns: number[] = [];
  const yReturns: number[] = [];
  for (let t = 0; t < days; t++) {
    if (t > 0) {
      const r = (rand() - 0.5) * 0.1;
      const ry = (rand() - 0.5) * 0.1;
      btc *= 1 + r;
      x *= 1 + 2 * r;
      y *= 1 + ry;
      btcReturns.push(r);
      yReturns.push(ry);
    }
    const d = isoDay(19723 + t); // 2024-01-01 + t
    for (const [s, c] of [["BTC", btc], ["X", x], ["Y", y], ["Z", 7]] as const) {
      if (s === "Z" && t < 25) continue;
      date.push(d);
      symbol.push(s);
      close.push(c);
    }
  }
  return { frame: NumerFrame.fromColumns({ date, symbol, close: Float64Array.from(close) }), btcReturns, yReturns };
}

describe("rollingBeta", () => {
  const { frame, btcReturns, yReturns } = market();
  const signals = NumerFrame.fromColumns({
    date: ["2024-01-30", "2024-01-30", "2024-01-30", "2024-01-30", "2024-01-30", "2024-01-03"],
    symbol: ["X", "Y", "Z", "BTC", "NOPE", "X"],
    prediction: new Float64Array(6),
  });

  it("is the OLS slope of daily returns on the benchmark's over the window", () => {
    const betas = rollingBeta(frame, signals, { windowDays: 10, minDays: 5 });
    expect(betas.strings("symbol")).toEqual(["X", "Y", "Z", "BTC", "NOPE", "X"]);
    const beta = betas.numeric("beta");
    expect(beta[0]).toBeCloseTo(2, 12); // X moves twice as much as BTC
    // Y: the slope over the last 10 returns (days 20..29), computed directly.
    const xs = yReturns.slice(-10);
    const ys = btcReturns.slice(-10);
    const mx = xs.reduce((a, b) => a + b) / 10;
    const my = ys.reduce((a, b) => a + b) / 10;
    let cov = 0;
    let v = 0;
    for (let i = 0; i < 10; i++) {
      cov += (xs[i]! - mx) * (ys[i]! - my);
      v += (ys[i]! - my) ** 2;
    }
    expect(beta[1]).toBeCloseTo(cov / v, 12);
    // Z has 4 returns (days 26..29) < minDays, NOPE is not in the market, BTC is the benchmark,
    // and on 01-03 X has only 2 returns: all 1.
    expect([beta[2], beta[3], beta[4], beta[5]]).toEqual([1, 1, 1, 1]);
  });

  it("names an unknown benchmark and bad options", () => {
    const e = caught(() => rollingBeta(frame, signals, { benchmark: "ETH" }));
    expect([e.code, e.symbol, e.option]).toEqual(["UNKNOWN_SYMBOL", "ETH", "benchmark"]);
    expect(caught(() => rollingBeta(frame, signals, { window: 5 } as never)).code).toBe("INVALID_OPTION");
  });
});

describe("optimizeBasket", () => {
  it("is a market- and beta-neutral book of gross 1 with capped names", () => {
    const rand = mulberry32(8);
    const m = 40;
    const predictions = Float64Array.from({ length: m }, () => rand());
    const beta = Float64Array.from({ length: m }, () => 0.5 + rand());
    const w = optimizeBasket(predictions, [beta], 5)!;
    let sum = 0;
    let gross = 0;
    let exposure = 0;
    for (let i = 0; i < m; i++) {
      sum += w[i]!;
      gross += Math.abs(w[i]!);
      exposure += w[i]! * beta[i]!;
      expect(Math.abs(w[i]!)).toBeLessThanOrEqual(0.1 + 1e-15); // 0.5 / 5 names per leg
    }
    expect(Math.abs(sum)).toBeLessThan(1e-14);
    expect(Math.abs(exposure)).toBeLessThan(1e-14);
    expect(gross).toBeCloseTo(1, 12);
    // The highest prediction is long, the lowest short.
    let hi = 0;
    let lo = 0;
    for (let i = 1; i < m; i++) {
      if (predictions[i]! > predictions[hi]!) hi = i;
      if (predictions[i]! < predictions[lo]!) lo = i;
    }
    expect(w[hi]).toBeGreaterThan(0);
    expect(w[lo]).toBeLessThan(0);
  });

  it("leaves out a neutralizer constant on the date and gives no book with too few names", () => {
    const predictions = Float64Array.from([0.1, 0.5, 0.9, 0.3]);
    const flat = optimizeBasket(predictions, [new Float64Array(4).fill(1)], 2);
    expect(flat).toEqual(optimizeBasket(predictions, [], 2));
    expect(optimizeBasket(Float64Array.from([0.1, 0.9]), [Float64Array.from([1, 2])], 1)).toBeNull();
  });
});
