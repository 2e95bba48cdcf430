import { golden, mulberry32, caught as caughtError } from "@nmrblox/fixtures";
import { ContractError, InvalidOptionError, NumerFrame, type NumerFrameError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  ScoreError,
  churn,
  correlationContribution,
  featureNeutralCorr,
  maxFeatureCorrelation,
  numeraiCorr,
  scoreByEra,
  summarizeScoreSeries,
  summarizeScores,
} from "../src/index.js";

function expectRel(actual: number, expected: number, rel = 1e-12): void {
  if (!(Math.abs(actual - expected) <= rel * Math.abs(expected))) expect.fail(`${actual} != ${expected}`);
}

// Era 0002 is the golden case; era 0001 a second case built from it. Rows are stored in
// reverse id order and interleaved, so scoreByEra must group by era and sort by id.
const second = {
  p: [0.3, 0.8, 0.1, 0.6, 0.5, 0.9, 0.2, 0.4],
  target: [0.25, 1, 0, 0.75, 0.5, 0.75, 0.25, 0.5],
  meta: [0.2, 0.7, 0.3, 0.5, 0.6, 0.8, 0.1, 0.4],
};
function classicFrame(): NumerFrame {
  const cols = { era: [] as string[], id: [] as string[], prediction: [] as number[], target: [] as number[], meta: [] as number[], bench: [] as number[], feature_1: [] as number[], feature_2: [] as number[] };
  for (let i = 7; i >= 0; i--) {
    for (const [era, src] of [["0002", golden], ["0001", second]] as const) {
      cols.era.push(era);
      cols.id.push(`${golden.ids[i]}${era === "0001" ? "1" : ""}`);
      cols.prediction.push(src.p[i]!);
      cols.target.push(src.target[i]!);
      cols.meta.push(src.meta[i]!);
      cols.bench.push(golden.q[i]!);
      cols.feature_1.push(golden.f1[i]!);
      cols.feature_2.push(golden.f2[i]!);
    }
  }
  return NumerFrame.fromColumns(cols);
}

