import { InvalidOptionError, NumerFrame, readCsv } from "@nmrblox/numerframe";
import { withTempDir } from "@nmrblox/fixtures";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SUBMISSION_RULES, SubmissionError, validateSubmission } from "../src/index.js";
import { makeIds, spreadValues, submissionFrame } from "./helpers.js";

/** Runs validation expecting failure; returns the error. */
function failure(frame: NumerFrame, options: Parameters<typeof validateSubmission>[1]): SubmissionError {
  try {
    validateSubmission(frame, options);
  } catch (err) {
    expect(err).toBeInstanceOf(SubmissionError);
    return err as SubmissionError;
  }
  throw new Error("expected validateSubmission to throw");
}

const classicIds = ["n0", "n1", "n2", "n3", "n4"];
const classicValues = [0.1, 0.3, 0.5, 0.7, 0.9];
const cryptoIds = makeIds(100, "C");
const signalsIds = makeIds(100, "T");

describe("header rule", () => {
  it("accepts Classic id + prediction and returns the columns and live rows", () => {
    const result = validateSubmission(submissionFrame("id", classicIds, "prediction", classicValues), {
      tournament: "classic",
      liveIds: classicIds,
    });
    expect(result).toEqual({ idCol: "id", predictionCol: "prediction", rows: 5, invalidIds: [], warnings: [] });
  });

  it("rejects a Classic header with another prediction name, reversed order or an extra column", () => {
    const cases: Array<Record<string, readonly string[] | Float64Array>> = [
      { id: classicIds, pred: Float64Array.from(classicValues) },
      { prediction: Float64Array.from(classicValues), id: classicIds },
      { id: classicIds, prediction: Float64Array.from(classicValues), era: classicIds.map(() => "0575") },
      { id: classicIds, signal: Float64Array.from(classicValues) },
    ];
    for (const columns of cases) {
      const err = failure(NumerFrame.fromColumns(columns), { tournament: "classic", liveIds: classicIds });
      expect(err.rules).toEqual(["header"]);
      expect(err.message).toContain(`found [${Object.keys(columns).join(", ")}]`);
    }
  });

  it("accepts every Signals id column with prediction or signal, and a date column before the check", () => {
    for (const idCol of SUBMISSION_RULES.signals.idCols) {
      for (const predCol of ["prediction", "signal"]) {
        const r = validateSubmission(submissionFrame(idCol, signalsIds, predCol, spreadValues(100)), {
          tournament: "signals",
          liveIds: signalsIds,
        });
        expect([r.idCol, r.predictionCol, r.rows]).toEqual([idCol, predCol, 100]);
      }
    }
    const dated = NumerFrame.fromColumns({
      date: signalsIds.map(() => "2025-06-06"),
      numerai_ticker: signalsIds,
      signal: spreadValues(100),
    });
    const r = validateSubmission(dated, { tournament: "signals", liveIds: signalsIds });
    expect(r).toMatchObject({ idCol: "numerai_ticker", predictionCol: "signal", dateCol: "date", rows: 100 });
  });

  it("rejects Signals with a Crypto id column or an extra column, and Crypto with a Signals id column", () => {
    let err = failure(submissionFrame("symbol", signalsIds, "signal", spreadValues(100)), { tournament: "signals", liveIds: signalsIds });
    expect(err.rules).toEqual(["header"]);
    const extra = NumerFrame.fromColumns({ numerai_ticker: signalsIds, signal: spreadValues(100), weight: spreadValues(100) });
    err = failure(extra, { tournament: "signals", liveIds: signalsIds });
    expect(err.rules).toEqual(["header"]);
    err = failure(submissionFrame("ticker", cryptoIds, "prediction", spreadValues(100)), { tournament: "crypto", liveIds: cryptoIds });
    expect(err.rules).toEqual(["header"]);
    expect(err.message).toContain("crypto headers must be exactly [one of symbol, one of prediction|signal]");
  });

  it("accepts Crypto symbol + prediction or signal", () => {
    for (const predCol of ["prediction", "signal"]) {
      const r = validateSubmission(submissionFrame("symbol", cryptoIds, predCol, spreadValues(100)), { tournament: "crypto", liveIds: cryptoIds });
      expect([r.idCol, r.predictionCol, r.rows]).toEqual(["symbol", predCol, 100]);
    }
  });
});

