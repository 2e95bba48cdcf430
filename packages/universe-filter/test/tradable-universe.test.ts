import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  DuplicateExchangeSymbolError,
  DuplicateRowError,
  InvalidCloseError,
  InvalidDateError,
  InvalidOptionError,
  UnknownExchangeSymbolError,
  mapSymbols,
  tradableUniverse,
} from "../src/index.js";
import { day, instruments, market, ms, range, reasonsFor, reasonsOf, series, signals } from "./fixtures.js";

const noTurnoverRule = { minListingDays: 0, minMedianTurnoverUsd: 0 };

describe("tradableUniverse: listing age", () => {
  it("keeps a coin listed on day L untradable before L + minListingDays", () => {
    // Launched at 13:00 UTC on day 5; closes exist from the launch day on.
    const inst = instruments([{ symbol: "NEWUSDT", launch_time: ms(5, 13) }]);
    const mkt = market(series("NEW", 5, 20));
    const sig = signals(range(3, 12), ["NEW"]);
    const u = tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { minListingDays: 4, minMedianTurnoverUsd: 0 });
    expect(reasonsFor(u, "NEW", range(3, 12))).toEqual([
      "not_listed",
      "not_listed",
      "too_new", // day 5 = L
      "too_new",
      "too_new",
      "too_new", // day 8 = L + 3
      "ok", // day 9 = L + 4
      "ok",
      "ok",
      "ok",
    ]);
    const zero = tradableUniverse({ signals: sig, instruments: inst, market: mkt }, noTurnoverRule);
    expect(reasonsFor(zero, "NEW", [4, 5])).toEqual(["not_listed", "ok"]);
  });
});

describe("tradableUniverse: delisting", () => {
  it("drops a coin from its delivery day on, even while closes still arrive", () => {
    const inst = instruments([{ symbol: "OLDUSDT", status: "Closed", delivery_time: ms(10, 8) }, { symbol: "BTCUSDT" }]);
    const mkt = market([...series("OLD", 0, 14), ...series("BTC", 0, 14)]);
    const sig = signals(range(7, 13), ["OLD", "BTC"]);
    const u = tradableUniverse({ signals: sig, instruments: inst, market: mkt }, noTurnoverRule);
    expect(reasonsFor(u, "OLD", range(7, 13))).toEqual(["ok", "ok", "ok", "delisted", "delisted", "delisted", "delisted"]);
    expect(reasonsFor(u, "BTC", range(7, 13))).toEqual(Array(7).fill("ok"));
  });

  it("marks days after the last close as prices_ended and a gap as no_close", () => {
    const inst = instruments([{ symbol: "GONEUSDT" }, { symbol: "GAPUSDT" }, { symbol: "BTCUSDT" }]);
    const rows = [
      ...series("GONE", 0, 5),
      ...series("GAP", 0, 10).filter((r) => r.day !== 4 && r.day !== 6 && r.day !== 7),
      { day: 6, symbol: "GAP", close: Number.NaN },
      ...series("BTC", 0, 10),
    ];
    const sig = signals(range(3, 9), ["GONE", "GAP"]);
    const u = tradableUniverse({ signals: sig, instruments: inst, market: market(rows) }, noTurnoverRule);
    expect(reasonsFor(u, "GONE", range(3, 9))).toEqual(["ok", "ok", "ok", "prices_ended", "prices_ended", "prices_ended", "prices_ended"]);
    // Day 4: no row; day 6: NaN close; day 7: no row. Closes resume on day 8.
    expect(reasonsFor(u, "GAP", range(3, 9))).toEqual(["ok", "no_close", "ok", "no_close", "no_close", "ok", "ok"]);
  });

  it("calls a date after the whole market frame no_close, not prices_ended", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }]);
    const u = tradableUniverse({ signals: signals([5, 6], ["BTC"]), instruments: inst, market: market(series("BTC", 0, 5)) }, noTurnoverRule);
    expect(reasonsFor(u, "BTC", [5, 6])).toEqual(["ok", "no_close"]);
  });
});

