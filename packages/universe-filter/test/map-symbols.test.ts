import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  ContractError,
  DuplicateExchangeSymbolError,
  InvalidInstrumentError,
  InvalidOptionError,
  instrumentColumns,
  mapSymbols,
  parseMultiplierName,
} from "../src/index.js";
import { instruments, ms } from "./fixtures.js";

function rowsOf(mapping: NumerFrame): Array<[string, string, number]> {
  const s = mapping.strings("symbol");
  const x = mapping.strings("exchange_symbol");
  const m = mapping.float64("multiplier");
  return s.map((sym, i) => [sym, x[i]!, m[i]!]);
}

describe("parseMultiplierName", () => {
  it("splits prefix and suffix multipliers that are powers of ten of at least 100", () => {
    expect(parseMultiplierName("1000PEPE")).toEqual({ coin: "PEPE", multiplier: 1000 });
    expect(parseMultiplierName("10000SATS")).toEqual({ coin: "SATS", multiplier: 10000 });
    expect(parseMultiplierName("1000000MOG")).toEqual({ coin: "MOG", multiplier: 1_000_000 });
    expect(parseMultiplierName("SHIB1000")).toEqual({ coin: "SHIB", multiplier: 1000 });
    expect(parseMultiplierName("BTC")).toEqual({ coin: "BTC", multiplier: 1 });
  });

  it("leaves names whose digits are part of the coin alone", () => {
    expect(parseMultiplierName("1INCH")).toEqual({ coin: "1INCH", multiplier: 1 });
    expect(parseMultiplierName("C98")).toEqual({ coin: "C98", multiplier: 1 });
    expect(parseMultiplierName("1000")).toEqual({ coin: "1000", multiplier: 1 });
    expect(parseMultiplierName("A8")).toEqual({ coin: "A8", multiplier: 1 });
  });
});

