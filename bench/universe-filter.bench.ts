// Universe-filter benchmarks on a 500-symbol x 5-year daily set (about 275 symbols with a USDT
// perpetual, staggered listings, some delistings). Figures are printed, never asserted.
import { NumerFrame } from "@nmrblox/numerframe";
import { filterTradable, mapSymbols, tradableUniverse, universeSummary } from "@nmrblox/universe-filter";
import { bench, printResults } from "./harness.js";

let seed = 2024;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const nSymbols = 500;
const nDays = 5 * 365 + 1;
const day0 = Date.UTC(2020, 0, 1) / 86_400_000;
const dates = Array.from({ length: nDays }, (_, t) => new Date((day0 + t) * 86_400_000).toISOString().slice(0, 10));
const symbols = Array.from({ length: nSymbols }, (_, i) => `C${i.toString(36).toUpperCase().padStart(3, "0")}`);

// Instruments: 55% of symbols have a perpetual, a tenth of those under a 1000x name; launches
// spread over the period; 8% delisted.
const inst = { symbol: [] as string[], base_coin: [] as string[], launch: [] as number[], delivery: [] as number[] };
const launchDay = new Map<string, number>();
const endDay = new Map<string, number>();
for (const s of symbols) {
  if (rand() >= 0.55) continue;
  const base = rand() < 0.1 ? `1000${s}` : s;
  const launch = Math.floor(rand() * rand() * nDays);
  const end = rand() < 0.08 ? launch + Math.floor(rand() * (nDays - launch)) : nDays;
  inst.symbol.push(`${base}USDT`);
  inst.base_coin.push(base);
  inst.launch.push((day0 + launch) * 86_400_000 + 3_600_000);
  inst.delivery.push(end < nDays ? (day0 + end) * 86_400_000 : 0);
  launchDay.set(s, launch);
  endDay.set(s, end);
}
const nInst = inst.symbol.length;
const instruments = NumerFrame.fromColumns({
  symbol: inst.symbol,
  base_coin: inst.base_coin,
  quote_coin: Array(nInst).fill("USDT"),
  contract_type: Array(nInst).fill("LinearPerpetual"),
  status: inst.delivery.map((d) => (d === 0 ? "Trading" : "Closed")),
  launch_time: Float64Array.from(inst.launch),
  delivery_time: Float64Array.from(inst.delivery),
  funding_interval_min: new Float64Array(nInst).fill(480),
});

// Market: one row per listed day per perpetual, lognormal turnover around $2M.
const mDate: string[] = [];
const mSymbol: string[] = [];
const mExchange: string[] = [];
const mClose: number[] = [];
const mTurnover: number[] = [];
inst.symbol.forEach((x, k) => {
  const s = symbols.find((c) => x === `${c}USDT` || x === `1000${c}USDT`)!;
  const scale = Math.exp(rand() * 4 - 2) * 2e6;
  for (let t = launchDay.get(s)!; t < endDay.get(s)!; t++) {
    mDate.push(dates[t]!);
    mSymbol.push(s);
    mExchange.push(inst.symbol[k]!);
    mClose.push(1 + rand());
    mTurnover.push(scale * Math.exp(rand() - 0.5));
  }
});
const market = NumerFrame.fromColumns({
  date: mDate,
  symbol: mSymbol,
  exchange_symbol: mExchange,
  close: Float64Array.from(mClose),
  turnover_usd: Float64Array.from(mTurnover),
  funding_rate: new Float64Array(mDate.length),
});

// Signals: every symbol every day.
const sDate: string[] = [];
const sSymbol: string[] = [];
for (const d of dates) for (const s of symbols) (sDate.push(d), sSymbol.push(s));
const signals = NumerFrame.fromColumns({ date: sDate, symbol: sSymbol, prediction: Float64Array.from(sDate, () => rand()) });

const { mapping } = mapSymbols(symbols, instruments);
const universe = tradableUniverse({ signals, instruments, market, mapping });

await bench({ name: `mapSymbols ${nSymbols} symbols x ${nInst} instruments`, rows: nSymbols, run: () => mapSymbols(symbols, instruments) });
await bench({
  name: `tradableUniverse ${signals.numRows} signal rows, ${market.numRows} market rows`,
  rows: signals.numRows,
  runs: 5,
  targetMs: 1000,
  run: () => tradableUniverse({ signals, instruments, market, mapping }),
});
await bench({
  name: "tradableUniverse with topN 100",
  rows: signals.numRows,
  runs: 3,
  run: () => tradableUniverse({ signals, instruments, market, mapping }, { topN: 100 }),
});
await bench({ name: "universeSummary", rows: universe.numRows, run: () => universeSummary(universe) });
await bench({ name: "filterTradable", rows: signals.numRows, run: () => filterTradable(signals, universe) });
const perDate = universeSummary(universe).perDate.numeric("tradable");
console.log(`mapped ${mapping.numRows} of ${nSymbols}; tradable per date: first ${perDate[0]}, last ${perDate[perDate.length - 1]}`);
printResults("universe-filter (500 symbols x 5 years)");
