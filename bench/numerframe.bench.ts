// NumerFrame benchmarks (issue targets: 1M x 50 float32 Parquet read < 1.5 s; era index over
// 3M rows / 600 eras < 150 ms; join time per row flat from 500 to 4,000 symbols and within 3x of
// a dictionary-coded join written directly over the same columns). Figures are printed, never
// asserted. NMRBLOX_BENCH_SECTIONS=join,parquet,parquet-write,era,csv,classic picks sections (all
// but classic by default; classic writes a v5-size 2.7M x 2,400 int8 Parquet file and reports
// peak RSS).
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Table, Utf8, makeVector, tableToIPC, vectorFromArray } from "apache-arrow";
import { readFileSync } from "node:fs";
import { NumerFrame, readCsv, readParquet, writeCsv, writeParquet } from "@nmrblox/numerframe";
import { writeSyntheticClassic } from "@nmrblox/synthetic";
import Papa from "papaparse";
import { bench, printResults } from "./harness.js";

const sections = (process.env.NMRBLOX_BENCH_SECTIONS ?? "join,parquet,parquet-write,era,csv").split(",");
const want = (s: string) => sections.includes(s);

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

const dir = mkdtempSync(join(tmpdir(), "nmrblox-bench-"));

/**
 * Join of signals (date, symbol, prediction) with targets (date, symbol, target) over 365 days:
 * NumerFrame.join beside the anchor, a dictionary-coded left join written directly over the
 * same Arrow columns (dense date x symbol table, typed arrays only), which builds the same four
 * output columns.
 */
async function joinSection(): Promise<void> {
  const days = 365;
  const dates = Array.from({ length: days }, (_, d) => new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10));
  const perRow: number[] = [];
  for (const symbols of [500, 1000, 2000, 4000]) {
    const names = Array.from({ length: symbols }, (_, k) => `S${String(k).padStart(5, "0")}`);
    const rows = days * symbols;
    const date = new Array<string>(rows);
    const symbol = new Array<string>(rows);
    for (let d = 0, i = 0; d < days; d++) for (let k = 0; k < symbols; k++, i++) [date[i], symbol[i]] = [dates[d]!, names[k]!];
    const signals = NumerFrame.fromColumns({ date, symbol, prediction: Float64Array.from({ length: rows }, rand) });
    // Targets: 90 % of the cells, symbols in reverse order within a day.
    const keep: number[] = [];
    for (let d = 0; d < days; d++) for (let k = symbols - 1; k >= 0; k--) if (rand() < 0.9) keep.push(d * symbols + k);
    const targets = NumerFrame.fromColumns({
      date: keep.map((i) => date[i]!),
      symbol: keep.map((i) => symbol[i]!),
      target: Float64Array.from(keep, () => Math.floor(rand() * 5) / 4),
    });
    const ours = await bench({
      name: `join left on (date, symbol), ${symbols} symbols x ${days} days`,
      rows,
      // Interleaved with the anchor would be fairer still; 3 warm-ups settle the JIT and 9 runs the GC noise.
      warmup: 3,
      runs: 9,
      run: () => signals.join(targets, { on: ["date", "symbol"], how: "left" }),
    });
    const anchor = await bench({
      name: `  anchor: dictionary-coded join in plain TypeScript, ${symbols} symbols`,
      rows,
      warmup: 3,
      runs: 9,
      run: () => directJoin(signals, targets),
    });
    console.log(
      `join ${symbols} symbols: ${perRow[perRow.push((ours.medianMs * 1e6) / rows) - 1]!.toFixed(0)} ns/row, anchor ${((anchor.medianMs * 1e6) / rows).toFixed(0)} ns/row, ratio ${(ours.medianMs / anchor.medianMs).toFixed(2)}x`,
    );
  }
  console.log(`join time per row, 4,000 / 500 symbols: ${(perRow[3]! / perRow[0]!).toFixed(2)} (flat = 1; goal: linear in rows, within 3x of the anchor)`);
}

/** Dictionary keys and labels of a dictionary column. */
function dict(frame: NumerFrame, column: string): { keys: Int32Array; labels: string[] } {
  const data = frame.table.getChild(column)!.data[0]!;
  return { keys: data.values as Int32Array, labels: Array.from(data.dictionary!, (v) => String(v)) };
}

