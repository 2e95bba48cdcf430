import { openAsBlob } from "node:fs";
import { stat } from "node:fs/promises";
import { DataType, RecordBatch, Schema, Table, type Vector, tableFromIPC, tableToIPC } from "apache-arrow";
import { z } from "zod";
import { decodeStrings, singleChunk, withFreshDictionaryId } from "../columns.js";
import { compareEras } from "../core/era-order.js";
import { type FrameMetaInput, resolveMeta } from "../meta.js";
import { parseOptions } from "../core/options.js";
import { EmptyFrameError, FrameIOError, MissingColumnError, NumerFrameError, SchemaMismatchError } from "../errors.js";
import { NumerFrame } from "../numer-frame.js";
import { frameFromTable } from "./arrow-ipc.js";
import { writeFileAtomic } from "./atomic.js";
import { META_KEY, decodeMeta, encodeMeta, metaOverride } from "./metadata.js";
import { type ColumnKind, type EncoderCodec, ParquetEncoder, arrowSchemaEntry, columnKind } from "./parquet-encoder/index.js";

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
  /**
   * Only rows whose era lies in this range (inclusive, chronological order as `compareEras`).
   * Row groups holding no era of the range are not decoded at all.
   */
  eras: z.strictObject({ from: z.string().optional(), to: z.string().optional() }).optional(),
  /** Metadata fields that override what the file stores. */
  meta: metaOverride.optional(),
});
/** Options of `readParquet` as a caller writes them; see `readParquetOptions`. */
export type ReadParquetOptions = z.input<typeof readParquetOptions>;

/** Options of `writeParquet` (strict). */
export const writeParquetOptions = z.strictObject({
  /**
   * Page compression. "snappy" (the default, as in pandas and pyarrow), "gzip" and "none" are
   * written by nmrblox's own encoder; "zstd" (smaller files, several times slower to write)
   * by parquet-wasm, as are files with columns of other types than integers, floats,
   * booleans and strings.
   */
  compression: z.enum(["zstd", "snappy", "gzip", "none"]).default("snappy"),
  /**
   * Rows per row group; by default as many rows as fit in about 64 MB of column data (at most
   * 2^20). Row groups are encoded one at a time, so this bounds the writer's memory.
   */
  rowGroupSize: z.number().int().positive().optional(),
});
/** Options of `writeParquet` as a caller writes them; see `writeParquetOptions`. */
export type WriteParquetOptions = z.input<typeof writeParquetOptions>;

/** Target bytes of column data per row group when `rowGroupSize` is not given. */
const ROW_GROUP_BYTES = 64 << 20;

/** Bytes one row takes in Arrow memory (strings counted at their dictionary key or offset). */
function rowBytes(frame: NumerFrame): number {
  let bytes = 0;
  for (const f of frame.table.schema.fields) {
    const t = f.type as DataType;
    bytes += DataType.isDictionary(t) ? 4 : DataType.isInt(t) || DataType.isFloat(t) ? t.ArrayType.BYTES_PER_ELEMENT : 8;
  }
  return Math.max(1, bytes);
}

/** Default rows per row group: about `ROW_GROUP_BYTES` of column data, at least 1,024, at most 2^20. */
export function defaultRowGroupSize(frame: NumerFrame): number {
  return Math.max(1024, Math.min(1 << 20, Math.floor(ROW_GROUP_BYTES / rowBytes(frame))));
}

/**
 * Writes a frame as Parquet, atomically, with its metadata in the file's key-value metadata.
 * The frame is encoded a row group at a time, so memory beyond the frame itself stays near one
 * row group. Integer, float, boolean and string columns with snappy (the default), gzip or no
 * compression go through nmrblox's own encoder (dictionary-encoded 8/16-bit integers and
 * strings, statistics for integer and string columns); zstd, or any other column type, through
 * parquet-wasm (see the README's Parquet section).
 *
 * @param frame - the frame to write
 * @param path - the target file
 * @param options - see `writeParquetOptions` (compression snappy by default)
 * @returns when the file is on disk
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) naming the file when
 *   encoding or writing fails (an existing file is left whole)
 * @example
 * await writeParquet(frame, "train.parquet", { compression: "snappy" });
 */
