import { readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { startFakeBybit, startFakeNumerai, tempDir } from "@nmrblox/fixtures";
import { NumerFrame, dayNumber, readCsv, readParquet, writeParquet } from "@nmrblox/numerframe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, runCli, runJson } from "./helpers.js";

let dir: string;
beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-download-");
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The bytes of a frame written as Parquet. */
async function parquetBytes(frame: NumerFrame, name: string): Promise<Uint8Array> {
  const path = join(dir, name);
  await writeParquet(frame, path);
  return new Uint8Array(await readFile(path));
}

describe("nmrblox download numerai", () => {
  it("downloads a dataset named by its file name (newest version) into the cache, then the meta model", async () => {
    const validation = await parquetBytes(NumerFrame.fromColumns({ era: ["0001", "0002"], id: ["a", "b"], target: [0.5, 0.25] }), "v.parquet");
    const old = await parquetBytes(NumerFrame.fromColumns({ era: ["0001"], id: ["a"], target: [1] }), "old.parquet");
    const meta = await parquetBytes(
      NumerFrame.fromColumns({ date: ["2024-01-02", "2024-01-01", "2024-01-01"], symbol: ["BTC", "ETH", "BTC"], meta_model: [0.2, 0.7, 0.4] }),
      "m.parquet",
    );
    const fake = await startFakeNumerai({
      currentRound: { 8: 900, 12: 901 },
      datasets: {
        8: { 900: { "v5.1/validation.parquet": old, "v5.2/validation.parquet": validation } },
        12: { 901: { "crypto/v1.0/historical_meta_models.parquet": meta } },
      },
    });
    try {
      const cache = join(dir, "cache");
      const { run, doc } = await runJson<{ dataset: string; path: string; bytes: number }>(
        ["download", "numerai", "validation.parquet", "--numerai-url", fake.url, "--cache-dir", cache],
        { cwd: dir },
      );
      expectOk(run);
      expect(doc.dataset).toBe("v5.2/validation.parquet");
      expect(doc.path).toBe(join(cache, "numerai", "classic", "round-900", "v5.2", "validation.parquet"));
      expect(doc.bytes).toBe(validation.byteLength);
      expect(new Uint8Array(await readFile(doc.path))).toEqual(validation);
      // A second run is served from the cache: no file request.
      const files = fake.count("file");
      expectOk(await runCli(["download", "numerai", "v5.2/validation.parquet", "--numerai-url", fake.url, "--cache-dir", cache], { cwd: dir }));
      expect(fake.count("file")).toBe(files);

      const mm = await runJson<{ rows: number; eras: number; first: string; last: string }>(
        ["download", "numerai", "meta-model", "--tournament", "crypto", "--numerai-url", fake.url, "--cache-dir", cache, "--out", "meta.csv"],
        { cwd: dir },
      );
      expectOk(mm.run);
      expect(mm.doc).toMatchObject({ rows: 3, eras: 2, first: "2024-01-01", last: "2024-01-02" });
      const written = await readCsv(join(dir, "meta.csv"));
      expect(written.columnNames).toEqual(["date", "symbol", "prediction"]);
      expect(Array.from(written.float64("prediction"))).toEqual([0.4, 0.7, 0.2]);
    } finally {
      await fake.close();
    }
  });

  it("fails (exit 1) naming the dataset and what is offered", async () => {
    const fake = await startFakeNumerai({ currentRound: { 8: 900 }, datasets: { 8: { 900: { "v5.2/train.parquet": new Uint8Array(8) } } } });
    try {
      const run = await runCli(["download", "numerai", "validaton.parquet", "--numerai-url", fake.url, "--cache-dir", join(dir, "c2")], { cwd: dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("validaton.parquet");
      expect(run.stderr).toContain("v5.2/train.parquet");
    } finally {
      await fake.close();
    }
  });
});

describe("nmrblox download bybit", () => {
  it("loads daily candles and funding into the cache and a market file; a rerun fetches nothing", async () => {
    const first = dayNumber("2024-01-01");
    const fake = await startFakeBybit({
      contracts: [
        { symbol: "BTCUSDT", launchDay: first - 30, close: (d) => 40_000 + d - first, turnover: () => 2e9, rate: () => 0.0001 },
        { symbol: "ETHUSDT", launchDay: first - 30, close: (d) => 2_000 + 2 * (d - first), turnover: () => 1e9, rate: () => -0.00005 },
      ],
      lastDay: dayNumber("2024-03-01"),
    });
    try {
      const args = ["download", "bybit", "--symbols", "BTCUSDT,ETHUSDT", "--start", "2024-01-01", "--end", "2024-01-10", "--bybit-url", fake.url, "--cache-dir", "cache"];
      const { run, doc } = await runJson<{ rows: number }>([...args, "--out", "market.parquet"], { cwd: dir });
      expectOk(run);
      expect(doc.rows).toBe(20);
      const market = await readParquet(join(dir, "market.parquet"));
      const btc = market.filter((i) => market.strings("symbol")[i] === "BTCUSDT");
      expect(btc.strings("date")[0]).toBe("2024-01-01");
      expect(Array.from(btc.float64("close"))).toEqual(Array.from({ length: 10 }, (_, k) => 40_000 + k));
      // Three settlements a day at 0.0001: the day's summed rate.
      expect(btc.float64("funding_rate")[0]).toBeCloseTo(0.0003, 15);
      const klines = fake.count("/v5/market/kline");
      expect(klines).toBeGreaterThan(0);
      expectOk(await runCli(args, { cwd: dir }));
      expect(fake.count("/v5/market/kline")).toBe(klines);
    } finally {
      await fake.close();
    }
  });
});
