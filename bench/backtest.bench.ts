// 500 symbols x 5 years daily x 20 tranches: one configuration beside the plain C anchor
// (bench/anchors/backtest.c, compiled here when a C compiler is present), then a
// 100-configuration sweep serial (one thread) beside a pool per call and a persistent SweepPool on 2 workers.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runBacktest } from "@nmrblox/backtest";
import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { bench, printResults } from "./harness.js";


const SYMBOLS = 500;
const DAYS = 1826;
const rand = mulberry32(42);
const t0 = Date.UTC(2020, 0, 1);
const dates = Array.from({ length: DAYS }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
const names = Array.from({ length: SYMBOLS }, (_, i) => `C${String(i).padStart(3, "0")}`);
const n = SYMBOLS * DAYS;
const date = new Array<string>(n);
const symbol = new Array<string>(n);
const close = new Float64Array(n);
const turnover = new Float64Array(n);
const funding = new Float64Array(n);
const prediction = new Float64Array(n);
const price = Float64Array.from(names, () => 1 + rand() * 100);
for (let t = 0, k = 0; t < DAYS; t++) {
  for (let s = 0; s < SYMBOLS; s++, k++) {
    price[s]! *= Math.exp(0.04 * (rand() - 0.5));
    date[k] = dates[t]!;
    symbol[k] = names[s]!;
    close[k] = rand() < 0.01 ? Number.NaN : price[s]!;
    turnover[k] = 1e6 * (1 + 10 * rand());
    funding[k] = 0.0003 * (rand() - 0.45);
    prediction[k] = rand();
  }
}
const market = NumerFrame.fromColumns({ date, symbol, close, turnover_usd: turnover, funding_rate: funding });
const signals = NumerFrame.fromColumns({ date, symbol, prediction });
const portfolio = { long: 25, short: 25, lagDays: 1, holdDays: 30, tranches: 20 };

await bench({
  name: `runBacktest 500 sym x 5 y x 20 tranches (${(n / 1e6).toFixed(2)} M rows)`,
  rows: n,
  runs: 5,
  targetMs: 300,
  run: () => runBacktest({ signals, market, portfolio }),
});
await bench({
  name: "same, cold (market matrix rebuilt every run)",
  rows: n,
  runs: 5,
  run: () => runBacktest({ signals, market: market.select(market.columnNames), portfolio }),
});
const ours = await bench({
  name: "same, daily frame only (what the C anchor computes)",
  rows: n,
  runs: 7,
  run: () => runBacktest({ signals, market, portfolio }).daily,
});
printResults("backtest: one configuration (the market matrix is cached per frame)");
anchor(ours.medianMs);

/** Runs the C anchor on the same inputs and prints its time beside ours, with the equity difference. */
function anchor(oursMs: number): void {
  const dir = mkdtempSync(join(tmpdir(), "nmrblox-bt-anchor-"));
  try {
    const bin = join(dir, "backtest");
    try {
      execFileSync("cc", ["-O2", "-ffp-contract=off", "-o", bin, new URL("./anchors/backtest.c", import.meta.url).pathname, "-lm"], { stdio: "pipe" });
    } catch (error) {
      console.log(`C anchor skipped: no working C compiler (${(error as Error).message.split("\n")[0]})`);
      return;
    }
    const header = Buffer.alloc(7 * 4 + 3 * 8);
    [DAYS, SYMBOLS, portfolio.long, portfolio.short, portfolio.lagDays, portfolio.holdDays, portfolio.tranches].forEach((v, i) => header.writeInt32LE(v, i * 4));
    [1, 0.00055, 0.0005].forEach((v, i) => header.writeDoubleLE(v, 28 + i * 8));
    const bytes = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
    writeFileSync(join(dir, "in.bin"), Buffer.concat([header, bytes(close), bytes(funding), bytes(prediction)]));
    const times: number[] = [];
    for (let i = 0; i < 5; i++) times.push(Number(execFileSync(bin, [join(dir, "in.bin"), join(dir, "equity.bin")]).toString().trim()));
    times.sort((a, b) => a - b);
    const cMs = times[2]!;
    const raw = readFileSync(join(dir, "equity.bin"));
    const cEquity = new Float64Array(raw.buffer, raw.byteOffset, raw.byteLength / 8);
    const equity = runBacktest({ signals, market, portfolio }).daily.numeric("equity");
    let diff = cEquity.length === equity.length ? 0 : Number.POSITIVE_INFINITY;
    for (let t = 0; t < Math.min(equity.length, cEquity.length); t++) diff = Math.max(diff, Math.abs(equity[t]! - cEquity[t]!));
    console.log("\nbacktest beside the plain C anchor (cc -O2, one thread, parse time excluded)");
    console.log(`nmrblox (daily frame) ${oursMs.toFixed(1)} ms | C ${cMs.toFixed(1)} ms | ratio ${(oursMs / cMs).toFixed(2)}x (goal ≤ 3x, stretch 2x)`);
    console.log(`equity: ${equity.length} days, C ${cEquity.length} days, max |diff| ${diff}${diff === 0 ? " (identical)" : ""}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The sweep runs from the built package (dist/), as users get it: worker threads started from
// TypeScript sources would spend seconds compiling through tsx. turbo rebuilds only what changed.
execFileSync("pnpm", ["exec", "turbo", "run", "build", "--filter=@nmrblox/backtest...", "--output-logs=errors-only"], {
  cwd: new URL("..", import.meta.url).pathname,
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: "1" },
  stdio: "pipe",
});
const built = (await import(new URL("../packages/backtest/dist/index.js", import.meta.url).href)) as typeof import("@nmrblox/backtest");

// Every hold ≤ 2 × tranches (a longer hold overlaps more tranches than the capital is split into: an error).
const grid = {
  "portfolio.holdDays": [10, 20, 30, 40, 50],
  "portfolio.long": [10, 25],
  "portfolio.short": [10, 25],
  "portfolio.tranches": [25, 30, 35, 40, 50],
};
let firstMs = 0;
let start = 0;
const onProgress = (done: number) => {
  if (done === 1) firstMs = performance.now() - start;
};
const check = (rows: NumerFrame) => {
  if (rows.numRows !== 100) throw new Error(`expected 100 configurations, got ${rows.numRows}`);
  return rows;
};
const firsts: Record<string, number> = {};
const timed = (name: string, run: () => Promise<NumerFrame>) => async () => {
  start = performance.now();
  firstMs = 0;
  check(await run());
  firsts[name] = firstMs;
};
const base = { signals, market, portfolio };
// Serial: every configuration on this thread, after a warm-up sweep (market panel cached, JIT warm).
await built.sweep(base, grid, { workers: 0 });
// One call: a pool started and closed inside the timed call (start-up and frame transfer included).
const oneCall = await bench({ name: "sweep(..., { workers: 2 }): pool started per call", runs: 1, warmup: 0, run: timed("call", () => built.sweep(base, grid, { workers: 2, onProgress })) });
// A persistent pool: its first sweep pays the start-up, the next ones only the configurations.
let pool: InstanceType<typeof built.SweepPool> | undefined;
const firstOnPool = await bench({
  name: "SweepPool of 2 workers: new pool + first sweep",
  runs: 1,
  warmup: 0,
  run: timed("first", () => {
    pool = new built.SweepPool({ signals, market }, { workers: 2 });
    return pool.sweep({ portfolio }, grid, { onProgress });
  }),
});
// Serial and warm-pool sweeps interleaved, 5 rounds: both see the same drift of the machine.
const serialTimes: number[] = [];
const warmTimes: number[] = [];
for (let round = 0; round < 5; round++) {
  let t = performance.now();
  check(await built.sweep(base, grid, { workers: 0 }));
  serialTimes.push(performance.now() - t);
  start = t = performance.now();
  check(await pool!.sweep({ portfolio }, grid, { onProgress }));
  warmTimes.push(performance.now() - t);
  firsts.warm = firstMs;
}
await pool!.close();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const serialMs = median(serialTimes);
const warmMs = median(warmTimes);
printResults("backtest: sweep (built package, 2 cores)");
console.log(`sweep 100 configurations, serial (one thread), 5 rounds: ${serialTimes.map((t) => t.toFixed(0)).join(", ")} ms, median ${serialMs.toFixed(0)} ms`);
console.log(`sweep 100 configurations, warm SweepPool of 2 workers, interleaved: ${warmTimes.map((t) => t.toFixed(0)).join(", ")} ms, median ${warmMs.toFixed(0)} ms`);
const x = (ms: number) => `${(serialMs / ms).toFixed(2)}x`;
console.log(`first result: pool per call ${firsts.call?.toFixed(0)} ms | new SweepPool ${firsts.first?.toFixed(0)} ms | warm SweepPool ${firsts.warm?.toFixed(0)} ms`);
console.log(
  `sweep speed-up over serial (median ${(serialMs / 1000).toFixed(2)} s): SweepPool next sweep ${x(warmMs)} (goal ≥ 1.8x; per round ${serialTimes.map((t, r) => (t / warmTimes[r]!).toFixed(2)).join(", ")}) | ` +
    `new SweepPool + first sweep ${x(firstOnPool.medianMs)} | pool per call ${x(oneCall.medianMs)} (start-up included)`,
);
