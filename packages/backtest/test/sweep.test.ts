import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { InvalidOptionError, SUMMARY_COLUMNS, SweepError, SweepPool, type SweepResult, runBacktest, summarizeBacktest, sweep, sweepConfigurations } from "../src/index.js";
import { runConfig } from "../src/run-config.js";
import { runPool } from "../src/sweep-pool.js";
import type { ConfigResult } from "../src/sweep-protocol.js";
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

describe("sweep worker pool", () => {
  const poolGrid = { "portfolio.holdDays": [5, 7, 10], netting: [true, false] };
  const configs = sweepConfigurations({ portfolio: base.portfolio }, poolGrid);
  const serial = configs.map((c) => runBacktest({ ...data, ...c }));
  const inline = (i: number): ConfigResult => {
    throw new Error(`configuration ${i} must run in a worker here`);
  };

  it("gives every configuration the daily equity and summary of a serial runBacktest, from workers only", async () => {
    const results = await runPool(data, configs, { workers: 2, fillWhileStarting: false, inline });
    expect(results).toHaveLength(6);
    results.forEach((r, i) => {
      const equity = serial[i]!.daily.numeric("equity");
      expect(r.equity).toHaveLength(equity.length);
      expect(r.equity.every((v, t) => Object.is(v, equity[t]))).toBe(true);
      const summary = summarizeBacktest(serial[i]!);
      for (const name of SUMMARY_COLUMNS) expect(Object.is(r.summary[name], summary[name])).toBe(true);
    });
    // Different configurations really differ (the comparison above is not of one run six times).
    expect(results[0]!.summary.total_return).not.toBe(results[4]!.summary.total_return);
  });

  it("streams: sweep's first progress event comes before the last configuration has finished", async () => {
    const events: { done: number; config: number; settled: boolean }[] = [];
    let settled = false;
    const seen = new Map<number, SweepResult>();
    const running = sweep({ ...data, portfolio: base.portfolio }, poolGrid, {
      workers: 2,
      onProgress: (done, total, result) => {
        expect(total).toBe(6);
        events.push({ done, config: result.config, settled });
        seen.set(result.config, result);
      },
    }).then((rows) => {
      settled = true;
      return rows;
    });
    const rows = await running;
    expect(events.map((e) => e.done)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(events.every((e) => !e.settled)).toBe(true);
    expect([...seen.keys()].sort()).toEqual([0, 1, 2, 3, 4, 5]);
    // Each streamed result (from a worker or the calling thread) is the serial one, bit for bit.
    for (const [config, result] of seen) {
      const equity = serial[config]!.daily.numeric("equity");
      expect(result.equity.every((v, t) => Object.is(v, equity[t])) && result.equity.length === equity.length).toBe(true);
      expect(rows.numeric("total_return")[config]).toBe(result.summary.total_return);
    }
  });

  it("answers one configuration at a time on one worker: the first result arrives while the rest are pending", async () => {
    const order: number[] = [];
    let firstDone = 0;
    const results = await runPool(data, configs, {
      workers: 1,
      fillWhileStarting: false,
      inline,
      onResult: (index, _result, done) => {
        if (order.length === 0) firstDone = done;
        order.push(index);
      },
    });
    // One worker is fed the next configuration only after answering one: results come in row order,
    // the first with 1 of 6 done.
    expect(firstDone).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
    expect(results.map((r) => r.summary.days)).toEqual(serial.map((r) => r.daily.numRows));
  });

  it("rebuilds a worker's error with its row, class name, code and symbol", async () => {
    const noSymbols = { ...data, signals: data.signals.withColumn("symbol", data.signals.strings("symbol").map((s) => `${s}X`)) };
    const e = await runPool(noSymbols, configs.slice(0, 2), { workers: 2, fillWhileStarting: false, inline }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepError);
    const sweepError = e as SweepError;
    expect([sweepError.code, sweepError.symbol, sweepError.date]).toEqual(["SWEEP_FAILED", "S0000X", "2022-01-01"]);
    expect([0, 1]).toContain(sweepError.config);
    const cause = sweepError.cause as NumerFrameError;
    expect([cause.name, cause.code, cause.symbol]).toEqual(["UnknownSymbolError", "UNKNOWN_SYMBOL", "S0000X"]);
  });

  it("stops on abort with the signal's reason, before or during the sweep", async () => {
    const reason = new Error("stop");
    const before = new AbortController();
    before.abort(reason);
    await expect(sweep(base, grid, { workers: 2, signal: before.signal })).rejects.toBe(reason);
    await expect(sweep(base, grid, { workers: 0, signal: before.signal })).rejects.toBe(reason);
    const during = new AbortController();
    let calls = 0;
    const aborted = sweep(base, poolGrid, {
      workers: 2,
      signal: during.signal,
      onProgress: () => {
        calls++;
        during.abort(reason);
      },
    });
    await expect(aborted).rejects.toBe(reason);
    expect(calls).toBe(1);
    const inlineCalls: number[] = [];
    const ctl = new AbortController();
    const serialRun = sweep(base, poolGrid, { workers: 0, signal: ctl.signal, onProgress: (done) => (inlineCalls.push(done), ctl.abort(reason)) });
    await expect(serialRun).rejects.toBe(reason);
    expect(inlineCalls).toEqual([1]);
  });

  it("refuses a signal that is not an AbortSignal", async () => {
    const e = await rejection(sweep(base, grid, { signal: "stop" } as never));
    expect(e.option).toBe("signal");
  });
});

describe("SweepPool (persistent)", () => {
  const poolGrid = { "portfolio.holdDays": [5, 7, 10], netting: [true, false] };
  const configs = sweepConfigurations({ portfolio: base.portfolio }, poolGrid);
  const serialReturns = configs.map((c) => summarizeBacktest(runBacktest({ ...data, ...c })).total_return);
  const workersOnly = (i: number): ConfigResult => {
    throw new Error(`configuration ${i} must run in a worker here`);
  };

  it("runs sweep after sweep on the same workers, each equal to the serial runs", async () => {
    const pool = new SweepPool(data, { workers: 2 });
    try {
      expect(pool.workers).toBe(2);
      const first = await pool.sweep({ portfolio: base.portfolio }, poolGrid);
      expect(Array.from(first.numeric("total_return"))).toEqual(serialReturns);
      // The second batch runs in workers only (an inline run would throw): no start-up again.
      const second = await pool.run(configs, { fillWhileStarting: false, inline: workersOnly });
      expect(second.map((r) => r.summary.total_return)).toEqual(serialReturns);
      // Two sweeps at once share the workers; each gets its own rows.
      const other = { "portfolio.holdDays": [6], netting: [false] };
      const [a, b] = await Promise.all([pool.sweep({ portfolio: base.portfolio }, poolGrid), pool.sweep({ portfolio: base.portfolio }, other)]);
      expect(Array.from(a.numeric("total_return"))).toEqual(serialReturns);
      const direct = summarizeBacktest(runBacktest({ ...data, portfolio: { ...base.portfolio, holdDays: 6 }, netting: false }));
      expect(Array.from(b.numeric("total_return"))).toEqual([direct.total_return]);
    } finally {
      await pool.close();
    }
  });

  it("with fewer workers than cores, the calling thread keeps running configurations beside them", async () => {
    const pool = new SweepPool(data, { workers: 1 });
    const twice = [...configs, ...configs];
    let inlineRuns = 0;
    const inline = (i: number) => {
      inlineRuns++;
      return runConfig(data, twice[i]!, i);
    };
    try {
      // A batch the worker alone runs: it is ready after this.
      await pool.run(configs.slice(0, 1), { fillWhileStarting: false, inline: workersOnly });
      // The worker is ready from the start, yet the calling thread still takes configurations.
      inlineRuns = 0;
      const results = await pool.run(twice, { fillWhileStarting: true, inline });
      expect(results.map((r) => r.summary.total_return)).toEqual([...serialReturns, ...serialReturns]);
      if (availableParallelism() > 1) expect(inlineRuns).toBeGreaterThan(0);
      expect(inlineRuns).toBeLessThan(12);
    } finally {
      await pool.close();
    }
  });

  it("stays usable after a failing configuration and after an abort", async () => {
    const noSymbols = { ...data, signals: data.signals.withColumn("symbol", data.signals.strings("symbol").map((s) => `${s}X`)) };
    const broken = new SweepPool(noSymbols, { workers: 1 });
    const good = new SweepPool(data, { workers: 2 });
    try {
      const e = await broken.sweep({ portfolio: base.portfolio }, poolGrid).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(SweepError);
      expect([(e as SweepError).code, (e as SweepError).symbol]).toEqual(["SWEEP_FAILED", "S0000X"]);
      // Same pool, next sweep: the same named error again, not a dead pool.
      const again = await broken.run(configs.slice(0, 1), { fillWhileStarting: false, inline: workersOnly }).catch((x: unknown) => x);
      expect([(again as SweepError).config, (again as SweepError).symbol]).toEqual([0, "S0000X"]);

      const reason = new Error("stop");
      const ctl = new AbortController();
      const aborted = good.sweep({ portfolio: base.portfolio }, poolGrid, { signal: ctl.signal, onProgress: () => ctl.abort(reason) });
      await expect(aborted).rejects.toBe(reason);
      const after = await good.run(configs, { fillWhileStarting: false, inline: workersOnly });
      expect(after.map((r) => r.summary.total_return)).toEqual(serialReturns);
    } finally {
      await Promise.all([broken.close(), good.close()]);
    }
  });

  it("shares the calling thread's market panel, and a market that cannot make one fails each sweep by name", async () => {
    const close = data.market.float64("close").slice();
    close[7] = -5;
    const badMarket = data.market.withColumn("close", close);
    const symbol = data.market.strings("symbol")[7];
    const date = data.market.strings("date")[7];
    const pool = new SweepPool({ ...data, market: badMarket }, { workers: 1 });
    try {
      const e = (await pool.sweep({ portfolio: base.portfolio }, poolGrid).catch((x: unknown) => x)) as SweepError;
      expect([e.code, e.symbol, e.date, (e.cause as NumerFrameError).code]).toEqual(["SWEEP_FAILED", symbol, date, "INVALID_CLOSE"]);
      // In the worker too: the configuration's row, not a dead pool.
      const inWorker = (await pool.run(configs.slice(2, 3), { fillWhileStarting: false, inline: workersOnly }).catch((x: unknown) => x)) as SweepError;
      expect([inWorker.config, inWorker.symbol, inWorker.date, (inWorker.cause as NumerFrameError).code]).toEqual([0, symbol, date, "INVALID_CLOSE"]);
    } finally {
      await pool.close();
    }
  });

  it("rejects sweeps once closed, including one still running, and refuses unknown options", async () => {
    const pool = new SweepPool(data, { workers: 1 });
    const running = pool.run(configs, { fillWhileStarting: false, inline: workersOnly }).catch((x: unknown) => x);
    await pool.close();
    const e = await running;
    expect([(e as SweepError).code, (e as SweepError).config]).toEqual(["SWEEP_FAILED", -1]);
    expect((e as SweepError).message).toMatch(/closed/);
    const later = await pool.sweep({}, poolGrid).catch((x: unknown) => x);
    expect((later as SweepError).message).toMatch(/closed/);
    expect(invalid(() => new SweepPool(data, { worker: 2 } as never)).problems[0]).toMatchObject({ path: "worker", suggestion: "workers" });
    expect(invalid(() => new SweepPool(data, { workers: 0 })).option).toBe("workers");
    const typo = await pool.sweep({}, poolGrid, { onProgres: () => undefined } as never).catch((x: unknown) => x);
    expect((typo as InvalidOptionError).problems[0]).toMatchObject({ path: "onProgres", suggestion: "onProgress" });
  });
});

describe("SweepPool and the process", () => {
  it("an idle pool that was never closed does not keep the process alive", async () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", "--conditions=@nmrblox/source", join(here, "fixtures/idle-pool.ts")], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (out += b.toString()));
    const code = await new Promise<number | string>((resolve) => {
      const timer = setTimeout(() => (child.kill("SIGKILL"), resolve("still running after 60 s")), 60_000);
      child.on("exit", (c) => (clearTimeout(timer), resolve(c ?? -1)));
    });
    expect(code).toBe(0);
    expect(out.trim()).toBe("rows 2");
  }, 70_000);
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