/** The anchor: a left join of `targets` into `signals` on (date, symbol) over dictionary codes. */
function directJoin(signals: NumerFrame, targets: NumerFrame) {
  const ld = dict(signals, "date");
  const ls = dict(signals, "symbol");
  const rd = dict(targets, "date");
  const rs = dict(targets, "symbol");
  const dIndex = new Map(ld.labels.map((l, i) => [l, i]));
  const sIndex = new Map(ls.labels.map((l, i) => [l, i]));
  const rdMap = Int32Array.from(rd.labels, (l) => dIndex.get(l) ?? -1);
  const rsMap = Int32Array.from(rs.labels, (l) => sIndex.get(l) ?? -1);
  const nS = ls.labels.length;
  const cell = new Int32Array(ld.labels.length * nS).fill(-1);
  for (let j = 0; j < rd.keys.length; j++) {
    const d = rdMap[rd.keys[j]!]!;
    const s = rsMap[rs.keys[j]!]!;
    if (d >= 0 && s >= 0) cell[d * nS + s] = j;
  }
  const n = ld.keys.length;
  const target = targets.numeric("target");
  const prediction = signals.numeric("prediction");
  const outDate = new Int32Array(n);
  const outSymbol = new Int32Array(n);
  const outPrediction = new Float64Array(n);
  const outTarget = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const j = cell[ld.keys[i]! * nS + ls.keys[i]!]!;
    outDate[i] = ld.keys[i]!;
    outSymbol[i] = ls.keys[i]!;
    outPrediction[i] = prediction[i]!;
    outTarget[i] = j < 0 ? Number.NaN : target[j]!;
  }
  return [outDate, outSymbol, outPrediction, outTarget];
}

async function parquetSection(): Promise<void> {
  const parquetPath = join(dir, "wide.parquet");
  // 1M rows x 50 float32 columns (plus an era column), written once with zstd.
  {
    const rows = 1_000_000;
    const cols: Record<string, Float32Array | string[]> = {
      era: Array.from({ length: rows }, (_, i) => String(1 + Math.floor(i / 2000)).padStart(4, "0")),
    };
    for (let c = 0; c < 50; c++) cols[`feature_${c}`] = Float32Array.from({ length: rows }, () => Math.floor(rand() * 5) / 4);
    await writeParquet(NumerFrame.fromColumns(cols), parquetPath, { compression: "zstd", rowGroupSize: 125_000 });
  }

  await bench({
    name: "readParquet 1M x 50 float32 (+era), zstd",
    rows: 1_000_000,
    runs: 3,
    targetMs: 1500,
    run: () => readParquet(parquetPath),
  });
  await bench({
    name: "readParquet 1M x 10 columns (projection)",
    rows: 1_000_000,
    runs: 3,
    run: () => readParquet(parquetPath, { columns: ["era", ...Array.from({ length: 9 }, (_, i) => `feature_${i}`)] }),
  });
}

/** The part of parquet-wasm's API the write anchor uses. */
interface ParquetWasmWriter {
  Compression: { UNCOMPRESSED: number };
  WriterPropertiesBuilder: new () => {
    setCompression(c: number): { setMaxRowGroupSize(n: number): { build(): unknown } };
  };
  Table: { fromIPCStream(bytes: Uint8Array): unknown };
  writeParquet(table: unknown, props: unknown): Uint8Array;
}

/**
 * writeParquet of 50k rows x 2,400 int8 features 0..4 (+ era), one row group: nmrblox's own
 * encoder (snappy, the default) beside parquet-wasm writing the same frame, zstd (what
 * writeParquet still uses for zstd) and uncompressed (parquet-wasm called directly). Runs are
 * interleaved (ours, wasm none, wasm zstd, ours, ...) and medians printed.
 */
