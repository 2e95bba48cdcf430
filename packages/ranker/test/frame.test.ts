import { golden } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import {
  InvalidOptionError,
  RankerError,
  ensemble,
  gaussianize,
  gaussianizePerEra,
  neutralize,
  neutralizePerEra,
  rankPerEra,
  tieKeptRank,
  topBottom,
} from "../src/index.js";
import { expectClose } from "./helpers.js";

// Two eras interleaved row by row: era "0002" holds the golden case, era "0001" a small one.
function classicFrame(): NumerFrame {
  const era: string[] = [];
  const id: string[] = [];
  const prediction: number[] = [];
  const feature_a: number[] = [];
  const feature_b: number[] = [];
  const small = [3, 1, 2, 2];
  for (let i = 0; i < 8; i++) {
    era.push("0002");
    id.push(golden.ids[i]!);
    prediction.push(golden.p[i]!);
    feature_a.push(golden.f1[i]!);
    feature_b.push(golden.f2[i]!);
    if (i < 4) {
      era.push("0001");
      id.push(`s${i}`);
      prediction.push(small[i]!);
      feature_a.push(i);
      feature_b.push((i * i) % 3);
    }
  }
  return NumerFrame.fromColumns({ era, id, prediction, feature_a, feature_b });
}

/** Rows of one era, in frame order. */
function eraValues(frame: NumerFrame, column: string, era: string): number[] {
  const e = frame.strings("era");
  const v = frame.numeric(column);
  return Array.from(v).filter((_, i) => e[i] === era);
}

describe("per-era blox", () => {
  it("rankPerEra ranks within each era and records provenance", () => {
    const out = rankPerEra(classicFrame(), "prediction");
    expectClose(eraValues(out, "prediction", "0002"), golden.tieKeptRankP);
    expectClose(eraValues(out, "prediction", "0001"), [0.875, 0.125, 0.5, 0.5]);
    expect(out.provenance.at(-1)).toMatchObject({
      blox: "ranker.rankPerEra",
      options: { column: "prediction", method: "tieKept", outputColumn: "prediction" },
    });
    const broken = rankPerEra(classicFrame(), "prediction", { method: "tieBroken", outputColumn: "r" });
    expectClose(eraValues(broken, "r", "0002"), golden.tieBrokenRankP);
    expectClose(eraValues(broken, "prediction", "0002"), golden.p, 0);
  });

  it("gaussianizePerEra equals gaussianize(tieKeptRank) per era", () => {
    const out = gaussianizePerEra(classicFrame(), "prediction", { outputColumn: "g" });
    expectClose(eraValues(out, "g", "0002"), gaussianize(tieKeptRank(golden.p)));
    expect(out.provenance.at(-1)!.blox).toBe("ranker.gaussianizePerEra");
  });

  it("neutralizePerEra neutralizes each era against its own rows", () => {
    const frame = classicFrame();
    const out = neutralizePerEra(frame, "prediction", ["feature_a", "feature_b"], 1);
    expectClose(eraValues(out, "prediction", "0002"), golden.neutralizeP, 1e-9);
    expectClose(
      eraValues(out, "prediction", "0001"),
      neutralize([3, 1, 2, 2], [[0, 1, 2, 3], [0, 1, 1, 0]]),
      1e-12,
    );
    const half = neutralizePerEra(frame, "prediction", ["feature_a", "feature_b"], { proportion: 0.5, outputColumn: "n" });
    expectClose(eraValues(half, "n", "0002"), golden.p.map((p, i) => p - 0.5 * (p - golden.neutralizeP[i]!)), 1e-9);
    expect(half.provenance.at(-1)!.options).toMatchObject({ proportion: 0.5, featureCols: ["feature_a", "feature_b"] });
  });

  it("neutralizePerEra names the feature and era holding a NaN", () => {
    const frame = classicFrame();
    const bad = Float64Array.from(frame.numeric("feature_b"));
    bad[1] = NaN; // row 1 belongs to era 0001
    const err = (() => {
      try {
        neutralizePerEra(frame.withColumn("feature_b", bad), "prediction", ["feature_a", "feature_b"]);
      } catch (e) {
        return e as RankerError;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(RankerError);
    expect(err).toMatchObject({ code: "NAN_NEUTRALIZER", column: "feature_b", era: "0001", row: 1 });
  });

  it("ensemble averages per-era ranks with weights", () => {
    const frame = classicFrame().withColumn("prediction_b", Float64Array.from({ length: 12 }, (_, i) => 12 - i));
    const out = ensemble(frame, ["prediction", "prediction_b"], { weights: [3, 1] });
    const rb = tieKeptRank(eraValues(frame, "prediction_b", "0002"));
    expectClose(
      eraValues(out, "prediction_ensemble", "0002"),
      golden.tieKeptRankP.map((r, i) => 0.75 * r + 0.25 * rb[i]!),
    );
    expect(() => ensemble(frame, ["prediction"], { weights: [1, 2] })).toThrow(/2 weights for 1 columns/);
    expect(() => ensemble(frame, ["prediction"], { weights: [0] })).toThrow(/sum to zero/);
    expect(() => ensemble(frame, ["prediction"], { weights: [-1] })).toThrow(/option "weights.0"/);
  });

  it("topBottom labels -1/0/1 per era", () => {
    const out = topBottom(classicFrame(), "prediction", { k: 2 });
    expect(eraValues(out, "prediction_top_bottom", "0002")).toEqual([-1, 0, 0, 1, 1, -1, 0, 0]);
    // 3, 1, 2, 2 with ties in frame order: ordinal ranks 4, 1, 2, 3.
    expect(eraValues(out, "prediction_top_bottom", "0001")).toEqual([1, -1, -1, 1]);
    expect(out.provenance.at(-1)).toMatchObject({ blox: "ranker.topBottom", options: { k: 2 } });
    expect(() => topBottom(classicFrame(), "prediction", { k: 0 })).toThrow(InvalidOptionError);
  });

  it("works on Signals and Crypto frames through their era and id roles", () => {
    const signals = NumerFrame.fromColumns({
      date: ["2024-01-05", "2024-01-05", "2024-01-12", "2024-01-12"],
      numerai_ticker: ["AAA US", "BBB US", "AAA US", "BBB US"],
      signal: [0.3, 0.1, 0.2, 0.9],
    });
    expect(Array.from(rankPerEra(signals, "signal").numeric("signal"))).toEqual([0.75, 0.25, 0.25, 0.75]);
    const crypto = NumerFrame.fromColumns({
      date: ["2024-01-01", "2024-01-01", "2024-01-01", "2024-01-02"],
      symbol: ["BTC", "ETH", "SOL", "BTC"],
      prediction: [0.5, NaN, 0.1, 0.7],
    });
    const r = rankPerEra(crypto, "prediction").numeric("prediction");
    expect([r[0], Number.isNaN(r[1]!), r[2], r[3]]).toEqual([0.75, true, 0.25, 0.5]);
  });
});
