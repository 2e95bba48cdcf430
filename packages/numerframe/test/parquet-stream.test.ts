// Parquet written a row group at a time and read back by era range.
import { join } from "node:path";
import { readdir } from "node:fs/promises";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { EmptyFrameError, NumerFrame, SchemaMismatchError, readParquet, writeParquet, writeParquetStream } from "../src/index.js";

const eraFrame = (era: number, rows: number) =>
  NumerFrame.fromColumns({
    era: Array.from({ length: rows }, () => String(era).padStart(4, "0")),
    id: Array.from({ length: rows }, (_, i) => `e${era}r${i}`),
    feature_a: Int8Array.from({ length: rows }, (_, i) => (i + era) % 5),
    target: Float32Array.from({ length: rows }, (_, i) => ((i * era) % 5) / 4),
  });

describe("writeParquetStream and readParquet by era", () => {
  it("writes frames one at a time; the file equals the concatenation", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "s.parquet");
      async function* eras() {
        for (let e = 1; e <= 6; e++) yield eraFrame(e, 10 + e);
      }
      expect(await writeParquetStream(eras(), path, { rowGroupSize: 13 })).toBe(11 + 12 + 13 + 14 + 15 + 16);
      const all = eraFrame(1, 11).concat(...[2, 3, 4, 5, 6].map((e) => eraFrame(e, 10 + e)));
      const back = await readParquet(path);
      expect(back.columnNames).toEqual(all.columnNames);
      for (const c of all.columnNames) expect(Array.from(back.column(c) as ArrayLike<unknown>)).toEqual(Array.from(all.column(c) as ArrayLike<unknown>));
      expect(back.column("feature_a")).toBeInstanceOf(Int8Array);
      expect(await readdir(dir)).toEqual(["s.parquet"]);
    });
  });

  it("reads an era range: whole row groups when aligned, a row mask when not", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "e.parquet");
      // 8 eras of 20 rows, row groups of 20 rows: one era per row group.
      const f = eraFrame(1, 20).concat(...[2, 3, 4, 5, 6, 7, 8].map((e) => eraFrame(e, 20)));
      await writeParquet(f, path, { rowGroupSize: 20 });
      const mid = await readParquet(path, { eras: { from: "0003", to: "0005" }, columns: ["id", "target"] });
      expect(mid.numRows).toBe(60);
      expect(mid.strings("id")[0]).toBe("e3r0");
      expect(mid.strings("id")[59]).toBe("e5r19");
      expect((await readParquet(path, { eras: { to: "0001" } })).eras()).toEqual(["0001"]);
      // Row groups of 30 rows straddle eras: the mask keeps exactly the eras asked for.
      await writeParquet(f, path, { rowGroupSize: 30 });
      const straddle = await readParquet(path, { eras: { from: "0002", to: "0003" } });
      expect(straddle.eras()).toEqual(["0002", "0003"]);
      expect(straddle.numRows).toBe(40);
      expect(Array.from(straddle.numeric("feature_a").slice(0, 3))).toEqual([2, 3, 4]);
      await expect(readParquet(path, { eras: { from: "0009" } })).rejects.toBeInstanceOf(EmptyFrameError);
      await expect(readParquet(path, { eras: { from: "0009" } })).rejects.toMatchObject({ code: "EMPTY_FRAME", path });
    });
  });

  it("a later frame with other columns or types is a SchemaMismatchError, and no file is left", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "bad.parquet");
      const other = eraFrame(2, 5).withColumn("target", new Float64Array(5));
      await expect(writeParquetStream([eraFrame(1, 5), other], path)).rejects.toBeInstanceOf(SchemaMismatchError);
      await expect(writeParquetStream([eraFrame(1, 5), other], path)).rejects.toMatchObject({ column: "target" });
      await expect(writeParquetStream([eraFrame(1, 5), eraFrame(2, 5).drop(["target"])], path)).rejects.toMatchObject({ code: "SCHEMA_MISMATCH" });
      expect(await readdir(dir)).toEqual([]);
    });
  });
});
