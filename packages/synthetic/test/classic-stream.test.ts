// writeSyntheticClassic streams eras into Parquet: the file equals the in-memory generator.
import { join } from "node:path";
import { readParquet } from "@nmrblox/numerframe";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { syntheticClassic, writeSyntheticClassic } from "../src/index.js";

describe("writeSyntheticClassic", () => {
  it("writes the same rows as syntheticClassic, era by era, with progress", async () => {
    await withTempDir(async (dir) => {
      const options = { seed: 9, eras: 5, idsPerEra: 40, featureFamilies: 2, featuresPerFamily: 3 };
      const path = join(dir, "classic.parquet");
      const progress: number[] = [];
      expect(await writeSyntheticClassic(path, { ...options, onProgress: (done, total) => progress.push(done * 10 + total) })).toBe(200);
      expect(progress).toEqual([15, 25, 35, 45, 55]);
      const expected = syntheticClassic(options);
      const got = await readParquet(path);
      expect(got.columnNames).toEqual(expected.columnNames);
      for (const c of expected.columnNames) {
        expect(Array.from(got.column(c) as ArrayLike<unknown>)).toEqual(Array.from(expected.column(c) as ArrayLike<unknown>));
      }
      expect(got.column("feature_intelligence_1")).toBeInstanceOf(Int8Array);
      expect(got.meta.source).toMatchObject({ generator: "syntheticClassic", seed: 9 });
      const mid = await readParquet(path, { eras: { from: "0002", to: "0003" }, columns: ["id"] });
      expect(mid.strings("id")).toEqual(expected.strings("id").slice(40, 120));
    });
  });

  it("a misspelled option is named", async () => {
    await expect(writeSyntheticClassic("/nonexistent/x.parquet", { idsPerEr: 5 } as never)).rejects.toMatchObject({
      code: "INVALID_OPTION",
      option: "idsPerEr",
    });
  });
});