describe("mapSymbols", () => {
  it("maps every Bybit multiplier form and plain names", () => {
    const inst = instruments([
      { symbol: "BTCUSDT" },
      { symbol: "1000PEPEUSDT" },
      { symbol: "10000SATSUSDT" },
      { symbol: "1000000MOGUSDT" },
      { symbol: "SHIB1000USDT" },
      { symbol: "1INCHUSDT" },
    ]);
    const { mapping, unmatched } = mapSymbols(["SHIB", "PEPE", "BTC", "SATS", "MOG", "1INCH"], inst);
    expect(unmatched).toEqual([]);
    expect(rowsOf(mapping)).toEqual([
      ["1INCH", "1INCHUSDT", 1],
      ["BTC", "BTCUSDT", 1],
      ["MOG", "1000000MOGUSDT", 1_000_000],
      ["PEPE", "1000PEPEUSDT", 1000],
      ["SATS", "10000SATSUSDT", 10000],
      ["SHIB", "SHIB1000USDT", 1000],
    ]);
    expect(mapping.columnNames).toEqual(["symbol", "exchange_symbol", "multiplier"]);
    expect(mapping.column("multiplier")).toBeInstanceOf(Float64Array);
    expect(mapping.provenance.map((p) => p.blox)).toEqual(["mapSymbols"]);
  });

  it("reads the multiplier from the exchange symbol when base_coin is the bare coin", () => {
    const inst = instruments([{ symbol: "1000PEPEUSDT", base_coin: "PEPE" }]);
    expect(rowsOf(mapSymbols(["PEPE"], inst).mapping)).toEqual([["PEPE", "1000PEPEUSDT", 1000]]);
  });

  it("matches case-insensitively and takes the symbols of a frame", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }]);
    const frame = NumerFrame.fromColumns({ date: ["2024-01-01", "2024-01-02"], symbol: ["btc", "btc"], prediction: [0.1, 0.2] });
    expect(rowsOf(mapSymbols(frame, inst).mapping)).toEqual([["btc", "BTCUSDT", 1]]);
  });

  it("uses only USDT linear perpetuals that are not pre-launch, keeping Closed ones", () => {
    const inst = instruments([
      { symbol: "ETHUSDT-27DEC24", base_coin: "ETH", contract_type: "LinearFutures" },
      { symbol: "SOLPERP", base_coin: "SOL", quote_coin: "USDC" },
      { symbol: "NEWUSDT", status: "PreLaunch" },
      { symbol: "LUNAUSDT", status: "Closed", delivery_time: ms(10) },
      { symbol: "XRPUSD", base_coin: "XRP", quote_coin: "USD", contract_type: "InversePerpetual" },
    ]);
    const { mapping, unmatched } = mapSymbols(["ETH", "SOL", "NEW", "LUNA", "XRP", "NOPE"], inst);
    expect(rowsOf(mapping)).toEqual([["LUNA", "LUNAUSDT", 1]]);
    expect(unmatched.map((u) => [u.symbol, u.reason])).toEqual([
      ["ETH", "no_usdt_perpetual"],
      ["NEW", "prelaunch_only"],
      ["NOPE", "no_instrument"],
      ["SOL", "no_usdt_perpetual"],
      ["XRP", "no_usdt_perpetual"],
    ]);
    expect(unmatched.every((u) => u.detail.length > 0)).toBe(true);
  });

  it("prefers a Trading contract, then the exact name, and reports a remaining tie as ambiguous", () => {
    const inst = instruments([
      { symbol: "PEPEUSDT", status: "Closed" },
      { symbol: "1000PEPEUSDT" },
      { symbol: "BONKUSDT" },
      { symbol: "1000BONKUSDT" },
      { symbol: "1000CATUSDT", status: "Closed" },
      { symbol: "10000CATUSDT", status: "Closed" },
    ]);
    const { mapping, unmatched } = mapSymbols(["PEPE", "BONK", "CAT"], inst);
    expect(rowsOf(mapping)).toEqual([
      ["BONK", "BONKUSDT", 1],
      ["PEPE", "1000PEPEUSDT", 1000],
    ]);
    expect(unmatched).toHaveLength(1);
    expect(unmatched[0]!.symbol).toBe("CAT");
    expect(unmatched[0]!.reason).toBe("ambiguous");
    expect(unmatched[0]!.detail).toContain("10000CATUSDT, 1000CATUSDT");
  });

  it("lets an override win over name matching", () => {
    const inst = instruments([
      { symbol: "LUNAUSDT", status: "Closed" },
      { symbol: "LUNA2USDT" },
      { symbol: "1000CATUSDT", status: "Closed" },
      { symbol: "10000CATUSDT", status: "Closed" },
    ]);
    const { mapping, unmatched } = mapSymbols(["LUNA", "CAT"], inst, {
      overrides: { LUNA: "LUNA2USDT", CAT: { exchangeSymbol: "10000CATUSDT", multiplier: 10000 } },
    });
    expect(unmatched).toEqual([]);
    expect(rowsOf(mapping)).toEqual([
      ["CAT", "10000CATUSDT", 10000],
      ["LUNA", "LUNA2USDT", 1],
    ]);
    expect(mapping.provenance[0]!.options).toEqual({
      overrides: { LUNA: "LUNA2USDT", CAT: { exchangeSymbol: "10000CATUSDT", multiplier: 10000 } },
    });
  });

  it("gives a contested contract to the override and reports the other symbol", () => {
    const inst = instruments([{ symbol: "LUNA2USDT" }, { symbol: "ETHUSDT" }, { symbol: "ETHUSDT-27DEC24", base_coin: "ETH", contract_type: "LinearFutures" }]);
    const { mapping, unmatched } = mapSymbols(["LUNA", "LUNA2", "BTC", "ETH", "SOL"], inst, {
      overrides: { LUNA: "LUNA2USDT", BTC: null, ETH: "ETHUSDT-27DEC24", SOL: "SOLUSDT" },
    });
    expect(rowsOf(mapping)).toEqual([["LUNA", "LUNA2USDT", 1]]);
    expect(unmatched.map((u) => [u.symbol, u.reason])).toEqual([
      ["BTC", "override_excluded"],
      ["ETH", "override_ineligible"],
      ["LUNA2", "exchange_symbol_taken"],
      ["SOL", "override_not_found"],
    ]);
  });

  it("returns an empty mapping with string columns when nothing matches", () => {
    const { mapping, unmatched } = mapSymbols(["AAA"], instruments([{ symbol: "BTCUSDT" }]));
    expect(mapping.numRows).toBe(0);
    expect(mapping.strings("exchange_symbol")).toEqual([]);
    expect(unmatched).toHaveLength(1);
  });

  it("requires the instruments contract's columns plus launch_time and delivery_time", () => {
    expect(instrumentColumns).toEqual(["symbol", "base_coin", "quote_coin", "contract_type", "status", "launch_time", "delivery_time"]);
  });

  it("names bad input", () => {
    const inst = instruments([{ symbol: "BTCUSDT" }]);
    const noBase = inst.drop(["base_coin"]);
    expect(() => mapSymbols(["BTC"], noBase)).toThrow(ContractError);
    expect(() => mapSymbols(["BTC"], noBase)).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "base_coin" }));
    expect(() => mapSymbols(["BTC"], noBase)).toThrow(/mapSymbols: instruments frame: missing column "base_coin"/);
    expect(() => mapSymbols(NumerFrame.fromColumns({ ticker: ["BTC"] }), inst)).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "symbol" }));

    const dup = instruments([{ symbol: "BTCUSDT" }, { symbol: "ETHUSDT" }, { symbol: "BTCUSDT", status: "Closed" }]);
    const err = (() => {
      try {
        mapSymbols(["BTC"], dup);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DuplicateExchangeSymbolError);
    expect((err as DuplicateExchangeSymbolError).code).toBe("DUPLICATE_EXCHANGE_SYMBOL");
    expect((err as DuplicateExchangeSymbolError).exchangeSymbol).toBe("BTCUSDT");
    expect((err as DuplicateExchangeSymbolError).row).toBe(2);

    expect(() => mapSymbols(["BTC"], inst, { overide: {} } as never)).toThrow(InvalidOptionError);
    expect(() => mapSymbols(["BTC"], inst, { overide: {} } as never)).toThrow(/mapSymbols: option "overide": unknown option \(did you mean "overrides"\?\)/);
    expect(() => mapSymbols(["BTC"], inst, { overrides: { BTC: { exchangeSymbol: "BTCUSDT", multiplier: -1 } } })).toThrow(
      /option "overrides\.BTC/,
    );

    const nanLaunch = inst.withColumn("launch_time", new Float64Array([Number.NaN]));
    expect(() => mapSymbols(["BTC"], nanLaunch)).toThrow(InvalidInstrumentError);
    const textLaunch = inst.withColumn("launch_time", ["1585526400000"]);
    expect(() => mapSymbols(["BTC"], textLaunch)).toThrow(expect.objectContaining({ code: "NON_NUMERIC_COLUMN", column: "launch_time" }));
  });
});