describe("NaN rule", () => {
  it("rejects a NaN prediction of a live id, naming it", () => {
    const values = [0.1, Number.NaN, 0.5, 0.7, 0.9];
    const err = failure(submissionFrame("id", classicIds, "prediction", values), { tournament: "classic", liveIds: classicIds });
    expect(err.rules).toEqual(["missing-prediction"]);
    expect(err.problems[0]).toMatchObject({ count: 1, ids: ["n1"] });
  });

  it("ignores a NaN prediction of an id outside the live universe", () => {
    const frame = submissionFrame("id", [...classicIds, "zz"], "prediction", [...classicValues, Number.NaN]);
    const r = validateSubmission(frame, { tournament: "classic", liveIds: classicIds });
    expect(r.invalidIds).toEqual(["zz"]);
    expect(r.rows).toBe(5);
  });

  it("rejects missing ids: NaN numeric ids and empty CSV fields", async () => {
    const numeric = NumerFrame.fromColumns({ id: new Float64Array([1, Number.NaN, 3]), prediction: new Float64Array([0.2, 0.5, 0.8]) });
    const err = failure(numeric, { tournament: "classic", liveIds: ["1", "3"] });
    expect(err.rules).toEqual(["missing-id"]);
    expect(err.problems[0]).toMatchObject({ count: 1, rows: [1] });

    await withTempDir(async (dir) => {
      const path = join(dir, "sub.csv");
      await writeFile(path, "symbol,prediction\nBTC,0.2\n,0.4\nETH,0.6\n");
      const frame = await readCsv(path);
      const e = failure(frame, { tournament: "crypto", liveIds: ["BTC", "ETH"] });
      expect(e.rules).toEqual(["missing-id", "too-few-ids"]);
      expect(e.problems[0]).toMatchObject({ rule: "missing-id", count: 1, rows: [1] });
    });
  });
});

describe("duplicate rule", () => {
  it("rejects an id repeated among live ids, naming it and counting duplicated ids", () => {
    const frame = submissionFrame("id", [...classicIds, "n3", "n3", "n0"], "prediction", [...classicValues, 0.2, 0.4, 0.6]);
    const err = failure(frame, { tournament: "classic", liveIds: classicIds });
    expect(err.rules).toEqual(["duplicate-id"]);
    expect(err.problems[0]).toMatchObject({ count: 2, ids: ["n0", "n3"] });
  });

  it("accepts duplicates of ids outside the live universe and reports them once as invalid", () => {
    const frame = submissionFrame("id", [...classicIds, "old", "old"], "prediction", [...classicValues, 0.2, 0.4]);
    const r = validateSubmission(frame, { tournament: "classic", liveIds: classicIds });
    expect(r.invalidIds).toEqual(["old"]);
    expect(r.rows).toBe(5);
  });
});