describe("scoreByEra", () => {
  it("scores each era as the array functions do, with the golden era exact", () => {
    const scores = scoreByEra(classicFrame(), {
      predictions: ["prediction"],
      target: "target",
      metaModel: "meta",
      benchmarks: ["bench"],
      features: ["feature_1", "feature_2"],
    });
    expect(scores.columnNames).toEqual([
      "era",
      "prediction_corr",
      "prediction_mmc",
      "prediction_bmc_bench",
      "prediction_fnc",
      "prediction_max_feature_corr",
    ]);
    expect(scores.strings("era")).toEqual(["0001", "0002"]);
    const at = (c: string, e: number) => scores.numeric(c)[e]!;
    expectRel(at("prediction_corr", 1), golden.numeraiCorrP);
    expectRel(at("prediction_mmc", 1), golden.mmcP);
    expectRel(at("prediction_bmc_bench", 1), correlationContribution(golden.p, golden.q, golden.target));
    expectRel(at("prediction_fnc", 1), golden.fncP);
    expectRel(at("prediction_max_feature_corr", 1), golden.maxFeatureCorrP.value);
    const features = [golden.f1, golden.f2];
    expectRel(at("prediction_corr", 0), numeraiCorr(second.p, second.target));
    expectRel(at("prediction_mmc", 0), correlationContribution(second.p, second.meta, second.target));
    expectRel(at("prediction_fnc", 0), featureNeutralCorr(second.p, features, second.target));
    expectRel(at("prediction_max_feature_corr", 0), maxFeatureCorrelation(second.p, features).value);
    expect(scores.role("prediction_corr")).toBe("other");
    expect(scores.provenance.at(-1)).toMatchObject({ blox: "evaluator.scoreByEra", options: { metaModel: "meta" } });
  });

  it("gives the same scores on a grouped, id-sorted frame (scored in place) with int8 features", () => {
    const shuffled = classicFrame();
    const grouped = shuffled.sortBy(["era", "id"]);
    const typed = grouped
      .withColumn("feature_1", Int8Array.from(grouped.numeric("feature_1")))
      .withColumn("feature_2", Int8Array.from(grouped.numeric("feature_2")));
    expect(typed.eraIndex().order).toBeNull();
    const options = { predictions: ["prediction"], target: "target", metaModel: "meta", features: ["feature_1", "feature_2"] };
    const a = scoreByEra(shuffled, options);
    const b = scoreByEra(typed, options);
    for (const c of a.columnNames.slice(1)) {
      const x = a.numeric(c);
      const y = b.numeric(c);
      for (let e = 0; e < x.length; e++) expectRel(y[e]!, x[e]!);
    }
    expectRel(b.numeric("prediction_fnc")[1]!, golden.fncP);
  });

  it("applies topBottom in id order and reports progress", () => {
    const progress: number[] = [];
    const scores = scoreByEra(classicFrame(), {
      target: "target",
      metaModel: "meta",
      topBottom: 2,
      onProgress: (done) => progress.push(done),
    });
    expectRel(scores.numeric("prediction_corr")[1]!, golden.numeraiCorrPTopBottom2);
    expectRel(scores.numeric("prediction_mmc")[1]!, golden.mmcPTopBottom2);
    expect(progress).toEqual([1, 2]);
  });

  it("names the era and column when an era fails", () => {
    const frame = classicFrame();
    const pred = Float64Array.from(frame.numeric("prediction"));
    pred[0] = NaN; // era 0002, id h
    let err: ScoreError | undefined;
    try {
      scoreByEra(frame.withColumn("prediction", pred), { target: "target", features: ["feature_1"], metrics: ["fnc"] });
    } catch (e) {
      err = e as ScoreError;
    }
    expect(err).toBeInstanceOf(ScoreError);
    expect(err).toMatchObject({ code: "NAN_INPUT", era: "0002", column: "prediction", input: "prediction" });
    expect(() => scoreByEra(frame, { target: "target", metrics: ["mmc"] })).toThrow(/option "metaModel": metric "mmc" needs metaModel/);
    expect(() => scoreByEra(frame, { target: "target", metrics: ["churn" as const, "nope" as never] })).toThrow(/option "metrics.1"/);
  });

  it("computes churn against the previous era by id on Signals and Crypto frames", () => {
    const signals = NumerFrame.fromColumns({
      date: ["2024-01-05", "2024-01-05", "2024-01-05", "2024-01-05", "2024-01-12", "2024-01-12", "2024-01-12", "2024-01-12", "2024-01-12"],
      numerai_ticker: ["AAA US", "BBB US", "CCC US", "DDD US", "DDD US", "CCC US", "BBB US", "AAA US", "EEE US"],
      signal: [0.1, 0.2, 0.3, 0.4, 0.1, 0.3, 0.2, 0.4, 0.5],
      target_20d: [0, 0.25, 0.5, 1, 0, 0.5, 0.25, 1, 0.75],
    });
    const scores = scoreByEra(signals, { predictions: ["signal"], target: "target_20d", metrics: ["corr", "churn"] });
    expect(scores.columnNames).toEqual(["date", "signal_corr", "signal_churn"]);
    expect(scores.numeric("signal_churn")[0]).toBeNaN();
    const expected = churn(
      { ids: ["AAA US", "BBB US", "CCC US", "DDD US", "EEE US"], values: [0.4, 0.2, 0.3, 0.1, 0.5] },
      { ids: ["AAA US", "BBB US", "CCC US", "DDD US"], values: [0.1, 0.2, 0.3, 0.4] },
    );
    // Spearman of (4, 2, 3, 1) with (1, 2, 3, 4) is 1 − 6·18/60 = −0.8, so churn is 1.8.
    expectRel(expected, 1.8);
    expectRel(scores.numeric("signal_churn")[1]!, expected);

    const crypto = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-01"],
      symbol: ["SOL", "BTC", "ETH", "XRP"],
      prediction: [0.9, 0.1, 0.5, 0.3],
      target: [1, 0, 0.75, 0.25],
    });
    const c = scoreByEra(crypto, { target: "target" });
    expectRel(c.numeric("prediction_corr")[0]!, numeraiCorr([0.1, 0.5, 0.9, 0.3], [0, 0.75, 1, 0.25]));
    const noIds = NumerFrame.fromColumns({ date: ["2024-01-01", "2024-01-01"], prediction: [1, 2], target: [0, 1] });
    expect(() => scoreByEra(noIds, { target: "target", metrics: ["churn"] })).toThrow(/no id column/);
  });
});

