// Numerai scores beside their anchors, in one run:
// - CORR + MMC over 300 eras x 5,000 rows against a plain C program (bench/anchors/scores.c,
//   cc -O2, qsort; skipped with a message when no C compiler is found), one prediction and ten;
// - FNC of one era of 5,000 rows against 2,400 int8 features against numerai-tools' figure;
// - FNC and scoreByEra over 600 eras x 5,000 rows with 40 features.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { correlationContribution, featureNeutralCorr, numeraiCorr, scoreByEra, scoreByEraParallel } from "@nmrblox/evaluator";
import { mulberry32 } from "@nmrblox/fixtures";
import { NumerFrame } from "@nmrblox/numerframe";
import { syntheticClassic } from "@nmrblox/synthetic";
import { sortCount } from "@nmrblox/ranker";
import { bench, printResults } from "./harness.js";

// Anchors are timed in the same run, so a busy machine slows both sides; a fixed published
// figure (numerai-tools' FNC) is not, so the load is printed beside it.
const load = () => `load average ${loadavg()[0]!.toFixed(1)} on this machine`;
const here = dirname(fileURLToPath(import.meta.url));
const work = mkdtempSync(join(tmpdir(), "nmrblox-scores-bench-"));
process.on("exit", () => rmSync(work, { recursive: true, force: true }));

/** Compiles bench/anchors/<name>.c with cc -O2, or explains why it cannot. */
function compileAnchor(name: string): string | { skipped: string } {
  const exe = join(work, name);
  try {
    execFileSync("cc", ["-O2", "-o", exe, join(here, "anchors", `${name}.c`), "-lm"], { stdio: "pipe" });
    return exe;
  } catch (err) {
    return { skipped: `C anchor skipped: cc -O2 anchors/${name}.c failed (${(err as Error).message.split("\n")[0]})` };
  }
}

// ---------------------------------------------------------------- CORR + MMC vs the C anchor
const ERAS = 300;
const ROWS = 5_000;
const PREDS = 10;
const N = ERAS * ROWS;
const random = mulberry32(20);
const era = new Int32Array(N);
const target = new Float64Array(N);
const meta = new Float64Array(N);
const preds = Array.from({ length: PREDS }, () => new Float64Array(N));
for (let i = 0; i < N; i++) {
  era[i] = Math.floor(i / ROWS) + 1;
  const signal = random();
  target[i] = Math.round(4 * Math.min(1, Math.max(0, signal + (random() - 0.5) * 0.8))) / 4;
  meta[i] = signal + random();
  for (const p of preds) p[i] = signal + 2 * random();
}
const predNames = preds.map((_, k) => `prediction_${k}`);
const frame = NumerFrame.fromColumns({ era, target, meta, ...Object.fromEntries(predNames.map((name, k) => [name, preds[k]!])) });

function sums(scores: NumerFrame, names: readonly string[]): [number, number] {
  let corr = 0;
  let mmc = 0;
  for (let e = 0; e < ERAS; e++) {
    for (const name of names) {
      corr += scores.float64(`${name}_corr`)[e]!;
      mmc += scores.float64(`${name}_mmc`)[e]!;
    }
  }
  return [corr, mmc];
}

const anchorLines: string[] = [];
const anchor = compileAnchor("scores");
const input = join(work, "scores.bin");
function runAnchor(predictions: number, mode: "percall" | "shared"): { ms: number; sorts: number; corr: number; mmc: number } | undefined {
  if (typeof anchor !== "string") return undefined;
  const head = Buffer.alloc(12);
  head.writeInt32LE(ERAS, 0);
  head.writeInt32LE(ROWS, 4);
  head.writeInt32LE(predictions, 8);
  const body = [target, meta, ...preds.slice(0, predictions)].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength));
  writeFileSync(input, Buffer.concat([head, ...body]));
  // Best of three for one prediction, one run for ten (the per-call C takes tens of seconds).
  const runs = predictions === 1 ? "3" : "1";
  const [ms, sorts, corr, mmc] = execFileSync(anchor, [input, mode, runs], { encoding: "utf8" }).trim().split(" ").map(Number);
  return { ms: ms!, sorts: sorts!, corr: corr!, mmc: mmc! };
}

for (const count of [1, PREDS]) {
  const names = predNames.slice(0, count);
  let sortsPerRun = 0;
  let ours: [number, number] = [NaN, NaN];
  const label = `scoreByEra corr + mmc, ${ERAS} eras x ${ROWS}, ${count} prediction${count > 1 ? "s" : ""}`;
  const result = await bench({
    name: label,
    rows: N * count,
    runs: 3,
    run: () => {
      const before = sortCount();
      const scores = scoreByEra(frame, { predictions: names, target: "target", metaModel: "meta", metrics: ["corr", "mmc"] });
      sortsPerRun = sortCount() - before;
      ours = sums(scores, names);
    },
  });
  anchorLines.push(
    `${label}: ${result.medianMs.toFixed(0)} ms median (${result.minMs.toFixed(0)} min), ${sortsPerRun} sorts ` +
      `(${ERAS} eras x (${count} predictions + 1 meta model): the meta model ranked once per era)`,
  );
  if (typeof anchor !== "string") {
    anchorLines.push(`  ${anchor.skipped}`);
    continue;
  }
  for (const mode of ["percall", "shared"] as const) {
    const c = runAnchor(count, mode)!;
    const what = mode === "percall" ? "C qsort, numerai-tools' structure (each metric ranks its inputs)" : "C qsort, each vector ranked once per era";
    const diff = Math.max(Math.abs(c.corr - ours[0]), Math.abs(c.mmc - ours[1]));
    anchorLines.push(
      `  anchor ${what}: ${c.ms.toFixed(0)} ms${count === 1 ? " best of 3" : ""}, ${c.sorts} sorts; nmrblox ${(c.ms / result.medianMs).toFixed(2)}x faster ` +
        `(our median); |Σ scores − nmrblox| = ${diff.toExponential(1)}`,
    );
  }
}

