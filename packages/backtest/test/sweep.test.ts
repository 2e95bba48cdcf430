import { NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, SweepError, runBacktest, summarizeBacktest, sweep, sweepConfigurations } from "../src/index.js";
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
    expect(invalid(() => sweepConfigurations({}, { foo: [1] })).problems[0]).toMatchObject({ path: "foo", message: "unknown option" });
  });

  it("checks grid keys as option paths and names the nearest one", () => {
    const e = invalid(() => sweepConfigurations({}, { "portfolio.holdDay": [10, 20], netting: [true] }));
    expect(e.where).toBe("sweep grid");
    expect(e.problems).toEqual([{ path: "portfolio.holdDay", message: "unknown option", suggestion: "portfolio.holdDays" }]);
    expect(invalid(() => sweepConfigurations({}, { "portfolio.long.x": [1] })).problems[0]!.path).toBe("portfolio.long.x");
    expect(invalid(() => sweepConfigurations({}, { netting: [] })).problems).toEqual([{ path: "netting", message: "has no values" }]);
    expect(invalid(() => sweepConfigurations({}, { netting: true } as never)).option).toBe("netting");
  });

  it("refuses unknown keys in the base options and the sweep's own options", async () => {
    expect(invalid(() => sweepConfigurations({ nettng: false } as never, grid)).problems[0]!.suggestion).toBe("netting");
    const base = await rejection(sweep({ ...data, portfolio: { shrot: 2 } } as never, grid, { workers: 0 }));
    expect(base.problems).toEqual([{ path: "portfolio.shrot", message: "unknown option", suggestion: "short" }]);
    const own = await rejection(sweep(data, grid, { worker: 2 } as never));
    expect(own.problems).toEqual([{ path: "worker", message: "unknown option", suggestion: "workers" }]);
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
    // The first missing symbol in code-point order, on its first signal date; the same error
    // whether the configuration ran in a worker thread or on the calling thread.
    for (const workers of [2, 0]) {
      const e = await sweep(noSymbols, { "portfolio.holdDays": [5, 6] }, { workers }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SweepError);
      const sweepError = e as SweepError;
      expect([sweepError.code, sweepError.symbol, sweepError.date]).toEqual(["SWEEP_FAILED", "S0000X", "2022-01-01"]);
      expect([0, 1]).toContain(sweepError.config);
      const cause = sweepError.cause as NumerFrameError;
      expect(NumerFrameError.isInstance(cause)).toBe(true);
      expect([cause.name, cause.code, cause.symbol]).toEqual(["UnknownSymbolError", "UNKNOWN_SYMBOL", "S0000X"]);
    }
  });
});

describe("summarizeBacktest", () => {
  it("follows the definitions of docs/backtest-accounting.md on a direct run", () => {
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

function invalid(f: () => unknown): InvalidOptionError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError");
}

async function rejection(p: Promise<unknown>): Promise<InvalidOptionError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(InvalidOptionError);
  return e as InvalidOptionError;
}
