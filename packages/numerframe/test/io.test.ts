import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Float64, RecordBatch, Schema, Table, tableFromArrays, tableToIPC } from "apache-arrow";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import {
  FrameIOError,
  MissingColumnError,
  NumerFrame,
  readArrowIpc,
  readCsv,
  readParquet,
  writeArrowIpc,
  writeCsv,
  writeFileAtomic,
  writeParquet,
} from "../src/index.js";

function sample(): NumerFrame {
  return NumerFrame.fromColumns(
    {
      era: ["0002", "0001", "0002", "0001"],
      id: ["n,4", 'n"1', "n3", "n2"],
      feature_a: new Int8Array([3, 0, 2, 1]),
      feature_b: new Int8Array([4, 4, 0, 1]),
      target: new Float32Array([0.75, Number.NaN, 0.5, 0.25]),
      prediction: new Float64Array([0.4, 0.1, 1 / 3, 0.2]),
    },
    { source: { dataset: "v5.0/train.parquet" }, roles: { feature_b: "other" } },
  ).withProvenance({ blox: "test", options: { seed: 7 }, at: "2026-11-22T00:00:00.000Z" });
}

function expectSame(a: NumerFrame, b: NumerFrame) {
  expect(b.columnNames).toEqual(a.columnNames);
  for (const n of a.columnNames) {
    const x = a.column(n);
    const y = b.column(n);
    expect(y.constructor).toBe(x.constructor);
    expect(Array.from(y as ArrayLike<unknown>)).toEqual(Array.from(x as ArrayLike<unknown>));
  }
  expect(b.meta).toEqual(a.meta);
  expect(b.featureCols).toEqual(["feature_a"]);
}

describe("round trips keep data, types and metadata", () => {
  it("Arrow IPC (file and stream)", async () => {
    await withTempDir(async (dir) => {
      const f = sample();
      await writeArrowIpc(f, join(dir, "f.arrow"));
      expectSame(f, await readArrowIpc(join(dir, "f.arrow")));
      await writeArrowIpc(f, join(dir, "f.arrows"), { format: "stream" });
      expectSame(f, await readArrowIpc(join(dir, "f.arrows")));
      const part = await readArrowIpc(join(dir, "f.arrow"), { columns: ["prediction", "id"] });
      expect(part.columnNames).toEqual(["prediction", "id"]);
    });
  });

  for (const compression of ["zstd", "snappy", "gzip", "none"] as const) {
    it(`Parquet with ${compression}`, async () => {
      await withTempDir(async (dir) => {
        const f = sample();
        const path = join(dir, "f.parquet");
        await writeParquet(f, path, { compression, rowGroupSize: 3 });
        expectSame(f, await readParquet(path));
        // Column groups of one column each and two row groups must give the same frame.
        expectSame(f, await readParquet(path, { columnGroupSize: 1 }));
        const part = await readParquet(path, { columns: ["target", "era"] });
        expect(part.columnNames).toEqual(["target", "era"]);
        expect(part.eras()).toEqual(["0001", "0002"]);
      });
    });
  }

  it("CSV with a sidecar keeps types and metadata; without one, infers", async () => {
    await withTempDir(async (dir) => {
      const f = sample();
      const path = join(dir, "f.csv");
      await writeCsv(f, path);
      expectSame(f, await readCsv(path));
      const text = await readFile(path, "utf8");
      expect(text.split("\n")[0]).toBe("era,id,feature_a,feature_b,target,prediction");
      expect(text.split("\n")[1]).toBe('0002,"n,4",3,4,0.75,0.4');
      expect(text.split("\n")[2]).toBe('0001,"n""1",0,4,,0.1');

      await writeCsv(f, join(dir, "plain.csv"), { sidecar: false });
      const plain = await readCsv(join(dir, "plain.csv"));
      expect(plain.column("feature_a")).toBeInstanceOf(Float64Array);
      expect(plain.column("id")).toEqual(["n,4", 'n"1', "n3", "n2"]);
      expect(Number.isNaN((plain.column("target") as Float64Array)[1]!)).toBe(true);
      expect(plain.kind).toBe("classic");
    });
  });
});

