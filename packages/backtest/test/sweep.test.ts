import { describe, expect, it } from "vitest";
import { SweepError, runBacktest, summarizeBacktest, sweep, sweepConfigurations } from "../src/index.js";
import { syntheticMarket } from "./synthetic-market.js";

const data = syntheticMarket({ symbols: 20, days: 80, seed: 3, gapRate: 0.02 });
const base = { ...data, portfolio: { long: 4, short: 4, holdDays: 10, tranches: 5 } };
const grid = { "portfolio.holdDays": [5, 10], netting: [true, false] };

describe("sweep", () => {
  it("expands the grid with the first key slowest", () => {
    const configs = sweepConfigurations({ portfolio: base.portfolio }, grid);
    expect(configs.map((c) => [c.portfolio?.holdDays, c.netting])).toEqual([
      [5, true],
      [5, false],
      [10, true],
      [10, false],
    ]);
    expect(configs[0]!.portfolio?.long).toBe(4);
    expect(() => sweepConfigurations({}, { "portfolio.tranches": [0] })).toThrow(/tranches/);
    expect(() => sweepConfigurations({}, { foo: [1] })).toThrow(/grid\.foo/);
  });

  it("returns the same rows on 2 worker threads as on the calling thread", async () => {
    const progress: number[] = [];
    const threaded = await sweep(base, grid, { workers: 2, onProgress: (done) => progress.push(done) });
    const inline = await sweep(base, grid, { workers: 0 });
    expect(threaded.numRows).toBe(4);
    expect(progress.at(-1)).toBe(4);
    expect(Array.from(threaded.numeric("portfolio.holdDays"))).toEqual([5, 5, 10, 10]);
    expect(threaded.strings("netting")).toEqual(["true", "false", "true", "false"]);
    for (const name of ["total_return", "sharpe", "max_drawdown", "total_fee", "tranche_hit_rate"]) {
      expect(Array.from(threaded.numeric(name))).toEqual(Array.from(inline.numeric(name)));
    }
    // Row 3 = hold 10 without netting, checked against a direct run.
    const direct = summarizeBacktest(runBacktest({ ...base, portfolio: { ...base.portfolio, holdDays: 10 }, netting: false }));
    expect(threaded.numeric("total_return")[3]).toBe(direct.total_return);
    expect(threaded.numeric("total_fee")[3]).toBe(direct.total_fee);
    // Netting never costs more than per-tranche costs.
    expect(threaded.numeric("total_fee")[2]!).toBeLessThanOrEqual(threaded.numeric("total_fee")[3]!);
  });

  it("reports a failing configuration by its row", async () => {
    const bad = { ...data, portfolio: { long: 4, short: 4 } };
    await expect(sweep(bad, { "portfolio.holdDays": [5] }, { workers: 1 })).resolves.toBeDefined();
    const noSymbols = { ...bad, signals: data.signals.withColumn("symbol", data.signals.strings("symbol").map((s) => `${s}X`)) };
    await expect(sweep(noSymbols, { "portfolio.holdDays": [5, 6] }, { workers: 2 })).rejects.toBeInstanceOf(SweepError);
  });
});

describe("summarizeBacktest", () => {
  it("follows the REFERENCE definitions on a direct run", () => {
    const r = runBacktest(base);
    const s = summarizeBacktest(r);
    const ret = Array.from(r.daily.numeric("return"));
    const eq = Array.from(r.daily.numeric("equity"));
    const mean = ret.reduce((a, b) => a + b, 0) / ret.length;
    const sd = Math.sqrt(ret.reduce((a, b) => a + (b - mean) ** 2, 0) / (ret.length - 1));
    expect(s.sharpe).toBeCloseTo((mean / sd) * Math.sqrt(365), 10);
    expect(s.total_return).toBeCloseTo(eq.at(-1)! - 1, 14);
    let peak = 1;
    let mdd = 0;
    for (const e of eq) {
      peak = Math.max(peak, e);
      mdd = Math.min(mdd, e / peak - 1);
    }
    expect(s.max_drawdown).toBe(mdd);
    expect(s.days).toBe(r.daily.numRows);
  });
});
