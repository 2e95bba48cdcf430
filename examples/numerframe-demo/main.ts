// # NumerFrame in five minutes
// A NumerFrame is an Arrow table that knows Numerai's column roles. Run: `pnpm start`.
import { join } from "node:path";
import { NumerFrame, readParquet, writeParquet } from "@nmrblox/numerframe";

// ## Build a small Classic-style frame
// Eras arrive unsorted on purpose: the era index groups them without moving data.
const eras = 8;
const perEra = 50;
const n = eras * perEra;
let seed = 42;
const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
const era = Array.from({ length: n }, (_, i) => String(eras - (i % eras)).padStart(4, "0"));
const feature = Int8Array.from({ length: n }, () => Math.floor(rand() * 5));
const target = Float32Array.from(feature, (f) => Math.min(1, Math.max(0, f / 4 + (rand() - 0.5) * 0.5)));
const frame = NumerFrame.fromColumns({
  id: Array.from({ length: n }, (_, i) => `id${i}`),
  era,
  feature_intelligence: feature,
  target,
  prediction: Float64Array.from(feature, (f) => f / 4 + rand() * 0.1),
});
console.log(String(frame));
console.log("features:", frame.featureCols, "targets:", frame.targetCols, "predictions:", frame.predictionCols);

// ## Walk eras through the index: typed arrays, no per-row objects
const index = frame.eraIndex();
const pred = frame.float64("prediction");
const tgt = frame.numeric("target");
console.log("\nera   rows  pearson(prediction, target)");
for (let e = 0; e < index.eras.length; e++) {
  let sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, m = 0;
  for (let k = index.offsets[e]!; k < index.offsets[e + 1]!; k++) {
    const i = index.order ? index.order[k]! : k;
    const x = pred[i]!, y = tgt[i]!;
    sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; m++;
  }
  const r = (sxy - (sx * sy) / m) / Math.sqrt((sxx - (sx * sx) / m) * (syy - (sy * sy) / m));
  console.log(`${index.eras[e]}  ${String(m).padStart(4)}  ${r.toFixed(4)}`);
}

// ## Save and load with metadata
const out = join(process.cwd(), "out", "demo.parquet");
await writeParquet(frame.withProvenance({ blox: "numerframe-demo", options: { eras, perEra } }), out);
const back = await readParquet(out);
console.log(`\nwrote and read ${out}: ${String(back)}; provenance: ${back.provenance.map((p) => p.blox).join(" -> ")}`);
