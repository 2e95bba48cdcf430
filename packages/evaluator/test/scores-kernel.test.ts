import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame, pearson } from "@nmrblox/numerframe";
import { gaussianize, pow15, sortCount, tieKeptRank, topBottomLabels } from "@nmrblox/ranker";
import { describe, expect, it } from "vitest";
import { ScoreError, correlationContribution, numeraiCorr, scoreByEra } from "../src/index.js";

// CORR and MMC written out as numerai-tools defines them, with the ranker's original two-step
// gaussianize(tieKeptRank(·)): the reference the shared-rank kernel must equal bit for bit.
function referenceCorr(p: Float64Array, target: Float64Array, k?: number): number {
  let s = 0;
  for (const v of target) s += v;
  const mean = s / target.length;
  const g = pow15(gaussianize(tieKeptRank(p)));
  const t = pow15(target.map((v) => v - mean));
  if (k === undefined) return pearson(g, t);
  const labels = topBottomLabels(g, k);
  const keep = (x: Float64Array) => x.filter((_, i) => labels[i] !== 0);
  return pearson(keep(g), keep(t));
}
function referenceMmc(p: Float64Array, m: Float64Array, target: Float64Array, k?: number): number {
  const n = p.length;
  const gp = gaussianize(tieKeptRank(p));
  const gm = gaussianize(tieKeptRank(m));
  let pm = 0;
  let mm = 0;
  for (let i = 0; i < n; i++) {
    pm += gp[i]! * gm[i]!;
    mm += gm[i]! * gm[i]!;
  }
  const neutral = gp.map((v, i) => v - gm[i]! * (pm / mm));
  const bounded = target.every((v) => v >= 0 && v <= 1);
  const t = target.map((v) => (bounded ? v * 4 : v));
  let s = 0;
  for (const v of t) s += v;
  const centred = t.map((v) => v - s / n);
  const labels = k === undefined ? undefined : topBottomLabels(neutral, k);
  let sum = 0;
  for (let i = 0; i < n; i++) if (labels?.[i] !== 0) sum += centred[i]! * neutral[i]!;
  return sum / (k === undefined ? n : 2 * k);
}

const ERAS = 6;
const ROWS = 300;
const PREDICTIONS = 10;

function frame(seed: number): { frame: NumerFrame; columns: Record<string, Float64Array>; era: string[] } {
  const random = mulberry32(seed);
  const n = ERAS * ROWS;
  const era: string[] = [];
  const id: string[] = [];
  const columns: Record<string, Float64Array> = { target: new Float64Array(n), meta: new Float64Array(n), bench: new Float64Array(n) };
  for (let j = 0; j < PREDICTIONS; j++) columns[`p${j}`] = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    era.push(`era${Math.floor(i / ROWS) + 1}`);
    id.push(`id${String(i).padStart(5, "0")}`);
    const signal = random();
    columns.target![i] = Math.round(4 * Math.min(1, Math.max(0, signal + (random() - 0.5) * 0.6))) / 4;
    columns.meta![i] = signal + random();
    // Quantized to force ties in the benchmark and in half of the predictions.
    columns.bench![i] = Math.round(10 * (signal + random()));
    for (let j = 0; j < PREDICTIONS; j++) columns[`p${j}`]![i] = j % 2 === 0 ? signal + random() * j : Math.round(5 * random() + 5 * signal);
  }
  return { frame: NumerFrame.fromColumns({ era, id, ...columns }), columns, era };
}

