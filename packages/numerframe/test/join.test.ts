// The join on dictionary codes: hand-computed small cases for every `how`, multi-key joins over
// dictionary and plain columns, and a randomized comparison with a nested-loop join.
import { Table, Utf8, makeVector, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { NumerFrame, SchemaMismatchError, joinFrames } from "../src/index.js";

const rowsOf = (f: NumerFrame) =>
  Array.from({ length: f.numRows }, (_, i) =>
    f.columnNames.map((n) => {
      const v = f.table.getChild(n)!.get(i) as unknown;
      return typeof v === "number" && Number.isNaN(v) ? "NaN" : v;
    }),
  );

describe("joinFrames", () => {
  const left = NumerFrame.fromColumns({ id: ["a", "b", "c", "b"], x: new Int32Array([1, 2, 3, 4]) });
  const right = NumerFrame.fromColumns({ id: ["b", "d", "b", "a"], y: new Float32Array([10, 20, 30, 40]) });

  it("inner: left order, each left row's matches in right order", () => {
    const j = left.join(right, "id");
    expect(j.columnNames).toEqual(["id", "x", "y"]);
    expect(rowsOf(j)).toEqual([
      ["a", 1, 40],
      ["b", 2, 10],
      ["b", 2, 30],
      ["b", 4, 10],
      ["b", 4, 30],
    ]);
    expect(j.column("x")).toBeInstanceOf(Int32Array);
    expect(j.column("y")).toBeInstanceOf(Float32Array);
  });

  it("left: an unmatched row keeps its place with NaN (floats stay Float32)", () => {
    const j = left.join(right, { on: "id", how: "left" });
    expect(rowsOf(j)).toEqual([
      ["a", 1, 40],
      ["b", 2, 10],
      ["b", 2, 30],
      ["c", 3, "NaN"],
      ["b", 4, 10],
      ["b", 4, 30],
    ]);
    expect(j.column("y")).toBeInstanceOf(Float32Array);
  });

  it("right: right order; a missing int becomes Float64 NaN; keys come from the right row", () => {
    const j = left.join(right, { on: "id", how: "right" });
    expect(rowsOf(j)).toEqual([
      ["b", 2, 10],
      ["b", 4, 10],
      ["d", "NaN", 20],
      ["b", 2, 30],
      ["b", 4, 30],
      ["a", 1, 40],
    ]);
    expect(j.column("x")).toBeInstanceOf(Float64Array);
  });

  it("outer: the left join, then right rows that matched nothing", () => {
    const j = left.join(right, { on: "id", how: "outer" });
    expect(rowsOf(j).map((r) => r.join("|"))).toEqual(["a|1|40", "b|2|10", "b|2|30", "c|3|NaN", "b|4|10", "b|4|30", "d|NaN|20"]);
  });

  it("a left join on unique right keys keeps the left columns without a copy", () => {
    const r = NumerFrame.fromColumns({ id: ["c", "a", "b"], y: [3, 1, 2] });
    const j = left.join(r, { on: "id", how: "left" });
    expect((j.column("x") as Int32Array).buffer).toBe((left.column("x") as Int32Array).buffer);
    expect(Array.from(j.numeric("y"))).toEqual([1, 2, 3, 2]);
  });

  it("clashing columns get suffixes, and metadata follows the rename", () => {
    const l = NumerFrame.fromColumns({ era: ["1", "1"], id: ["a", "b"], target: [0.5, 0.25] }, { roles: { target: "target" } });
    const r = NumerFrame.fromColumns({ id: ["b", "a"], target: [1, 0], era: ["9", "8"] });
    const j = joinFrames(l, r, { on: "id", suffix: ["_l", "_r"] });
    expect(j.columnNames).toEqual(["era_l", "id", "target_l", "target_r", "era_r"]);
    expect(j.eraCol).toBe("era_l");
    expect(j.meta.roles).toEqual({ target_l: "target" });
    expect(Array.from(j.numeric("target_r"))).toEqual([0, 1]);
    expect(j.strings("era_r")).toEqual(["8", "9"]);
  });

  it("two keys: dictionary date with a plain Utf8 symbol, and a numeric key", () => {
    const dates = ["2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"];
    const l = NumerFrame.fromColumns({ date: dates, symbol: ["A", "B", "A", "B"], p: [1, 2, 3, 4] });
    // The right frame's symbol is plain Utf8 and its rows are shuffled, with an extra one.
    const r = NumerFrame.fromArrow(
      new Table({
        date: vectorFromArray(["2024-01-02", "2024-01-01", "2024-01-02", "2024-01-03"], new Utf8()),
        symbol: vectorFromArray(["B", "A", "A", "A"], new Utf8()),
        t: makeVector(new Float64Array([40, 10, 30, 99])),
      }),
    );
    expect(rowsOf(l.join(r, { on: ["date", "symbol"], how: "left" }))).toEqual([
      ["2024-01-01", "A", 1, 10],
      ["2024-01-01", "B", 2, "NaN"],
      ["2024-01-02", "A", 3, 30],
      ["2024-01-02", "B", 4, 40],
    ]);
    const n1 = NumerFrame.fromColumns({ k: new Int32Array([3, 1, 2]), v: ["c", "a", "b"] });
    const n2 = NumerFrame.fromColumns({ k: new Int32Array([1, 3, 5]), w: ["x", "y", "z"] });
    expect(rowsOf(n1.join(n2, { on: "k", how: "outer" }))).toEqual([
      [3, "c", "y"],
      [1, "a", "x"],
      [2, "b", null],
      [5, null, "z"],
    ]);
    expect(n1.join(n2, { on: "k", how: "outer" }).column("k")).toBeInstanceOf(Int32Array);
  });

  it("a key that is text on one side and numeric on the other is a SchemaMismatchError", () => {
    const a = NumerFrame.fromColumns({ k: ["1", "2"], v: [1, 2] });
    const b = NumerFrame.fromColumns({ k: [1, 2], w: [1, 2] });
    expect(() => a.join(b, "k")).toThrow(SchemaMismatchError);
    expect(() => a.join(b, "k")).toThrow(expect.objectContaining({ code: "SCHEMA_MISMATCH", column: "k" }));
  });

  it("matches a nested-loop join on random data (every how, two keys, right keys repeated or unique)", () => {
    let seed = 7;
    const rand = (k: number) => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % k);
    const make = (n: number, tag: string) =>
      NumerFrame.fromColumns({
        d: Array.from({ length: n }, () => `d${rand(5)}`),
        s: Array.from({ length: n }, () => `s${rand(7)}`),
        [tag]: Float64Array.from({ length: n }, (_, i) => i),
      });
    // One row per (d, s) cell for a random subset of the 35 cells, in random order: the
    // unique-key path of the join.
    const makeUnique = (tag: string) => {
      const cells = Array.from({ length: 35 }, (_, c) => c).filter(() => rand(3) > 0);
      for (let i = cells.length - 1; i > 0; i--) {
        const j = rand(i + 1);
        [cells[i], cells[j]] = [cells[j]!, cells[i]!];
      }
      return NumerFrame.fromColumns({
        d: cells.map((c) => `d${Math.floor(c / 7)}`),
        s: cells.map((c) => `s${c % 7}`),
        [tag]: Float64Array.from(cells, (_, i) => i),
      });
    };
    for (let trial = 0; trial < 10; trial++) {
      const l = make(40 + rand(20), "a");
      const r = trial < 5 ? make(30 + rand(20), "b") : makeUnique("b");
      const ld = l.strings("d");
      const ls = l.strings("s");
      const rd = r.strings("d");
      const rs = r.strings("s");
      const pairs: string[] = [];
      const matchedRight = new Set<number>();
      for (let i = 0; i < l.numRows; i++) {
        let any = false;
        for (let j = 0; j < r.numRows; j++) {
          if (ld[i] === rd[j] && ls[i] === rs[j]) {
            pairs.push(`${ld[i]}|${ls[i]}|${i}|${j}`);
            matchedRight.add(j);
            any = true;
          }
        }
        if (!any) pairs.push(`${ld[i]}|${ls[i]}|${i}|NaN`);
      }
      const inner = pairs.filter((p) => !p.endsWith("NaN"));
      const outer = [...pairs];
      for (let j = 0; j < r.numRows; j++) if (!matchedRight.has(j)) outer.push(`${rd[j]}|${rs[j]}|NaN|${j}`);
      const got = (how: "inner" | "left" | "outer") => rowsOf(l.join(r, { on: ["d", "s"], how })).map((row) => row.join("|"));
      expect(got("inner")).toEqual(inner);
      expect(got("left")).toEqual(pairs);
      expect(got("outer")).toEqual(outer);
    }
  });
});
