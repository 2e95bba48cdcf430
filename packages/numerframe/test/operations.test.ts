import { describe, expect, it } from "vitest";
import { ColumnLengthError, MissingColumnError, NumerFrame, SchemaMismatchError } from "../src/index.js";

function sample(): NumerFrame {
  return NumerFrame.fromColumns(
    {
      era: ["0002", "0001", "0002", "0001"],
      id: ["d", "a", "c", "b"],
      feature_a: new Int8Array([3, 0, 2, 1]),
      target: new Float32Array([0.75, 0, 0.5, 0.25]),
      prediction: new Float64Array([0.4, 0.1, 0.3, 0.2]),
    },
    { source: { name: "sample" } },
  );
}

/** A deep snapshot of a frame's observable state, to prove operations never mutate it. */
function snapshot(f: NumerFrame) {
  return JSON.stringify({
    names: f.columnNames,
    cols: f.columnNames.map((n) => Array.from(f.column(n) as ArrayLike<unknown>)),
    meta: f.meta,
  });
}

describe("immutable operations", () => {
  it("leave the source frame unchanged", () => {
    const f = sample();
    const before = snapshot(f);
    const results = [
      f.select(["id", "prediction"]),
      f.drop(["feature_a"]),
      f.filter([true, false, true, false]),
      f.filter((i) => i > 1),
      f.withColumn("prediction", new Float64Array([9, 9, 9, 9])),
      f.withColumn("extra", ["w", "x", "y", "z"]),
      f.rename({ prediction: "prediction_new", era: "week" }),
      f.sortBy(["era", "id"]),
      f.concat(f),
      f.join(f.select(["id", "prediction"]), "id"),
      f.withProvenance({ blox: "test", options: { k: 1 } }),
      f.withMeta({ kind: "custom" }),
    ];
    expect(results.every((r) => r !== f)).toBe(true);
    expect(snapshot(f)).toBe(before);
    expect(f.provenance).toEqual([]);
  });

  it("select keeps order and roles; filter keeps typed arrays", () => {
    const f = sample();
    const s = f.select(["prediction", "id"]);
    expect(s.columnNames).toEqual(["prediction", "id"]);
    expect(s.eraCol).toBeUndefined();
    expect(s.idCol).toBe("id");
    const g = f.filter(new Uint8Array([0, 1, 1, 0]));
    expect(g.column("id")).toEqual(["a", "c"]);
    expect(g.column("feature_a")).toBeInstanceOf(Int8Array);
    expect(Array.from(g.column("target") as Float32Array)).toEqual([0, 0.5]);
    expect(() => f.filter([true])).toThrow(ColumnLengthError);
    expect(() => f.select(["nope"])).toThrow(MissingColumnError);
  });

  it("withColumn replaces in place or appends", () => {
    const f = sample().withColumn("feature_a", new Int8Array([4, 4, 4, 4])).withColumn("prediction_b", [1, 2, 3, 4]);
    expect(f.columnNames).toEqual(["era", "id", "feature_a", "target", "prediction", "prediction_b"]);
    expect(Array.from(f.column("feature_a") as Int8Array)).toEqual([4, 4, 4, 4]);
    expect(f.predictionCols).toEqual(["prediction", "prediction_b"]);
    expect(() => f.withColumn("x", [1])).toThrow(ColumnLengthError);
  });

  it("rename carries era, id and roles along", () => {
    const f = NumerFrame.fromColumns({ era: ["1", "2"], id: ["a", "b"], score: [1, 2] }, { roles: { score: "prediction" } });
    const r = f.rename({ era: "week", id: "ticker", score: "s" });
    expect([r.eraCol, r.idCol, r.predictionCols]).toEqual(["week", "ticker", ["s"]]);
    expect(r.eras()).toEqual(["1", "2"]);
  });

  it("sortBy is stable, multi-key, NaN last, descending on request", () => {
    const f = NumerFrame.fromColumns({ g: ["b", "a", "b", "a", "a"], x: [2, Number.NaN, 1, 3, 3], i: [0, 1, 2, 3, 4] });
    const s = f.sortBy(["g", "x"]);
    expect(Array.from(s.column("i") as Float64Array)).toEqual([3, 4, 1, 2, 0]);
    const d = f.sortBy({ column: "x", descending: true });
    expect(Array.from(d.column("i") as Float64Array)).toEqual([3, 4, 0, 2, 1]);
  });

  it("concat stacks frames and checks schemas", () => {
    const f = sample();
    const c = f.concat(f.select(["prediction", "target", "feature_a", "id", "era"]));
    expect(c.numRows).toBe(8);
    expect(c.column("id")).toEqual(["d", "a", "c", "b", "d", "a", "c", "b"]);
    expect(c.column("target")).toBeInstanceOf(Float32Array);
    expect(c.eraIndex().offsets[1]).toBe(4);
    expect(() => f.concat(f.select(["id"]))).toThrow(MissingColumnError);
    const wrong = f.withColumn("target", new Float64Array(4));
    expect(() => f.concat(wrong)).toThrow(SchemaMismatchError);
  });

  it("join matches rows by key with suffixes, inner and left and outer", () => {
    const left = NumerFrame.fromColumns({ id: ["a", "b", "c"], x: new Float32Array([1, 2, 3]), v: [10, 20, 30] });
    const right = NumerFrame.fromColumns({ id: ["c", "a", "z"], y: new Int8Array([7, 5, 9]), v: [1, 2, 3] });
    const inner = left.join(right, "id").sortBy("id");
    expect(inner.columnNames).toEqual(["id", "x", "v_x", "y", "v_y"]);
    expect(inner.column("id")).toEqual(["a", "c"]);
    expect(Array.from(inner.column("y") as Int8Array)).toEqual([5, 7]);
    expect(inner.column("x")).toBeInstanceOf(Float32Array);
    expect(Array.from(inner.column("v_y") as Float64Array)).toEqual([2, 1]);

    const leftJoin = left.join(right, { on: "id", how: "left" }).sortBy("id");
    expect(leftJoin.column("id")).toEqual(["a", "b", "c"]);
    const y = leftJoin.column("y") as Float64Array;
    expect([y[0], Number.isNaN(y[1]!), y[2]]).toEqual([5, true, 7]);

    const outer = left.join(right, { on: "id", how: "outer" }).sortBy("id");
    expect(outer.column("id")).toEqual(["a", "b", "c", "z"]);
    expect(() => left.join(right, "nope")).toThrow(MissingColumnError);
  });

  it("provenance is append-only", () => {
    const f = sample().withProvenance({ blox: "a", at: "2026-01-01T00:00:00.000Z" }).withProvenance({ blox: "b", options: { k: 2 } });
    expect(f.provenance.map((p) => p.blox)).toEqual(["a", "b"]);
    expect(f.provenance[0]).toEqual({ blox: "a", options: {}, at: "2026-01-01T00:00:00.000Z" });
    expect(f.select(["id"]).provenance.length).toBe(2);
    expect(f.meta.source).toEqual({ name: "sample" });
  });

  it("round-trips through arquero keeping typed arrays", () => {
    const f = sample();
    const dt = f.toArquero().filter((d: { prediction: number }) => d.prediction > 0.15);
    const back = NumerFrame.fromArquero(dt, f.meta);
    expect(back.column("id")).toEqual(["d", "c", "b"]);
    expect(Array.from(back.column("prediction") as Float64Array)).toEqual([0.4, 0.3, 0.2]);
    expect(back.eraCol).toBe("era");
  });
});
