// Test fixtures for the trading half of the evaluator: daily and tranche frames in the shape
// @nmrblox/backtest returns, built without depending on it.
import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";

/** Calendar days from `start` (YYYY-MM-DD), `count` of them. */
export function calendarDays(start: string, count: number): string[] {
  const t0 = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(t0 + i * 86_400_000).toISOString().slice(0, 10));
}

export interface DailyInput {
  dates: string[];
  /** Daily returns r_t; equity compounds them (equity_t = equity_{t−1}(1 + r_t), equity_0 = 1) and net_t = r_t · equity_{t−1}. */
  returns: number[];
  fee?: number[];
  slippage?: number[];
  funding?: number[];
  turnover?: number[];
  positions?: number[];
  longExposure?: number[];
  shortExposure?: number[];
}

/** A daily backtest frame consistent with docs/backtest-accounting.md: net = gross − fee − slippage + funding, r_t = net_t / equity_{t−1}. */
export function dailyFrame(input: DailyInput): NumerFrame {
  const n = input.dates.length;
  const zeros = () => new Array<number>(n).fill(0);
  const fee = input.fee ?? zeros();
  const slippage = input.slippage ?? zeros();
  const funding = input.funding ?? zeros();
  const equity: number[] = [];
  const net: number[] = [];
  const gross: number[] = [];
  let prev = 1;
  for (let t = 0; t < n; t++) {
    const r = input.returns[t]!;
    net.push(prev * r);
    gross.push(prev * r + fee[t]! + slippage[t]! - funding[t]!);
    prev = prev * (1 + r);
    equity.push(prev);
  }
  const long = input.longExposure ?? new Array<number>(n).fill(0.5);
  const short = input.shortExposure ?? new Array<number>(n).fill(0.5);
  return NumerFrame.fromColumns({
    date: input.dates,
    gross_pnl: gross,
    fee,
    slippage,
    funding,
    net_pnl: net,
    equity,
    return: [...input.returns],
    long_exposure: long,
    short_exposure: short,
    gross_exposure: long.map((l, i) => l + short[i]!),
    turnover: input.turnover ?? zeros(),
    positions: input.positions ?? new Array<number>(n).fill(50),
  }).withProvenance({ blox: "test.dailyFrame", options: { days: n }, at: "2024-01-01T00:00:00.000Z" });
}

/** A tranche frame; `status` and `net_pnl` are what the statistics read. */
export function tranchesFrame(status: ("closed" | "open")[], netPnl: number[]): NumerFrame {
  const n = status.length;
  return NumerFrame.fromColumns({
    tranche: Int32Array.from({ length: n }, (_, i) => i),
    signal_date: calendarDays("2024-01-01", n),
    entry: calendarDays("2024-01-02", n),
    exit: calendarDays("2024-01-31", n),
    status,
    long_count: new Array<number>(n).fill(25),
    short_count: new Array<number>(n).fill(25),
    gross_pnl: netPnl.map((x) => x + 0.001),
    fee: new Array<number>(n).fill(0.0006),
    slippage: new Array<number>(n).fill(0.0005),
    funding: new Array<number>(n).fill(0.0001),
    net_pnl: netPnl,
  });
}


/** A plausible multi-year backtest result: daily frame, tranches, options, scores per era. */
export function syntheticBacktest(days: number, seed = 7, eraCount = Math.min(200, days)) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dates = calendarDays("2020-01-01", days);
  const returns: number[] = [];
  const fee: number[] = [];
  const slippage: number[] = [];
  const funding: number[] = [];
  const turnover: number[] = [];
  const positions: number[] = [];
  const longExposure: number[] = [];
  const shortExposure: number[] = [];
  for (let t = 0; t < days; t++) {
    const ramp = Math.min(1, (t + 1) / 20);
    const tv = t === 0 ? 0 : 0.05 * ramp * (0.8 + 0.4 * rand());
    turnover.push(tv);
    fee.push(tv * 0.00055);
    slippage.push(tv * 0.0005);
    funding.push(0.00002 * normal());
    returns.push(t === 0 ? -0.00105 * tv : 0.0008 * ramp + 0.012 * ramp * normal());
    positions.push(50 * ramp);
    longExposure.push(0.5 * ramp * (1 + 0.05 * normal()));
    shortExposure.push(0.5 * ramp * (1 + 0.05 * normal()));
  }
  const daily = dailyFrame({ dates, returns, fee, slippage, funding, turnover, positions, longExposure, shortExposure });
  const tranchesN = Math.max(1, days - 31);
  const tranches = tranchesFrame(
    Array.from({ length: tranchesN }, (_, i) => (i < tranchesN - 20 ? "closed" : "open")),
    Array.from({ length: tranchesN }, () => 0.002 + 0.01 * normal()),
  );
  const eras = calendarDays("2020-01-01", eraCount);
  const scores = NumerFrame.fromColumns(
    { era: eras, corr: eras.map(() => 0.01 + 0.03 * normal()), mmc: eras.map(() => 0.002 + 0.01 * normal()) },
    { eraCol: "era" },
  );
  const options = { long: 25, short: 25, lag: 1, hold: 30, tranches: 20, leverage: 1, fee: 0.00055, slippage: 0.0005, netting: true };
  return { daily, tranches, options, scores };
}

/**
 * A market (date, symbol, close) and signals (date, symbol, prediction) where the prediction
 * carries a little information about the next 30 days' drift, for factor-analysis charts.
 */