describe("scoreByEra shares ranks across metrics and predictions", () => {
  const predictions = Array.from({ length: PREDICTIONS }, (_, j) => `p${j}`);

  for (const topBottom of [undefined, 40]) {
    it(`is bitwise equal to numerai-tools' definitions${topBottom ? " with topBottom" : ""}`, () => {
      const { frame: f, columns } = frame(7);
      const scores = scoreByEra(f, {
        predictions,
        target: "target",
        metaModel: "meta",
        benchmarks: ["bench"],
        ...(topBottom ? { topBottom } : {}),
      });
      for (let e = 0; e < ERAS; e++) {
        const slice = (name: string) => columns[name]!.subarray(e * ROWS, (e + 1) * ROWS);
        for (const p of predictions) {
          expect(Object.is(scores.float64(`${p}_corr`)[e], referenceCorr(slice(p), slice("target"), topBottom))).toBe(true);
          expect(Object.is(scores.float64(`${p}_mmc`)[e], referenceMmc(slice(p), slice("meta"), slice("target"), topBottom))).toBe(true);
          expect(Object.is(scores.float64(`${p}_bmc_bench`)[e], referenceMmc(slice(p), slice("bench"), slice("target"), topBottom))).toBe(true);
        }
      }
    });
  }

  it("ranks the meta model and the benchmark once per era for all predictions", () => {
    const { frame: f } = frame(8);
    const before = sortCount();
    scoreByEra(f, { predictions, target: "target", metaModel: "meta", benchmarks: ["bench"], metrics: ["corr", "mmc", "bmc"] });
    // Per era: each prediction once (for corr, mmc and bmc), the meta model once, the benchmark once.
    expect(sortCount() - before).toBe(ERAS * (PREDICTIONS + 2));
  });

  it("scores a prediction with NaN rows by aligning it on its own, as the one-era functions do", () => {
    const { frame: f, columns } = frame(9);
    const p0 = Float64Array.from(columns.p0!);
    p0[5] = NaN;
    p0[ROWS + 7] = NaN;
    const withNaN = f.withColumn("p0", p0);
    const scores = scoreByEra(withNaN, { predictions: ["p0", "p1"], target: "target", metaModel: "meta" });
    for (let e = 0; e < 2; e++) {
      const slice = (x: Float64Array) => x.subarray(e * ROWS, (e + 1) * ROWS);
      expect(scores.float64("p0_corr")[e]).toBe(numeraiCorr(slice(p0), slice(columns.target!)));
      expect(scores.float64("p0_mmc")[e]).toBe(correlationContribution(slice(p0), slice(columns.meta!), slice(columns.target!)));
      expect(scores.float64("p1_mmc")[e]).toBe(referenceMmc(slice(columns.p1!), slice(columns.meta!), slice(columns.target!)));
    }
  });
});

describe("bad inputs to scores are named errors", () => {
  it("a duplicate id within a scoring era is DUPLICATE_ID naming the era, the id column and the id", () => {
    const f = NumerFrame.fromColumns({
      era: ["e1", "e1", "e1", "e2", "e2", "e2"],
      id: ["b", "a", "b", "a", "b", "c"],
      prediction: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
      target: [0, 0.5, 1, 0, 0.5, 1],
    });
    let err: unknown;
    try {
      scoreByEra(f, { target: "target", predictions: ["prediction"] });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ScoreError);
    expect((err as ScoreError).code).toBe("DUPLICATE_ID");
    expect((err as ScoreError).era).toBe("e1");
    expect((err as ScoreError).column).toBe("id");
    expect((err as ScoreError).message).toContain('"b"');
    // The same id in two different eras is fine.
    const ok = NumerFrame.fromColumns({ era: ["e1", "e1", "e2", "e2"], id: ["a", "b", "a", "b"], prediction: [0.1, 0.2, 0.4, 0.3], target: [0, 1, 0, 1] });
    expect(Array.from(scoreByEra(ok, { target: "target", predictions: ["prediction"] }).float64("prediction_corr"))).toEqual([1, -1]);
  });

  it("numeraiCorr on strings is NON_NUMERIC_COLUMN naming the input and row, not a silent cast", () => {
    const target = [0, 0.25, 0.5, 1];
    for (const [pred, row] of [
      [["0.1", "0.5", "0.3", "0.9"], 0],
      [[0.1, 0.5, "x", 0.9], 2],
    ] as const) {
      let err: unknown;
      try {
        numeraiCorr(pred as unknown as number[], target);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ScoreError);
      expect((err as ScoreError).code).toBe("NON_NUMERIC_COLUMN");
      expect((err as ScoreError).input).toBe("predictions");
      expect((err as ScoreError).row).toBe(row);
    }
    expect(() => numeraiCorr({ ids: ["a", "b"], values: [0.1, null] } as unknown as { ids: string[]; values: number[] }, { ids: ["a", "b"], values: [0, 1] })).toThrow(
      /predictions holds null at row 1/,
    );
    expect(() => correlationContribution([0.1, 0.2, 0.3], ["1", "2", "3"] as unknown as number[], [0, 0.5, 1])).toThrow(ScoreError);
  });
});
