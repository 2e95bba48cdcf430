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

/** The rejection of a call that may throw synchronously or reject. */
const rejection = (call: () => unknown) => expect(Promise.resolve().then(call)).rejects;

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
      await rejection(() => call(dir)).toBeInstanceOf(InvalidOptionError);
      await rejection(() => call(dir)).toMatchObject({
        code: "INVALID_OPTION",
        where,
        option: path,
        problems: [{ path, message: "unknown option", suggestion }],
        message: `${where}: option "${path}": unknown option (did you mean "${suggestion}"?)`,
      });
      const thrown: unknown = await Promise.resolve()
        .then((): unknown => call(dir))
        .catch((e: unknown) => e);
      expect(NumerFrameError.isInstance(thrown)).toBe(true);
      // Options are checked before any file is read or written.
      expect(existsSync(join(dir, "new.parquet")) || existsSync(join(dir, "new.arrow")) || existsSync(join(dir, "new.csv"))).toBe(false);
    });
  });

  it("a bad value is an InvalidOptionError with its path, not a ZodError", async () => {
    await rejection(() => readParquet("/nonexistent.parquet", { columnGroupSize: 0 })).toMatchObject({
      code: "INVALID_OPTION",
      problems: [{ path: "columnGroupSize" }],
    });
    await rejection(() => writeParquet(frame(), "/nonexistent/x.parquet", { compression: "lz4" as never })).toMatchObject({ option: "compression" });
    await rejection(() => readCsv("/nonexistent.csv", { delimiter: ";;" })).toMatchObject({ option: "delimiter" });
    await rejection(() => readArrowIpc("/nonexistent.arrow", { meta: { kind: "classics" } as never })).toMatchObject({ option: "meta.kind" });
    await rejection(() => readArrowIpc("/nonexistent.arrow", { meta: { kind: "classics" } as never })).toBeInstanceOf(InvalidOptionError);
  });

  it("lists every problem at once", async () => {
    await rejection(() => readParquet("/nonexistent.parquet", { colums: ["a"], columnGroupSize: -1 } as never)).toMatchObject({
      problems: [{ path: "colums", suggestion: "columns" }, { path: "columnGroupSize" }],
      message: expect.stringMatching(/^readParquet: 2 invalid options:/),
    });
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

  it("names a misspelled key", () => {
    expect(() => joinFrames(left, right, { on: "id", hwo: "left" } as never)).toThrow(InvalidOptionError);
    expect(() => joinFrames(left, right, { on: "id", hwo: "left" } as never)).toThrow(
      expect.objectContaining({ where: "joinFrames", problems: [{ path: "hwo", message: "unknown option", suggestion: "how" }] }),
    );
  });

  it("a missing `on` and a bad `how` are one error with both paths", () => {
    expect(() => joinFrames(left, right, { how: "sideways" } as never)).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ path: "on" }), expect.objectContaining({ path: "how" })] }),
    );
    expect(() => joinFrames(left, right, undefined as never)).toThrow(expect.objectContaining({ option: "on", problems: [expect.objectContaining({ path: "on" })] }));
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