describe("range rule", () => {
  const check = (values: number[]) => () =>
    validateSubmission(submissionFrame("id", classicIds, "prediction", values), { tournament: "classic", liveIds: classicIds });

  it("accepts 0 and 1 exactly, and numpy isclose slack at both ends", () => {
    expect(check([0, 0.3, 0.5, 0.7, 1])).not.toThrow();
    expect(check([-1e-9, 0.3, 0.5, 0.7, 1 + 1e-5])).not.toThrow();
  });

  it("rejects a value below 0 or above 1 beyond the tolerance, naming the ids", () => {
    let err = failure(submissionFrame("id", classicIds, "prediction", [-0.0001, 0.3, 0.5, 0.7, 0.9]), {
      tournament: "classic",
      liveIds: classicIds,
    });
    expect(err.rules).toEqual(["out-of-range"]);
    expect(err.problems[0]).toMatchObject({ count: 1, ids: ["n0"] });
    err = failure(submissionFrame("id", classicIds, "prediction", [0.1, 1.00002, 0.5, 2, 0.9]), { tournament: "classic", liveIds: classicIds });
    expect(err.problems[0]).toMatchObject({ rule: "out-of-range", count: 2, ids: ["n1", "n3"] });
    // The tolerance on the low side is 1e-8 absolute.
    expect(check([-2e-8, 0.3, 0.5, 0.7, 0.9])).toThrow(SubmissionError);
  });
});

describe("standard deviation rule", () => {
  it("rejects constant predictions (numerai-tools: constant 0.5)", () => {
    const err = failure(submissionFrame("id", classicIds, "prediction", [0.5, 0.5, 0.5, 0.5, 0.5]), {
      tournament: "classic",
      liveIds: classicIds,
    });
    expect(err.rules).toEqual(["zero-std"]);
    expect(err.problems[0]).toMatchObject({ count: 5, ids: classicIds });
  });

  it("rejects a sample std within 1e-8 of 0 and accepts one just above", () => {
    // ddof 1: [0.5, 0.5 + 1e-9, 0.5, 0.5 - 1e-9, 0.5] has std sqrt(2e-18 / 4) ≈ 7.1e-10 ≤ 1e-8.
    expect(() =>
      validateSubmission(submissionFrame("id", classicIds, "prediction", [0.5, 0.5 + 1e-9, 0.5, 0.5 - 1e-9, 0.5]), {
        tournament: "classic",
        liveIds: classicIds,
      }),
    ).toThrow(/standard deviation/);
    // std of [0.5, 0.5, 0.5, 0.5, 0.5 + 1e-7] (ddof 1) = 1e-7 / sqrt(5) ≈ 4.5e-8 > 1e-8.
    const r = validateSubmission(submissionFrame("id", classicIds, "prediction", [0.5, 0.5, 0.5, 0.5, 0.5 + 1e-7]), {
      tournament: "classic",
      liveIds: classicIds,
    });
    expect(r.rows).toBe(5);
  });
});

describe("coverage rules", () => {
  it("Classic must cover every live id: a missing one is named and counted", () => {
    const err = failure(submissionFrame("id", classicIds.slice(1), "prediction", classicValues.slice(1)), {
      tournament: "classic",
      liveIds: classicIds,
    });
    expect(err.rules).toEqual(["missing-live-ids"]);
    expect(err.problems[0]).toMatchObject({ count: 1, ids: ["n0"] });
    expect(err.message).toContain("1 of 5 live ids have no prediction");
  });

  it("Crypto needs at least 100 live ids: 99 fail, 100 pass, out-of-universe ids do not count", () => {
    const ids99 = [...cryptoIds.slice(0, 99), "NOTLIVE"];
    const err = failure(submissionFrame("symbol", ids99, "prediction", spreadValues(100)), { tournament: "crypto", liveIds: cryptoIds });
    expect(err.rules).toEqual(["too-few-ids"]);
    expect(err.problems[0]).toMatchObject({ count: 99, ids: ["NOTLIVE"] });
    const r = validateSubmission(submissionFrame("symbol", [...cryptoIds, "NOTLIVE"], "prediction", spreadValues(101)), {
      tournament: "crypto",
      liveIds: cryptoIds,
    });
    expect(r).toMatchObject({ rows: 100, invalidIds: ["NOTLIVE"] });
  });

  it("Signals needs at least 100 live ids", () => {
    const err = failure(submissionFrame("numerai_ticker", signalsIds.slice(0, 99), "signal", spreadValues(99)), {
      tournament: "signals",
      liveIds: signalsIds,
    });
    expect(err.rules).toEqual(["too-few-ids"]);
    expect(err.message).toContain("only 99 rows have a live numerai_ticker; at least 100 are needed");
  });

  it("reads the live universe from a frame's column named like the submission's id column", () => {
    const universe = NumerFrame.fromColumns({ date: cryptoIds.map(() => "2025-06-06"), symbol: cryptoIds, feature_x: spreadValues(100) });
    const r = validateSubmission(submissionFrame("symbol", [...cryptoIds, "OLD"], "signal", spreadValues(101)), {
      tournament: "crypto",
      liveIds: universe,
    });
    expect(r).toMatchObject({ rows: 100, invalidIds: ["OLD"] });
  });
});