const caught = (fn: () => unknown) => caughtError<NumerFrameError>(fn);

describe("strict options and frame contracts", () => {
  it("a misspelled option is an InvalidOptionError naming the nearest valid key", () => {
    const e = caught(() => scoreByEra(classicFrame(), { target: "target", topbottom: 5 } as never));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).problems).toEqual([{ path: "topbottom", message: "unknown option", suggestion: "topBottom" }]);
    expect(e.message).toBe('scoreByEra: option "topbottom": unknown option (did you mean "topBottom"?)');
    const s = caught(() => summarizeScores(scoreByEra(classicFrame(), { target: "target" }), { colums: ["prediction_corr"] } as never));
    expect((s as InvalidOptionError).problems[0]).toMatchObject({ path: "colums", suggestion: "columns" });
  });

  it("options that need each other are reported together, each by its path", () => {
    const e = caught(() => scoreByEra(classicFrame(), { target: "target", metrics: ["mmc", "bmc"] }));
    expect(e).toBeInstanceOf(InvalidOptionError);
    expect((e as InvalidOptionError).problems.map((p) => p.path)).toEqual(["metaModel", "benchmarks"]);
    expect(caught(() => scoreByEra("frame" as never, { target: "target" }))).toMatchObject({ code: "INVALID_OPTION", option: "frame" });
  });

  it("every missing or non-numeric column is listed in one ContractError", () => {
    const frame = classicFrame();
    const e = caught(() => scoreByEra(frame, { predictions: ["prediction", "p2"], target: "tgt", metaModel: "meta", features: ["feature_1", "f9"] }));
    expect(e).toBeInstanceOf(ContractError);
    expect((e as ContractError).missing).toEqual(["p2", "tgt", "f9"]);
    expect(e.message).toMatch(/^scoreByEra: scored frame: missing columns "p2", "tgt", "f9"/);
    const text = caught(() => scoreByEra(frame, { predictions: ["id"], target: "target" }));
    expect(text).toMatchObject({ code: "NON_NUMERIC_COLUMN", column: "id" });
    const perEra = scoreByEra(frame, { target: "target" });
    expect(caught(() => summarizeScores(perEra, { columns: ["prediction_mmc"] }))).toMatchObject({ code: "MISSING_COLUMN", column: "prediction_mmc" });
  });
});

