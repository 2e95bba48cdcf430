import { rm } from "node:fs/promises";
import { join } from "node:path";
import { scoreByEra, summarizeScores } from "@nmrblox/evaluator";
import { mulberry32, tempDir } from "@nmrblox/fixtures";
import { NumerFrame, readCsv, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectOk, runCli, runJson } from "./helpers.js";

// A Classic-like world: 6 scored eras of 50 ids, plus a 7th era whose targets are not known yet.
const ERAS = ["0001", "0002", "0003", "0004", "0005", "0006"];
const IDS = Array.from({ length: 50 }, (_, i) => `n${String(i).padStart(3, "0")}`);

let dir: string;
let expected: NumerFrame;

beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-score-");
  const rand = mulberry32(11);
  const n = ERAS.length * IDS.length;
  const era = Array.from({ length: n }, (_, i) => ERAS[Math.floor(i / IDS.length)]!);
  const id = Array.from({ length: n }, (_, i) => IDS[i % IDS.length]!);
  const f1 = Float64Array.from({ length: n }, () => Math.floor(rand() * 5));
  const f2 = Float64Array.from({ length: n }, () => Math.floor(rand() * 5));
  const target = Float64Array.from({ length: n }, (_, i) => Math.min(1, Math.max(0, Math.round((f1[i]! / 4 + rand() * 0.6 - 0.3) * 4) / 4)));
  // Two ids of era 0003 have no target yet (an empty CSV field): they count against the 80 % rule.
  const missing = new Set([2 * IDS.length + 5, 2 * IDS.length + 17]);
  const prediction = Float64Array.from({ length: n }, (_, i) => 0.6 * target[i]! + 0.4 * rand());
  const alt = Float64Array.from({ length: n }, () => rand());
  const meta = Float64Array.from({ length: n }, (_, i) => 0.5 * prediction[i]! + 0.5 * rand());
  const bench = Float64Array.from({ length: n }, (_, i) => 0.3 * f2[i]! + rand());
  const t = Float64Array.from(target, (v, i) => (missing.has(i) ? Number.NaN : v));
  expected = NumerFrame.fromColumns(
    { era, id, prediction, prediction_alt: alt, target: t, meta_model: meta, bench_a: bench, feature_1: f1, feature_2: f2 },
    { eraCol: "era", idCol: "id" },
  );

  // The files, in shuffled row order, one frame each; the predictions add an unscored era 0007.
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const shuffled = expected.take(order);
  const live = NumerFrame.fromColumns({ era: IDS.map(() => "0007"), id: IDS, prediction: IDS.map(() => rand()), prediction_alt: IDS.map(() => rand()) }, { eraCol: "era", idCol: "id" });
  await writeParquet(shuffled.select(["era", "id", "prediction", "prediction_alt"]).concat(live), join(dir, "predictions.parquet"));
  // Targets as CSV: Classic eras come back from CSV as numbers (1, 2, ...) and must join as "0001".
  await writeCsv(shuffled.select(["era", "id", "target", "feature_1", "feature_2"]), join(dir, "targets.csv"), { sidecar: false });
  await writeParquet(shuffled.select(["era", "id", "meta_model"]), join(dir, "meta.parquet"));
  await writeCsv(shuffled.select(["era", "id", "bench_a"]), join(dir, "bench.csv"), { sidecar: false });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface ScoreDoc {
  target: string;
  predictions: string[];
  metrics: string[];
  unscoredEras: string[];
  perEra: Array<Record<string, number | string>>;
  summary: Array<Record<string, number | string>>;
  files: string[];
}

describe("nmrblox score", () => {
  it("joins the files on (era, id) and matches scoreByEra and summarizeScores", async () => {
    const scores = scoreByEra(expected, {
      predictions: ["prediction", "prediction_alt"],
      target: "target",
      metaModel: "meta_model",
      benchmarks: ["bench_a"],
      features: ["feature_1", "feature_2"],
      metrics: ["corr", "mmc", "bmc", "fnc"],
    });
    const summary = summarizeScores(scores);
    const { run, doc } = await runJson<ScoreDoc>(
      [
        "score",
        "--predictions",
        "predictions.parquet",
        "--targets",
        "targets.csv",
        "--meta-model",
        "meta.parquet",
        "--benchmark",
        "bench.csv",
        "--features",
        "feature_*",
        "--metrics",
        "corr,mmc,bmc,fnc",
        "--out",
        "scores.csv",
      ],
      { cwd: dir },
    );
    expectOk(run);
    expect(doc.target).toBe("target");
    expect(doc.predictions).toEqual(["prediction", "prediction_alt"]);
    expect(doc.unscoredEras).toEqual(["0007"]);
    const columns = scores.columnNames.filter((c) => c !== "era");
    expect(doc.metrics).toEqual(columns);
    expect(columns).toContain("prediction_bmc_bench_a");
    expect(doc.perEra.map((r) => r.era)).toEqual(ERAS);
    for (const c of columns) {
      const want = scores.float64(c);
      doc.perEra.forEach((row, e) => expect(row[c] as number, `${c} era ${ERAS[e]}`).toBeCloseTo(want[e]!, 12));
      // Every score is a real number: a NaN would make the comparison above vacuous.
      expect(want.every(Number.isFinite)).toBe(true);
    }
    const means = summary.float64("mean");
    doc.summary.forEach((row, k) => expect(row.mean as number).toBeCloseTo(means[k]!, 12));
    // --out wrote the per-era frame.
    const written = await readCsv(join(dir, "scores.csv"));
    expect(Array.from(written.float64("prediction_corr"))).toEqual(doc.perEra.map((r) => r.prediction_corr));
  });

  it("names a misspelled metric and the nearest one, exit 2", async () => {
    const run = await runCli(["score", "--predictions", "predictions.parquet", "--targets", "targets.csv", "--metrics", "corr,mmcc"], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--metrics: unknown metric "mmcc"');
    expect(run.stderr).toContain('did you mean "mmc"?');
  });

  it("fails (exit 1) naming the file and column when the targets lack the join keys", async () => {
    await writeCsv(expected.select(["era", "target"]), join(dir, "no-id.csv"), { sidecar: false });
    const run = await runCli(["score", "--predictions", "predictions.parquet", "--targets", "no-id.csv"], { cwd: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--targets no-id.csv");
    expect(run.stderr).toContain('"id"');
  });
});