describe("reporting", () => {
  it("lists every problem at once, with counts and the first few ids", () => {
    const ids = [...cryptoIds.slice(0, 50), "C000", "C001", "XX1", "XX2"];
    const values = Array.from(spreadValues(54));
    values[10] = Number.NaN;
    values[20] = 1.5;
    values[21] = -0.5;
    const err = failure(submissionFrame("symbol", ids, "prediction", values), { tournament: "crypto", liveIds: cryptoIds });
    expect(err.rules).toEqual(["duplicate-id", "too-few-ids", "missing-prediction", "out-of-range"]);
    expect(err.problems.map((p) => p.count)).toEqual([2, 52, 1, 2]);
    expect(err.problems[0]!.ids).toEqual(["C000", "C001"]);
    expect(err.problems[2]!.ids).toEqual(["C010"]);
    expect(err.problems[3]!.ids).toEqual(["C020", "C021"]);
    expect(err.code).toBe("INVALID_SUBMISSION");
    expect(err.message.split("\n")).toHaveLength(5);
  });

  it("shows at most five ids per problem and says how many more", () => {
    const err = failure(submissionFrame("id", ["a"], "prediction", [0.5]), { tournament: "classic", liveIds: makeIds(12, "L") });
    expect(err.problems[0]).toMatchObject({ rule: "missing-live-ids", count: 12, ids: makeIds(5, "L") });
    expect(err.message).toContain(', ... (7 more)');
  });

  it("keeps checking values when the header is wrong but the columns are recognisable", () => {
    const frame = NumerFrame.fromColumns({ id: classicIds, prediction: new Float64Array([0.5, 0.5, 0.5, 0.5, 0.5]), extra: classicIds });
    const err = failure(frame, { tournament: "classic", liveIds: classicIds });
    expect(err.rules).toEqual(["header", "zero-std"]);
  });
});

describe("options", () => {
  it("names an unknown or invalid option with an InvalidOptionError, never a ZodError", () => {
    const frame = submissionFrame("id", classicIds, "prediction", classicValues);
    const caught = (options: unknown) => {
      try {
        validateSubmission(frame, options as never);
      } catch (err) {
        return err as InvalidOptionError;
      }
      throw new Error("expected validateSubmission to throw");
    };
    const typo = caught({ tournament: "classic", liveIds: classicIds, liveId: classicIds });
    expect(typo).toBeInstanceOf(InvalidOptionError);
    expect(typo.problems).toEqual([{ path: "liveId", message: "unknown option", suggestion: "liveIds" }]);
    const both = caught({ tournament: "clasic", liveIds: "n0" });
    expect(both).toBeInstanceOf(InvalidOptionError);
    expect(both.problems.map((p) => p.path)).toEqual(["tournament", "liveIds"]);
    const notFrame = (() => {
      try {
        validateSubmission([["n0", 0.5]] as never, { tournament: "classic", liveIds: classicIds });
      } catch (err) {
        return err as InvalidOptionError;
      }
    })();
    expect(notFrame).toBeInstanceOf(InvalidOptionError);
    expect(notFrame!.message).toBe('validateSubmission: option "frame": expected a NumerFrame, found an array');
  });
});