export async function writeParquet(frame: NumerFrame, path: string, options: WriteParquetOptions = {}): Promise<void> {
  const opts = parseOptions(writeParquetOptions, options, "writeParquet");
  const size = opts.rowGroupSize ?? defaultRowGroupSize(frame);
  function* slices(): Generator<NumerFrame> {
    for (let start = 0; start < frame.numRows; start += size) {
      yield NumerFrame.fromArrow(frame.table.slice(start, Math.min(frame.numRows, start + size)), frame.meta, { allowEmpty: true });
    }
    if (frame.numRows === 0) yield frame;
  }
  await writeParquetStream(slices(), path, { compression: opts.compression, rowGroupSize: size });
}

/**
 * Writes Parquet from frames produced one at a time (an era at a time, say): every frame must
 * have the same columns and types; the first frame's metadata is stored. Frames are gathered
 * (without copying) until `rowGroupSize` rows, then that row group is encoded and written, so
 * memory stays near one row group beyond the frames still referenced (through parquet-wasm, for
 * zstd or other column types, each frame is copied into WebAssembly memory alone). The file
 * appears atomically when the last frame is written. The same frames give the same bytes.
 *
 * @param frames - frames (or a promise of each) with one schema, in file order
 * @param path - the target file
 * @param options - see `writeParquetOptions`; `rowGroupSize` defaults to about 64 MB of the
 *   first frame's column data
 * @returns the number of rows written, once the file is on disk
 * @throws InvalidOptionError for a bad option; SchemaMismatchError when a frame's columns or
 *   types differ from the first's; FrameIOError (IO) naming the file when encoding or writing
 *   fails (an existing file is left whole, the temporary file removed); EmptyFrameError for no frames
 * @example
 * async function* eras() { for (let e = 1; e <= 10; e++) yield await makeEra(e); }
 * await writeParquetStream(eras(), "train.parquet", { rowGroupSize: 50_000 });
 */
export async function writeParquetStream(
  frames: Iterable<NumerFrame> | AsyncIterable<NumerFrame>,
  path: string,
  options: WriteParquetOptions = {},
): Promise<number> {
  const opts = parseOptions(writeParquetOptions, options, "writeParquetStream");
  const iterator = (Symbol.asyncIterator in frames ? frames[Symbol.asyncIterator]() : frames[Symbol.iterator]()) as
    | AsyncIterator<NumerFrame>
    | Iterator<NumerFrame>;
  const first = await iterator.next();
  if (first.done) throw new EmptyFrameError(`writeParquetStream ${path}: no frames`, { path });
  const head = first.value;
  const names = head.columnNames;
  const kinds = names.map((n) => columnKind(head.typeOf(n)));
  const stream: FrameStream = {
    head,
    names,
    types: names.map((n) => String(head.typeOf(n))),
    rowGroupSize: opts.rowGroupSize ?? defaultRowGroupSize(head),
    rows: 0,
    next: async () => {
      const r = await iterator.next();
      return r.done ? undefined : r.value;
    },
  };
  const codec = opts.compression;
  if (codec !== "zstd" && kinds.every((k) => k !== undefined)) {
    await writeFileAtomic(path, encodedBytes(stream, path, codec, kinds as ColumnKind[]));
  } else {
    await writeFileAtomic(path, await wasmBytes(stream, path, codec));
  }
  return stream.rows;
}

/** The frames of one write: the first, how to get the next, and what every frame must match. */
interface FrameStream {
  head: NumerFrame;
  names: readonly string[];
  types: readonly string[];
  rowGroupSize: number;
  /** Rows taken so far. */
  rows: number;
  next: () => Promise<NumerFrame | undefined>;
}

/**
 * The file's bytes from the TypeScript encoder: frames are gathered (as zero-copy slices) until
 * a row group is full, then encoded into the encoder's buffer and handed on. `writeFileAtomic`
 * writes each chunk before asking for the next, so that one buffer serves every row group and
 * memory stays near one row group.
 */
