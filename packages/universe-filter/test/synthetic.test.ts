import { syntheticCrypto } from "@nmrblox/synthetic";
import { describe, expect, it } from "vitest";
import { filterTradable, mapSymbols, tradableUniverse, universeSummary } from "../src/index.js";

/**
 * The default synthetic world (500 Numerai symbols, 2021-2025, about 55% with a USDT
 * perpetual, staggered launches and delistings), checked against its own ground truth
 * (the tokens frame) and against a naive row-by-row recomputation of the rules.
 */
describe("on the default synthetic set", () => {
  const world = syntheticCrypto();
  const { signals, instruments, market, tokens } = world;
  const { mapping, unmatched } = mapSymbols(signals, instruments);
  const universe = tradableUniverse({ signals, instruments, market, mapping });
  const perDate = universeSummary(universe).perDate;
  const dates = perDate.strings("date");
  const tradable = perDate.numeric("tradable");

  it("maps about 275 symbols, exactly those whose token has a listed USDT perpetual", () => {
    const inst = instruments.toColumns() as Record<string, readonly string[]>;
    const eligible = new Set<string>();
    for (let i = 0; i < instruments.numRows; i++) {
      if (inst.contract_type![i] === "LinearPerpetual" && inst.quote_coin![i] === "USDT" && inst.status![i] !== "PreLaunch") eligible.add(inst.symbol![i]!);
    }
    const tokSymbol = tokens.strings("symbol");
    const tokBase = tokens.strings("base_coin");
    const tokMultiplier = tokens.float64("multiplier");
    const inSignals = new Set(signals.strings("symbol"));
    const expected = new Map<string, [string, number]>();
    tokSymbol.forEach((s, i) => {
      if (inSignals.has(s) && eligible.has(`${tokBase[i]}USDT`)) expected.set(s, [`${tokBase[i]}USDT`, tokMultiplier[i]!]);
    });
    const got = new Map<string, [string, number]>();
    const ms = mapping.strings("symbol");
    const mx = mapping.strings("exchange_symbol");
    const mm = mapping.float64("multiplier");
    ms.forEach((s, i) => got.set(s, [mx[i]!, mm[i]!]));
    expect(got).toEqual(expected);
    expect(mapping.numRows).toBeGreaterThanOrEqual(250);
    expect(mapping.numRows).toBeLessThanOrEqual(300);
    expect([...mm].some((m) => m > 1)).toBe(true);
    expect(unmatched.length + mapping.numRows).toBe(inSignals.size);
  });

  it("pins the tradable count per date within a range once the listings have settled", () => {
    // The count grows as perpetuals launch during the period; over the last year it stays
    // below the ~275 mapped symbols (stablecoins, staked tokens, delistings, thin turnover and
    // symbols outside that day's Numerai universe come off).
    const lastYear = dates.map((d, i) => [d, tradable[i]!] as const).filter(([d]) => d >= "2025-01-01");
    expect(lastYear.length).toBeGreaterThan(250);
    for (const [, count] of lastYear) {
      expect(count).toBeGreaterThanOrEqual(150);
      expect(count).toBeLessThanOrEqual(275);
    }
    for (let i = 0; i < dates.length; i++) expect(tradable[i]).toBeLessThanOrEqual(mapping.numRows);
  });

  it("matches a naive recomputation of every rule on sampled dates", () => {
    const category = new Map(tokens.strings("symbol").map((s, i) => [s, tokens.strings("category")[i]!]));
    const exchangeOf = new Map(mapping.strings("symbol").map((s, i) => [s, mapping.strings("exchange_symbol")[i]!]));
    const inst = new Map(
      instruments.strings("symbol").map((x, i) => [x, [instruments.float64("launch_time")[i]!, instruments.float64("delivery_time")[i]!]] as const),
    );
    const mDate = market.strings("date");
    const mExchange = market.strings("exchange_symbol");
    const mClose = market.float64("close");
    const mTurnover = market.float64("turnover_usd");
    const sDate = signals.strings("date");
    const sSymbol = signals.strings("symbol");
    const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
    for (const date of [dates[0]!, dates[200]!, dates[600]!, dates[900]!, dates.at(-1)!]) {
      const d = dayMs(date);
      let count = 0;
      for (let i = 0; i < sDate.length; i++) {
        if (sDate[i] !== date) continue;
        const s = sSymbol[i]!;
        if (category.get(s) !== "coin") continue;
        const x = exchangeOf.get(s);
        if (x === undefined) continue;
        const [launch, delivery] = inst.get(x)!;
        if (d < Math.floor(launch / 86_400_000) * 86_400_000 + 30 * 86_400_000) continue;
        if (delivery > 0 && d >= Math.floor(delivery / 86_400_000) * 86_400_000) continue;
        let close = Number.NaN;
        const window: number[] = [];
        for (let j = 0; j < mDate.length; j++) {
          if (mExchange[j] !== x) continue;
          const t = dayMs(mDate[j]!);
          if (t === d) close = mClose[j]!;
          if (t < d && t >= d - 30 * 86_400_000 && Number.isFinite(mTurnover[j]!)) window.push(mTurnover[j]!);
        }
        if (!(close > 0) || window.length === 0) continue;
        window.sort((a, b) => a - b);
        const h = window.length >> 1;
        const median = window.length % 2 === 1 ? window[h]! : (window[h - 1]! + window[h]!) / 2;
        if (median >= 500_000) count++;
      }
      expect(tradable[dates.indexOf(date)]).toBe(count);
    }
  });

  it("filters the signals to the tradable rows in one call", () => {
    const kept = filterTradable(signals, universe);
    let total = 0;
    for (const c of tradable) total += c;
    expect(kept.numRows).toBe(total);
  });
});
