// # Parameter sweep: basket sizes x hold days x lag, across worker threads
// How sensitive is the long/short meta-model book to its knobs? This notebook backtests every
// combination of long count, short count, holding period and entry lag (with fees, slippage
// and funding), spread over worker threads, and draws the Sharpe ratios as heatmaps.
//
// Run: `pnpm --filter @nmrblox/example-parameter-sweep start` (flags: `--small`, `--symbols`,
// `--start`, `--end`, `--workers`, `--out`).
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { sweep } from "@nmrblox/backtest";
import { renderSvg } from "@nmrblox/evaluator";
import { writeCsv, writeFileAtomic } from "@nmrblox/numerframe";
import { syntheticCrypto } from "@nmrblox/synthetic";
import { tradableUniverse } from "@nmrblox/universe-filter";

const { values: flags } = parseArgs({
  options: {
    small: { type: "boolean", default: false },
    symbols: { type: "string" },
    start: { type: "string" },
    end: { type: "string" },
    workers: { type: "string" },
    out: { type: "string", default: join(import.meta.dirname, "out") },
  },
});
const small = flags.small;
const range = {
  symbols: Number(flags.symbols ?? (small ? 60 : 500)),
  start: flags.start ?? (small ? "2024-01-01" : "2023-01-01"),
  end: flags.end ?? (small ? "2024-06-30" : "2025-12-31"),
};
const workers = Number(flags.workers ?? Math.max(1, Math.min(4, availableParallelism())));

// ## Data and the point-in-time tradable universe
console.log(`## Synthetic crypto: ${range.symbols} symbols, ${range.start}..${range.end}`);
const { signals, market, instruments } = syntheticCrypto(range);
const universe = tradableUniverse({ signals, instruments, market });

// ## The grid: every combination (the first key varies slowest)
const grid = {
  "portfolio.long": small ? [3, 5] : [10, 25, 50],
  "portfolio.short": small ? [3, 5] : [10, 25, 50],
  "portfolio.holdDays": small ? [10, 30] : [5, 10, 20, 30],
  "portfolio.lagDays": small ? [1, 2] : [1, 2, 3],
};
const total = Object.values(grid).reduce((n, v) => n * v.length, 1);
console.log(`## Sweeping ${total} configurations on ${workers} worker threads (20 tranches, default costs incl. funding)`);
const results = await sweep(
  { signals, market, universe, portfolio: { tranches: 20 } },
  grid,
  {
    workers,
    onProgress: (done, n) => {
      if (process.stdout.isTTY) process.stdout.write(`\r   ${done}/${n}${done === n ? "\n" : ""}`);
      else if (done === n) console.log(`   ${done}/${n} done`);
    },
  },
);

// ## The best configurations by Sharpe
const col = (name: string) => results.numeric(name);
const rows = Array.from({ length: results.numRows }, (_, i) => ({
  long: col("portfolio.long")[i]!,
  short: col("portfolio.short")[i]!,
  hold: col("portfolio.holdDays")[i]!,
  lag: col("portfolio.lagDays")[i]!,
  sharpe: round(col("sharpe")[i]!),
  total_return: round(col("total_return")[i]!),
  max_drawdown: round(col("max_drawdown")[i]!),
  funding: round(col("total_funding")[i]!),
}));
console.table([...rows].sort((a, b) => b.sharpe - a.sharpe).slice(0, 8));

// ## Heatmaps: Sharpe by basket (long/short) and hold days, one panel per lag
// A Vega-Lite spec rendered to SVG in Node by the evaluator's renderSvg (no browser).
const heatmap = await renderSvg(
  {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: "Sharpe ratio (annualized, net of costs and funding)",
    data: { values: rows.map((r) => ({ ...r, basket: `${r.long}/${r.short}` })) },
    facet: { column: { field: "lag", type: "ordinal", title: "entry lag (days)" } },
    spec: {
      width: 180,
      height: 140,
      mark: "rect",
      encoding: {
        x: { field: "basket", type: "ordinal", title: "long / short", sort: null },
        y: { field: "hold", type: "ordinal", title: "hold days" },
        color: { field: "sharpe", type: "quantitative", scale: { scheme: "redblue", domainMid: 0 } },
        tooltip: [{ field: "sharpe" }, { field: "total_return" }],
      },
    },
  } as Parameters<typeof renderSvg>[0],
  "sweep",
);

// ## Save: the sweep table, the heatmap and a JSON summary
await writeCsv(results, join(flags.out, "sweep.csv"));
await writeFileAtomic(join(flags.out, "sharpe-heatmap.svg"), heatmap);
await writeFileAtomic(join(flags.out, "summary.json"), JSON.stringify({ range, grid, workers, configurations: rows }, null, 2));
console.log(`## Wrote ${join(flags.out, "sharpe-heatmap.svg")}, sweep.csv and summary.json`);

function round(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}
