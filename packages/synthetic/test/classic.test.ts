import { describe, expect, it } from "vitest";
import { InvalidOptionError, classicFeatureFamilies, syntheticClassic } from "../src/index.js";
import { groupRows, mean, pearson, spearman } from "./stats.js";

/** Mean over eras of a per-era statistic of two columns. */
function perEra(frame: ReturnType<typeof syntheticClassic>, x: ArrayLike<number>, y: ArrayLike<number>, stat = pearson): number {
  const values: number[] = [];
  for (const [, rows] of groupRows(frame.strings("era"))) values.push(stat(rows.map((i) => x[i]!), rows.map((i) => y[i]!)));
  return mean(values);
}

describe("syntheticClassic", () => {
  it("has Numerai Classic's shape: id, era, int8 features 0..4, binned targets, three score columns", () => {
    const f = syntheticClassic({ eras: 12, idsPerEra: 200, featureFamilies: 3, featuresPerFamily: 4 });
    expect(f.numRows).toBe(2400);
    expect(f.kind).toBe("classic");
    expect(f.eraCol).toBe("era");
    expect(f.idCol).toBe("id");
    expect(f.eras()).toEqual(Array.from({ length: 12 }, (_, i) => String(i + 1).padStart(4, "0")));
    expect(f.featureCols).toEqual(Object.values(classicFeatureFamilies({ featureFamilies: 3, featuresPerFamily: 4 })).flat());
    expect(f.featureCols[0]).toBe("feature_intelligence_1");
    expect(f.targetCols).toEqual(["target", "target_cyrus_20"]);
    expect(f.columnNames.slice(-3)).toEqual(["prediction", "numerai_meta_model", "v52_lgbm_ender20"]);
    for (const c of f.featureCols) {
      const v = f.numeric(c);
      expect(v).toBeInstanceOf(Int8Array);
      const seen = new Set(v);
      expect([...seen].sort()).toEqual([0, 1, 2, 3, 4]);
    }
    const t = f.float64("target");
    expect(new Set(t)).toEqual(new Set([0, 0.25, 0.5, 0.75, 1]));
    for (const c of ["prediction", "numerai_meta_model", "v52_lgbm_ender20"]) {
      const v = f.float64(c);
      expect(Math.min(...v)).toBeGreaterThan(0);
      expect(Math.max(...v)).toBeLessThan(1);
    }
    const ids = f.strings("id");
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids[0]).toMatch(/^n[0-9a-f]{15}$/);
  });

  it("groups features in correlated families", () => {
    const f = syntheticClassic({ eras: 10, idsPerEra: 1000, familyCorrelation: 0.6 });
    const same = perEra(f, f.numeric("feature_intelligence_1"), f.numeric("feature_intelligence_2"));
    const other = perEra(f, f.numeric("feature_intelligence_1"), f.numeric("feature_charisma_1"));
    // Binning into quintiles keeps most of a 0.6 latent correlation.
    expect(same).toBeGreaterThan(0.45);
    expect(same).toBeLessThan(0.62);
    expect(Math.abs(other)).toBeLessThan(0.03);
  });

  it("tunes the prediction's correlation with the target", () => {
    const ic = (c: number) => {
      const f = syntheticClassic({ eras: 40, idsPerEra: 1500, featureFamilies: 1, featuresPerFamily: 2, predictionCorrelation: c, featureExposure: 0 });
      return perEra(f, f.float64("prediction"), f.float64("target"), spearman);
    };
    const strong = ic(0.1);
    const none = ic(0);
    // Binning the target to 5 uneven bins keeps about 0.9 of a latent correlation.
    expect(strong).toBeGreaterThan(0.075);
    expect(strong).toBeLessThan(0.105);
    expect(Math.abs(none)).toBeLessThan(0.012);
  });

  it("tunes feature exposure and the meta model's correlation with the prediction", () => {
    const exposure = (fe: number) => {
      const f = syntheticClassic({ eras: 20, idsPerEra: 1500, featureExposure: fe, featureFamilies: 1, featuresPerFamily: 20 });
      const fam = f.featureCols.filter((c) => c.startsWith("feature_intelligence_")).map((c) => f.numeric(c));
      const familyMean = Float64Array.from({ length: f.numRows }, (_, i) => fam.reduce((s, col) => s + col[i]!, 0));
      return { f, corr: perEra(f, f.float64("prediction"), familyMean) };
    };
    const high = exposure(0.4);
    const low = exposure(0.05);
    // The mean of 20 features tracks the family factor with correlation about 0.95 (less after binning).
    expect(high.corr).toBeGreaterThan(0.33);
    expect(high.corr).toBeLessThan(0.41);
    expect(low.corr).toBeLessThan(0.07);
    const mm = perEra(high.f, high.f.float64("prediction"), high.f.float64("numerai_meta_model"));
    expect(mm).toBeGreaterThan(0.55);
    expect(mm).toBeLessThan(0.63);
    const bench = perEra(high.f, high.f.float64("numerai_meta_model"), high.f.float64("v52_lgbm_ender20"));
    expect(bench).toBeGreaterThan(0.75);
  });

  it("is reproducible by seed", () => {
    const a = syntheticClassic({ eras: 3, idsPerEra: 50, seed: 9 });
    const b = syntheticClassic({ eras: 3, idsPerEra: 50, seed: 9 });
    const c = syntheticClassic({ eras: 3, idsPerEra: 50, seed: 10 });
    for (const col of a.columnNames) expect(b.column(col)).toEqual(a.column(col));
    expect(c.strings("id")).not.toEqual(a.strings("id"));
    expect(c.float64("prediction")).not.toEqual(a.float64("prediction"));
  });

  it("refuses correlations that cannot hold together", () => {
    expect(() => syntheticClassic({ eras: 2, idsPerEra: 20, predictionCorrelation: 0.9, featureExposure: 0.9 })).toThrow(InvalidOptionError);
    expect(() => syntheticClassic({ eras: 2, idsPerEra: 20, predictionCorrelation: 0.9, featureExposure: 0.9 })).toThrow(
      /syntheticClassic: option "featureExposure": in era 0001 the requested correlations \(0\.9, 0\.9\) are not jointly possible/,
    );
    expect(() => syntheticClassic({ eras: 0 })).toThrow(/option "eras"/);
  });
});
