/**
 * A tiny benchmark harness: warm-up, N timed runs, median, rows/s and peak RSS. Figures are
 * printed, never asserted.
 */
export interface BenchCase {
  name: string;
  /** Rows processed per run, for rows/s; omit when it does not apply. */
  rows?: number;
  runs?: number;
  warmup?: number;
  /** Optional target in milliseconds, printed beside the median. */
  targetMs?: number;
  setup?: () => unknown | Promise<unknown>;
  run: () => unknown | Promise<unknown>;
}

export interface BenchResult {
  name: string;
  medianMs: number;
  minMs: number;
  rowsPerSec?: number;
  peakRssMb: number;
  targetMs?: number;
}

const results: BenchResult[] = [];

export async function bench(c: BenchCase): Promise<BenchResult> {
  await c.setup?.();
  for (let i = 0; i < (c.warmup ?? 1); i++) await c.run();
  const times: number[] = [];
  for (let i = 0; i < (c.runs ?? 5); i++) {
    const t0 = performance.now();
    await c.run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)]!;
  const result: BenchResult = {
    name: c.name,
    medianMs,
    minMs: times[0]!,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    ...(c.rows !== undefined ? { rowsPerSec: (c.rows / medianMs) * 1000 } : {}),
    ...(c.targetMs !== undefined ? { targetMs: c.targetMs } : {}),
  };
  results.push(result);
  return result;
}

export function printResults(title: string): void {
  const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 1 ? x.toFixed(1) : x.toFixed(3));
  const rows = results.map((r) => [
    r.name,
    fmt(r.medianMs),
    fmt(r.minMs),
    r.rowsPerSec === undefined ? "" : `${(r.rowsPerSec / 1e6).toFixed(2)} M`,
    fmt(r.peakRssMb),
    r.targetMs === undefined ? "" : `< ${r.targetMs} ms ${r.medianMs < r.targetMs ? "ok" : "MISSED"}`,
  ]);
  const head = ["case", "median ms", "min ms", "rows/s", "peak RSS MB", "target"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  console.log(`\n${title}`);
  console.log(line(head));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of rows) console.log(line(r));
  results.length = 0;
}
