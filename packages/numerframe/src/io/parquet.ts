import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { Table, type Vector, tableFromIPC, tableToIPC } from "apache-arrow";
import { z } from "zod";
import { singleChunk, withFreshDictionaryId } from "../columns.js";
import { parseOptions } from "../core/options.js";
import { FrameIOError, MissingColumnError, NumerFrameError } from "../errors.js";
import type { NumerFrame } from "../numer-frame.js";
import { frameFromTable } from "./arrow-ipc.js";
import { writeFileAtomic } from "./atomic.js";
import { META_KEY, decodeMeta, encodeMeta, metaOverride } from "./metadata.js";

type ParquetWasm = typeof import("parquet-wasm");
let wasm: Promise<ParquetWasm> | undefined;
// Loaded on first use: the wasm module costs tens of milliseconds that most imports never need.
const loadWasm = () => (wasm ??= import("parquet-wasm"));

/** Options of `readParquet` (strict: an unknown key is an `InvalidOptionError`). */
export const readParquetOptions = z.strictObject({
  /** Columns to read, in this order; all by default. A pandas index column is always kept. */
  columns: z.array(z.string()).optional(),
  /** Columns decoded per pass: bounds WebAssembly memory on wide files. */
  columnGroupSize: z.number().int().positive().default(16),
  /** Only these row groups (0-based). */
  rowGroups: z.array(z.number().int().nonnegative()).optional(),
  /** Metadata fields that override what the file stores. */
  meta: metaOverride.optional(),
});
export type ReadParquetOptions = z.input<typeof readParquetOptions>;

/** Options of `writeParquet` (strict). */
export const writeParquetOptions = z.strictObject({
  compression: z.enum(["zstd", "snappy", "gzip", "none"]).default("zstd"),
  /** Rows per row group. */
  rowGroupSize: z.number().int().positive().default(1 << 20),
});
export type WriteParquetOptions = z.input<typeof writeParquetOptions>;

/**
 * Writes a frame as Parquet, atomically, with its metadata in the file's key-value metadata.
 *
 * @param frame - the frame to write
 * @param path - the target file
 * @param options - see `writeParquetOptions` (compression zstd by default)
 * @returns when the file is on disk
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) naming the file when
 *   encoding or writing fails (an existing file is left whole)
 * @example
 * await writeParquet(frame, "train.parquet", { compression: "snappy" });
 */
export async function writeParquet(frame: NumerFrame, path: string, options: WriteParquetOptions = {}): Promise<void> {
  const opts = parseOptions(writeParquetOptions, options, "writeParquet");
  const pw = await loadWasm();
  const codec = {
    zstd: pw.Compression.ZSTD,
    snappy: pw.Compression.SNAPPY,
    gzip: pw.Compression.GZIP,
    none: pw.Compression.UNCOMPRESSED,
  }[opts.compression];
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(opts.rowGroupSize)
    .setKeyValueMetadata(new Map([[META_KEY, encodeMeta(frame)]]))
    .build();
  let bytes: Uint8Array;
  try {
    bytes = pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(frame.table, "stream")), props);
  } catch (err) {
    throw new FrameIOError(path, `Parquet encoding failed: ${String(err)}`, err);
  }
  await writeFileAtomic(path, bytes);
}

interface PandasMeta {
  index_columns?: Array<string | { kind: string }>;
}

/**
 * Reads a Parquet file (snappy, zstd, gzip, ...) into a frame. Large files are decoded a
 * column group at a time. A pandas index (Numerai Crypto files keep `symbol` there) comes back
 * as an ordinary first column; an unnamed one as `index`.
 *
 * @param path - a Parquet file
 * @param options - see `readParquetOptions`
 * @returns the frame, columns single-chunk, stored metadata restored
 * @throws InvalidOptionError for an unknown or bad option (checked before the file is opened);
 *   FrameIOError (IO) naming the file when it cannot be read or decoded; MissingColumnError
 *   when a requested column is not in the file
 * @example
 * const train = await readParquet("v5.2/train.parquet", { columns: ["era", "target"] });
 */
export async function readParquet(path: string, options: ReadParquetOptions = {}): Promise<NumerFrame> {
  const opts = parseOptions(readParquetOptions, options, "readParquet");
  const pw = await loadWasm();
  let file: Awaited<ReturnType<ParquetWasm["ParquetFile"]["fromFile"]>>;
  try {
    await stat(path);
    file = await pw.ParquetFile.fromFile(await openAsBlob(path));
  } catch (err) {
    throw new FrameIOError(path, `not a readable Parquet file: ${String((err as Error).message ?? err)}`, err);
  }
  try {
    const kv = file.metadata().fileMetadata().keyValueMetadata() as Map<string, string>;
    const fileColumns = tableFromIPC(file.schema().intoIPCStream()).schema.fields.map((f) => f.name);
    const indexCols = pandasIndexColumns(kv.get("pandas")).filter((c) => fileColumns.includes(c));
    let wanted = opts.columns ?? fileColumns;
    for (const c of wanted) if (!fileColumns.includes(c)) throw new MissingColumnError(c, `reading ${path}`, fileColumns);
    wanted = [...indexCols.filter((c) => !wanted.includes(c)), ...wanted];
    if (!opts.columns) wanted = [...indexCols, ...fileColumns.filter((c) => !indexCols.includes(c))];

    const vectors: Record<string, Vector> = {};
    for (let g = 0; g < wanted.length; g += opts.columnGroupSize) {
      const group = wanted.slice(g, g + opts.columnGroupSize);
      const part = await file.read({
        columns: group,
        batchSize: 1 << 20,
        ...(opts.rowGroups ? { rowGroups: opts.rowGroups } : {}),
      });
      const table = tableFromIPC(part.intoIPCStream());
      for (const c of group) vectors[c] = withFreshDictionaryId(singleChunk(table.getChild(c)!, c));
    }
    const renamed: Record<string, Vector> = {};
    for (const [c, v] of Object.entries(vectors)) renamed[c === "__index_level_0__" ? "index" : c] = v;
    const meta = decodeMeta(kv.get(META_KEY), opts.meta);
    const table = new Table(renamed);
    return frameFromTable(table, undefined, meta, path);
  } catch (err) {
    if (err instanceof NumerFrameError) throw err;
    throw new FrameIOError(path, `Parquet decoding failed: ${String((err as Error).message ?? err)}`, err);
  } finally {
    file.free();
  }
}

function pandasIndexColumns(json: string | undefined): string[] {
  if (json === undefined) return [];
  try {
    const meta = JSON.parse(json) as PandasMeta;
    return (meta.index_columns ?? []).filter((c): c is string => typeof c === "string");
  } catch {
    return [];
  }
}
