import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { DuplicateRowError, InvalidOptionError, type NumerFrameError, selectBaskets } from "../src/index.js";
import { caught as caughtError } from "@nmrblox/fixtures";

const caught = (fn: () => unknown) => caughtError<NumerFrameError & Partial<Pick<InvalidOptionError, "problems">>>(fn);

const signals = NumerFrame.fromColumns({
  date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"],
  symbol: ["b", "a", "C", "d", "e", "f", "a", "b"],
  prediction: Float64Array.from([0.5, 0.5, 0.5, 0.9, 0.1, Number.NaN, 0.3, 0.6]),
});

describe("selectBaskets", () => {
  it("sorts by (prediction, symbol) in code-point order and skips NaN predictions", () => {
    // Eligible on 01-01: e 0.1, then the tie at 0.5 in code-point order C < a < b, then d 0.9.
    // Short = first 2 (e, C); long = last 2 (b, d). On 01-02 two eligible: 1 each side.
    const b = selectBaskets(signals, { long: 2, short: 2 });
    expect(b.strings("date")).toEqual(["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02", "2024-01-02"]);
    expect(b.strings("symbol")).toEqual(["e", "C", "b", "d", "a", "b"]);
    expect(b.strings("side")).toEqual(["short", "short", "long", "long", "short", "long"]);
    expect(Array.from(b.numeric("weight"))).toEqual([0.5, 0.5, 0.5, 0.5, 1, 1]);
    expect(b.provenance.at(-1)?.blox).toBe("selectBaskets");
  });

  it("weights by distance from the median rank with `rank`", () => {
    // n = 5 eligible, ranks e1 C2 a3 b4 d5, median rank 3: distances e 2, C 1 | b 1, d 2.
    const b = selectBaskets(signals, { long: 2, short: 2, weighting: "rank" });
    expect(Array.from(b.numeric("weight")).slice(0, 4)).toEqual([2 / 3, 1 / 3, 1 / 3, 2 / 3]);
  });

  it("takes min(requested, floor(eligible / 2)) per side when short of names, and honours the universe", () => {
    const universe = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
      symbol: ["a", "b", "C", "d", "e"],
      tradable: Uint8Array.from([1, 1, 1, 0, 1]),
    });
    // d untradable, f NaN: 4 eligible (e, C, a, b) < 3 + 3, so each side takes min(3, 2) = 2.
    // 01-02 has no universe rows: nothing tradable, no basket.
    const b = selectBaskets(signals, { long: 3, short: 3, universe });
    expect(b.strings("symbol")).toEqual(["e", "C", "a", "b"]);
    expect(b.strings("side")).toEqual(["short", "short", "long", "long"]);
    // Asymmetric request: long 1, short 3 with 5 eligible ≥ 4 requested: exactly 1 and 3.
    const c = selectBaskets(signals, { long: 1, short: 3 });
    expect(c.strings("symbol").slice(0, 4)).toEqual(["e", "C", "a", "d"]);
  });

  it("rejects duplicate (date, symbol) rows and bad options by name", () => {
    const dup = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01"],
      symbol: ["a", "a"],
      prediction: Float64Array.from([0.1, 0.2]),
    });
    expect(() => selectBaskets(dup)).toThrow(DuplicateRowError);
    expect(() => selectBaskets(signals, { long: 0 })).toThrow(InvalidOptionError);
    expect(caught(() => selectBaskets(signals, { short: -1 })).option).toBe("short");
  });

  it("names an unknown option and the nearest valid one", () => {
    const e = caught(() => selectBaskets(signals, { lnog: 3, weighting: "equal" } as never));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect(e.problems).toEqual([{ path: "lnog", message: "unknown option", suggestion: "long" }]);
    expect(caught(() => selectBaskets(signals, { universe: { date: [] } as never })).option).toBe("universe");
  });

  it("names a signals frame without a prediction and a universe with a repeated row", () => {
    const e = caught(() => selectBaskets(signals.drop(["prediction"])));
    expect([e.code, e.column]).toEqual(["MISSING_COLUMN", "prediction"]);
    const universe = NumerFrame.fromColumns({ date: ["2024-01-01", "2024-01-01"], symbol: ["a", "a"], tradable: Uint8Array.from([1, 0]) });
    const dup = caught(() => selectBaskets(signals, { universe }));
    expect([dup.code, dup.symbol, dup.date]).toEqual(["DUPLICATE_ROW", "a", "2024-01-01"]);
  });

  it("does not depend on the row order of the signals frame (ties go by symbol)", () => {
    // Why the selection is not the ranker's topBottom: that breaks ties by row order.
    const order = Int32Array.from([7, 3, 0, 5, 2, 6, 1, 4]);
    const shuffled = signals.take(order);
    for (const options of [{ long: 2, short: 2 }, { long: 1, short: 3, weighting: "rank" as const }]) {
      const a = selectBaskets(signals, options);
      const b = selectBaskets(shuffled, options);
      expect(b.strings("symbol")).toEqual(a.strings("symbol"));
      expect(b.strings("side")).toEqual(a.strings("side"));
      expect(Array.from(b.numeric("weight"))).toEqual(Array.from(a.numeric("weight")));
    }
  });
});

describe("selectBaskets against a naive full sort", () => {
  it("matches sort-by-(prediction, symbol) on random data with many ties", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const date: string[] = [];
    const symbol: string[] = [];
    const prediction: number[] = [];
    const names = Array.from({ length: 40 }, (_, i) => (i % 3 === 0 ? `Z${i}` : i % 3 === 1 ? `a${i}` : `B${i}`));
    for (const d of ["2024-03-01", "2024-03-02", "2024-03-03"]) {
      for (const s of names) {
        if (rand() < 0.1) continue;
        date.push(d);
        symbol.push(s);
        prediction.push(rand() < 0.05 ? Number.NaN : Math.floor(rand() * 6) / 5);
      }
    }
    const frame = NumerFrame.fromColumns({ date, symbol, prediction: Float64Array.from(prediction) });
    for (const [long, short] of [[5, 7], [25, 25], [1, 1]] as const) {
      const got = selectBaskets(frame, { long, short, weighting: "rank" });
      const expected: Array<[string, string, string, number]> = [];
      for (const d of ["2024-03-01", "2024-03-02", "2024-03-03"]) {
        const rows = date
          .map((_, i) => i)
          .filter((i) => date[i] === d && !Number.isNaN(prediction[i]!))
          .sort((i, j) => prediction[i]! - prediction[j]! || (symbol[i]! < symbol[j]! ? -1 : 1));
        const m = rows.length;
        const ns = m < long + short ? Math.min(short, Math.floor(m / 2)) : short;
        const nl = m < long + short ? Math.min(long, Math.floor(m / 2)) : long;
        const dist = (k: number) => Math.abs(k + 1 - (m + 1) / 2);
        const sumS = rows.slice(0, ns).reduce((a, _, k) => a + dist(k), 0);
        const sumL = rows.slice(m - nl).reduce((a, _, k) => a + dist(m - nl + k), 0);
        rows.slice(0, ns).forEach((i, k) => expected.push([d, symbol[i]!, "short", dist(k) / sumS]));
        rows.slice(m - nl).forEach((i, k) => expected.push([d, symbol[i]!, "long", dist(m - nl + k) / sumL]));
      }
      const w = got.numeric("weight");
      expect(got.strings("symbol")).toEqual(expected.map((e) => e[1]));
      expect(got.strings("side")).toEqual(expected.map((e) => e[2]));
      expected.forEach((e, k) => expect(w[k]).toBeCloseTo(e[3], 14));
    }
  });
});