describe("tradableUniverse: turnover uses only days before the date", () => {
  it("takes the median of the lookbackDays strictly before the date", () => {
    // Turnover on days 0..6: 100, 400, 300, 200, 1000, NaN (missing row), 50.
    const values = [100, 400, 300, 200, 1000, Number.NaN, 50];
    const rows = values.flatMap((t, k) => (Number.isNaN(t) ? [] : [{ day: k, symbol: "AAA", close: 1, turnover_usd: t }]));
    rows.push({ day: 7, symbol: "AAA", close: 1, turnover_usd: 0 });
    const inst = instruments([{ symbol: "AAAUSDT" }]);
    const sig = signals(range(0, 7), ["AAA"]);
    // Medians of the 3 days before each day (missing days skipped), checked by hand:
    // d0: none; d1: [100] = 100; d2: [100,400] = 250; d3: [100,400,300] = 300; d4: [400,300,200] = 300;
    // d5: [300,200,1000] = 300; d6: [200,1000] = 600; d7: [1000,50] = 525.
    const at = (min: number) =>
      reasonsFor(
        tradableUniverse({ signals: sig, instruments: inst, market: market(rows) }, { minListingDays: 0, lookbackDays: 3, minMedianTurnoverUsd: min }),
        "AAA",
        range(0, 7),
      );
    const okAt300 = ["no_turnover_history", "low_turnover", "low_turnover", "ok", "ok", "no_close", "ok", "ok"];
    expect(at(300)).toEqual(okAt300);
    // Day 5 has no close, so it fails on that first whatever its turnover.
    expect(at(301)).toEqual(["no_turnover_history", "low_turnover", "low_turnover", "low_turnover", "low_turnover", "no_close", "ok", "ok"]);
    expect(at(526)).toEqual(["no_turnover_history", "low_turnover", "low_turnover", "low_turnover", "low_turnover", "no_close", "ok", "low_turnover"]);
    expect(at(600)).toEqual(["no_turnover_history", "low_turnover", "low_turnover", "low_turnover", "low_turnover", "no_close", "ok", "low_turnover"]);
    expect(at(601)[6]).toBe("low_turnover");
  });

  it("fails if the turnover of the date itself or later leaks into the rule", () => {
    // Thin for days 0..9, then a huge spike from day 10 on. With a 3-day window the first
    // liquid day is 12 ([9, 10, 11] -> 1e9). A window that included the date would pass day 11
    // ([9, 10, 11] instead of [8, 9, 10]); one reaching further forward would pass earlier still.
    const inst = instruments([{ symbol: "PUMPUSDT" }]);
    const mkt = market(series("PUMP", 0, 20, (k) => (k < 10 ? 100 : 1e9)));
    const u = tradableUniverse(
      { signals: signals(range(8, 13), ["PUMP"]), instruments: inst, market: mkt },
      { minListingDays: 0, lookbackDays: 3, minMedianTurnoverUsd: 1e6 },
    );
    expect(reasonsFor(u, "PUMP", range(8, 13))).toEqual(["low_turnover", "low_turnover", "low_turnover", "low_turnover", "ok", "ok"]);
  });

  it("gives the same rows for dates up to D whatever the market says after D", () => {
    const symbols = ["AAA", "BBB", "CCC", "DDD"];
    const inst = instruments([
      { symbol: "AAAUSDT" },
      { symbol: "BBBUSDT", launch_time: ms(3) },
      { symbol: "CCCUSDT", delivery_time: ms(25) },
      { symbol: "DDDUSDT" },
    ]);
    const turnover = (s: number, k: number) => 2e5 + ((s * 7919 + k * 104729) % 9) * 1e5;
    const base = symbols.flatMap((sym, s) => series(sym, 0, 30, (k) => turnover(s, k)));
    const cut = 15;
    // After the cut: turnover x1000, closes changed, DDD's closes stop.
    const future = base
      .filter((r) => !(r.symbol === "DDD" && r.day > cut + 3))
      .map((r) => (r.day > cut ? { ...r, turnover_usd: r.turnover_usd! * 1000, close: 5 } : r));
    const sig = signals(range(0, 30), symbols);
    const opts = { minListingDays: 2, lookbackDays: 5, minMedianTurnoverUsd: 5e5, topN: 3 };
    const a = reasonsOf(tradableUniverse({ signals: sig, instruments: inst, market: market(base) }, opts));
    const b = reasonsOf(tradableUniverse({ signals: sig, instruments: inst, market: market(future) }, opts));
    const upTo = (r: Record<string, string>) => Object.fromEntries(Object.entries(r).filter(([k]) => k.slice(0, 10) <= day(cut)));
    expect(Object.keys(upTo(a))).toHaveLength((cut + 1) * symbols.length);
    expect(upTo(b)).toEqual(upTo(a));
    // The change is visible after the cut, so the comparison above is not vacuous.
    expect(b).not.toEqual(a);
    expect(new Set(Object.values(upTo(a)))).toEqual(new Set(["ok", "not_listed", "too_new", "no_turnover_history", "low_turnover", "outside_top_n"]));
  });
});