describe("era order: eras in the order they happened", () => {
  // 120 eras of scores with a trend and momentum, so order-dependent statistics (max drawdown,
  // autocorrelation) differ between chronological and code-point order.
  const random = mulberry32(14);
  const series: number[] = [];
  for (let e = 0; e < 120; e++) series.push(0.02 * Math.sin(e / 9) + 0.01 * (random() - 0.5));
  const legacy = Array.from({ length: 120 }, (_, e) => `era${e + 1}`);
  const padded = Array.from({ length: 120 }, (_, e) => String(e + 1).padStart(4, "0"));
  // Rows stored in code-point order of the legacy labels (era1, era10, era100, ...), as a string sort leaves them.
  const rows = [...legacy.keys()].sort((a, b) => (legacy[a]! < legacy[b]! ? -1 : 1));
  const perEra = (labels: string[]) =>
    NumerFrame.fromColumns({ era: rows.map((e) => labels[e]!), x_corr: rows.map((e) => series[e]!) }, { eraCol: "era", roles: { x_corr: "other" } });

  it("per-era summaries on era1..era120 equal those on the same data relabelled 0001..0120", () => {
    const a = summarizeScores(perEra(legacy));
    const b = summarizeScores(perEra(padded));
    for (const c of ["eras", "mean", "std", "sharpe", "max_drawdown", "autocorrelation", "hit_rate"]) {
      expect(Array.from(a.numeric(c)), c).toEqual(Array.from(b.numeric(c)));
    }
    // Both equal the chronological series summarized directly...
    const direct = summarizeScoreSeries(series);
    expect(a.numeric("max_drawdown")[0]).toBe(direct.maxDrawdown);
    expect(a.numeric("autocorrelation")[0]).toBe(direct.autocorrelation);
    // ...and code-point order would give other numbers: the test above can fail.
    const codePoint = summarizeScoreSeries(rows.map((e) => series[e]!));
    expect(codePoint.autocorrelation).not.toBeCloseTo(direct.autocorrelation, 2);
    expect(codePoint.maxDrawdown).not.toBeCloseTo(direct.maxDrawdown, 3);
  });

  it("scoreByEra emits legacy eras naturally ordered, eraX (live) last, with the scores of the relabelled frame", () => {
    const labels = ["era10", "era2", "eraX", "era1", "era9"];
    const relabel: Record<string, string> = { era1: "0001", era2: "0002", era9: "0009", era10: "0010", eraX: "9999" };
    const cols = { era: [] as string[], id: [] as string[], prediction: [] as number[], target: [] as number[] };
    labels.forEach((era, k) => {
      for (let i = 0; i < 8; i++) {
        cols.era.push(era);
        cols.id.push(`${era}-${i}`);
        cols.prediction.push(second.p[(i + k) % 8]!);
        cols.target.push(golden.target[i]!);
      }
    });
    const a = scoreByEra(NumerFrame.fromColumns(cols, { eraCol: "era" }), { target: "target" });
    const b = scoreByEra(NumerFrame.fromColumns({ ...cols, era: cols.era.map((e) => relabel[e]!) }, { eraCol: "era" }), { target: "target" });
    expect(a.strings("era")).toEqual(["era1", "era2", "era9", "era10", "eraX"]);
    expect(b.strings("era")).toEqual(["0001", "0002", "0009", "0010", "9999"]);
    expect(Array.from(a.numeric("prediction_corr"))).toEqual(Array.from(b.numeric("prediction_corr")));
    // era9 holds rotation k = 4 of the second case, era10 rotation k = 0.
    expectRel(a.numeric("prediction_corr")[2]!, numeraiCorr([0, 1, 2, 3, 4, 5, 6, 7].map((i) => second.p[(i + 4) % 8]!), golden.target));
  });
});

describe("summaries", () => {
  it("computes mean, std (ddof 0), sharpe, drawdown on the cumulative sum, autocorrelation and hit rate", () => {
    // Expected values from numpy: mean, std(ddof 0), mean/std, corrcoef(s[:-1], s[1:]).
    const s = summarizeScoreSeries([0.1, -0.2, 0.3, -0.1]);
    expectRel(s.mean, 0.024999999999999994, 1e-14);
    expectRel(s.std, 0.1920286436967152);
    expectRel(s.sharpe, 0.13018891098082383, 1e-12);
    expectRel(s.autocorrelation, -0.826033187630902);
    // Cumulative 0.1, −0.1, 0.2, 0.1: the worst fall from a running peak is 0.1 → −0.1.
    expect(s.maxDrawdown).toBeCloseTo(-0.2, 15);
    expect([s.hitRate, s.eras]).toEqual([0.5, 4]);
    expect(summarizeScoreSeries([0.1, 0.2]).maxDrawdown).toBe(0);
    expect(summarizeScoreSeries([NaN, 0.1, 0.3]).eras).toBe(2);
  });

  it("summarizes every score column of a scoreByEra frame", () => {
    const perEra = NumerFrame.fromColumns({ era: ["0003", "0001", "0002", "0004"], x_corr: [0.3, 0.1, -0.2, -0.1] }, { roles: { x_corr: "other" } });
    const summary = summarizeScores(perEra);
    expect(summary.strings("score")).toEqual(["x_corr"]);
    // Era order 0001..0004 gives the series of the previous test.
    expectRel(summary.numeric("autocorrelation")[0]!, -0.826033187630902);
    expect(summary.numeric("max_drawdown")[0]).toBeCloseTo(-0.2, 15);
    expect(summary.provenance.at(-1)!.blox).toBe("evaluator.summarizeScores");
  });
});
