import { Field, Float64, Int32, RecordBatch, Schema, Struct, Table, makeData, tableFromArrays, vectorFromArray } from "apache-arrow";
import { describe, expect, it } from "vitest";
import {
  ColumnLengthError,
  DuplicateColumnError,
  EmptyFrameError,
  MissingColumnError,
  NonNumericColumnError,
  NullValueError,
  NumerFrame,
  NumerFrameError,
} from "../src/index.js";

describe("role inference", () => {
  it("recognises a Classic frame from Numerai naming", () => {
    const f = NumerFrame.fromColumns({
      id: ["n1", "n2", "n3"],
      era: ["0001", "0001", "0002"],
      feature_a: new Int8Array([0, 1, 2]),
      feature_b: new Int8Array([4, 3, 2]),
      target: new Float32Array([0, 0.5, 1]),
      target_cyrus_20: new Float32Array([0.25, 0.5, 0.75]),
      prediction: new Float64Array([0.1, 0.2, 0.3]),
      data_type: ["train", "train", "validation"],
    });
    expect(f.kind).toBe("classic");
    expect(f.eraCol).toBe("era");
    expect(f.idCol).toBe("id");
    expect(f.featureCols).toEqual(["feature_a", "feature_b"]);
    expect(f.targetCols).toEqual(["target", "target_cyrus_20"]);
    expect(f.predictionCols).toEqual(["prediction"]);
    expect(f.role("data_type")).toBe("other");
    expect(f.numRows).toBe(3);
  });

  it("recognises Signals and Crypto frames", () => {
    const s = NumerFrame.fromColumns({ date: ["2024-01-05"], numerai_ticker: ["AAPL US"], signal: [0.5] });
    expect([s.kind, s.eraCol, s.idCol]).toEqual(["signals", "date", "numerai_ticker"]);
    const c = NumerFrame.fromColumns({ date: ["2024-01-05"], symbol: ["BTC"], prediction: [0.5] });
    expect([c.kind, c.eraCol, c.idCol]).toEqual(["crypto", "date", "symbol"]);
    const x = NumerFrame.fromColumns({ when: ["d"], what: ["w"], value: [1] });
    expect([x.kind, x.eraCol, x.idCol]).toEqual(["custom", undefined, undefined]);
  });

  it("lets explicit metadata and roles win over naming", () => {
    const f = NumerFrame.fromColumns(
      { era: ["1", "2"], week: ["a", "b"], coin: ["X", "Y"], feature_x: [1, 2], score: [0.1, 0.2], target: [1, 0] },
      { eraCol: "week", idCol: "coin", kind: "custom", roles: { score: "prediction", feature_x: "other", target: "feature" } },
    );
    expect(f.eraCol).toBe("week");
    expect(f.idCol).toBe("coin");
    expect(f.kind).toBe("custom");
    expect(f.predictionCols).toEqual(["score"]);
    expect(f.featureCols).toEqual(["target"]);
    expect(f.targetCols).toEqual([]);
    expect(f.eras()).toEqual(["a", "b"]);
  });
});

describe("column access", () => {
  it("returns typed arrays without copying and strings decoded once", () => {
    const x = new Float32Array([1.5, 2.5, 3.5]);
    const f = NumerFrame.fromColumns({ era: ["a", "a", "b"], x, k: new Int8Array([1, 2, 3]) });
    const got = f.column("x");
    expect(got).toBeInstanceOf(Float32Array);
    expect((got as Float32Array).buffer).toBe(x.buffer);
    expect(f.column("k")).toBeInstanceOf(Int8Array);
    expect(f.column("era")).toEqual(["a", "a", "b"]);
    expect(f.column("era")).toBe(f.column("era"));
    expect(Array.from(f.float64("k"))).toEqual([1, 2, 3]);
  });

  it("reads nulls in float columns as NaN and widens nullable ints", () => {
    const f = NumerFrame.fromColumns({
      era: ["a", "b"],
      y: vectorFromArray([1.5, null], new Float64()),
      k: vectorFromArray([7, null], new Int32()),
    });
    const y = f.column("y") as Float64Array;
    expect([y[0], Number.isNaN(y[1]!)]).toEqual([1.5, true]);
    const k = f.column("k");
    expect(k).toBeInstanceOf(Float64Array);
    expect([k[0], Number.isNaN(k[1] as number)]).toEqual([7, true]);
  });
});