describe("tradableUniverse: exclusions, mapping and topN", () => {
  const inst = instruments([
    { symbol: "USDCUSDT" },
    { symbol: "WBTCUSDT" },
    { symbol: "STETHUSDT" },
    { symbol: "DOGEUSDT" },
    { symbol: "BTCUSDT" },
  ]);
  const mkt = market(["USDC", "WBTC", "STETH", "DOGE", "BTC"].flatMap((s) => series(s, 0, 10)));
  const sig = signals(range(5, 7), ["USDC", "WBTC", "STETH", "DOGE", "BTC", "FOO", "usdt"]);

  it("never lets excluded stablecoins, wrapped or liquid-staking tokens through", () => {
    const u = tradableUniverse({ signals: sig, instruments: inst, market: mkt }, noTurnoverRule);
    const r = reasonsOf(u);
    expect(reasonsFor(u, "USDC", range(5, 7))).toEqual(["stablecoin", "stablecoin", "stablecoin"]);
    expect(reasonsFor(u, "usdt", [5])).toEqual(["stablecoin"]);
    expect(reasonsFor(u, "WBTC", [5])).toEqual(["wrapped"]);
    expect(reasonsFor(u, "STETH", [5])).toEqual(["liquid_staking"]);
    expect(reasonsFor(u, "FOO", [5])).toEqual(["unmapped"]);
    expect(Object.entries(r).filter(([, v]) => v === "ok").map(([k]) => k.split("|")[1])).toEqual(["BTC", "DOGE", "BTC", "DOGE", "BTC", "DOGE"]);
    const tradable = u.numeric("tradable");
    const syms = u.strings("symbol");
    for (let i = 0; i < u.numRows; i++) if (["USDC", "usdt", "WBTC", "STETH"].includes(syms[i]!)) expect(tradable[i]).toBe(0);
    const exch = u.strings("exchange_symbol");
    expect(exch[syms.indexOf("FOO")]).toBe("");
    expect(exch[syms.indexOf("BTC")]).toBe("BTCUSDT");
  });

  it("lets each exclusion list be replaced", () => {
    const u = tradableUniverse(
      { signals: sig, instruments: inst, market: mkt },
      { ...noTurnoverRule, exclude: { stablecoins: [], symbols: ["doge"] } },
    );
    expect(reasonsFor(u, "USDC", [5])).toEqual(["ok"]);
    expect(reasonsFor(u, "DOGE", [5])).toEqual(["excluded"]);
    expect(reasonsFor(u, "WBTC", [5])).toEqual(["wrapped"]);
  });

  it("keeps the top N by trailing median turnover among otherwise tradable rows", () => {
    const inst2 = instruments([{ symbol: "AUSDT" }, { symbol: "BUSDT" }, { symbol: "CUSDT" }, { symbol: "DUSDT" }, { symbol: "EUSDT" }]);
    const rows = [
      ...series("A", 0, 4, () => 10),
      ...series("B", 0, 4, () => 30),
      ...series("C", 0, 4, () => 20),
      ...series("D", 0, 4, () => 20),
      // E is the most liquid but has no close on day 3, so it does not take a top slot.
      ...series("E", 0, 4, () => 99).filter((r) => r.day !== 3),
    ];
    const u = tradableUniverse(
      { signals: signals([3], ["A", "B", "C", "D", "E"]), instruments: inst2, market: market(rows) },
      { minListingDays: 0, minMedianTurnoverUsd: 0, topN: 2 },
    );
    // Medians: A 10, B 30, C 20, D 20 (tie with C: symbol order keeps C).
    expect(reasonsFor(u, "A", [3])).toEqual(["outside_top_n"]);
    expect(reasonsFor(u, "B", [3])).toEqual(["ok"]);
    expect(reasonsFor(u, "C", [3])).toEqual(["ok"]);
    expect(reasonsFor(u, "D", [3])).toEqual(["outside_top_n"]);
    expect(reasonsFor(u, "E", [3])).toEqual(["no_close"]);
  });

  it("uses a given mapping, and accepts a market keyed by exchange_symbol", () => {
    const inst3 = instruments([{ symbol: "1000PEPEUSDT" }, { symbol: "LUNA2USDT" }]);
    const { mapping } = mapSymbols(["PEPE", "LUNA"], inst3, { overrides: { LUNA: "LUNA2USDT" } });
    const rows = [...series("PEPE", 0, 5), ...series("LUNA", 0, 3)].map((r) => ({
      ...r,
      exchange_symbol: r.symbol === "PEPE" ? "1000PEPEUSDT" : "LUNA2USDT",
    }));
    const bySymbol = market(rows);
    const byExchange = bySymbol.drop(["symbol"]);
    const sig = signals(range(2, 5), ["PEPE", "LUNA"]);
    const a = tradableUniverse({ signals: sig, instruments: inst3, market: bySymbol, mapping }, noTurnoverRule);
    const b = tradableUniverse({ signals: sig, instruments: inst3, market: byExchange, mapping }, noTurnoverRule);
    expect(reasonsOf(b)).toEqual(reasonsOf(a));
    expect(reasonsFor(a, "LUNA", range(2, 5))).toEqual(["ok", "ok", "prices_ended", "prices_ended"]);
    // Without the mapping, LUNA has no instrument of its own name.
    const c = tradableUniverse({ signals: sig, instruments: inst3, market: bySymbol }, noTurnoverRule);
    expect(reasonsFor(c, "LUNA", [2])).toEqual(["unmapped"]);
    expect(reasonsFor(c, "PEPE", [2])).toEqual(["ok"]);
  });
});

