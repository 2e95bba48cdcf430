import { golden } from "@nmrblox/fixtures";
import { InvalidOptionError, NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { SubmissionError, prepareSubmission, validateSubmission } from "../src/index.js";
import { makeIds } from "./helpers.js";

describe("prepareSubmission", () => {
  it("replaces values by their tie-kept rank (REFERENCE golden values) in the Classic layout", () => {
    const frame = NumerFrame.fromColumns({
      era: golden.ids.map(() => "X"),
      id: [...golden.ids],
      feature_a: new Int8Array(golden.f1),
      prediction_model: new Float64Array(golden.p),
    });
    const out = prepareSubmission(frame, { tournament: "classic", column: "prediction_model", liveIds: golden.ids });
    expect(out.columnNames).toEqual(["id", "prediction"]);
    expect(out.strings("id")).toEqual(golden.ids);
    const ranks = out.float64("prediction");
    golden.tieKeptRankP.forEach((v, i) => expect(ranks[i]).toBeCloseTo(v, 15));
    expect(out.provenance.at(-1)).toMatchObject({
      blox: "prepareSubmission",
      options: { tournament: "classic", column: "prediction_model", era: "X", rows: 8, liveIds: 8 },
    });
    expect(validateSubmission(out, { tournament: "classic", liveIds: golden.ids }).rows).toBe(8);
  });

  it("restricts to the live universe before ranking and sorts by id", () => {
    // Live: c, a, d (b and e are not live). Values of live rows: a 0.9, c 0.1, d 0.5 → ranks 5/6, 1/6, 1/2.
    const frame = NumerFrame.fromColumns({ id: ["e", "c", "a", "b", "d"], p: new Float64Array([100, 0.1, 0.9, -3, 0.5]) });
    const out = prepareSubmission(frame, { tournament: "classic", column: "p", idCol: "id", liveIds: ["c", "a", "d"] });
    expect(out.strings("id")).toEqual(["a", "c", "d"]);
    expect(Array.from(out.float64("prediction"))).toEqual([(2.5) / 3, 0.5 / 3, 1.5 / 3]);
  });

  it("keeps ties tied: tieKeptRank([1,0,1,0,1]) = [0.7, 0.2, 0.7, 0.2, 0.7]", () => {
    const frame = NumerFrame.fromColumns({ symbol: ["A", "B", "C", "D", "E"], prediction: new Float64Array([1, 0, 1, 0, 1]) });
    const out = prepareSubmission(frame, { tournament: "crypto", column: "prediction", liveIds: ["A", "B", "C", "D", "E"] });
    const ranks = Array.from(out.float64("prediction"));
    [0.7, 0.2, 0.7, 0.2, 0.7].forEach((v, i) => expect(ranks[i]).toBeCloseTo(v, 15));
  });

  it("Crypto: symbol + prediction (or signal) from the latest date of a history frame", () => {
    const symbols = makeIds(120, "S");
    const frame = NumerFrame.fromColumns({
      date: [...symbols.map(() => "2025-06-05"), ...symbols.map(() => "2025-06-06")],
      symbol: [...symbols, ...symbols],
      score: Float64Array.from({ length: 240 }, (_, i) => (i < 120 ? 1 : -1) * ((i % 120) + 1)),
    });
    const out = prepareSubmission(frame, { tournament: "crypto", column: "score", liveIds: symbols.slice(0, 110), predictionCol: "signal" });
    expect(out.columnNames).toEqual(["symbol", "signal"]);
    expect(out.numRows).toBe(110);
    // On 2025-06-06 the score falls with the symbol index, so S000 ranks highest: (110 − 0.5) / 110.
    expect(out.float64("signal")[0]).toBeCloseTo(109.5 / 110, 15);
    expect(out.float64("signal")[109]).toBeCloseTo(0.5 / 110, 15);
    expect(validateSubmission(out, { tournament: "crypto", liveIds: symbols.slice(0, 110) })).toMatchObject({ idCol: "symbol", predictionCol: "signal", rows: 110 });
    const earlier = prepareSubmission(frame, { tournament: "crypto", column: "score", liveIds: symbols, era: "2025-06-05" });
    expect(earlier.float64("prediction")[0]).toBeCloseTo(0.5 / 120, 15);
  });

  it("Signals: keeps an accepted id column name, drops the date, and refuses an id column Signals does not accept", () => {
    const tickers = makeIds(100, "T");
    const frame = NumerFrame.fromColumns({
      date: tickers.map(() => "2025-06-06"),
      bloomberg_ticker: tickers,
      prediction: Float64Array.from({ length: 100 }, (_, i) => i * i),
    });
    const out = prepareSubmission(frame, { tournament: "signals", column: "prediction", idCol: "bloomberg_ticker", liveIds: tickers, predictionCol: "signal" });
    expect(out.columnNames).toEqual(["bloomberg_ticker", "signal"]);
    expect(validateSubmission(out, { tournament: "signals", liveIds: tickers }).rows).toBe(100);

    const crypto = NumerFrame.fromColumns({ symbol: tickers, prediction: new Float64Array(100) });
    expect(() => prepareSubmission(crypto, { tournament: "signals", column: "prediction", liveIds: tickers })).toThrow(SubmissionError);
    expect(() => prepareSubmission(crypto, { tournament: "classic", column: "prediction", liveIds: tickers, predictionCol: "signal" })).toThrow(
      /classic accepts prediction columns prediction, not "signal"/,
    );
  });

  it("keeps NaN as NaN, so validation names the row instead of a made-up value", () => {
    const frame = NumerFrame.fromColumns({ id: ["a", "b", "c"], prediction: new Float64Array([0.3, Number.NaN, 0.1]) });
    const out = prepareSubmission(frame, { tournament: "classic", column: "prediction", liveIds: ["a", "b", "c"] });
    const ranks = out.float64("prediction");
    expect([ranks[0], ranks[2]]).toEqual([0.75, 0.25]);
    expect(Number.isNaN(ranks[1]!)).toBe(true);
    expect(() => validateSubmission(out, { tournament: "classic", liveIds: ["a", "b", "c"] })).toThrow(/NaN prediction: "b"/);
  });

  it("names an era the frame does not have", () => {
    const frame = NumerFrame.fromColumns({ era: ["0001", "0002"], id: ["a", "b"], prediction: new Float64Array([0.2, 0.4]) });
    expect(() => prepareSubmission(frame, { tournament: "classic", column: "prediction", liveIds: ["a"], era: "0009" })).toThrow(
      /era "0009" is not in column "era"/,
    );
  });
});

describe("prepareSubmission options", () => {
  it("names a misspelled option and its nearest valid one, never a ZodError", () => {
    const frame = NumerFrame.fromColumns({ id: ["a", "b"], p: new Float64Array([0.2, 0.8]) });
    let err: unknown;
    try {
      prepareSubmission(frame, { tournament: "classic", column: "p", liveIds: ["a", "b"], predictionColumn: "signal" } as never);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidOptionError);
    expect((err as InvalidOptionError).problems).toEqual([{ path: "predictionColumn", message: "unknown option", suggestion: "predictionCol" }]);
    expect(() => prepareSubmission(frame, { tournament: "classic", column: "p", liveIds: ["a"], predictionCol: "score" } as never)).toThrow(
      expect.objectContaining({ code: "INVALID_OPTION", option: "predictionCol" }),
    );
  });
});