export function syntheticMarketAndSignals(days: number, symbols: number, seed = 11) {
  const rand = mulberry32(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dates = calendarDays("2020-01-01", days);
  const names = Array.from({ length: symbols }, (_, j) => `C${String(j).padStart(3, "0")}`);
  const drift = names.map(() => 0.001 * normal());
  const price = names.map(() => 10 + 90 * rand());
  const mDate: string[] = [];
  const mSymbol: string[] = [];
  const mClose: number[] = [];
  const sDate: string[] = [];
  const sSymbol: string[] = [];
  const sPred: number[] = [];
  for (let t = 0; t < days; t++) {
    if (t % 30 === 0) for (let j = 0; j < symbols; j++) drift[j] = 0.001 * normal();
    for (let j = 0; j < symbols; j++) {
      price[j] = price[j]! * Math.exp(drift[j]! + 0.03 * normal());
      mDate.push(dates[t]!);
      mSymbol.push(names[j]!);
      mClose.push(price[j]!);
      sDate.push(dates[t]!);
      sSymbol.push(names[j]!);
      sPred.push(1 / (1 + Math.exp(-(drift[j]! * 800 + normal()))));
    }
  }
  return {
    market: NumerFrame.fromColumns({ date: mDate, symbol: mSymbol, close: mClose }),
    signals: NumerFrame.fromColumns({ date: sDate, symbol: sSymbol, prediction: sPred }),
  };
}

/**
 * Everything a full tear sheet reads, consistent with itself: the daily frame with the leg
 * columns (long + short price PnL = gross_pnl, long + short funding = funding), a per-symbol
 * attribution whose sums equal the daily totals, a book of weekly tranches, and a market with
 * BTC and the traded coins over the same days, with a universe.
 */
export function syntheticTearSheet(days: number, symbols = 40, seed = 5) {
  const base = syntheticBacktest(days, seed, Math.min(days, 260));
  const rand = mulberry32(seed + 1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const dates = base.daily.strings("date");
  const gross = base.daily.float64("gross_pnl");
  const funding = base.daily.float64("funding");
  const longPrice = Float64Array.from(gross, (g) => 0.5 * g + 0.004 * normal());
  const shortPrice = Float64Array.from(gross, (g, t) => g - longPrice[t]!);
  const longFunding = Float64Array.from(funding, (f) => 0.4 * f - 0.00001);
  const shortFunding = Float64Array.from(funding, (f, t) => f - longFunding[t]!);
  const daily = base.daily
    .withColumn("long_price_pnl", longPrice)
    .withColumn("long_funding", longFunding)
    .withColumn("short_price_pnl", shortPrice)
    .withColumn("short_funding", shortFunding);
  const names = ["BTC", ...Array.from({ length: symbols - 1 }, (_, j) => `C${String(j).padStart(3, "0")}`)];
  // Attribution: random shares of each total per symbol, the last symbol taking the remainder (sums exact up to rounding).
  const total = (v: Float64Array) => v.reduce((a, b) => a + b, 0);
  // Price and funding differ in sign across symbols; fees and slippage are positive everywhere.
  const split = (sum: number, signed = true) => {
    const parts = names.map(() => (signed ? sum / names.length + 0.01 * normal() : (sum / names.length) * (0.5 + rand())));
    parts[parts.length - 1] = sum - parts.slice(0, -1).reduce((a, b) => a + b, 0);
    return parts;
  };
  const price = split(total(gross));
  const fund = split(total(funding));
  const fee = split(total(base.daily.float64("fee")), false);
  const slip = split(total(base.daily.float64("slippage")), false);
  const daysLong = names.map(() => Math.floor(rand() * days * 0.5));
  const daysShort = names.map((_, j) => (j % 3 === 0 ? 0 : Math.floor(rand() * days * 0.5)));
  const attribution = NumerFrame.fromColumns({
    symbol: names,
    price_pnl: price,
    funding: fund,
    fee,
    slippage: slip,
    net_pnl: names.map((_, j) => price[j]! + fund[j]! - fee[j]! - slip[j]!),
    days_long: daysLong,
    days_short: daysShort,
  });
  // Weekly tranches of 5 long and 5 short names.
  const book = { tranche: [] as number[], signal_date: [] as string[], entry: [] as string[], exit: [] as string[], symbol: [] as string[], quantity: [] as number[], notional: [] as number[] };
  for (let k = 0, t = 0; t + 1 < days; k++, t += 7) {
    const pick = names.slice(1).sort(() => rand() - 0.5);
    for (let j = 0; j < 10; j++) {
      book.tranche.push(k);
      book.signal_date.push(dates[t]!);
      book.entry.push(dates[t + 1]!);
      book.exit.push(dates[Math.min(days - 1, t + 30)]!);
      book.symbol.push(pick[j]!);
      book.quantity.push(j < 5 ? 1 : -1);
      book.notional.push(j < 5 ? 0.01 : -0.01);
    }
  }
  const mDate: string[] = [];
  const mSymbol: string[] = [];
  const mClose: number[] = [];
  const uDate: string[] = [];
  const uSymbol: string[] = [];
  const uTradable: boolean[] = [];
  const px = names.map((_, j) => (j === 0 ? 7000 : 1 + 10 * rand()));
  for (let t = 0; t < days; t++) {
    for (let j = 0; j < names.length; j++) {
      px[j] = px[j]! * Math.exp((j === 0 ? 0.0015 : 0.0005) + 0.035 * normal());
      mDate.push(dates[t]!);
      mSymbol.push(names[j]!);
      mClose.push(px[j]!);
      uDate.push(dates[t]!);
      uSymbol.push(names[j]!);
      uTradable.push(j % 4 !== 3);
    }
  }
  return {
    ...base,
    daily,
    attribution,
    book: NumerFrame.fromColumns(book),
    market: NumerFrame.fromColumns({ date: mDate, symbol: mSymbol, close: mClose }),
    universe: NumerFrame.fromColumns({ date: uDate, symbol: uSymbol, tradable: uTradable }),
  };
}
