// NumerFrame benchmarks (issue targets: 1M x 50 float32 Parquet read < 1.5 s; era index over
// 3M rows / 600 eras < 150 ms). Figures are printed, never asserted.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Table, Utf8, makeVector, vectorFromArray } from "apache-arrow";
import { NumerFrame, readParquet, writeParquet } from "@nmrblox/numerframe";
import { bench, printResults } from "./harness.js";

let seed = 12345;
const rand = () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32);

// 1M rows x 50 float32 columns (plus an era column), written once with zstd.
const dir = mkdtempSync(join(tmpdir(), "nmrblox-bench-"));
const parquetPath = join(dir, "wide.parquet");
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

printResults("numerframe");
rmSync(dir, { recursive: true, force: true });
