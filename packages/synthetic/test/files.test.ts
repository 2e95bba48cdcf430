import { readParquet } from "@nmrblox/numerframe";
import { tempDir, withTempDir } from "@nmrblox/fixtures";
import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FundingPage,
  type InstrumentsPage,
  type KlinePage,
  type BybitEnvelope,
  type SyntheticFileManifest,
  syntheticClassic,
  syntheticCrypto,
  writeSyntheticFiles,
} from "../src/index.js";
import { groupRows } from "./stats.js";

const crypto = { symbols: 30, start: "2023-10-01", end: "2024-03-31", seed: 3 };
const classic = { eras: 12, idsPerEra: 60, featureFamilies: 2, featuresPerFamily: 3 };
const options = { crypto, classic, validationEras: 4, instrumentsLimit: 6, klineLimit: 100, fundingLimit: 200 };

const readJson = async <T>(dir: string, rel: string) => JSON.parse(await readFile(join(dir, rel), "utf8")) as BybitEnvelope<T>;

describe("writeSyntheticFiles", () => {
  const world = syntheticCrypto(crypto);
  let dir = "";
  let manifest: SyntheticFileManifest;
  const steps: string[] = [];
  beforeAll(async () => {
    dir = await tempDir("nmrblox-synthetic-");
    manifest = await writeSyntheticFiles(dir, { ...options, onProgress: (step) => steps.push(step) });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("writes every file the manifest lists, and the manifest itself", async () => {
    expect(manifest.files.length).toBeGreaterThan(30);
    for (const f of manifest.files) expect((await readFile(join(dir, f.path))).length, f.path).toBe(f.bytes);
    const stored = JSON.parse(await readFile(join(dir, "manifest.json"), "utf8")) as SyntheticFileManifest;
    expect(stored.files.map((f) => f.path)).toEqual(manifest.files.map((f) => f.path));
    expect(steps).toContain("bybit");
    expect(steps).toContain("numerai-classic");
  });

  it("writes Numerai Crypto Parquet files with the published names and columns", async () => {
    expect(manifest.numerai.datasets).toContain("crypto/v1.0/train_targets.parquet");
    const targets = await readParquet(join(dir, "crypto/v1.0/train_targets.parquet"));
    expect(targets.columnNames).toEqual(["symbol", "date", "target"]);
    expect(targets.float64("target")).toEqual(world.targets.float64("target_20d"));
    expect(targets.strings("symbol")).toEqual(world.targets.strings("symbol"));
    expect(targets.strings("date")).toEqual(world.targets.strings("date"));

    const meta = await readParquet(join(dir, "crypto/v1.0/historical_meta_models.parquet"));
    expect(meta.columnNames).toEqual(["date", "symbol", "prediction"]);
    expect(meta.float64("prediction")).toEqual(world.signals.float64("prediction"));

    const live = await readParquet(join(dir, "crypto/v1.0/live_universe.parquet"));
    expect(live.columnNames).toEqual(["symbol"]);
    const last = manifest.numerai.crypto!.lastDate;
    expect(last).toBe("2024-03-29");
    const expected = world.universe.strings("symbol").filter((_, i) => world.universe.strings("date")[i] === last);
    expect(live.strings("symbol")).toEqual(expected);
  });

  it("writes Numerai Classic train / validation / meta-model / benchmark files and features.json", async () => {
    const full = syntheticClassic(classic);
    const c = manifest.numerai.classic!;
    const train = await readParquet(join(dir, c.train));
    const validation = await readParquet(join(dir, c.validation));
    expect(train.numRows + validation.numRows).toBe(full.numRows);
    expect(validation.eras()).toEqual(["0009", "0010", "0011", "0012"]);
    expect(validation.columnNames.slice(0, 3)).toEqual(["id", "era", "data_type"]);
    expect(new Set(validation.strings("data_type"))).toEqual(new Set(["validation"]));
    expect(train.numeric("feature_intelligence_1")).toBeInstanceOf(Int8Array);
    expect(train.has("prediction")).toBe(false);
    const mm = await readParquet(join(dir, c.metaModel));
    expect(mm.columnNames).toEqual(["era", "id", "numerai_meta_model"]);
    expect(mm.strings("id")).toEqual(validation.strings("id"));
    const bench = await readParquet(join(dir, c.benchmarks));
    expect(bench.columnNames).toEqual(["id", "era", "v52_lgbm_ender20"]);
    const features = JSON.parse(await readFile(join(dir, c.features), "utf8")) as { feature_sets: Record<string, string[]>; targets: string[] };
    expect(features.feature_sets.all).toEqual(full.featureCols);
    expect(features.feature_sets.small).toEqual(["feature_intelligence_1", "feature_charisma_1"]);
    expect(features.targets).toEqual(["target", "target_cyrus_20"]);
  });

  it("pages instruments-info with nextPageCursor, all values as Bybit strings", async () => {
    const pages = manifest.bybit!.instruments.Trading!;
    expect(pages.length).toBeGreaterThan(1);
    const symbols: string[] = [];
    let cursor = "";
    for (const entry of pages) {
      expect(entry.cursor).toBe(cursor);
      const body = await readJson<InstrumentsPage>(dir, entry.path);
      expect(body.retCode).toBe(0);
      expect(body.result.category).toBe("linear");
      expect(body.result.list.length).toBeLessThanOrEqual(6);
      for (const inst of body.result.list) {
        expect(typeof inst.launchTime).toBe("string");
        expect(typeof inst.fundingInterval).toBe("number");
        symbols.push(inst.symbol as string);
      }
      cursor = body.result.nextPageCursor;
    }
    expect(cursor).toBe("");
    const trading = world.instruments.strings("symbol").filter((_, i) => world.instruments.strings("status")[i] === "Trading");
    expect(symbols).toEqual(trading);
    const closed = await readJson<InstrumentsPage>(dir, manifest.bybit!.instruments.Closed![0]!.path);
    const delisted = closed.result.list.find((i) => i.contractType === "LinearPerpetual")!;
    const row = world.instruments.strings("symbol").indexOf(delisted.symbol as string);
    expect(Number(delisted.deliveryTime)).toBe(world.instruments.numeric("delivery_time")[row]);
  });

  it("serves daily klines newest first whose closes and turnovers are the market frame's", async () => {
    const m = world.market;
    const rows = groupRows(m.strings("exchange_symbol"));
    for (const [symbol, entries] of Object.entries(manifest.bybit!.kline)) {
      const list: string[][] = [];
      for (const [k, e] of entries.entries()) {
        const page = await readJson<KlinePage>(dir, e.path);
        expect(page.result.symbol).toBe(symbol);
        if (k < entries.length - 1) expect(page.result.list.length).toBe(100);
        list.push(...page.result.list);
      }
      const times = list.map((r) => Number(r[0]));
      for (let k = 1; k < times.length; k++) expect(times[k]!).toBeLessThan(times[k - 1]!);
      const mine = rows.get(symbol)!;
      expect(list.length, symbol).toBe(mine.length);
      const ascending = [...list].reverse();
      mine.forEach((r, k) => {
        const candle = ascending[k]!;
        expect(new Date(Number(candle[0])).toISOString().slice(0, 10)).toBe(m.strings("date")[r]);
        expect(Number(candle[4])).toBe(m.float64("close")[r]);
        expect(Number(candle[6])).toBe(m.float64("turnover_usd")[r]);
        expect(candle[4]).not.toMatch(/e/);
        expect(Number(candle[2])).toBeGreaterThanOrEqual(Math.max(Number(candle[1]), Number(candle[4])));
        expect(Number(candle[3])).toBeLessThanOrEqual(Math.min(Number(candle[1]), Number(candle[4])));
      });
    }
  });

  it("serves funding history newest first whose per-day sums are the market frame's funding_rate", async () => {
    const m = world.market;
    const byKey = new Map<string, number>();
    m.strings("exchange_symbol").forEach((s, i) => byKey.set(`${s}|${m.strings("date")[i]}`, m.float64("funding_rate")[i]!));
    let intervals = new Set<number>();
    for (const [symbol, entries] of Object.entries(manifest.bybit!.funding)) {
      const list: FundingPage["list"] = [];
      for (const e of entries) list.push(...(await readJson<FundingPage>(dir, e.path)).result.list);
      expect(list.every((x) => x.symbol === symbol)).toBe(true);
      const asc = [...list].reverse();
      for (let k = 1; k < asc.length; k++) intervals.add((Number(asc[k]!.fundingRateTimestamp) - Number(asc[k - 1]!.fundingRateTimestamp)) / 60_000);
      const sums = new Map<string, number>();
      for (const x of asc) {
        const day = new Date(Number(x.fundingRateTimestamp)).toISOString().slice(0, 10);
        sums.set(day, (sums.get(day) ?? 0) + Number(x.fundingRate));
      }
      for (const [key, value] of byKey) {
        const [s, day] = key.split("|") as [string, string];
        if (s === symbol) expect(sums.get(day), key).toBe(value);
      }
    }
    intervals = new Set([...intervals].filter((v) => v <= 480));
    expect([...intervals].sort((a, b) => a - b)).toEqual([60, 240, 480]);
  });

  it("writes byte-identical files for the same options", async () => {
    await withTempDir(async (other) => {
      const again = await writeSyntheticFiles(other, options);
      expect(again.files.map((f) => f.path)).toEqual(manifest.files.map((f) => f.path));
      for (const f of manifest.files) {
        const a = await readFile(join(dir, f.path));
        const b = await readFile(join(other, f.path));
        expect(a.equals(b), f.path).toBe(true);
      }
    });
  });
});
