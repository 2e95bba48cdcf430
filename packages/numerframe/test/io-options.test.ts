// IO and join options are strict: a misspelled key is an InvalidOptionError naming it and the
// nearest valid key, checked before any file is touched; a bad value never escapes as a ZodError.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  MissingColumnError,
  NumerFrame,
  NumerFrameError,
  joinFrames,
  readArrowIpc,
  readCsv,
  readParquet,
  writeArrowIpc,
  writeCsv,
  writeParquet,
} from "../src/index.js";

async function optionError(call: () => unknown): Promise<InvalidOptionError> {
  try {
    await call();
  } catch (e) {
    expect(NumerFrameError.isInstance(e)).toBe(true);
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError");
}

const frame = () =>
  NumerFrame.fromColumns(
    { era: ["0001", "0001", "0002"], id: ["a", "b", "c"], feature_x: new Int8Array([1, 2, 3]), target: new Float32Array([0, 0.5, 1]) },
    { roles: { feature_x: "other" }, source: { dataset: "t" } },
  );

describe("IO options name an unknown key and its nearest valid key", () => {
  it.each([
    ["readParquet", (dir: string) => readParquet(join(dir, "f.parquet"), { colums: ["era"] } as never), "colums", "columns"],
    ["readParquet", (dir: string) => readParquet(join(dir, "f.parquet"), { rowGroup: [0] } as never), "rowGroup", "rowGroups"],
    ["readParquet", (dir: string) => readParquet(join(dir, "f.parquet"), { meta: { eraCool: "era" } } as never), "meta.eraCool", "eraCol"],
    ["writeParquet", (dir: string) => writeParquet(frame(), join(dir, "new.parquet"), { compresion: "zstd" } as never), "compresion", "compression"],
    ["readArrowIpc", (dir: string) => readArrowIpc(join(dir, "f.arrow"), { column: ["era"] } as never), "column", "columns"],
    ["writeArrowIpc", (dir: string) => writeArrowIpc(frame(), join(dir, "new.arrow"), { formt: "stream" } as never), "formt", "format"],
    ["readCsv", (dir: string) => readCsv(join(dir, "f.csv"), { delimeter: ";" } as never), "delimeter", "delimiter"],
    ["writeCsv", (dir: string) => writeCsv(frame(), join(dir, "new.csv"), { sidecars: false } as never), "sidecars", "sidecar"],
  ] as const)("%s: %s", async (where, call, path, suggestion) => {
    await withTempDir(async (dir) => {
      const e = await optionError(() => call(dir));
      expect(e.code).toBe("INVALID_OPTION");
      expect(e.where).toBe(where);
      expect(e.option).toBe(path);
      expect(e.problems).toEqual([{ path, message: "unknown option", suggestion }]);
      expect(e.message).toContain(`did you mean "${suggestion}"?`);
      // Options are checked before any file is read or written.
      expect(existsSync(join(dir, "new.parquet")) || existsSync(join(dir, "new.arrow")) || existsSync(join(dir, "new.csv"))).toBe(false);
    });
  });

  it("a bad value is an InvalidOptionError with its path, not a ZodError", async () => {
    const e1 = await optionError(() => readParquet("/nonexistent.parquet", { columnGroupSize: 0 }));
    expect(e1.problems.map((p) => p.path)).toEqual(["columnGroupSize"]);
    const e2 = await optionError(() => writeParquet(frame(), "/nonexistent/x.parquet", { compression: "lz4" as never }));
    expect(e2.option).toBe("compression");
    const e3 = await optionError(() => readCsv("/nonexistent.csv", { delimiter: ";;" }));
    expect(e3.option).toBe("delimiter");
    const e4 = await optionError(() => readArrowIpc("/nonexistent.arrow", { meta: { kind: "classics" } as never }));
    expect(e4.option).toBe("meta.kind");
  });

  it("lists every problem at once", async () => {
    const e = await optionError(() => readParquet("/nonexistent.parquet", { colums: ["a"], columnGroupSize: -1 } as never));
    expect(e.problems.map((p) => p.path).sort()).toEqual(["columnGroupSize", "colums"]);
    expect(e.message).toMatch(/readParquet: 2 invalid options/);
  });
});

describe("meta overrides", () => {
  it("override only the fields they name: stored roles and source survive", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.parquet");
      await writeParquet(frame(), path);
      const f = await readParquet(path, { meta: { kind: "custom" } });
      expect(f.kind).toBe("custom");
      expect(f.meta.roles).toEqual({ feature_x: "other" });
      expect(f.meta.source).toEqual({ dataset: "t" });
      expect(f.featureCols).toEqual([]);
      const g = await readParquet(path, { meta: { roles: { feature_x: "feature" } } });
      expect(g.featureCols).toEqual(["feature_x"]);
      expect(g.kind).toBe("classic");
    });
  });
});

describe("readCsv", () => {
  it("a requested column missing from the header is MISSING_COLUMN naming it", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.csv");
      await writeCsv(frame(), path);
      const read = readCsv(path, { columns: ["era", "targt"] });
      await expect(read).rejects.toBeInstanceOf(MissingColumnError);
      await expect(read).rejects.toMatchObject({ code: "MISSING_COLUMN", column: "targt" });
    });
  });
});

describe("joinFrames options", () => {
  const left = NumerFrame.fromColumns({ id: ["a", "b"], x: [1, 2] });
  const right = NumerFrame.fromColumns({ id: ["b", "c"], y: [3, 4] });

  it("names a misspelled key", async () => {
    const e = await optionError(() => joinFrames(left, right, { on: "id", hwo: "left" } as never));
    expect(e.problems).toEqual([{ path: "hwo", message: "unknown option", suggestion: "how" }]);
  });

  it("a missing `on` and a bad `how` are one error with both paths", async () => {
    const e = await optionError(() => joinFrames(left, right, { how: "sideways" } as never));
    expect(e.problems.map((p) => p.path).sort()).toEqual(["how", "on"]);
    const none = await optionError(() => joinFrames(left, right, undefined as never));
    expect(none.problems.map((p) => p.path)).toEqual(["on"]);
  });

  it("valid options still join", () => {
    const j = joinFrames(left, right, { on: "id", how: "outer" });
    const ids = j.strings("id");
    const y = j.numeric("y");
    const x = j.numeric("x");
    const rows = Object.fromEntries(ids.map((id, i) => [id, [x[i], y[i]]]));
    expect(rows).toEqual({ a: [1, Number.NaN], b: [2, 3], c: [Number.NaN, 4] });
  });
});
