import { instrumentsContract, writeParquet } from "@nmrblox/numerframe";
import { withTempDir } from "@nmrblox/fixtures";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { InvalidOptionError, type SyntheticCrypto, syntheticCrypto, syntheticCryptoOptions } from "../src/index.js";
import { excessKurtosis, groupRows, mean, pearson, spearman } from "./stats.js";

const DAY = 86_400_000;
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

/** Close-to-close log returns of each symbol over consecutive calendar days only (gaps skipped). */
function dailyReturns(world: SyntheticCrypto): Map<string, { day: number[]; ret: number[]; row: number[] }> {
  const m = world.market;
  const close = m.float64("close");
  const dates = m.strings("date");
  const out = new Map<string, { day: number[]; ret: number[]; row: number[] }>();
  for (const [symbol, rows] of groupRows(m.strings("symbol"))) {
    const series = { day: [] as number[], ret: [] as number[], row: [] as number[] };
    for (let k = 1; k < rows.length; k++) {
      const a = rows[k - 1]!;
      const b = rows[k]!;
      if (dayOf(dates[b]!) - dayOf(dates[a]!) !== 1) continue;
      series.day.push(dayOf(dates[b]!));
      series.ret.push(Math.log(close[b]! / close[a]!));
      series.row.push(b);
    }
    out.set(symbol, series);
  }
  return out;
}

