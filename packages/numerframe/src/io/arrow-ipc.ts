import { readFile } from "node:fs/promises";
import { RecordBatch, Schema, Table, type Vector, tableFromIPC, tableToIPC } from "apache-arrow";
import { z } from "zod";
import { singleChunk } from "../columns.js";
import { parseOptions } from "../core/options.js";
import { FrameIOError, MissingColumnError } from "../errors.js";
import { metaOverride } from "./metadata.js";
import type { FrameMetaInput } from "../meta.js";
import { NumerFrame } from "../numer-frame.js";
import { writeFileAtomic } from "./atomic.js";
import { META_KEY, decodeMeta, encodeMeta } from "./metadata.js";

/** Options of `readArrowIpc` (strict: an unknown key is an `InvalidOptionError`). */
export const readArrowIpcOptions = z.strictObject({
  /** Columns to keep, in this order; all by default. */
  columns: z.array(z.string()).optional(),
  /** Metadata fields that override what the file stores. */
  meta: metaOverride.optional(),
});
/** Options of `readArrowIpc` as a caller writes them; see `readArrowIpcOptions`. */
export type ReadArrowIpcOptions = z.input<typeof readArrowIpcOptions>;

/** Options of `writeArrowIpc` (strict). */
export const writeArrowIpcOptions = z.strictObject({
  /** `file` (random access, `.arrow`) or `stream` (`.arrows`). */
  format: z.enum(["file", "stream"]).default("file"),
});
/** Options of `writeArrowIpc` as a caller writes them; see `writeArrowIpcOptions`. */
export type WriteArrowIpcOptions = z.input<typeof writeArrowIpcOptions>;

/** A table whose schema carries the frame's metadata. */
export function tableWithMeta(frame: NumerFrame): Table {
  const metadata = new Map(frame.table.schema.metadata);
  metadata.set(META_KEY, encodeMeta(frame));
  const schema = new Schema(frame.table.schema.fields, metadata);
  return new Table(schema, frame.table.batches.map((b) => new RecordBatch(schema, b.data)));
}

/** Turns a just-read Arrow table into a frame: columns projected and made single-chunk. */
export function frameFromTable(table: Table, columns: readonly string[] | undefined, meta: unknown, path: string): NumerFrame {
  const names = table.schema.fields.map((f) => f.name);
  const keep = columns ?? names;
  const vectors: Record<string, Vector> = {};
  for (const c of keep) {
    const v = table.getChild(c);
    if (v === null) throw new MissingColumnError(c, `reading ${path}`, names);
    vectors[c] = singleChunk(v, c);
  }
  return NumerFrame.fromArrow(new Table(vectors), fitMeta(meta as FrameMetaInput | undefined, keep));
}

/** Stored metadata restricted to the columns actually read (a projection may drop the era or id column). */
export function fitMeta(meta: FrameMetaInput | undefined, names: readonly string[]): FrameMetaInput | undefined {
  if (!meta) return meta;
  const out: FrameMetaInput = { ...meta };
  if (out.eraCol !== undefined && !names.includes(out.eraCol)) delete out.eraCol;
  if (out.idCol !== undefined && !names.includes(out.idCol)) delete out.idCol;
  if (out.roles) out.roles = Object.fromEntries(Object.entries(out.roles).filter(([c]) => names.includes(c)));
  return out;
}

/**
 * Writes a frame as Arrow IPC, atomically, with its metadata in the schema metadata.
 *
 * @param frame - the frame to write
 * @param path - the target file (`.arrow` for the file format, `.arrows` for a stream)
 * @param options - see `writeArrowIpcOptions`
 * @returns when the file is on disk
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) when the write fails
 * @example
 * await writeArrowIpc(frame, "signals.arrows", { format: "stream" });
 */
export async function writeArrowIpc(frame: NumerFrame, path: string, options: WriteArrowIpcOptions = {}): Promise<void> {
  const opts = parseOptions(writeArrowIpcOptions, options, "writeArrowIpc");
  await writeFileAtomic(path, tableToIPC(tableWithMeta(frame), opts.format));
}

/**
 * Reads an Arrow IPC file or stream into a frame, restoring stored metadata.
 *
 * @param path - an Arrow IPC file or stream
 * @param options - see `readArrowIpcOptions`
 * @returns the frame, columns single-chunk
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) naming the file when
 *   it cannot be read; MissingColumnError when a requested column is not in the file
 * @example
 * const f = await readArrowIpc("signals.arrow", { columns: ["date", "symbol", "prediction"] });
 */
export async function readArrowIpc(path: string, options: ReadArrowIpcOptions = {}): Promise<NumerFrame> {
  const opts = parseOptions(readArrowIpcOptions, options, "readArrowIpc");
  let table: Table;
  try {
    table = tableFromIPC(await readFile(path));
  } catch (err) {
    throw new FrameIOError(path, `not a readable Arrow IPC file: ${(err as Error).message}`, err);
  }
  const meta = decodeMeta(table.schema.metadata.get(META_KEY), opts.meta);
  return frameFromTable(table, opts.columns, meta, path);
}