describe("tradableUniverse: output", () => {
  it("has the universe shape, sorted by date then symbol, with provenance", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }, { symbol: "ETHUSDT" }]);
    const sig = NumerFrame.fromColumns({
      date: [day(2), day(1), day(2), day(1)],
      symbol: ["ETH", "ETH", "BTC", "XYZ"],
      prediction: [0.1, 0.2, 0.3, 0.4],
    });
    const u = tradableUniverse({ signals: sig, instruments: inst, market: market([...series("BTC", 0, 2), ...series("ETH", 0, 2)]) }, noTurnoverRule);
    expect(u.columnNames).toEqual(["date", "symbol", "exchange_symbol", "tradable", "reason"]);
    expect(u.strings("date")).toEqual([day(1), day(1), day(2), day(2)]);
    expect(u.strings("symbol")).toEqual(["ETH", "XYZ", "BTC", "ETH"]);
    expect(u.strings("exchange_symbol")).toEqual(["ETHUSDT", "", "BTCUSDT", "ETHUSDT"]);
    expect(u.column("tradable")).toEqual(new Uint8Array([1, 0, 1, 1]));
    expect(u.strings("reason")).toEqual(["ok", "unmapped", "ok", "ok"]);
    expect(u.eraCol).toBe("date");
    expect(u.idCol).toBe("symbol");
    const step = u.provenance.at(-1)!;
    expect(step.blox).toBe("tradableUniverse");
    expect(step.options).toMatchObject({ minListingDays: 0, lookbackDays: 30, minMedianTurnoverUsd: 0 });
  });
});

