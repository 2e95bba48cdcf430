// The CSV reader: quoting, headers, null tokens, numeric edge cases, sidecars that do not belong
// to their data, and CSV + sidecar committed as one unit.
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { NumerFrame, csvSidecarPath, parseCsv, readCsv, writeCsv } from "../src/index.js";

async function csv(dir: string, text: string, name = "t.csv"): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe("readCsv parsing", () => {
  it("an unterminated quote is a CSV_SYNTAX error naming the line where it opened", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, 'id,x\na,1\n"b,2\nc,3\nd,4\n');
      await expect(readCsv(path)).rejects.toMatchObject({ code: "CSV_SYNTAX", path, row: 3 });
      await expect(readCsv(path)).rejects.toThrow(/line 3: a quoted field opened on this line is never closed/);
      expect(() => parseCsv('a\n"x\n')).toThrow(/line 2/);
    });
  });

  it("quoted fields keep delimiters, doubled quotes and newlines; line numbers count them", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, 'id,note\r\n"a,1","say ""hi"""\r\n"b","two\nlines"\nc\n');
      await expect(readCsv(path)).rejects.toMatchObject({ code: "CSV_SYNTAX", row: 5 });
      const ok = await csv(dir, 'id,note\r\n"a,1","say ""hi"""\r\n"b","two\nlines"\n', "ok.csv");
      const f = await readCsv(ok);
      expect(f.strings("id")).toEqual(["a,1", "b"]);
      expect(f.strings("note")).toEqual(['say "hi"', "two\nlines"]);
      const stray = await csv(dir, 'id,x\n"a"b,1\n', "stray.csv");
      await expect(readCsv(stray)).rejects.toMatchObject({ code: "CSV_SYNTAX", row: 2 });
    });
  });

  it("a duplicate header is a CSV_SYNTAX error naming the column", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, "id,x,x\na,1,2\n");
      await expect(readCsv(path)).rejects.toMatchObject({ code: "CSV_SYNTAX", column: "x", row: 1 });
      await expect(readCsv(path)).rejects.toThrow(/names column "x" twice \(columns 2 and 3\)/);
    });
  });

  it("null tokens are missing in numeric columns; other columns keep their text", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, "id,x,y\nNA,1.5,nan\nb,,NA\nc,NaN,3\n");
      const f = await readCsv(path);
      expect(Array.from(f.numeric("x"))).toEqual([1.5, Number.NaN, Number.NaN]);
      expect(Array.from(f.numeric("y"))).toEqual([Number.NaN, Number.NaN, 3]);
      expect(f.strings("id")).toEqual(["NA", "b", "c"]);
      const custom = await readCsv(path, { nullTokens: ["nan"] });
      expect(custom.strings("y")).toEqual(["nan", "NA", "3"]);
    });
  });

  it("0x10 stays a string, Infinity is a number, 1e3 and .5 are numbers", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, "h,i,e\n0x10,Infinity,1e3\n7,-inf,.5\n");
      const f = await readCsv(path);
      expect(f.strings("h")).toEqual(["0x10", "7"]);
      expect(Array.from(f.numeric("i"))).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
      expect(Array.from(f.numeric("e"))).toEqual([1000, 0.5]);
    });
  });

  it("int64 beyond 2^53 is read exactly as BigInt64, or is an UNSAFE_INTEGER error when mixed", async () => {
    await withTempDir(async (dir) => {
      const path = await csv(dir, "big,x\n9007199254740993,1\n-5,2\n");
      const f = await readCsv(path);
      expect(Array.from(f.bigints("big"))).toEqual([9007199254740993n, -5n]);
      expect(() => f.numeric("big")).toThrow(expect.objectContaining({ code: "UNSAFE_INTEGER", column: "big", row: 0 }));
      // A round trip keeps the exact value (the sidecar says int64).
      await writeCsv(f, join(dir, "rt.csv"));
      expect(Array.from((await readCsv(join(dir, "rt.csv"))).bigints("big"))).toEqual([9007199254740993n, -5n]);
      const mixed = await csv(dir, "big\n9007199254740993\n0.5\n", "mixed.csv");
      await expect(readCsv(mixed)).rejects.toMatchObject({ code: "UNSAFE_INTEGER", column: "big", row: 2 });
    });
  });

  it("a BigInt64Array column in fromColumns works; a non-column is a named error", () => {
    const f = NumerFrame.fromColumns({ id: new BigInt64Array([1n, 2n ** 60n]) });
    expect(f.bigints("id")[1]).toBe(2n ** 60n);
    expect(() => NumerFrame.fromColumns({ x: new DataView(new ArrayBuffer(8)) as never })).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_COLUMN", column: "x" }),
    );
  });
});

describe("CSV sidecars", () => {
  const frame = () =>
    NumerFrame.fromColumns({ id: ["a", "b", "c"], small: new Int8Array([1, 2, 3]), n: new Int32Array([10, 20, 30]) });

  it("a sidecar that does not belong to its data is an error, never a cast", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.csv");
      await writeCsv(frame(), path);
      const sidecar = JSON.parse(await readFile(csvSidecarPath(path), "utf8")) as { data: { rows: number; sha256: string } };
      expect(sidecar.data.rows).toBe(3);
      // Other data under the same sidecar: int32 over 1.5, int8 over 300.
      await writeFile(path, "id,small,n\na,300,1.5\nb,2,20\nc,3,30\n");
      await expect(readCsv(path)).rejects.toMatchObject({ code: "SIDECAR_MISMATCH", path });
      // Even with a forged checksum, values that do not fit their type are errors naming the line.
      const forge = async (text: string) => {
        await writeFile(path, text);
        const { createHash } = await import("node:crypto");
        const buf = Buffer.from(text);
        const s = { ...sidecar, data: { bytes: buf.length, rows: 3, sha256: createHash("sha256").update(buf).digest("hex") } };
        await writeFile(csvSidecarPath(path), JSON.stringify(s));
      };
      await forge("id,small,n\na,1,1.5\nb,2,20\nc,3,30\n");
      await expect(readCsv(path)).rejects.toMatchObject({ code: "SIDECAR_MISMATCH", column: "n", row: 2 });
      await forge("id,small,n\na,300,1\nb,2,20\nc,3,30\n");
      await expect(readCsv(path)).rejects.toThrow(/column "small" is int8, but "300" on line 2 is outside -128\.\.127/);
    });
  });

  it("writing without a sidecar removes a stale one; a failed frame write leaves the old pair", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "f.csv");
      await writeCsv(frame(), path);
      await writeCsv(frame(), path, { sidecar: false });
      expect((await readdir(dir)).sort()).toEqual(["f.csv"]);
      expect((await readCsv(path)).column("small")).toBeInstanceOf(Float64Array);
    });
  });
});
