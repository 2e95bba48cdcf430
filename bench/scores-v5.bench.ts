// Classic at v5 size, scored from Parquet without holding the features: writes a synthetic file
// era by era (writeParquetStream), then scores CORR, MMC and max feature correlation with
// scoreParquetByEra, and reports the time and the process's peak RSS of each step.
// Size: NMRBLOX_V5_ERAS eras x 5,000 rows x NMRBLOX_V5_FEATURES int8 features. The default is a
// tenth of v5 (54 eras, 270k rows x 2,400 features, 650 MB of features); 540 eras is v5 size
// (2.7M rows, 6.5 GB of features): about 2.5 GB of disk and 8 minutes (writing, then scoring).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scoreParquetByEra } from "@nmrblox/evaluator";
import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame, writeParquetStream } from "@nmrblox/numerframe";

const ERAS = Number(process.env.NMRBLOX_V5_ERAS ?? 54);
const FEATURES = Number(process.env.NMRBLOX_V5_FEATURES ?? 2_400);
const ROWS = 5_000;
const featureNames = Array.from({ length: FEATURES }, (_, j) => `feature_${j}`);
const dir = mkdtempSync(join(tmpdir(), "nmrblox-v5-"));
const path = join(dir, "classic-v5.parquet");
const peakMb = () => process.resourceUsage().maxRSS / 1024;

/** One era: 12 factors, int8 features 0..4 loading on one factor each, target, prediction, meta model. */
function era(e: number): NumerFrame {
  const random = mulberry32(1000 + e);
  const factors = Array.from({ length: 12 }, () => Float64Array.from({ length: ROWS }, () => random()));
  const label = String(e).padStart(4, "0");
  const columns: Record<string, unknown> = {
    era: new Array<string>(ROWS).fill(label),
    id: Array.from({ length: ROWS }, (_, i) => `n${label}${String(i).padStart(5, "0")}`),
  };
  for (let j = 0; j < FEATURES; j++) columns[featureNames[j]!] = feature(factors[j % 12]!, random);
  columns.target = Float64Array.from({ length: ROWS }, (_, i) => Math.min(4, Math.floor(5 * (0.5 * factors[0]![i]! + 0.5 * random()))) / 4);
  columns.prediction = Float64Array.from({ length: ROWS }, (_, i) => factors[0]![i]! + factors[1]![i]! + random());
  columns.numerai_meta_model = Float64Array.from({ length: ROWS }, (_, i) => factors[0]![i]! + 2 * random());
  return NumerFrame.fromColumns(columns as Record<string, string[] | Float64Array | Int8Array>, { kind: "classic", eraCol: "era", idCol: "id" });
}

/** An int8 feature 0..4: 60 % its factor, 40 % noise (a plain loop: generation, not encoding, dominated the write time). */
function feature(factor: Float64Array, random: () => number): Int8Array {
  const out = new Int8Array(ROWS);
  for (let i = 0; i < ROWS; i++) out[i] = Math.min(4, Math.floor(5 * (0.6 * factor[i]! + 0.4 * random())));
  return out;
}

async function* eras(): AsyncGenerator<NumerFrame> {
  for (let e = 1; e <= ERAS; e++) yield era(e);
}

try {
  console.log(`\nClassic from Parquet: ${ERAS} eras x ${ROWS} rows x ${FEATURES} int8 features (${((ERAS * ROWS * FEATURES) / 1e9).toFixed(2)} GB of features)`);
  let t = performance.now();
  // Default compression (snappy): the TypeScript encoder. Generating the eras is timed apart.
  let generateMs = 0;
  const source = eras();
  const generated: AsyncIterable<NumerFrame> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const g = performance.now();
        const r = await source.next();
        generateMs += performance.now() - g;
        return r;
      },
    }),
  };
  const rows = await writeParquetStream(generated, path);
  const writeMs = performance.now() - t;
  console.log(
    `writeParquetStream (snappy, TypeScript encoder): ${rows} rows, ${(statSync(path).size / 1e6).toFixed(0)} MB on disk, ${(writeMs / 1000).toFixed(1)} s ` +
      `(of which generating the eras ${(generateMs / 1000).toFixed(1)} s; encoding and writing ${((writeMs - generateMs) / 1000).toFixed(1)} s, ` +
      `${(((writeMs - generateMs) * 1e6) / (rows * FEATURES)).toFixed(1)} ns per feature value), peak RSS ${peakMb().toFixed(0)} MB`,
  );
  t = performance.now();
  const scores = await scoreParquetByEra(path, {
    predictions: ["prediction"],
    target: "target",
    metaModel: "numerai_meta_model",
    features: featureNames,
    metrics: ["corr", "mmc", "max_feature_corr"],
  });
  const mean = (name: string) => scores.float64(name).reduce((a, b) => a + b, 0) / scores.numRows;
  console.log(
    `scoreParquetByEra corr + mmc + max_feature_corr: ${scores.numRows} eras, ${((performance.now() - t) / 1000).toFixed(1)} s, ` +
      `peak RSS ${peakMb().toFixed(0)} MB (budget 8,192 MB); mean corr ${mean("prediction_corr").toFixed(4)}, ` +
      `mmc ${mean("prediction_mmc").toFixed(4)}, max feature corr ${mean("prediction_max_feature_corr").toFixed(4)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
