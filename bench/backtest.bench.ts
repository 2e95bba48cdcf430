// 500 symbols x 5 years daily x 20 tranches: one configuration, then a 100-configuration sweep.
import { runBacktest, sweep } from "@nmrblox/backtest";
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
printResults("backtest: one configuration (the market matrix is cached per frame)");

const grid = {
  "portfolio.holdDays": [10, 20, 30, 45, 60],
  "portfolio.long": [10, 25],
  "portfolio.short": [10, 25],
  "portfolio.tranches": [10, 20, 30, 40, 50],
};
let configsPerSecond = 0;
await bench({
  name: "sweep 100 configurations, 2 workers",
  runs: 1,
  warmup: 0,
  run: async () => {
    const start = performance.now();
    const rows = await sweep({ signals, market, portfolio }, grid, { workers: 2 });
    configsPerSecond = (rows.numRows / (performance.now() - start)) * 1000;
  },
});
printResults("backtest: sweep");
console.log(`sweep throughput: ${configsPerSecond.toFixed(1)} configurations/s on 2 workers`);