describe("bad input gets a named error", () => {
  it("names a missing era column", () => {
    const err = (() => {
      try {
        NumerFrame.fromColumns({ id: ["a"], x: [1] }, { eraCol: "era" });
      } catch (e) {
        return e;
      }
    })() as MissingColumnError;
    expect(err).toBeInstanceOf(MissingColumnError);
    expect(err).toBeInstanceOf(NumerFrameError);
    expect(err.column).toBe("era");
    expect(err.message).toMatch(/era column: column "era" is missing/);
  });

  it("names the column when eraIndex has no era column", () => {
    const f = NumerFrame.fromColumns({ x: [1, 2] });
    expect(() => f.eraIndex()).toThrow(MissingColumnError);
  });

  it("names a duplicated column", () => {
    const d = makeData({ type: new Float64(), length: 1, data: new Float64Array([1]) });
    const fields = [Field.new("x", new Float64()), Field.new("x", new Float64())];
    const schema = new Schema(fields);
    const batch = new RecordBatch(schema, makeData({ type: new Struct(fields), length: 1, children: [d, d] }));
    expect(() => NumerFrame.fromArrow(new Table(schema, [batch]))).toThrow(DuplicateColumnError);
    expect(() => NumerFrame.fromArrow(new Table(schema, [batch]))).toThrow(/"x" appears more than once/);
  });

  it("names a non-numeric feature", () => {
    expect(() => NumerFrame.fromColumns({ era: ["1"], feature_sector: ["tech"] })).toThrow(NonNumericColumnError);
    expect(() => NumerFrame.fromColumns({ era: ["1"], feature_sector: ["tech"] })).toThrow(/feature column "feature_sector" must be numeric/);
  });

  it("refuses an empty frame unless asked", () => {
    expect(() => NumerFrame.fromColumns({})).toThrow(EmptyFrameError);
    expect(() => NumerFrame.fromColumns({ era: [] as string[], x: new Float64Array(0) })).toThrow(EmptyFrameError);
    expect(NumerFrame.fromColumns({ x: new Float64Array(0) }, {}, { allowEmpty: true }).numRows).toBe(0);
  });

  it("builds empty string columns when told which columns hold strings", () => {
    const f = NumerFrame.fromColumns({ symbol: [] as string[], x: new Float64Array(0) }, {}, { allowEmpty: true, strings: ["symbol"] });
    expect(f.strings("symbol")).toEqual([]);
    expect(f.concat(NumerFrame.fromColumns({ symbol: ["BTC"], x: [1] })).strings("symbol")).toEqual(["BTC"]);
    const untyped = NumerFrame.fromColumns({ symbol: [] as string[] }, {}, { allowEmpty: true });
    expect(untyped.column("symbol")).toBeInstanceOf(Float64Array);
  });

  it("names a column of the wrong length", () => {
    expect(() => NumerFrame.fromColumns({ a: [1, 2], b: [1] })).toThrow(ColumnLengthError);
    expect(() => NumerFrame.fromColumns({ a: [1, 2], b: [1] })).toThrow(/"b" has 1 values, expected 2/);
  });

  it("names the row of a null era", () => {
    const t = tableFromArrays({ era: ["a", null as unknown as string, "b"] as string[] });
    const err = (() => {
      try {
        NumerFrame.fromArrow(t);
      } catch (e) {
        return e;
      }
    })() as NullValueError;
    expect(err).toBeInstanceOf(NullValueError);
    expect([err.column, err.row]).toEqual(["era", 1]);
  });
});
