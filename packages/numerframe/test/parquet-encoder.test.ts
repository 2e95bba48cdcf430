// The TypeScript Parquet encoder: hand-computed bytes of its building blocks, and files that
// parquet-wasm (arrow-rs) reads back value for value. A small Thrift compact reader below
// checks what parquet-wasm does not expose: statistics, encodings and pages per chunk.
import { readFile, readdir, stat, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { withTempDir } from "@nmrblox/fixtures";
import { Bool, DateDay, Dictionary, Float32, Float64, Int8, Int16, Int32, Int64, Table, Uint8, Uint16, Uint32, Utf8, type Vector, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { NumerFrame, readParquet, writeParquet, writeParquetStream } from "../src/index.js";
import { ByteWriter } from "../src/io/parquet-encoder/byte-writer.js";
import { arrowSchemaEntry, columnKind, ParquetEncoder } from "../src/io/parquet-encoder/index.js";
import { encodeHybrid } from "../src/io/parquet-encoder/rle-hybrid.js";
import { snappyCompress } from "../src/io/parquet-encoder/snappy.js";
import { CT, ThriftWriter } from "../src/io/parquet-encoder/thrift-compact.js";
import { META_KEY, encodeMeta } from "../src/io/metadata.js";

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join(" ");

let seed = 99;
const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;

// ---------------------------------------------------------------------------------------------
// Reference decoders written from the specs, independent of the encoder's code.

/** Decodes `count` values of the RLE / bit-packed hybrid at `width` bits. */
function decodeHybrid(b: Uint8Array, width: number, count: number): number[] {
  const out: number[] = [];
  let p = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = b[p++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
  };
  while (out.length < count) {
    const h = varint();
    if (h & 1) {
      const n = (h >>> 1) * 8;
      let bitPos = p * 8;
      for (let k = 0; k < n; k++) {
        let v = 0;
        for (let j = 0; j < width; j++, bitPos++) v |= ((b[bitPos >> 3]! >> (bitPos & 7)) & 1) << j;
        if (out.length < count) out.push(v);
      }
      p += (h >>> 1) * width;
    } else {
      let v = 0;
      for (let j = 0; j < width; j += 8) v |= b[p++]! << j;
      for (let k = 0; k < h / 2; k++) out.push(v);
    }
  }
  return out;
}

/** Decompresses a Snappy raw block. */
function snappyDecompress(b: Uint8Array): Uint8Array {
  let p = 0;
  let n = 0;
  for (let mul = 1; ; mul *= 128) {
    const x = b[p++]!;
    n += (x & 0x7f) * mul;
    if (x < 0x80) break;
  }
  const out = new Uint8Array(n);
  let o = 0;
  while (p < b.length) {
    const tag = b[p++]!;
    const type = tag & 3;
    if (type === 0) {
      let len = tag >> 2;
      if (len >= 60) {
        const extra = len - 59;
        len = 0;
        for (let k = 0; k < extra; k++) len |= b[p++]! << (8 * k);
      }
      len += 1;
      out.set(b.subarray(p, p + len), o);
      p += len;
      o += len;
      continue;
    }
    let len: number;
    let off: number;
    if (type === 1) {
      len = ((tag >> 2) & 7) + 4;
      off = ((tag >> 5) << 8) | b[p++]!;
    } else if (type === 2) {
      len = (tag >> 2) + 1;
      off = b[p]! | (b[p + 1]! << 8);
      p += 2;
    } else {
      len = (tag >> 2) + 1;
      off = b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
      p += 4;
    }
    for (let k = 0; k < len; k++, o++) out[o] = out[o - off]!;
  }
  expect(o).toBe(n);
  return out;
}

type TValue = number | boolean | Uint8Array | TStruct | TValue[];
interface TStruct {
  [field: number]: TValue;
}

/** A Thrift compact reader: structs come back as {fieldId: value}. */
class ThriftReader {
  p = 0;
  constructor(readonly b: Uint8Array) {}
  varint(): number {
    let v = 0;
    let mul = 1;
    for (;;) {
      const x = this.b[this.p++]!;
      v += (x & 0x7f) * mul;
      if (x < 0x80) return v;
      mul *= 128;
    }
  }
  zigzag(): number {
    const u = this.varint();
    return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
  }
  value(type: number): TValue {
    switch (type) {
      case 1:
        return true;
      case 2:
        return false;
      case 3:
        return this.b[this.p++]!;
      case 4:
      case 5:
      case 6:
        return this.zigzag();
      case 8: {
        const n = this.varint();
        this.p += n;
        return this.b.subarray(this.p - n, this.p);
      }
      case 9: {
        const h = this.b[this.p++]!;
        const n = h >> 4 === 15 ? this.varint() : h >> 4;
        const et = h & 15;
        // Booleans inside lists are one byte each.
        return Array.from({ length: n }, () => (et === 1 || et === 2 ? this.b[this.p++] === 1 : this.value(et)));
      }
      case 12:
        return this.struct();
      default:
        throw new Error(`thrift type ${type}`);
    }
  }
  struct(): TStruct {
    const s: TStruct = {};
    let last = 0;
    for (;;) {
      const h = this.b[this.p++]!;
      if (h === 0) return s;
      const type = h & 15;
      const id = h >> 4 === 0 ? this.zigzag() : last + (h >> 4);
      s[id] = this.value(type);
      last = id;
    }
  }
}

const text = (v: TValue | undefined) => new TextDecoder().decode(v as Uint8Array);
const int32 = (v: TValue | undefined) => new DataView((v as Uint8Array).buffer, (v as Uint8Array).byteOffset).getInt32(0, true);

/** FileMetaData of a Parquet file. */
async function footer(path: string): Promise<{ bytes: Uint8Array; meta: TStruct }> {
  const bytes = new Uint8Array(await readFile(path));
  expect(text(bytes.subarray(0, 4))).toBe("PAR1");
  expect(text(bytes.subarray(bytes.length - 4))).toBe("PAR1");
  const len = new DataView(bytes.buffer, bytes.byteOffset).getUint32(bytes.length - 8, true);
  return { bytes, meta: new ThriftReader(bytes.subarray(bytes.length - 8 - len, bytes.length - 8)).struct() };
}

/** Page types of a column chunk, walked from its first page header. */
function pageTypes(bytes: Uint8Array, columnMeta: TStruct): number[] {
  const start = (columnMeta[11] as number | undefined) ?? (columnMeta[9] as number);
  const end = start + (columnMeta[7] as number);
  const types: number[] = [];
  for (let p = start; p < end; ) {
    const r = new ThriftReader(bytes.subarray(p));
    const h = r.struct();
    types.push(h[1] as number);
    p += r.p + (h[3] as number);
  }
  return types;
}

const chunkMeta = (meta: TStruct, group: number, column: number) => (((meta[4] as TStruct[])[group]![1] as TStruct[])[column]![3] as TStruct);

// ---------------------------------------------------------------------------------------------

function expectSameVectors(a: NumerFrame, b: NumerFrame): void {
  expect(b.columnNames).toEqual(a.columnNames);
  expect(b.numRows).toBe(a.numRows);
  for (const name of a.columnNames) {
    const x = a.table.getChild(name) as Vector;
    const y = b.table.getChild(name) as Vector;
    // readParquet joins the row groups of an integer column with nulls into Float64 with NaN
    // (as for every Parquet file): then null must come back as NaN.
    const widened = String(x.type) !== String(y.type);
    if (widened) expect([String(y.type), x.nullCount > 0, /^u?int/i.test(String(x.type))]).toEqual(["Float64", true, true]);
    else expect(String(y.type)).toBe(String(x.type));
    for (let i = 0; i < x.length; i++) {
      const u = widened ? (x.get(i) === null ? Number.NaN : Number(x.get(i))) : x.get(i);
      const v = y.get(i);
      // readParquet gives nulls in float columns as NaN (its documented contract).
      if (u === null && /^Float/.test(String(y.type)) && Number.isNaN(v)) continue;
      if (!Object.is(u, v)) expect({ name, i, v }).toEqual({ name, i, v: u });
    }
  }
}

/** A frame of every supported type, with nulls, NaN, -0, negatives, empty and unicode strings. */
function everyType(rows: number, offset = 0): NumerFrame {
  const pick = <T,>(i: number, xs: T[]) => xs[(i + offset) % xs.length]!;
  const nth = (i: number, k: number) => (i + offset) % k === 0;
  const idx = Array.from({ length: rows }, (_, i) => i);
  const era = idx.map((i) => String(1 + Math.floor((i + offset) / 7)).padStart(4, "0"));
  return NumerFrame.fromArrow(
    new Table({
      era: vectorFromArray(era, new Dictionary(new Utf8(), new Int32())),
      id: vectorFromArray(idx.map((i) => `id-${i + offset}`), new Utf8()),
      name: vectorFromArray(idx.map((i) => (nth(i, 5) ? null : pick(i, ["", "ünïcødé ✓", "a", "b\u0000c", "🙂"]))), new Utf8()),
      group: vectorFromArray(idx.map((i) => (nth(i, 4) ? null : pick(i, ["x", "", "y"]))), new Dictionary(new Utf8(), new Int32())),
      i8: vectorFromArray(idx.map((i) => (nth(i, 3) ? null : pick(i, [-128, 127, 0, -1, 4]))), new Int8()),
      i16: vectorFromArray(idx.map((i) => (nth(i, 6) ? null : ((i + offset) * 7919) % 65536 - 32768)), new Int16()),
      i32: vectorFromArray(idx.map((i) => (nth(i, 7) ? null : pick(i, [-(2 ** 31), 2 ** 31 - 1, 0, -5]))), new Int32()),
      i64: vectorFromArray(idx.map((i) => (nth(i, 8) ? null : pick(i, [-(2n ** 53n) + 1n, 2n ** 53n - 1n, 0n, -3n]))), new Int64()),
      u8: vectorFromArray(idx.map((i) => (nth(i, 9) ? null : pick(i, [0, 255, 7]))), new Uint8()),
      u16: vectorFromArray(idx.map((i) => pick(i, [0, 65535, 300])), new Uint16()),
      u32: vectorFromArray(idx.map((i) => (nth(i, 10) ? null : pick(i, [0, 2 ** 32 - 1, 2 ** 31, 1]))), new Uint32()),
      f32: vectorFromArray(idx.map((i) => (nth(i, 11) ? null : pick(i, [Number.NaN, -0, 1.5, -Infinity, 3.4e38]))), new Float32()),
      f64: vectorFromArray(idx.map((i) => (nth(i, 12) ? null : pick(i, [Number.NaN, -0, Math.PI, Infinity, -1e-300]))), new Float64()),
      flag: vectorFromArray(idx.map((i) => (nth(i, 13) ? null : pick(i, [true, false, false]))), new Bool()),
      nothing: vectorFromArray(idx.map(() => null), new Float32()),
      same: vectorFromArray(idx.map(() => 3), new Int8()),
      // Dense ranges that do not start at 0 (indices are value - 100, value + 2) and a feature
      // column 0..4 (its bytes are the indices).
      dense: vectorFromArray(idx.map((i) => (nth(i, 17) ? null : 100 + ((i + offset) % 5))), new Uint8()),
      centred: vectorFromArray(idx.map((i) => ((i + offset) % 5) - 2), new Int16()),
      feature: vectorFromArray(idx.map((i) => ((i + offset) * 3) % 5), new Int8()),
    }),
    { kind: "classic", eraCol: "era", idCol: "id", roles: { i8: "feature", f32: "target" } },
    { allowEmpty: true },
  ).withProvenance({ blox: "test", options: { seed: 1 }, at: "2026-01-02T00:00:00.000Z" });
}

describe("Thrift compact encoding", () => {
  it("writes field headers with deltas, zigzag varints, strings, lists and nested structs", () => {
    const tw = new ThriftWriter();
    tw.i32(1, 3); // delta 1, i32: 0x15, zigzag(3) = 6
    tw.string(4, "ab"); // delta 3, binary: 0x38, length 2, "ab"
    tw.i64(20, -1); // delta 16: long form 0x06, zigzag field id 40 = 0x28, zigzag(-1) = 1
    tw.bool(21, true); // delta 1, BOOLEAN_TRUE: 0x11
    tw.listBegin(22, CT.I32, 2); // delta 1, list: 0x19, size 2 << 4 | i32 = 0x25
    tw.elementI32(-2); // zigzag 3
    tw.elementI32(64); // zigzag 128 = 0x80 0x01
    tw.structBegin(23); // 0x1c
    tw.i8(1, 8); // 0x13 0x08
    tw.structEnd(); // 0x00
    tw.i32(24, 300); // back to the outer struct's ids: delta 1: 0x15, zigzag 600 = 0xd8 0x04
    tw.end();
    expect(hex(tw.out.view())).toBe("15 06 38 02 61 62 06 28 01 11 19 25 03 80 01 1c 13 08 00 15 d8 04 00");
  });

  it("long lists put their size in a varint", () => {
    const tw = new ThriftWriter();
    tw.listBegin(1, CT.BINARY, 20);
    expect(hex(tw.out.view())).toBe("19 f8 14");
  });
});

describe("RLE / bit-packed hybrid", () => {
  const encode = (values: number[], width: number) => {
    const out = new ByteWriter(16);
    encodeHybrid(Uint8Array.from(values), 0, values.length, width, out);
    return hex(out.view());
  };

  it("matches hand-computed bytes", () => {
    // The spec's example: 0..7 at 3 bits, LSB first: 10001000 11000110 11111010.
    expect(encode([0, 1, 2, 3, 4, 5, 6, 7], 3)).toBe("03 88 c6 fa");
    // Ten 5s: an RLE run, header 10 << 1, value in one byte.
    expect(encode(Array(10).fill(5), 3)).toBe("14 05");
    // A group, then a run: bit-packed 1..7,0 at 3 bits, then RLE of nine 2s.
    expect(encode([1, 2, 3, 4, 5, 6, 7, 0, ...Array(9).fill(2)], 3)).toBe("03 d1 58 1f 12 02");
    // Three ones at 1 bit: one padded group, 0b00000111.
    expect(encode([1, 1, 1], 1)).toBe("03 07");
    // Definition levels 1,0,1,1 then twelve 1s: a group 1,0,1,1,1,1,1,1 = 0xfd, then the rest
    // (8 ones) as a run.
    expect(encode([1, 0, 1, 1, ...Array(12).fill(1)], 1)).toBe("03 fd 10 01");
  });

  it("wide values take ceil(width / 8) bytes in runs and pack across bytes", () => {
    const out = new ByteWriter(16);
    encodeHybrid(Int32Array.from(Array(9).fill(300)), 0, 9, 16, out);
    expect(hex(out.view())).toBe("12 2c 01");
    const packed = new ByteWriter(16);
    encodeHybrid(Int32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 0, 8, 9, packed);
    expect(decodeHybrid(packed.view(), 9, 8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(packed.view().length).toBe(1 + 9);
  });

  it("decodes to the same values for every width 1..16, runs and slices", () => {
    for (let width = 1; width <= 16; width++) {
      const n = 1000 + width;
      const values = new Int32Array(n);
      for (let i = 0; i < n; i++) values[i] = i % 97 < 30 ? 1 : Math.floor(rand() * 2 ** width);
      for (const [from, to] of [[0, n], [3, n - 5], [7, 8], [10, 10 + 17]] as const) {
        const out = new ByteWriter(16);
        encodeHybrid(values, from, to, width, out);
        expect(decodeHybrid(out.view(), width, to - from)).toEqual(Array.from(values.subarray(from, to)));
      }
    }
  });
});

describe("Snappy", () => {
  it("matches hand-computed bytes: a literal then a copy of offset 1", () => {
    // 20 'a': length 0x14; literal of 1 byte (tag 0x00, 'a'); copy of 19 bytes at offset 1
    // with a 2-byte offset (tag (19 - 1) << 2 | 2 = 0x4a, offset 01 00).
    expect(hex(snappyCompress(new TextEncoder().encode("a".repeat(20))))).toBe("14 00 61 4a 01 00");
    expect(hex(snappyCompress(new Uint8Array(0)))).toBe("00");
    expect(hex(snappyCompress(Uint8Array.of(1, 2, 3)))).toBe("03 08 01 02 03");
  });

  it("round trips random, repetitive and long inputs across 64 KiB blocks", () => {
    const inputs = [
      Uint8Array.from({ length: 1000 }, () => Math.floor(rand() * 256)),
      Uint8Array.from({ length: 300_000 }, (_, i) => (i % 1000 < 600 ? i % 7 : Math.floor(rand() * 5))),
      new Uint8Array(200_000),
      new TextEncoder().encode("era0001,era0002,".repeat(5000)),
    ];
    for (const input of inputs) {
      const c = snappyCompress(input);
      expect(snappyDecompress(c)).toEqual(input);
      expect(c.length).toBeLessThanOrEqual(32 + input.length + input.length / 6);
    }
    expect(snappyCompress(inputs[2]!).length).toBeLessThan(10_000);
  });
});

describe("TypeScript Parquet encoder, read back by parquet-wasm", () => {
  for (const compression of ["snappy", "none", "gzip"] as const) {
    it(`every supported type with nulls, ${compression}, several row groups`, async () => {
      await withTempDir(async (dir) => {
        const f = everyType(100);
        const path = join(dir, "all.parquet");
        await writeParquet(f, path, { compression, rowGroupSize: 30 });
        const back = await readParquet(path);
        expectSameVectors(f, back);
        expect(back.meta).toEqual(f.meta);
        expect(back.featureCols).toEqual(["i8"]);
        const { meta } = await footer(path);
        expect((meta[4] as TStruct[]).length).toBe(4);
        expect(meta[3]).toBe(100);
        // The codec is the TypeScript encoder's: every chunk says it.
        expect(chunkMeta(meta, 0, 0)[4]).toBe({ none: 0, snappy: 1, gzip: 2 }[compression]);
      });
    });
  }

  it("reads back like parquet-wasm's own file (zstd) of the same frame", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(64, 3);
      await writeParquet(f, join(dir, "ts.parquet"), { compression: "snappy", rowGroupSize: 20 });
      await writeParquet(f, join(dir, "wasm.parquet"), { compression: "zstd", rowGroupSize: 20 });
      const ts = await readParquet(join(dir, "ts.parquet"));
      const wasm = await readParquet(join(dir, "wasm.parquet"));
      expectSameVectors(wasm, ts);
      expect(ts.meta).toEqual(wasm.meta);
      // Only the zstd file comes from arrow-rs.
      expect(text((await footer(join(dir, "wasm.parquet"))).meta[6])).toMatch(/parquet-rs/);
      expect(text((await footer(join(dir, "ts.parquet"))).meta[6])).toMatch(/nmrblox/);
    });
  });

  it("writes the same bytes for the same frame, whatever was written before", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(50);
      await writeParquet(f, join(dir, "a.parquet"), { rowGroupSize: 20 });
      await writeParquet(everyType(33, 5), join(dir, "other.parquet"), { compression: "none" });
      // A copy of the frame whose dictionaries carry other ids.
      await writeParquet(NumerFrame.fromArrow(everyType(50).table, f.meta), join(dir, "b.parquet"), { rowGroupSize: 20 });
      expect((await readFile(join(dir, "a.parquet"))).equals(await readFile(join(dir, "b.parquet")))).toBe(true);
    });
  });

  it("streams frames into row groups across frame boundaries, each frame with its own dictionaries", async () => {
    await withTempDir(async (dir) => {
      const frames = [everyType(25, 0), everyType(40, 25), everyType(1, 65), everyType(34, 66)];
      const path = join(dir, "s.parquet");
      expect(await writeParquetStream(frames, path, { rowGroupSize: 32 })).toBe(100);
      const all = frames[0]!.concat(...frames.slice(1));
      expectSameVectors(all, await readParquet(path));
      const { meta } = await footer(path);
      expect((meta[4] as TStruct[]).map((g) => g[3])).toEqual([32, 32, 32, 4]);
    });
  });

  it("writes min, max and null count statistics for string and integer columns", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(30);
      const path = join(dir, "stats.parquet");
      await writeParquet(f, path, { rowGroupSize: 14 });
      const { meta } = await footer(path);
      const col = (name: string) => f.columnNames.indexOf(name);
      const stats = (g: number, name: string) => chunkMeta(meta, g, col(name))[12] as TStruct;
      // Row group 1 holds rows 14..27: eras 0003 (14..20) and 0004 (21..27).
      expect(text(stats(1, "era")[6])).toBe("0003");
      expect(text(stats(1, "era")[5])).toBe("0004");
      expect(stats(1, "era")[3]).toBe(0);
      // id is plain Utf8: byte order, so "id-14" < "id-27".
      expect(text(stats(1, "id")[6])).toBe("id-14");
      expect(text(stats(1, "id")[5])).toBe("id-27");
      // i8 over rows 0..13: nulls at 0, 3, 6, 9, 12; values pick([-128, 127, 0, -1, 4]).
      expect(int32(stats(0, "i8")[6])).toBe(-128);
      expect(int32(stats(0, "i8")[5])).toBe(127);
      expect(stats(0, "i8")[3]).toBe(5);
      // uint32 bounds are in unsigned order: 0 and 2^32 - 1 (stored as its int32 bits, -1).
      expect(int32(stats(0, "u32")[6])).toBe(0);
      expect(int32(stats(0, "u32")[5])).toBe(-1);
      // An all-null column: a null count, no bounds.
      expect(stats(0, "nothing")).toEqual({ 3: 14 });
      // Range dictionaries: bounds are the values present.
      expect([int32(stats(0, "dense")[6]), int32(stats(0, "dense")[5])]).toEqual([100, 104]);
      expect([int32(stats(0, "centred")[6]), int32(stats(0, "centred")[5])]).toEqual([-2, 2]);
      expect([int32(stats(0, "feature")[6]), int32(stats(0, "feature")[5])]).toEqual([0, 4]);
      // The one-value column: a one-entry dictionary.
      expect(int32(stats(0, "same")[6])).toBe(3);
      expect(int32(stats(0, "same")[5])).toBe(3);
    });
  });

  it("falls back to PLAIN for more than 2^16 distinct strings, and cuts chunks into pages", async () => {
    await withTempDir(async (dir) => {
      const rows = 70_000;
      const f = NumerFrame.fromColumns({
        era: Array.from({ length: rows }, (_, i) => String(1 + Math.floor(i / 10_000)).padStart(4, "0")),
        id: Array.from({ length: rows }, (_, i) => `row-${(i * 7919) % rows}`),
        x: Float64Array.from({ length: rows }, rand),
        k: Int16Array.from({ length: rows }, (_, i) => (i * 31) % 40_000),
      });
      const path = join(dir, "wide.parquet");
      await writeParquet(f, path, { rowGroupSize: rows });
      expectSameVectors(f, await readParquet(path));
      const { bytes, meta } = await footer(path);
      const id = chunkMeta(meta, 0, 1);
      expect(id[2]).toEqual([0, 3]); // PLAIN, RLE: no dictionary
      expect(id[11]).toBeUndefined();
      expect(text((id[12] as TStruct)[6])).toBe("row-0");
      expect(text((id[12] as TStruct)[5])).toBe("row-9999");
      // ~1 MiB pages: 70k float64 = 560 kB is one page; the 70k ids (~13 bytes each) two.
      expect(pageTypes(bytes, chunkMeta(meta, 0, 2))).toEqual([0]);
      expect(pageTypes(bytes, id)).toEqual([0]);
      // 40,000 distinct int16s: a dictionary of 16-bit indices.
      expect(pageTypes(bytes, chunkMeta(meta, 0, 3))).toEqual([2, 0]);
      expect(chunkMeta(meta, 0, 0)[2]).toEqual([0, 3, 8]);
    });
  });

  it("several data pages per chunk, after one dictionary page, read back whole", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(500);
      const columns = f.columnNames.map((name) => ({ name, kind: columnKind(f.typeOf(name))! }));
      for (const codec of ["snappy", "none"] as const) {
        const enc = new ParquetEncoder(columns, {
          codec,
          pageBytes: 16,
          maxDictionaryEntries: 50,
          keyValue: [
            [META_KEY, encodeMeta(f)],
            ["ARROW:schema", arrowSchemaEntry(f.table.schema)],
          ],
        });
        const parts = [enc.start()];
        for (const [start, end] of [[0, 300], [300, 500]] as const) {
          const slice = f.table.slice(start, end);
          parts.push(enc.rowGroup(f.columnNames.map((n) => slice.getChild(n)!.data), end - start).slice());
        }
        parts.push(enc.finish());
        const path = join(dir, `pages-${codec}.parquet`);
        await writeFile(path, Buffer.concat(parts));
        expectSameVectors(f, await readParquet(path));
        const { bytes, meta } = await footer(path);
        const i8 = pageTypes(bytes, chunkMeta(meta, 0, f.columnNames.indexOf("i8")));
        expect(i8[0]).toBe(2);
        expect(i8.length).toBeGreaterThan(3);
        expect(i8.slice(1).every((t) => t === 0)).toBe(true);
        // 300 ids in row group 0 pass the 50-entry dictionary limit: PLAIN pages only.
        const id = pageTypes(bytes, chunkMeta(meta, 0, 1));
        expect(id.length).toBeGreaterThan(3);
        expect(id.every((t) => t === 0)).toBe(true);
        expect((await readParquet(path, { rowGroups: [1], columns: ["id"] })).strings("id")[0]).toBe("id-300");
      }
    });
  });

  it("int8 features 0..4 take about 3 bits per value", async () => {
    await withTempDir(async (dir) => {
      const rows = 10_000;
      const cols: Record<string, Int8Array> = {};
      for (let j = 0; j < 10; j++) cols[`feature_${j}`] = Int8Array.from({ length: rows }, () => Math.floor(rand() * 5));
      const f = NumerFrame.fromColumns(cols);
      const path = join(dir, "int8.parquet");
      await writeParquet(f, path);
      const size = (await stat(path)).size;
      expect(size / (rows * 10)).toBeLessThan(0.45);
      expect(size / (rows * 10)).toBeGreaterThan(0.37);
      expectSameVectors(f, await readParquet(path));
    });
  });

  it("era-range reads return exactly the rows of those eras", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(140); // 20 eras of 7 rows
      const path = join(dir, "eras.parquet");
      await writeParquet(f, path, { rowGroupSize: 16 });
      const part = await readParquet(path, { eras: { from: "0005", to: "0011" } });
      const keep = Uint8Array.from(f.strings("era"), (e) => (e >= "0005" && e <= "0011" ? 1 : 0));
      expectSameVectors(f.filter(keep), part);
      expect(part.eras()).toEqual(["0005", "0006", "0007", "0008", "0009", "0010", "0011"]);
    });
  });

  it("concurrent writes share no state: each file reads back as its own frame", async () => {
    await withTempDir(async (dir) => {
      const frames = [everyType(90, 0), everyType(70, 11), everyType(50, 23)];
      async function* slowly(f: NumerFrame) {
        for (let start = 0; start < f.numRows; start += 20) {
          await new Promise((r) => setTimeout(r, 1));
          yield NumerFrame.fromArrow(f.table.slice(start, Math.min(f.numRows, start + 20)), f.meta);
        }
      }
      await Promise.all(frames.map((f, k) => writeParquetStream(slowly(f), join(dir, `c${k}.parquet`), { rowGroupSize: 25 })));
      for (const [k, f] of frames.entries()) expectSameVectors(f, await readParquet(join(dir, `c${k}.parquet`)));
    });
  });

  it("a failing source leaves the old file whole and names the file", async () => {
    await withTempDir(async (dir) => {
      const path = join(dir, "keep.parquet");
      const old = everyType(20);
      await writeParquet(old, path);
      const before = await readFile(path);
      async function* failing() {
        yield everyType(40);
        throw new Error("source broke");
      }
      await expect(writeParquetStream(failing(), path, { rowGroupSize: 16 })).rejects.toMatchObject({ code: "IO", path, message: expect.stringMatching(/source broke/) });
      expect((await readFile(path)).equals(before)).toBe(true);
      expect(await readdir(dir)).toEqual(["keep.parquet"]);
    });
  });

  it("an empty frame gives a file with the schema and no rows", async () => {
    await withTempDir(async (dir) => {
      const f = everyType(10);
      const empty = NumerFrame.fromArrow(f.table.slice(0, 0), f.meta, { allowEmpty: true });
      const path = join(dir, "empty.parquet");
      await writeParquet(empty, path);
      const { meta } = await footer(path);
      expect(meta[3]).toBe(0);
      expect(meta[4]).toEqual([]);
      expect((meta[2] as TStruct[]).length).toBe(f.columnNames.length + 1);
    });
  });

  it("other column types and zstd keep going through parquet-wasm", async () => {
    await withTempDir(async (dir) => {
      const f = NumerFrame.fromArrow(
        new Table({
          era: vectorFromArray(["0001", "0002"], new Utf8()),
          day: vectorFromArray([new Date(Date.UTC(2024, 0, 1)), new Date(Date.UTC(2024, 0, 2))], new DateDay()),
          x: vectorFromArray([1, 2], new Float64()),
        }),
      );
      const path = join(dir, "date.parquet");
      await writeParquet(f, path);
      expect(text((await footer(path)).meta[6])).toMatch(/parquet-rs/);
      const back = await readParquet(path);
      expect(back.strings("day")).toEqual(["2024-01-01", "2024-01-02"]);
      expect(Array.from(back.numeric("x"))).toEqual([1, 2]);
    });
  });
});