describe("Parquet column groups", () => {
  it("reads string columns that land in different column groups (distinct dictionary ids)", async () => {
    await withTempDir(async (dir) => {
      const f = NumerFrame.fromColumns({ era: ["1", "1", "2"], x: [1, 2, 3], data_type: ["a", "b", "a"] });
      await writeParquet(f, join(dir, "a.parquet"));
      const g = await readParquet(join(dir, "a.parquet"), { columnGroupSize: 1 });
      expect(g.column("data_type")).toEqual(["a", "b", "a"]);
      expect(g.eras()).toEqual(["1", "2"]);
      // The frame must also survive re-serialisation, where Arrow checks dictionary ids again.
      await writeArrowIpc(g, join(dir, "a.arrow"));
      expect((await readArrowIpc(join(dir, "a.arrow"))).column("data_type")).toEqual(["a", "b", "a"]);
    });
  });
});

describe("pandas-style Parquet", () => {
  it("brings a pandas index (Numerai Crypto's symbol) back as a first column", async () => {
    await withTempDir(async (dir) => {
      // pandas writes the index as a physical column listed in the "pandas" metadata, after the data.
      const base = tableFromArrays({
        date: ["2025-01-03", "2025-01-03", "2025-01-03"],
        target: new Float64Array([0.25, 0.5, 1]),
        symbol: ["BTC", "ETH", "SOL"],
      });
      const pandas = JSON.stringify({ index_columns: ["symbol"], column_indexes: [], columns: [] });
      const schema = new Schema(base.schema.fields, new Map([["pandas", pandas]]));
      const table = new Table(schema, base.batches.map((b) => new RecordBatch(schema, b.data)));
      const pw = await import("parquet-wasm");
      const props = new pw.WriterPropertiesBuilder()
        .setCompression(pw.Compression.SNAPPY)
        .setKeyValueMetadata(new Map([["pandas", pandas]]))
        .build();
      const path = join(dir, "crypto_v2_train.parquet");
      await writeFile(path, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, "stream")), props));

      const f = await readParquet(path);
      expect(f.columnNames).toEqual(["symbol", "date", "target"]);
      expect(f.column("symbol")).toEqual(["BTC", "ETH", "SOL"]);
      expect([f.kind, f.eraCol, f.idCol]).toEqual(["crypto", "date", "symbol"]);
      const part = await readParquet(path, { columns: ["target"] });
      expect(part.columnNames).toEqual(["symbol", "target"]);
    });
  });

  it("names an unnamed pandas index `index`", async () => {
    await withTempDir(async (dir) => {
      const base = tableFromArrays({ x: new Float64Array([1, 2]), __index_level_0__: new Float64Array([10, 11]) });
      const pandas = JSON.stringify({ index_columns: ["__index_level_0__"] });
      const pw = await import("parquet-wasm");
      const props = new pw.WriterPropertiesBuilder().setKeyValueMetadata(new Map([["pandas", pandas]])).build();
      const path = join(dir, "p.parquet");
      await writeFile(path, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(base, "stream")), props));
      const f = await readParquet(path);
      expect(f.columnNames).toEqual(["index", "x"]);
    });
  });
});

describe("IO errors", () => {
  it("names the file and the missing column", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.parquet");
      await writeParquet(sample(), path);
      await expect(readParquet(path, { columns: ["feature_zzz"] })).rejects.toThrow(MissingColumnError);
      await expect(readParquet(join(dir, "missing.parquet"))).rejects.toThrow(FrameIOError);
      await writeFile(join(dir, "junk.parquet"), "not parquet");
      await expect(readParquet(join(dir, "junk.parquet"))).rejects.toThrow(/junk\.parquet/);
      await expect(readArrowIpc(join(dir, "junk.parquet"))).rejects.toThrow(FrameIOError);
    });
  });

  it("a failed write leaves the old file whole and no temporary file behind", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.csv");
      await writeFile(path, "old contents\n");
      async function* failing() {
        yield "era,x\n";
        yield "0001,1\n";
        throw new Error("disk on fire");
      }
      await expect(writeFileAtomic(path, failing())).rejects.toThrow(/disk on fire/);
      expect(await readFile(path, "utf8")).toBe("old contents\n");
      expect(await readdir(dir)).toEqual(["f.csv"]);

    });
  });

  it("refuses an empty CSV with the path named", async () => {
    await withTempDir(async (dir) => {
      await writeFile(join(dir, "e.csv"), "");
      await expect(readCsv(join(dir, "e.csv"))).rejects.toThrow(/e\.csv: the CSV file is empty/);
      await writeFile(join(dir, "h.csv"), "era,x\n");
      await expect(readCsv(join(dir, "h.csv"))).rejects.toThrow(/empty/);
    });
  });
});

void Float64;