describe("tradableUniverse: filtered frames", () => {
  it("judges a filtered signals frame like the same rows built afresh (unused dictionary labels are no symbols)", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }, { symbol: "ETHUSDT" }]);
    const mkt = market([...series("BTC", 0, 4), ...series("ETH", 0, 4)]);
    const all = signals(range(1, 4), ["BTC", "ETH", "ZZZ"]);
    const syms = all.strings("symbol");
    const filtered = all.filter(Uint8Array.from(syms, (s) => (s === "ZZZ" ? 0 : 1)));
    const afresh = signals(range(1, 4), ["BTC", "ETH"]);
    const a = tradableUniverse({ signals: filtered, instruments: inst, market: mkt }, noTurnoverRule);
    const b = tradableUniverse({ signals: afresh, instruments: inst, market: mkt }, noTurnoverRule);
    expect(reasonsOf(a)).toEqual(reasonsOf(b));
    expect(a.numRows).toBe(8);
    expect(a.strings("reason").every((r) => r === "ok")).toBe(true);
  });
});

describe("tradableUniverse: bad input", () => {
  const inst = instruments([{ symbol: "BTCUSDT" }, { symbol: "ETHUSDT" }]);
  const mkt = market(series("BTC", 0, 3));
  const sig = signals([1, 2], ["BTC"]);

  it("names unknown and invalid options", () => {
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { minListingDay: 3 } as never)).toThrow(
      /option "minListingDay".*unknown option/,
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { exclude: { stables: [] } } as never)).toThrow(
      /option "exclude\.stables"/,
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { lookbackDays: 0 })).toThrow(InvalidOptionError);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { minListingDays: 1.5 })).toThrow(/minListingDays/);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt }, { topN: 0 })).toThrow(/option "topN"/);
  });

  it("names duplicate rows, bad dates and missing columns", () => {
    const dupSig = NumerFrame.fromColumns({ date: [day(1), day(1)], symbol: ["BTC", "BTC"], prediction: [0.1, 0.2] });
    expect(() => tradableUniverse({ signals: dupSig, instruments: inst, market: mkt })).toThrow(DuplicateRowError);
    expect(() => tradableUniverse({ signals: dupSig, instruments: inst, market: mkt })).toThrow(/signals: more than one row for date 2024-01-02, symbol BTC/);
    const dupMkt = market([...series("BTC", 0, 3), { day: 2, symbol: "BTC" }]);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: dupMkt })).toThrow(DuplicateRowError);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: dupMkt })).toThrow(/market: more than one row for date 2024-01-03, symbol BTC/);
    const badDate = NumerFrame.fromColumns({ date: ["2024-02-30"], symbol: ["BTC"], prediction: [0.5] });
    expect(() => tradableUniverse({ signals: badDate, instruments: inst, market: mkt })).toThrow(InvalidDateError);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt.drop(["turnover_usd"]) })).toThrow(
      expect.objectContaining({ code: "MISSING_COLUMN", column: "turnover_usd" }),
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt.drop(["symbol", "exchange_symbol"]) })).toThrow(
      expect.objectContaining({ code: "MISSING_COLUMN", column: "symbol" }),
    );
    expect(() => tradableUniverse({ signals: sig.drop(["symbol"]), instruments: inst, market: mkt })).toThrow(
      expect.objectContaining({ code: "MISSING_COLUMN", column: "symbol" }),
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt.withColumn("close", ["1", "1", "1", "1"]) })).toThrow(
      expect.objectContaining({ code: "NON_NUMERIC_COLUMN", column: "close" }),
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: mkt.take(new Int32Array(0)) })).toThrow(
      expect.objectContaining({ code: "EMPTY_MARKET" }),
    );
    expect(() => tradableUniverse({ signals: sig, instruments: inst.drop(["delivery_time"]), market: mkt })).toThrow(/delivery_time/);
  });

  it("names a mapping that disagrees with the instruments", () => {
    const mapping = (symbol: string[], exchange: string[]) =>
      NumerFrame.fromColumns({ symbol, exchange_symbol: exchange, multiplier: new Float64Array(symbol.length).fill(1) });
    expect(() =>
      tradableUniverse({ signals: sig, instruments: inst, market: mkt, mapping: mapping(["BTC"], ["XBTUSDT"]) }),
    ).toThrow(UnknownExchangeSymbolError);
    expect(() =>
      tradableUniverse({ signals: sig, instruments: inst, market: mkt, mapping: mapping(["BTC", "XBT"], ["BTCUSDT", "BTCUSDT"]) }),
    ).toThrow(DuplicateExchangeSymbolError);
    expect(() =>
      tradableUniverse({ signals: sig, instruments: inst, market: mkt, mapping: mapping(["BTC", "BTC"], ["BTCUSDT", "ETHUSDT"]) }),
    ).toThrow(DuplicateRowError);
    expect(() =>
      tradableUniverse({ signals: sig, instruments: inst, market: mkt, mapping: mapping(["BTC", "BTC"], ["BTCUSDT", "ETHUSDT"]) }),
    ).toThrow(/mapping: more than one row for symbol BTC/);
  });
});

