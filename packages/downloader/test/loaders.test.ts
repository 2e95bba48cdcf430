import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NumerFrame, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { type FakeNumerai, startFakeNumerai, withTempDir } from "@nmrblox/fixtures";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DatasetNotFoundError,
  NumeraiClient,
  loadClassicMetaModel,
  loadClassicValidation,
  loadCryptoLive,
  loadCryptoMetaModel,
  loadCryptoTrain,
  loadSignalsMetaModel,
  loadSignalsTrain,
  pickDataset,
} from "../src/index.js";

async function parquetBytes(frame: NumerFrame): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const path = join(dir, "f.parquet");
    await writeParquet(frame, path);
    return readFile(path);
  });
}

async function csvBytes(frame: NumerFrame): Promise<Buffer> {
  return withTempDir(async (dir) => {
    const path = join(dir, "f.csv");
    await writeCsv(frame, path, { sidecar: false });
    return readFile(path);
  });
}

let fake: FakeNumerai;
beforeAll(async () => {
  // The meta model in two versions; the loader must find v2.0 through listDatasets.
  const metaV2 = NumerFrame.fromColumns({
    symbol: ["ETH", "BTC", "ETH", "BTC"],
    date: ["2025-11-13", "2025-11-13", "2025-11-12", "2025-11-12"],
    meta_model: [0.25, 0.75, 0.4, 0.6],
  });
  const metaV1 = NumerFrame.fromColumns({ symbol: ["BTC"], date: ["2024-01-01"], meta_model: [0.5] });
  const cryptoTrain = NumerFrame.fromColumns({
    symbol: ["BTC", "ETH"],
    date: ["2025-01-01", "2025-01-01"],
    feature_close_avg_20d: [0.25, 0.75],
    target_binned_return_20: [0.5, 1],
  });
  const cryptoLive = NumerFrame.fromColumns({ symbol: ["BTC", "ETH", "NMR"], date: ["2025-11-13", "2025-11-13", "2025-11-13"], feature_close_avg_20d: [0, 0.5, 1] });
  const classicValidation = NumerFrame.fromColumns({
    id: ["n1", "n2", "n3"],
    era: ["0575", "0575", "0576"],
    data_type: ["validation", "validation", "test"],
    feature_a: Int8Array.from([0, 4, 2]),
    target: [0.5, 0.25, Number.NaN],
  });
  const classicMeta = NumerFrame.fromColumns({ id: ["n2", "n1"], era: ["0575", "0575"], numerai_meta_model: [0.3, 0.7] });
  const signalsTrain = NumerFrame.fromColumns({
    numerai_ticker: ["AAPL US", "ABBN CH"],
    date: ["2024-01-05", "2024-01-05"],
    feature_beta_factor: [0.1, 0.9],
    target: [0.5, 0.75],
  });
  fake = await startFakeNumerai({
    currentRound: { 8: 900, 11: 700, 12: 300 },
    datasets: {
      12: {
        300: {
          "crypto/v1.0/historical_meta_models.csv": await csvBytes(metaV1),
          "crypto/v2.0/meta_model.parquet": await parquetBytes(metaV2),
          "crypto/v2.0_beta/train.parquet": await parquetBytes(metaV1),
          "crypto/v2.0/train.parquet": await parquetBytes(cryptoTrain),
          "crypto/v2.0/live.parquet": await parquetBytes(cryptoLive),
        },
      },
      8: {
        900: {
          "v5.1/validation.parquet": await parquetBytes(classicMeta),
          "v5.2/validation.parquet": await parquetBytes(classicValidation),
          "v5.2/meta_model.parquet": await parquetBytes(classicMeta),
        },
      },
      11: { 700: { "signals/v2.1/train.parquet": await parquetBytes(signalsTrain), "signals/v2.1/live.parquet": await parquetBytes(signalsTrain) } },
    },
    publicId: "P",
    secretKey: "S",
  });
});
afterAll(async () => {
  await fake.close();
});

const client = (dir: string) => new NumeraiClient({ baseUrl: fake.url, retry: { retries: 1, baseDelayMs: 1 }, cacheDir: dir, publicId: "PPPP", secretKey: "SSSS" });

