// Numerai scores on a Classic-sized frame: 600 eras x 5,000 rows, one prediction.
import { mulberry32 } from "@nmrblox/fixtures";
import { correlationContribution, featureNeutralCorr, numeraiCorr, scoreByEra } from "@nmrblox/evaluator";
import { NumerFrame, eraRows } from "@nmrblox/numerframe";
import { bench, printResults } from "./harness.js";

const ERAS = 600;
const ROWS = 5_000;
const FEATURES = 40;
const n = ERAS * ROWS;

const random = mulberry32(42);

const era = new Int32Array(n);
const prediction = new Float64Array(n);
const meta = new Float64Array(n);
const target = new Float64Array(n);
const features: Record<string, Int8Array> = {};
for (let f = 0; f < FEATURES; f++) features[`feature_${f}`] = new Int8Array(n);
for (let i = 0; i < n; i++) {
  era[i] = Math.floor(i / ROWS) + 1;
  let signal = 0;
  for (let f = 0; f < FEATURES; f++) {
    const v = Math.floor(random() * 5);
    features[`feature_${f}`]![i] = v;
    if (f < 5) signal += v;
  }
  target[i] = Math.min(4, Math.max(0, Math.round(signal / 5 + (random() - 0.5) * 2))) / 4;
  meta[i] = signal + random() * 4;
  prediction[i] = signal + random() * 6;
}
const frame = NumerFrame.fromColumns({ era, prediction, meta, target, ...features });
const index = frame.eraIndex();
const featureNames = Object.keys(features);

await bench({
  name: "numeraiCorr + MMC, 600 eras x 5,000 (arrays)",
  rows: n,
  runs: 3,
  targetMs: 1000,
  run: () => {
    for (let e = 0; e < ERAS; e++) {
      const rows = eraRows(index, e);
      const s = rows[0]!;
      const p = prediction.subarray(s, s + ROWS);
      const t = target.subarray(s, s + ROWS);
      numeraiCorr(p, t);
      correlationContribution(p, meta.subarray(s, s + ROWS), t);
    }
  },
});

await bench({
  name: "scoreByEra corr + mmc (frame)",
  rows: n,
  runs: 3,
  targetMs: 1000,
  run: () => scoreByEra(frame, { predictions: ["prediction"], target: "target", metaModel: "meta", metrics: ["corr", "mmc"] }),
});

await bench({
  name: "FNC vs 40 features, 600 eras x 5,000 (arrays)",
  rows: n,
  runs: 3,
  targetMs: 3000,
  run: () => {
    for (let e = 0; e < ERAS; e++) {
      const s = e * ROWS;
      const cols = featureNames.map((f) => features[f]!.subarray(s, s + ROWS));
      featureNeutralCorr(prediction.subarray(s, s + ROWS), cols, target.subarray(s, s + ROWS));
    }
  },
});

await bench({
  name: "scoreByEra fnc vs 40 features (frame)",
  rows: n,
  runs: 3,
  targetMs: 3000,
  run: () => scoreByEra(frame, { predictions: ["prediction"], target: "target", features: featureNames, metrics: ["fnc"] }),
});

printResults("Numerai scores (evaluator + ranker)");