await bench({
  name: `scoreByEraParallel corr + mmc, ${ERAS} eras x ${ROWS}, ${PREDS} predictions, 2 workers`,
  rows: N * PREDS,
  runs: 2,
  run: () => scoreByEraParallel(frame, { predictions: predNames, target: "target", metaModel: "meta", metrics: ["corr", "mmc"], workers: 2 }),
});

await bench({
  name: `numeraiCorr + correlationContribution per era (arrays), ${ERAS} eras x ${ROWS}`,
  rows: N,
  runs: 3,
  run: () => {
    const p = preds[0]!;
    for (let e = 0; e < ERAS; e++) {
      const s = e * ROWS;
      const t = target.subarray(s, s + ROWS);
      numeraiCorr(p.subarray(s, s + ROWS), t);
      correlationContribution(p.subarray(s, s + ROWS), meta.subarray(s, s + ROWS), t);
    }
  },
});
printResults(`CORR + MMC (evaluator + ranker), ${load()}`);
for (const line of anchorLines) console.log(line);

// ---------------------------------------------------------------- FNC vs 2,400 features
{
  // One synthetic Classic era: 12 feature families x 200 int8 features (family correlation 0.6).
  const era1 = syntheticClassic({ eras: 1, idsPerEra: ROWS, featureFamilies: 12, featuresPerFamily: 200 });
  const features = era1.featureCols.map((name) => era1.numeric(name));
  const p = era1.float64("prediction");
  const t = era1.float64("target");
  const cpu0 = process.cpuUsage();
  const wall0 = performance.now();
  const fnc = featureNeutralCorr(p, features, t);
  const wallMs = performance.now() - wall0;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`\nFNC at Numerai's feature count, ${load()}`);
  console.log(
    `featureNeutralCorr, one era of ${ROWS} rows x ${features.length} int8 features: ${wallMs.toFixed(0)} ms wall, ` +
      `${cpuMs.toFixed(0)} ms CPU (FNC = ${fnc.toFixed(6)})`,
  );
  console.log(
    `  anchor numerai-tools feature_neutral_corr (numpy lstsq), one era of 5,000 rows x 2,400 features: 7.7 s on this 2-core ` +
      `machine, unloaded (issue 20 of the nmrblox tracker, "Close to the machine"); nmrblox ${(7700 / wallMs).toFixed(2)}x by wall time, ` +
      `${(7700 / cpuMs).toFixed(2)}x by CPU time`,
  );
}

// ---------------------------------------------------------------- FNC vs 40 features, 600 eras
{
  const ERAS_F = 600;
  const FEATURES = 40;
  const n = ERAS_F * ROWS;
  const r = mulberry32(42);
  const eraF = new Int32Array(n);
  const prediction = new Float64Array(n);
  const targetF = new Float64Array(n);
  const features: Record<string, Int8Array> = {};
  for (let f = 0; f < FEATURES; f++) features[`feature_${f}`] = new Int8Array(n);
  for (let i = 0; i < n; i++) {
    eraF[i] = Math.floor(i / ROWS) + 1;
    let signal = 0;
    for (let f = 0; f < FEATURES; f++) {
      const v = Math.floor(r() * 5);
      features[`feature_${f}`]![i] = v;
      if (f < 5) signal += v;
    }
    targetF[i] = Math.min(4, Math.max(0, Math.round(signal / 5 + (r() - 0.5) * 2))) / 4;
    prediction[i] = signal + r() * 6;
  }
  const frameF = NumerFrame.fromColumns({ era: eraF, prediction, target: targetF, ...features });
  const featureNames = Object.keys(features);
  await bench({
    name: `FNC vs ${FEATURES} features, ${ERAS_F} eras x ${ROWS} (arrays)`,
    rows: n,
    runs: 2,
    run: () => {
      for (let e = 0; e < ERAS_F; e++) {
        const s = e * ROWS;
        const cols = featureNames.map((f) => features[f]!.subarray(s, s + ROWS));
        featureNeutralCorr(prediction.subarray(s, s + ROWS), cols, targetF.subarray(s, s + ROWS));
      }
    },
  });
  await bench({
    name: `scoreByEra corr + fnc + max_feature_corr vs ${FEATURES} features (frame)`,
    rows: n,
    runs: 2,
    run: () => scoreByEra(frameF, { predictions: ["prediction"], target: "target", features: featureNames, metrics: ["corr", "fnc", "max_feature_corr"] }),
  });
  printResults("FNC, 600 eras");
}
