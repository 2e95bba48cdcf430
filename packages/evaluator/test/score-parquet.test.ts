import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { InvalidOptionError, NumerFrame, writeParquet } from "@nmrblox/numerframe";
import { afterAll, describe, expect, it } from "vitest";
import { scoreByEra, scoreParquetByEra } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "nmrblox-score-parquet-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A small Classic-like frame: 9 eras of 40 rows (rows stored in reverse id order within each
// era), int8 features, a target in five bins, a prediction, a meta model and a benchmark.
function classic(): NumerFrame {
  let seed = 12345;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const cols: Record<string, unknown[]> = { era: [], id: [], target: [], prediction: [], meta: [], bench: [] };
  const features = Array.from({ length: 6 }, (_, j) => `feature_${j}`);
  const f: number[][] = features.map(() => []);
  for (let e = 1; e <= 9; e++) {
    for (let i = 39; i >= 0; i--) {
      const signal = random();
      cols.era!.push(`era${e}`);
      cols.id!.push(`n${String(i % 37).padStart(3, "0")}${i >= 37 ? "x" : ""}`);
      cols.target!.push(Math.round(4 * Math.min(1, Math.max(0, signal + (random() - 0.5) * 0.6))) / 4);
      cols.prediction!.push(signal + random());
      cols.meta!.push(signal + 2 * random());
      cols.bench!.push(Math.round(5 * (signal + random())));
      f.forEach((c, j) => c.push(Math.min(4, Math.floor(5 * (j < 3 ? 0.5 * signal + 0.5 * random() : random())))));
    }
  }
  const columns: Record<string, unknown> = { ...cols };
  features.forEach((name, j) => (columns[name] = Int8Array.from(f[j]!)));
  return NumerFrame.fromColumns(columns as Record<string, string[] | number[] | Int8Array>, { eraCol: "era", idCol: "id" });
}

describe("scoreParquetByEra", () => {
  const frame = classic();
  const features = Array.from({ length: 6 }, (_, j) => `feature_${j}`);
  const options = {
    predictions: ["prediction"],
    target: "target",
    metaModel: "meta",
    benchmarks: ["bench"],
    features,
    metrics: ["corr", "mmc", "bmc", "fnc", "max_feature_corr", "churn"] as ("corr" | "mmc" | "bmc" | "fnc" | "max_feature_corr" | "churn")[],
  };

  it("gives exactly scoreByEra's frame while holding a few eras at a time", async () => {
    const path = join(dir, "classic.parquet");
    await writeParquet(frame, path, { rowGroupSize: 50 });
    const whole = scoreByEra(frame, options);
    const progress: number[] = [];
    for (const chunkRows of [1, 100, 10_000]) {
      const streamed = await scoreParquetByEra(path, { ...options, chunkRows, onProgress: (done) => progress.push(done) });
      expect(streamed.columnNames).toEqual(whole.columnNames);
      expect(streamed.strings("era")).toEqual(whole.strings("era"));
      for (const name of whole.columnNames.slice(1)) expect(Array.from(streamed.float64(name))).toEqual(Array.from(whole.float64(name)));
    }
    // churn is NaN for the first era only, also at chunk boundaries.
    expect(Number.isNaN(whole.float64("prediction_churn")[0]!)).toBe(true);
    expect(whole.float64("prediction_churn").slice(1).every((v) => Number.isFinite(v))).toBe(true);
    expect(progress.at(-1)).toBe(9);
  });

  it("refuses unknown options and needs the predictions named", async () => {
    await expect(scoreParquetByEra(join(dir, "classic.parquet"), { ...options, chunkRow: 5 } as never)).rejects.toThrow(InvalidOptionError);
    await expect(scoreParquetByEra(join(dir, "classic.parquet"), { target: "target" } as never)).rejects.toThrow(/predictions/);
  });
});