async function parquetWriteSection(): Promise<void> {
  const rows = 50_000;
  const features = 2_400;
  const rounds = Number(process.env.NMRBLOX_PARQUET_WRITE_ROUNDS ?? 3);
  const cols: Record<string, Int8Array | string[]> = {
    era: Array.from({ length: rows }, (_, i) => String(1 + Math.floor(i / 5000)).padStart(4, "0")),
  };
  for (let j = 0; j < features; j++) cols[`feature_${j}`] = Int8Array.from({ length: rows }, () => Math.floor(rand() * 5));
  const frame = NumerFrame.fromColumns(cols);
  // parquet-wasm as numerframe resolves it (the bench package does not depend on it).
  const pwPath = createRequire(new URL("../packages/numerframe/package.json", import.meta.url)).resolve("parquet-wasm");
  const pw = (await import(pwPath)) as ParquetWasmWriter;
  const wasmNone = async (path: string) => {
    const props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression.UNCOMPRESSED).setMaxRowGroupSize(rows).build();
    await writeFile(path, pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(frame.table, "stream")), props));
  };
  const cases: Array<[string, (path: string) => Promise<unknown>]> = [
    ["nmrblox encoder, snappy", (path) => writeParquet(frame, path, { compression: "snappy", rowGroupSize: rows })],
    ["nmrblox encoder, none", (path) => writeParquet(frame, path, { compression: "none", rowGroupSize: rows })],
    ["parquet-wasm, none", wasmNone],
    ["parquet-wasm, zstd (writeParquet)", (path) => writeParquet(frame, path, { compression: "zstd", rowGroupSize: rows })],
  ];
  const times = cases.map((): number[] => []);
  const sizes = cases.map(() => 0);
  for (let r = 0; r < rounds; r++) {
    for (const [k, [, run]] of cases.entries()) {
      const path = join(dir, `write-${k}.parquet`);
      const t0 = performance.now();
      await run(path);
      times[k]!.push(performance.now() - t0);
      sizes[k] = statSync(path).size;
    }
  }
  const values = rows * features;
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const anchor = median(times[3]!);
  console.log(`writeParquet 50k rows x 2,400 int8 (0..4) + era, one row group, ${rounds} interleaved rounds, medians:`);
  for (const [k, [name]] of cases.entries()) {
    const ms = median(times[k]!);
    console.log(
      `  ${name.padEnd(34)} ${ms.toFixed(0).padStart(6)} ms  ${((ms * 1e6) / values).toFixed(1).padStart(6)} ns/value  ${(sizes[k]! / 1e6).toFixed(1).padStart(5)} MB  (${(anchor / ms).toFixed(1)}x the zstd anchor's speed)`,
    );
  }
  console.log(`  peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);
}

/** readCsv of 1M rows x 5 columns (no sidecar: types inferred) beside papaparse building the same frame. */
async function csvSection(): Promise<void> {
  const rows = 1_000_000;
  const path = join(dir, "wide.csv");
  const symbols = Array.from({ length: 1000 }, (_, k) => `SYM${k}`);
  await writeCsv(
    NumerFrame.fromColumns({
      date: Array.from({ length: rows }, (_, i) => `2024-${String(1 + ((i / 90_000) | 0)).padStart(2, "0")}-01`),
      symbol: Array.from({ length: rows }, (_, i) => symbols[i % 1000]!),
      prediction: Float64Array.from({ length: rows }, rand),
      target: Float64Array.from({ length: rows }, () => Math.floor(rand() * 5) / 4),
      volume: Float64Array.from({ length: rows }, () => Math.floor(rand() * 1e6)),
    }),
    path,
    { sidecar: false },
  );
  const before = process.resourceUsage().maxRSS / 1024;
  const ours = await bench({ name: "readCsv 1M x 5 (types inferred)", rows, runs: 3, run: () => readCsv(path) });
  const papa = await bench({
    name: "  anchor: papaparse (dynamicTyping) into the same frame",
    rows,
    runs: 3,
    run: () => {
      const parsed = Papa.parse<Record<string, string | number>>(readFileSync(path, "utf8"), { header: true, dynamicTyping: true, skipEmptyLines: true });
      const data = parsed.data;
      const fields = parsed.meta.fields!;
      const columns: Record<string, Float64Array | string[]> = {};
      for (const f of fields) {
        const numeric = typeof data[0]![f] === "number";
        columns[f] = numeric ? Float64Array.from(data, (r) => r[f] as number) : data.map((r) => String(r[f]));
      }
      return NumerFrame.fromColumns(columns);
    },
  });
  console.log(
    `readCsv 1M x 5: ${ours.medianMs.toFixed(0)} ms (peak RSS ${ours.peakRssMb.toFixed(0)} MB, ${before.toFixed(0)} MB before), papaparse ${papa.medianMs.toFixed(0)} ms (peak RSS after it ${papa.peakRssMb.toFixed(0)} MB), ratio ${(ours.medianMs / papa.medianMs).toFixed(2)}x`,
  );
}

/** A v5-size synthetic Classic file (574 eras x 4,704 ids = 2.7M rows, 2,400 int8 features), written era by era. */
async function classicSection(): Promise<void> {
  const path = join(dir, "classic-v5-size.parquet");
  const t0 = performance.now();
  const rows = await writeSyntheticClassic(path, {
    eras: 574,
    idsPerEra: 4704,
    featureFamilies: 12,
    featuresPerFamily: 200,
    onProgress: (done, total) => done % 50 === 0 && console.log(`  classic: era ${done}/${total}, ${((performance.now() - t0) / 1000).toFixed(0)} s`),
  });
  const s = (performance.now() - t0) / 1000;
  console.log(`writeSyntheticClassic ${rows} rows x 2,400 int8: ${s.toFixed(0)} s, peak RSS ${(process.resourceUsage().maxRSS / 2 ** 20).toFixed(2)} GB (goal < 8 GB)`);
}

async function eraSection(): Promise<void> {
  // Era index over 3M rows / 600 eras, shuffled so a permutation is needed.
  const n = 3_000_000;
  const eraLabels = Array.from({ length: 600 }, (_, e) => String(e + 1).padStart(4, "0"));
  const shuffled = Array.from({ length: n }, () => eraLabels[Math.floor(rand() * 600)]!);
  const grouped = Array.from({ length: n }, (_, i) => eraLabels[Math.floor((i * 600) / n)]!);
  const x = Float32Array.from({ length: n }, rand);
  const dictShuffled = NumerFrame.fromColumns({ era: shuffled, x });
  const dictGrouped = NumerFrame.fromColumns({ era: grouped, x });
  const utf8Shuffled = NumerFrame.fromArrow(new Table({ era: vectorFromArray(shuffled, new Utf8()), x: makeVector(x) }));
  const intGrouped = NumerFrame.fromColumns({ era: Int32Array.from({ length: n }, (_, i) => 1 + Math.floor((i * 600) / n)), x });

  const fresh = (f: NumerFrame) => NumerFrame.fromArrow(f.table, f.meta);
  await bench({ name: "eraIndex 3M rows / 600 eras, dictionary, shuffled", rows: n, targetMs: 150, run: () => fresh(dictShuffled).eraIndex() });
  await bench({ name: "eraIndex 3M rows / 600 eras, dictionary, grouped", rows: n, targetMs: 150, run: () => fresh(dictGrouped).eraIndex() });
  await bench({ name: "eraIndex 3M rows / 600 eras, int32, grouped", rows: n, targetMs: 150, run: () => fresh(intGrouped).eraIndex() });
  await bench({ name: "eraIndex 3M rows / 600 eras, plain utf8, shuffled (strings cached)", rows: n, runs: 3, run: () => fresh(utf8Shuffled).eraIndex() });

  // column() access: a numeric column is the Arrow buffer itself; strings decode once, then cached.
  await bench({ name: "column() float32, 3M rows (zero copy)", rows: n, runs: 20, run: () => dictShuffled.column("x") });
  await bench({ name: "column() strings, 3M rows, first decode", rows: n, runs: 3, run: () => NumerFrame.fromArrow(new Table({ era: makeVector(utf8Shuffled.table.getChild("era")!.data[0]!.clone()) })).column("era") });
  await bench({ name: "column() strings, 3M rows, cached", rows: n, runs: 20, run: () => utf8Shuffled.column("era") });
  await bench({
    name: "sum over column() float32 3M rows",
    rows: n,
    runs: 10,
    run: () => {
      const a = dictShuffled.numeric("x");
      let s = 0;
      for (let i = 0; i < a.length; i++) s += a[i]!;
      return s;
    },
  });
  await bench({
    name: "sum 3M via Arrow Vector.get(i) (for comparison)",
    rows: n,
    runs: 3,
    run: () => {
      const v = dictShuffled.table.getChild("x")!;
      let s = 0;
      for (let i = 0; i < v.length; i++) s += v.get(i) as number;
      return s;
    },
  });
}

if (want("join")) await joinSection();
if (want("parquet")) await parquetSection();
if (want("parquet-write")) await parquetWriteSection();
if (want("era")) await eraSection();
if (want("csv")) await csvSection();
if (process.env.NMRBLOX_BENCH_SECTIONS?.split(",").includes("classic")) await classicSection();
printResults("numerframe");
rmSync(dir, { recursive: true, force: true });
