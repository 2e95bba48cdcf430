import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { days } from "./frames.js";


export interface SyntheticOptions {
  symbols: number;
  days: number;
  seed: number;
  /** Share of (day, symbol) rows dropped at random (gaps). */
  gapRate?: number;
  /** Share of symbols delisted at a random day (rows stop). */
  delistRate?: number;
  /** Funding rates drawn; false gives no funding column values (all NaN). */
  funding?: boolean;
  start?: string;
}

/**
 * A seeded synthetic market and daily signals: random-walk closes, random gaps and
 * delistings, daily funding rates, and predictions loosely correlated with the next returns.
 */
export function syntheticMarket(o: SyntheticOptions): { market: NumerFrame; signals: NumerFrame } {
  const rand = mulberry32(o.seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const ds = days(o.start ?? "2022-01-01", o.days);
  const names = Array.from({ length: o.symbols }, (_, i) => `S${String(i).padStart(4, "0")}`);
  const n = o.symbols * o.days;
  const mDate: string[] = [];
  const mSym: string[] = [];
  const close: number[] = [];
  const turnover: number[] = [];
  const rate: number[] = [];
  const sDate = new Array<string>(n);
  const sSym = new Array<string>(n);
  const pred = new Float64Array(n);
  let k = 0;
  for (let s = 0; s < o.symbols; s++) {
    let price = 1 + rand() * 99;
    const delistAt = rand() < (o.delistRate ?? 0) ? Math.floor(rand() * o.days) : o.days;
    for (let t = 0; t < o.days; t++) {
      const ret = 0.04 * normal();
      price *= Math.exp(ret);
      sDate[k] = ds[t]!;
      sSym[k] = names[s]!;
      pred[k] = rand() < 0.02 ? Number.NaN : Math.round(rand() * 1000) / 1000;
      k++;
      if (t >= delistAt || rand() < (o.gapRate ?? 0)) continue;
      mDate.push(ds[t]!);
      mSym.push(names[s]!);
      close.push(price);
      turnover.push(1e6 * (1 + rand() * 10));
      rate.push(o.funding === false ? Number.NaN : 0.0003 * normal());
    }
  }
  const market = NumerFrame.fromColumns({
    date: mDate,
    symbol: mSym,
    exchange_symbol: mSym.map((s) => `${s}USDT`),
    close: Float64Array.from(close),
    turnover_usd: Float64Array.from(turnover),
    funding_rate: Float64Array.from(rate),
  });
  const signals = NumerFrame.fromColumns({ date: sDate, symbol: sSym, prediction: pred });
  return { market, signals };
}