describe("pickDataset", () => {
  it("takes the newest version, releases before betas, and honours a pinned version", () => {
    const listed = ["v5.0/train.parquet", "v5.2/train.parquet", "v5.10/train.parquet", "v5.2/train_int8.parquet", "v6.0_beta/train.parquet"];
    const isTrain = (n: string) => n === "train.parquet";
    expect(pickDataset(listed, 8, "train", isTrain)).toBe("v6.0_beta/train.parquet");
    expect(pickDataset(["v2.0_beta/x.parquet", "v2.0/x.parquet"], 12, "x", () => true)).toBe("v2.0/x.parquet");
    expect(pickDataset(listed.slice(0, 4), 8, "train", isTrain)).toBe("v5.10/train.parquet");
    expect(pickDataset(listed, 8, "train", isTrain, { version: "5.2" })).toBe("v5.2/train.parquet");
    expect(() => pickDataset(listed, 8, "train", isTrain, { version: "v4.3" })).toThrow(DatasetNotFoundError);
  });
});

describe("Numerai loaders", () => {
  it("loads the crypto meta model found through listDatasets as date, symbol, prediction", async () => {
    await withTempDir(async (dir) => {
      const mm = await loadCryptoMetaModel({ client: client(dir) });
      expect(mm.columnNames).toEqual(["date", "symbol", "prediction"]);
      expect(mm.eraCol).toBe("date");
      expect(mm.idCol).toBe("symbol");
      expect(mm.predictionCols).toEqual(["prediction"]);
      expect(mm.strings("date")).toEqual(["2025-11-12", "2025-11-12", "2025-11-13", "2025-11-13"]);
      expect(mm.strings("symbol")).toEqual(["BTC", "ETH", "BTC", "ETH"]);
      expect(Array.from(mm.float64("prediction"))).toEqual([0.6, 0.4, 0.75, 0.25]);
      expect(mm.meta.source).toMatchObject({ filename: "crypto/v2.0/meta_model.parquet", valueColumn: "meta_model" });
      const v1 = await loadCryptoMetaModel({ client: client(dir), version: "v1.0" });
      expect(v1.strings("date")).toEqual(["2024-01-01"]);
      expect(Array.from(v1.float64("prediction"))).toEqual([0.5]);
    });
  });

  it("loads crypto train and live (v2.0 over v2.0_beta) with roles", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      const train = await loadCryptoTrain({ client: c });
      expect(train.kind).toBe("crypto");
      expect(train.featureCols).toEqual(["feature_close_avg_20d"]);
      expect(train.targetCols).toEqual(["target_binned_return_20"]);
      expect(train.meta.source).toMatchObject({ filename: "crypto/v2.0/train.parquet", tournament: 12 });
      const live = await loadCryptoLive({ client: c });
      expect(live.strings("symbol")).toEqual(["BTC", "ETH", "NMR"]);
    });
  });

  it("loads Classic validation rows only, and the Classic meta model as era, id, prediction", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      const val = await loadClassicValidation({ client: c });
      expect(val.strings("id")).toEqual(["n1", "n2"]);
      expect(val.eraCol).toBe("era");
      expect(val.featureCols).toEqual(["feature_a"]);
      const mm = await loadClassicMetaModel({ client: c });
      expect(mm.columnNames).toEqual(["era", "id", "prediction"]);
      expect(mm.strings("id")).toEqual(["n1", "n2"]);
      expect(Array.from(mm.float64("prediction"))).toEqual([0.7, 0.3]);
    });
  });

  it("loads Signals train, and names the missing Signals meta model", async () => {
    await withTempDir(async (dir) => {
      const c = client(dir);
      const train = await loadSignalsTrain({ client: c });
      expect(train.idCol).toBe("numerai_ticker");
      expect(train.eraCol).toBe("date");
      const before = fake.count("dataset");
      const err = await loadSignalsMetaModel({ client: c }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DatasetNotFoundError);
      expect((err as Error).message).toContain("meta_model");
      expect(fake.count("dataset")).toBe(before);
    });
  });
});