describe("tradableUniverse: a bad close is INVALID_CLOSE, as everywhere the market is read", () => {
  const inst = instruments([{ symbol: "BTCUSDT" }, { symbol: "ETHUSDT" }]);
  const sig = signals([1, 2, 3], ["BTC", "ETH"]);
  const rows = [...series("BTC", 0, 3), ...series("ETH", 0, 3)];

  it.each([
    ["zero", 0],
    ["negative", -2.5],
    ["infinite", Number.POSITIVE_INFINITY],
  ])("a %s close, keyed by symbol or by exchange symbol", (_, close) => {
    const bad = market(rows.map((r) => (r.symbol === "ETH" && r.day === 2 ? { ...r, close } : r)));
    for (const mkt of [bad, bad.drop(["symbol"])]) {
      const err = (() => {
        try {
          tradableUniverse({ signals: sig, instruments: inst, market: mkt }, noTurnoverRule);
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(InvalidCloseError);
      expect(err).toMatchObject({ code: "INVALID_CLOSE", column: "close", date: day(2), value: close });
      expect((err as InvalidCloseError).symbol).toBe(mkt.has("symbol") ? "ETH" : "ETHUSDT");
    }
  });

  it("is raised even for a day or symbol no signal asks about; a NaN close stays no_close", () => {
    const late = market([...rows, { day: 9, symbol: "DOGE", close: -1 }]);
    expect(() => tradableUniverse({ signals: sig, instruments: inst, market: late }, noTurnoverRule)).toThrow(InvalidCloseError);
    const nan = market(rows.map((r) => (r.symbol === "ETH" && r.day === 2 ? { ...r, close: Number.NaN } : r)));
    const u = tradableUniverse({ signals: sig, instruments: inst, market: nan }, noTurnoverRule);
    expect(reasonsFor(u, "ETH", [1, 2, 3])).toEqual(["ok", "no_close", "ok"]);
  });
});