async function* encodedBytes(stream: FrameStream, path: string, codec: EncoderCodec, kinds: readonly ColumnKind[]): AsyncGenerator<Uint8Array> {
  const { head, names } = stream;
  const encoder = new ParquetEncoder(
    names.map((name, c) => ({ name, kind: kinds[c]! })),
    {
      codec,
      keyValue: [
        [META_KEY, encodeMeta(head)],
        ["ARROW:schema", arrowSchemaEntry(head.table.schema)],
      ],
    },
  );
  yield encoder.start();
  const size = stream.rowGroupSize;
  let tables: Table[] = [];
  let buffered = 0;
  const rowGroup = (): Uint8Array => {
    const bytes = encoder.rowGroup(
      names.map((n) => tables.flatMap((t) => t.getChild(n)!.data)),
      buffered,
    );
    tables = [];
    buffered = 0;
    return bytes;
  };
  for (let frame: NumerFrame | undefined = head; frame !== undefined; frame = await stream.next()) {
    checkSameSchema(frame, names, stream.types, path);
    stream.rows += frame.numRows;
    for (let start = 0; start < frame.numRows; ) {
      const take = Math.min(size - buffered, frame.numRows - start);
      tables.push(start === 0 && take === frame.numRows ? frame.table : frame.table.slice(start, start + take));
      buffered += take;
      start += take;
      if (buffered === size) yield rowGroup();
    }
  }
  if (buffered > 0) yield rowGroup();
  yield encoder.finish();
}

/** The file's bytes from parquet-wasm (zstd, and column types the TypeScript encoder does not write). */
async function wasmBytes(stream: FrameStream, path: string, compression: z.output<typeof writeParquetOptions>["compression"]): Promise<AsyncGenerator<Uint8Array>> {
  const pw = await loadWasm();
  const { head, names, types } = stream;
  const codec = {
    zstd: pw.Compression.ZSTD,
    snappy: pw.Compression.SNAPPY,
    gzip: pw.Compression.GZIP,
    none: pw.Compression.UNCOMPRESSED,
  }[compression];
  const props = new pw.WriterPropertiesBuilder()
    .setCompression(codec)
    .setMaxRowGroupSize(stream.rowGroupSize)
    .setKeyValueMetadata(new Map([[META_KEY, encodeMeta(head)]]))
    .build();
  let pending: NumerFrame | undefined = head;
  // The encoder treats an errored source as a finished one, so a failure is kept here, the
  // source closed, and the error thrown before the file is published.
  let failure: unknown;
  const batches = new ReadableStream({
    async pull(controller) {
      try {
        const frame: NumerFrame | undefined = pending ?? (await stream.next());
        pending = undefined;
        if (frame === undefined) {
          controller.close();
          return;
        }
        checkSameSchema(frame, names, types, path);
        stream.rows += frame.numRows;
        // One IPC copy of this frame only; the wasm table is freed once its batches are queued.
        const table = pw.Table.fromIPCStream(tableToIPC(plainSchema(frame.table), "stream"));
        for (const batch of table.recordBatches()) controller.enqueue(batch);
        table.free();
      } catch (err) {
        failure = err;
        controller.close();
      }
    },
  });
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let out: ReadableStream<Uint8Array>;
    try {
      out = (await pw.transformParquetStream(batches, props)) as ReadableStream<Uint8Array>;
    } catch (err) {
      throw new FrameIOError(path, `Parquet encoding failed: ${String(err)}`, err);
    }
    const reader = out.getReader();
    for (;;) {
      let chunk: { done: boolean; value?: Uint8Array | undefined };
      try {
        chunk = await reader.read();
      } catch (err) {
        if (failure !== undefined) break;
        if (NumerFrameError.isInstance(err)) throw err;
        throw new FrameIOError(path, `Parquet encoding failed: ${String(err)}`, err);
      }
      if (failure !== undefined) break;
      if (chunk.done || chunk.value === undefined) return;
      yield chunk.value;
    }
    await reader.cancel().catch(() => undefined);
    if (NumerFrameError.isInstance(failure)) throw failure;
    throw new FrameIOError(path, `writing failed: ${String((failure as Error).message ?? failure)}`, failure);
  }
  return bytes();
}

/** A table without schema metadata, so frames of one schema give identical Arrow schemas. */
function plainSchema(table: Table): Table {
  if (table.schema.metadata.size === 0) return table;
  const schema = new Schema(table.schema.fields);
  return new Table(schema, table.batches.map((b) => new RecordBatch(schema, b.data)));
}