describe("syntheticCrypto, default options (500 symbols, 2021-2025)", () => {
  let world: SyntheticCrypto;
  let returns: ReturnType<typeof dailyReturns>;
  beforeAll(() => {
    world = syntheticCrypto();
    returns = dailyReturns(world);
  });

  it("has the documented columns and types", () => {
    expect(world.signals.columnNames).toEqual(["date", "symbol", "prediction"]);
    expect(world.market.columnNames).toEqual(["date", "symbol", "exchange_symbol", "close", "turnover_usd", "funding_rate"]);
    // Exactly numerframe's instruments contract, optional columns included, in its order.
    expect(world.instruments.columnNames).toEqual(instrumentsContract.columns.map((c) => c.name));
    expect(world.targets.columnNames).toEqual(["date", "symbol", "target_20d"]);
    expect(world.universe.columnNames).toEqual(["date", "symbol"]);
    expect(world.signals.kind).toBe("crypto");
    expect(world.signals.eraCol).toBe("date");
    expect(world.signals.idCol).toBe("symbol");
    for (const c of ["close", "turnover_usd", "funding_rate"]) expect(world.market.numeric(c)).toBeInstanceOf(Float64Array);
    expect(world.signals.numeric("prediction")).toBeInstanceOf(Float64Array);
    expect(world.tokens.numRows).toBe(500);
    expect(world.market.strings("date")[0]).toBe("2021-01-01");
  });

  it("has mean per-date rank IC of prediction vs target_20d in [0.015, 0.05]", () => {
    const pred = world.signals.float64("prediction");
    const target = world.targets.float64("target_20d");
    // targets are the leading rows of signals (same date-major order), so rows align.
    expect(world.targets.strings("symbol")).toEqual(world.signals.strings("symbol").slice(0, world.targets.numRows));
    const ics: number[] = [];
    for (const [, rows] of groupRows(world.targets.strings("date"))) {
      ics.push(spearman(rows.map((i) => pred[i]!), rows.map((i) => target[i]!)));
    }
    const ic = mean(ics);
    expect(ic).toBeGreaterThanOrEqual(0.015);
    expect(ic).toBeLessThanOrEqual(0.05);
  });

  it("bins targets 5 / 20 / 50 / 20 / 5 % and keeps predictions inside (0, 1)", () => {
    const target = world.targets.float64("target_20d");
    const counts = new Map<number, number>();
    for (const v of target) counts.set(v, (counts.get(v) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    const share = (v: number) => counts.get(v)! / target.length;
    expect(share(0)).toBeCloseTo(0.05, 2);
    expect(share(0.25)).toBeCloseTo(0.2, 2);
    expect(share(0.5)).toBeCloseTo(0.5, 2);
    expect(share(1)).toBeCloseTo(0.05, 2);
    const pred = world.signals.float64("prediction");
    let lo = 1;
    let hi = 0;
    for (const p of pred) {
      lo = Math.min(lo, p);
      hi = Math.max(hi, p);
    }
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1);
    expect(Math.abs(mean(pred) - 0.5)).toBeLessThan(0.01);
  });

  it("lists a USDT perpetual for a share of Numerai symbols in [0.5, 0.6]", () => {
    const inst = world.instruments;
    const numerai = new Set(world.tokens.strings("symbol"));
    const baseToSymbol = new Map(world.tokens.strings("base_coin").map((b, i) => [b, world.tokens.strings("symbol")[i]!]));
    const listed = new Set<string>();
    inst.strings("symbol").forEach((_, i) => {
      if (inst.strings("contract_type")[i] !== "LinearPerpetual" || inst.strings("quote_coin")[i] !== "USDT") return;
      if (inst.strings("status")[i] === "PreLaunch") return;
      const sym = baseToSymbol.get(inst.strings("base_coin")[i]!);
      if (sym !== undefined && numerai.has(sym)) listed.add(sym);
    });
    const share = listed.size / numerai.size;
    expect(share).toBeGreaterThanOrEqual(0.5);
    expect(share).toBeLessThanOrEqual(0.6);
    expect(new Set(world.market.strings("symbol")).size).toBe(listed.size);
  });

  it("has daily returns with excess kurtosis above 5 and clustered volatility", () => {
    const all: number[] = [];
    const perSymbol: number[] = [];
    let btc: number[] = [];
    for (const [symbol, s] of returns) {
      all.push(...s.ret);
      if (s.ret.length > 300) perSymbol.push(excessKurtosis(s.ret));
      if (symbol === "BTC") btc = s.ret;
    }
    expect(excessKurtosis(all)).toBeGreaterThan(5);
    perSymbol.sort((a, b) => a - b);
    expect(perSymbol[perSymbol.length >> 1]!).toBeGreaterThan(5);
    // Volatility clustering: absolute returns are autocorrelated though returns are not.
    const abs = btc.map(Math.abs);
    expect(pearson(abs.slice(1), abs.slice(0, -1))).toBeGreaterThan(0.1);
    expect(Math.abs(pearson(btc.slice(1), btc.slice(0, -1)))).toBeLessThan(0.1);
  });

  it("moves coins with a common market factor", () => {
    const series = returns;
    const btc = series.get("BTC")!;
    const btcByDay = new Map(btc.day.map((d, k) => [d, btc.ret[k]!]));
    const correlations: number[] = [];
    for (const [symbol, s] of series) {
      if (symbol === "BTC" || s.ret.length < 300) continue;
      const x: number[] = [];
      const y: number[] = [];
      s.day.forEach((d, k) => {
        const b = btcByDay.get(d);
        if (b !== undefined) {
          x.push(b);
          y.push(s.ret[k]!);
        }
      });
      correlations.push(spearman(x, y));
    }
    correlations.sort((a, b) => a - b);
    expect(correlations[correlations.length >> 1]!).toBeGreaterThan(0.3);
  });

  it("has pump-and-dump episodes: a 5-day gain above 40 % given back within 20 days", () => {
    const close = world.market.float64("close");
    let episodes = 0;
    for (const [, s] of returns) {
      const r = s.ret;
      for (let t = 5; t + 20 < r.length; t++) {
        let up = 0;
        for (let k = t - 5; k < t; k++) up += r[k]!;
        if (up < Math.log(1.4)) continue;
        let down = 0;
        for (let k = t; k < t + 20; k++) down += r[k]!;
        if (down < -0.7 * up) {
          episodes++;
          t += 25;
        }
      }
    }
    expect(close.length).toBeGreaterThan(0);
    expect(episodes).toBeGreaterThan(50);
  });

  it("charges funding that rises with the trailing 20-day return (pumping coins pay most)", () => {
    const m = world.market;
    const close = m.float64("close");
    const funding = m.float64("funding_rate");
    const dates = m.strings("date");
    const trailing: number[] = [];
    const rate: number[] = [];
    for (const [, rows] of groupRows(m.strings("symbol"))) {
      for (let k = 20; k < rows.length; k++) {
        const a = rows[k - 20]!;
        const b = rows[k]!;
        if (dayOf(dates[b]!) - dayOf(dates[a]!) !== 20) continue;
        trailing.push(close[b]! / close[a]! - 1);
        rate.push(funding[b]!);
      }
    }
    expect(spearman(trailing, rate)).toBeGreaterThan(0.3);
    expect(pearson(trailing, rate)).toBeGreaterThan(0);
    const pumping = rate.filter((_, i) => trailing[i]! > 0.5);
    expect(pumping.length).toBeGreaterThan(100);
    expect(mean(pumping)).toBeGreaterThan(3 * Math.abs(mean(rate)));
    expect(mean(pumping)).toBeGreaterThan(0);
  });

  it("uses 8 h, 4 h and 1 h funding intervals on USDT perpetuals", () => {
    const inst = world.instruments;
    const intervals = new Set<number>();
    inst.numeric("funding_interval_min").forEach((v, i) => {
      if (inst.strings("contract_type")[i] === "LinearPerpetual") intervals.add(v);
    });
    expect([...intervals].sort((a, b) => a - b)).toEqual([60, 240, 480]);
  });

  it("never signals on Saturdays or Sundays, and the universe matches the signals", () => {
    const days = new Set(world.signals.strings("date"));
    for (const d of days) {
      const dow = new Date(`${d}T00:00:00Z`).getUTCDay();
      expect(dow === 0 || dow === 6, d).toBe(false);
    }
    let weekdays = 0;
    for (let d = dayOf("2021-01-01"); d <= dayOf("2025-12-31"); d++) {
      const dow = new Date(d * DAY).getUTCDay();
      if (dow !== 0 && dow !== 6) weekdays++;
    }
    expect(days.size).toBe(weekdays);
    expect(world.universe.strings("date")).toBe(world.signals.strings("date"));
  });

  it("prices perpetuals every calendar day while listed, never before launch or after delisting", () => {
    const inst = world.instruments;
    const m = world.market;
    const rowsBySymbol = groupRows(m.strings("exchange_symbol"));
    const start = dayOf("2021-01-01");
    let closed = 0;
    let launchedInside = 0;
    let gaps = 0;
    inst.strings("symbol").forEach((sym, i) => {
      const rows = rowsBySymbol.get(sym);
      const isUsdtPerp = inst.strings("contract_type")[i] === "LinearPerpetual" && inst.strings("quote_coin")[i] === "USDT";
      const status = inst.strings("status")[i]!;
      if (!isUsdtPerp || status === "PreLaunch") {
        expect(rows, sym).toBeUndefined();
        return;
      }
      const days = rows!.map((r) => dayOf(m.strings("date")[r]!));
      const launch = Math.floor(inst.numeric("launch_time")[i]! / DAY);
      const delivery = inst.numeric("delivery_time")[i]!;
      expect(days[0]).toBe(Math.max(start, launch));
      if (launch > start) launchedInside++;
      if (status === "Closed") {
        closed++;
        expect(delivery).toBeGreaterThan(0);
        expect(days.at(-1)).toBe(Math.floor(delivery / DAY));
      } else {
        expect(delivery).toBe(0);
        expect(days.at(-1)).toBe(dayOf("2025-12-31"));
      }
      gaps += days.at(-1)! - days[0]! + 1 - days.length;
    });
    expect(closed).toBeGreaterThanOrEqual(15);
    expect(launchedInside).toBeGreaterThanOrEqual(30);
    expect(gaps).toBeGreaterThan(50);
    let positive = true;
    for (const c of m.float64("close")) positive &&= c > 0;
    expect(positive).toBe(true);
  });

  it("names contracts the Bybit way, including multipliers, and keys market rows by Numerai symbol", () => {
    const symbols = new Set(world.instruments.strings("symbol"));
    for (const s of ["1000PEPEUSDT", "10000SATSUSDT", "1000000MOGUSDT", "SHIB1000USDT", "BTCUSDT", "BTCPERP"]) {
      expect(symbols.has(s), s).toBe(true);
    }
    const inst = world.instruments;
    const types = new Set(inst.strings("contract_type").map((t, i) => `${t}/${inst.strings("quote_coin")[i]}`));
    expect(types).toEqual(new Set(["LinearPerpetual/USDT", "LinearPerpetual/USDC", "LinearFutures/USDT"]));
    expect(new Set(inst.strings("status"))).toEqual(new Set(["Trading", "Closed", "PreLaunch"]));
    const m = world.market;
    const pepe = m.strings("symbol").indexOf("PEPE");
    expect(m.strings("exchange_symbol")[pepe]).toBe("1000PEPEUSDT");
    const shib = m.strings("symbol").indexOf("SHIB");
    expect(m.strings("exchange_symbol")[shib]).toBe("SHIB1000USDT");
  });

  it("puts stablecoins and staked or wrapped tokens in the Numerai universe", () => {
    const universe = new Set(world.universe.strings("symbol"));
    for (const s of ["USDC", "USDT", "DAI", "FDUSD", "STETH", "WBTC", "WEETH"]) expect(universe.has(s), s).toBe(true);
    const cat = new Map(world.tokens.strings("symbol").map((s, i) => [s, world.tokens.strings("category")[i]!]));
    expect(cat.get("USDC")).toBe("stablecoin");
    expect(cat.get("STETH")).toBe("staked");
    expect(cat.get("BTC")).toBe("coin");
  });
});

describe("syntheticCrypto, reproducibility and small sizes", () => {
  const small = { symbols: 30, start: "2024-01-01", end: "2024-03-31" };

  it("builds a small world with the key names", () => {
    const w = syntheticCrypto(small);
    expect(w.tokens.numRows).toBe(30);
    const syms = new Set(w.universe.strings("symbol"));
    for (const s of ["BTC", "ETH", "NMR", "PEPE", "USDC", "STETH"]) expect(syms.has(s), s).toBe(true);
    expect(w.market.numRows).toBeGreaterThan(500);
    expect(w.market.strings("date").at(-1)).toBe("2024-03-31");
    expect(w.signals.strings("date").at(-1)).toBe("2024-03-29");
  });

  it("gives byte-identical output for the same seed and different output for another seed", async () => {
    const bytes = async (w: SyntheticCrypto) =>
      withTempDir(async (dir) => {
        const out: Buffer[] = [];
        for (const [name, frame] of Object.entries(w)) {
          await writeParquet(frame, join(dir, `${name}.parquet`));
          out.push(await readFile(join(dir, `${name}.parquet`)));
        }
        return Buffer.concat(out);
      });
    const a = await bytes(syntheticCrypto({ ...small, seed: 5 }));
    const b = await bytes(syntheticCrypto({ ...small, seed: 5 }));
    const c = await bytes(syntheticCrypto({ ...small, seed: 6 }));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(c)).toBe(false);
    const p5 = syntheticCrypto({ ...small, seed: 5 }).signals.float64("prediction");
    const p6 = syntheticCrypto({ ...small, seed: 6 }).signals.float64("prediction");
    expect(p5[0]).not.toBe(p6[0]);
  });

  it("follows the ic option: zero IC gives a mean rank IC near zero", () => {
    const w = syntheticCrypto({ symbols: 200, start: "2022-01-01", end: "2023-12-31", ic: 0 });
    const pred = w.signals.float64("prediction");
    const target = w.targets.float64("target_20d");
    const ics: number[] = [];
    for (const [, rows] of groupRows(w.targets.strings("date"))) ics.push(spearman(rows.map((i) => pred[i]!), rows.map((i) => target[i]!)));
    expect(Math.abs(mean(ics))).toBeLessThan(0.012);
  });

  it("rejects bad options with an InvalidOptionError naming the option", () => {
    const bad = (o: object, option: string) => {
      try {
        syntheticCrypto(o);
      } catch (err) {
        expect(err).toBeInstanceOf(InvalidOptionError);
        expect((err as InvalidOptionError).option).toBe(option);
        expect((err as InvalidOptionError).code).toBe("INVALID_OPTION");
        expect((err as InvalidOptionError).where).toBe("syntheticCrypto");
        return;
      }
      throw new Error(`no error for ${JSON.stringify(o)}`);
    };
    bad({ start: "2024-02-30" }, "start");
    bad({ start: "2024-03-01", end: "2024-03-10" }, "end");
    bad({ symbols: 5 }, "symbols");
    bad({ perpetualShare: 1.5 }, "perpetualShare");
    expect(syntheticCryptoOptions.parse({}).symbols).toBe(500);
  });
});
