// Options are strict and fail as numerframe's InvalidOptionError with the caller's dotted path;
// the frames synthetic produces meet the frame contracts their consumers check.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import {
  ContractError,
  NumerFrameError,
  instrumentsContract,
  marketContract,
  requireColumns,
  signalsContract,
} from "@nmrblox/numerframe";
import { marketPanel } from "@nmrblox/numerframe/internal";
import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  classicFeatureFamilies,
  syntheticClassic,
  syntheticClassicOptions,
  syntheticCrypto,
  syntheticCryptoOptions,
  writeSyntheticFiles,
  writeSyntheticFilesOptions,
} from "../src/index.js";

/** What a call throws or rejects with (undefined when it succeeds). */
const failureOf = (call: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(call)
    .then(
      () => undefined,
      (e: unknown) => e,
    );

const small = { symbols: 12, start: "2024-01-01", end: "2024-03-31", seed: 3 };

describe("strict options", () => {
  it("every exported schema rejects an unknown key, nested generator options too", () => {
    for (const schema of [syntheticCryptoOptions, syntheticClassicOptions, writeSyntheticFilesOptions]) {
      const r = schema.safeParse({ zzBogus: 1 });
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.code)).toContain("unrecognized_keys");
    }
    expect(writeSyntheticFilesOptions.safeParse({ crypto: { symbol: 3 } }).success).toBe(false);
  });

  it.each([
    ["syntheticCrypto", () => syntheticCrypto({ symbol: 60 } as never), "symbol", "symbols"],
    ["syntheticCrypto", () => syntheticCrypto({ ...small, icc: 0.1 } as never), "icc", "ic"],
    ["syntheticClassic", () => syntheticClassic({ era: 3 } as never), "era", "eras"],
    ["classicFeatureFamilies", () => classicFeatureFamilies({ featureFamily: 2 } as never), "featureFamily", "featureFamilies"],
  ] as const)("%s names %s and suggests %s", async (where, call, path, suggestion) => {
    const e = await failureOf(call);
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(NumerFrameError.isInstance(e)).toBe(true);
    expect(e).toMatchObject({
      code: "INVALID_OPTION",
      where,
      problems: [{ path, message: "unknown option", suggestion }],
      message: `${where}: option "${path}": unknown option (did you mean "${suggestion}"?)`,
    });
  });

  it("lists every problem at once", async () => {
    const e = (await failureOf(() => syntheticCrypto({ symbol: 60, perpetualShare: 2, start: "2024-02-30" } as never))) as InvalidOptionError;
    expect(e.problems.map((p) => p.path).sort()).toEqual(["perpetualShare", "start", "symbol"]);
  });

  it("a period too short for the target horizon names end", async () => {
    const e = await failureOf(() => syntheticCrypto({ start: "2024-03-01", end: "2024-03-10" }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).option).toBe("end");
    expect((e as InvalidOptionError).message).toBe('syntheticCrypto: option "end": the period 2024-03-01..2024-03-10 has 10 days; at least 44 are needed');
  });
});

describe("writeSyntheticFiles reports options at the path the caller wrote, before writing", () => {
  it.each([
    ["an unknown crypto key", { crypto: { symbol: 30 } }, "crypto.symbol", "symbols"],
    ["an unknown classic key", { crypto: false, classic: { era: 3 } }, "classic.era", "eras"],
    ["an unknown top-level key", { numeria: false }, "numeria", "numerai"],
  ] as const)("%s", async (_, options, path, suggestion) => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      const e = await failureOf(() => writeSyntheticFiles(out, options as never));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ where: "writeSyntheticFiles", problems: [{ path, message: "unknown option", suggestion }] });
      expect(existsSync(out)).toBe(false);
    });
  });

  it("checks validationEras against classic.eras before any file is written", async () => {
    await withTempDir(async (dir) => {
      const out = join(dir, "out");
      const e = await failureOf(() => writeSyntheticFiles(out, { crypto: small, classic: { eras: 5, idsPerEra: 10 }, validationEras: 5 }));
      expect(e).toBeInstanceOf(InvalidOptionError);
      expect(e).toMatchObject({ option: "validationEras", message: expect.stringContaining("5 validation eras leave no train eras out of 5") });
      expect(existsSync(out)).toBe(false);
    });
  });

  it("errors found while generating carry the nested path", async () => {
    await withTempDir(async (dir) => {
      const short = await failureOf(() =>
        writeSyntheticFiles(join(dir, "a"), { crypto: { start: "2024-03-01", end: "2024-03-10" }, classic: false }),
      );
      expect(short).toMatchObject({ code: "INVALID_OPTION", where: "writeSyntheticFiles", option: "crypto.end" });
      const corr = await failureOf(() =>
        writeSyntheticFiles(join(dir, "b"), {
          crypto: false,
          classic: { eras: 3, idsPerEra: 20, predictionCorrelation: 0.9, featureExposure: 0.9 },
          validationEras: 1,
        }),
      );
      expect(corr).toMatchObject({ code: "INVALID_OPTION", where: "writeSyntheticFiles", option: "classic.featureExposure" });
    });
  });
});

describe("frame contracts", () => {
  const world = syntheticCrypto(small);

  it("signals, market and instruments meet their contracts, optional columns included", () => {
    expect(() => requireColumns(world.signals, signalsContract, "test")).not.toThrow();
    expect(() => requireColumns(world.market, marketContract, "test")).not.toThrow();
    expect(() => requireColumns(world.instruments, instrumentsContract, "test")).not.toThrow();
    // Optional contract columns are produced too, with the contract's kinds.
    for (const c of ["exchange_symbol", "turnover_usd", "funding_rate"]) expect(world.market.has(c)).toBe(true);
    for (const c of ["launch_time", "delivery_time", "funding_interval_min"]) expect(world.instruments.has(c)).toBe(true);
  });

  it("the check can fail: a frame missing a contract column is a ContractError", () => {
    const partial = world.signals.select(["date", "symbol"]);
    expect(() => requireColumns(partial, signalsContract, "test")).toThrow(ContractError);
    expect(() => requireColumns(partial, signalsContract, "test")).toThrow(expect.objectContaining({ missing: ["prediction"], code: "MISSING_COLUMN" }));
  });

  it("the market reads as a market panel under either key: closes valid, (date, key) unique", () => {
    const bySymbol = marketPanel(world.market);
    const byExchange = marketPanel(world.market, "exchange_symbol");
    const symbols = new Set(world.market.strings("symbol"));
    expect(bySymbol.nSymbols).toBe(symbols.size);
    expect(byExchange.nSymbols).toBe(symbols.size);
    let rows = 0;
    for (const r of bySymbol.hasRow) rows += r;
    expect(rows).toBe(world.market.numRows);
  });
});