function checkSameSchema(frame: NumerFrame, names: readonly string[], types: readonly string[], path: string): void {
  const got = frame.columnNames;
  for (let c = 0; c < names.length; c++) {
    if (got[c] !== names[c]) {
      throw new SchemaMismatchError(names[c]!, `writing ${path}: a later frame has columns [${got.slice(0, 8).join(", ")}${got.length > 8 ? ", ..." : ""}], the first had this column at position ${c}`);
    }
    if (String(frame.typeOf(names[c]!)) !== types[c]) {
      throw new SchemaMismatchError(names[c]!, `writing ${path}: type ${String(frame.typeOf(names[c]!))} in a later frame, ${types[c]} in the first`);
    }
  }
  if (got.length !== names.length) throw new SchemaMismatchError(got[names.length]!, `writing ${path}: not in the first frame`);
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

    const meta = decodeMeta(kv.get(META_KEY), opts.meta);
    let rowGroups = opts.rowGroups;
    let keep: Uint8Array | undefined;
    if (opts.eras) {
      const picked = await eraRowGroups(file, path, fileColumns, meta, opts.eras, rowGroups);
      rowGroups = picked.rowGroups;
      keep = picked.keep;
    }
    const vectors: Record<string, Vector> = {};
    for (let g = 0; g < wanted.length; g += opts.columnGroupSize) {
      const group = wanted.slice(g, g + opts.columnGroupSize);
      const part = await file.read({
        columns: group,
        batchSize: 1 << 20,
        ...(rowGroups ? { rowGroups } : {}),
      });
      const table = tableFromIPC(part.intoIPCStream());
      for (const c of group) vectors[c] = withFreshDictionaryId(singleChunk(table.getChild(c)!, c));
    }
    const renamed: Record<string, Vector> = {};
    for (const [c, v] of Object.entries(vectors)) renamed[c === "__index_level_0__" ? "index" : c] = v;
    const frame = frameFromTable(new Table(renamed), undefined, meta, path);
    return keep === undefined ? frame : frame.filter(keep);
  } catch (err) {
    if (err instanceof NumerFrameError) throw err;
    throw new FrameIOError(path, `Parquet decoding failed: ${String((err as Error).message ?? err)}`, err);
  } finally {
    file.free();
  }
}

/**
 * The row groups holding at least one era of the range, and (when some of their rows fall
 * outside it) a row mask over those groups. Only the era column is decoded.
 */
async function eraRowGroups(
  file: Awaited<ReturnType<ParquetWasm["ParquetFile"]["fromFile"]>>,
  path: string,
  fileColumns: readonly string[],
  meta: FrameMetaInput | undefined,
  range: { from?: string | undefined; to?: string | undefined },
  only: readonly number[] | undefined,
): Promise<{ rowGroups: number[]; keep: Uint8Array | undefined }> {
  const eraCol = resolveMeta(meta, fileColumns).eraCol;
  if (eraCol === undefined || !fileColumns.includes(eraCol)) {
    throw new MissingColumnError(eraCol ?? "era", `readParquet ${path}: the eras option needs an era column`, fileColumns);
  }
  const groupRows = file.metadata().rowGroups().map((g) => g.numRows());
  const candidates = only ? [...only] : groupRows.map((_, g) => g);
  const part = await file.read({ columns: [eraCol], batchSize: 1 << 20, rowGroups: candidates });
  const eras = decodeStrings(tableFromIPC(part.intoIPCStream()).getChild(eraCol)!, eraCol);
  const inRange = new Map<string, boolean>();
  const test = (era: string): boolean => {
    let hit = inRange.get(era);
    if (hit === undefined) {
      hit = (range.from === undefined || compareEras(era, range.from) >= 0) && (range.to === undefined || compareEras(era, range.to) <= 0);
      inRange.set(era, hit);
    }
    return hit;
  };
  const rowGroups: number[] = [];
  const masks: Uint8Array[] = [];
  let partial = false;
  let at = 0;
  for (const g of candidates) {
    const n = groupRows[g]!;
    const mask = new Uint8Array(n);
    let hits = 0;
    for (let i = 0; i < n; i++) if (test(eras[at + i]!)) (mask[i] = 1), hits++;
    at += n;
    if (hits === 0) continue;
    rowGroups.push(g);
    masks.push(mask);
    if (hits < n) partial = true;
  }
  if (rowGroups.length === 0) {
    throw new EmptyFrameError(`readParquet ${path}: no era from ${range.from ?? "the first"} to ${range.to ?? "the last"}`, { path, column: eraCol });
  }
  if (!partial) return { rowGroups, keep: undefined };
  const keep = new Uint8Array(masks.reduce((n, m) => n + m.length, 0));
  let k = 0;
  for (const m of masks) (keep.set(m, k), (k += m.length));
  return { rowGroups, keep };
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
