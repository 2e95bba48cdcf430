import { Table, makeVector } from "apache-arrow";
import { describe, expect, it } from "vitest";
import { NumerFrame, eraRows } from "../src/index.js";
import { utf8Vector } from "../src/columns.js";

const eras = ["0003", "0001", "0002", "0001", "0003", "0002", "0001"];

function rowsByEra(f: NumerFrame): Record<string, number[]> {
  const idx = f.eraIndex();
  return Object.fromEntries(idx.eras.map((e, k) => [e, Array.from(eraRows(idx, k))]));
}

describe("era index", () => {
  it("groups unsorted eras with a stable permutation", () => {
    const f = NumerFrame.fromColumns({ era: eras, x: new Float64Array(7) });
    const idx = f.eraIndex();
    expect(idx.eras).toEqual(["0001", "0002", "0003"]);
    expect(Array.from(idx.offsets)).toEqual([0, 3, 5, 7]);
    expect(idx.order).not.toBeNull();
    expect(Array.from(idx.order!)).toEqual([1, 3, 6, 2, 5, 0, 4]);
    expect(Array.from(idx.codes)).toEqual([2, 0, 1, 0, 2, 1, 0]);
    expect(f.eraIndex()).toBe(idx);
  });

  it("gives the same answer for plain Utf8 and integer era columns", () => {
    const utf8 = NumerFrame.fromArrow(new Table({ era: utf8Vector(eras) }));
    expect(rowsByEra(utf8)).toEqual({ "0001": [1, 3, 6], "0002": [2, 5], "0003": [0, 4] });
    const ints = NumerFrame.fromArrow(new Table({ era: makeVector(new Int32Array([3, 1, 2, 1, 3, 2, 1])) }));
    expect(rowsByEra(ints)).toEqual({ "1": [1, 3, 6], "2": [2, 5], "3": [0, 4] });
  });

  it("needs no permutation when rows are already grouped in order", () => {
    const f = NumerFrame.fromColumns({ era: ["1", "1", "2", "10"], x: [1, 2, 3, 4] });
    const idx = f.eraIndex();
    expect(idx.order).toBeNull();
    expect(idx.eras).toEqual(["1", "2", "10"]);
    expect(Array.from(eraRows(idx, 2))).toEqual([3]);
  });

  it("orders ISO dates chronologically", () => {
    const f = NumerFrame.fromColumns({ date: ["2024-02-01", "2023-12-31", "2024-01-15"], symbol: ["A", "B", "C"] });
    expect(f.eras()).toEqual(["2023-12-31", "2024-01-15", "2024-02-01"]);
  });
});
