import { readFile } from "node:fs/promises";
import { DataType, Float32, Float64, Int8, Int16, Int32, Uint8, Uint16, Uint32 } from "apache-arrow";
import { z } from "zod";
import { type ColumnInput, type NumericArray, isNumericType, isStringType, isTemporalType } from "../columns.js";
import { parseOptions } from "../core/options.js";
import { FrameIOError, MissingColumnError } from "../errors.js";
import { NumerFrame } from "../numer-frame.js";
import { writeFileAtomic } from "./atomic.js";
import { decodeMeta, encodeMeta, metaOverride } from "./metadata.js";

const NUMERIC_TYPES = {
  float64: Float64Array,
  float32: Float32Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
} as const;
type StoredType = keyof typeof NUMERIC_TYPES | "string";

/**
 * The sidecar beside a CSV file that keeps metadata and exact column types.
 *
 * @param path - the CSV file
 * @returns the sidecar's path, `<path>.nmrblox.json`
 * @example
 * csvSidecarPath("out/signals.csv"); // "out/signals.csv.nmrblox.json"
 */
export const csvSidecarPath = (path: string) => `${path}.nmrblox.json`;

/** Options of `writeCsv` (strict: an unknown key is an `InvalidOptionError`). */
export const writeCsvOptions = z.strictObject({
  /** Write `<file>.nmrblox.json` with metadata and column types, so a round trip is exact. */
  sidecar: z.boolean().default(true),
  delimiter: z.string().length(1).default(","),
});
export type WriteCsvOptions = z.input<typeof writeCsvOptions>;

/** Options of `readCsv` (strict). */
export const readCsvOptions = z.strictObject({
  /** Columns to keep, in this order; all by default. */
  columns: z.array(z.string()).optional(),
  delimiter: z.string().length(1).default(","),
  meta: metaOverride.optional(),
});
export type ReadCsvOptions = z.input<typeof readCsvOptions>;

function storedType(type: DataType): StoredType {
  const arrowToName: Array<[new (...a: never[]) => DataType, StoredType]> = [
    [Float64, "float64"],
    [Float32, "float32"],
    [Int8, "int8"],
    [Int16, "int16"],
    [Int32, "int32"],
    [Uint8, "uint8"],
    [Uint16, "uint16"],
    [Uint32, "uint32"],
  ];
  for (const [ctor, name] of arrowToName) if (type instanceof ctor) return name;
  return isNumericType(type) ? "float64" : "string";
}

function quote(s: string, delimiter: string): string {
  return s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r") ? `"${s.replaceAll('"', '""')}"` : s;
}

/**
 * Writes a frame as CSV (NaN as an empty field), atomically, with a metadata sidecar.
 *
 * @param frame - the frame to write
 * @param path - the target file
 * @param options - see `writeCsvOptions`
 * @returns when the file (and sidecar) are on disk
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) when a write fails
 * @example
 * await writeCsv(frame, "signals.csv", { sidecar: false });
 */
export async function writeCsv(frame: NumerFrame, path: string, options: WriteCsvOptions = {}): Promise<void> {
  const opts = parseOptions(writeCsvOptions, options, "writeCsv");
  const names = frame.columnNames;
  const cols = names.map((n) => {
    const type = frame.typeOf(n);
    if (isStringType(type) || isTemporalType(type)) return frame.strings(n);
    return frame.numeric(n);
  });
  const d = opts.delimiter;
  function* chunks(): Generator<string> {
    yield `${names.map((n) => quote(n, d)).join(d)}\n`;
    const rowsPerChunk = 8192;
    for (let start = 0; start < frame.numRows; start += rowsPerChunk) {
      const lines: string[] = [];
      const end = Math.min(frame.numRows, start + rowsPerChunk);
      for (let i = start; i < end; i++) {
        const cells = new Array<string>(cols.length);
        for (let c = 0; c < cols.length; c++) {
          const v = cols[c]![i]!;
          cells[c] = typeof v === "string" ? quote(v, d) : Number.isNaN(v) ? "" : String(v);
        }
        lines.push(cells.join(d));
      }
      yield `${lines.join("\n")}\n`;
    }
  }
  if (opts.sidecar) {
    const types = Object.fromEntries(names.map((n) => [n, storedType(frame.typeOf(n))]));
    await writeFileAtomic(csvSidecarPath(path), JSON.stringify({ meta: JSON.parse(encodeMeta(frame)), types }, null, 2));
  }
  await writeFileAtomic(path, chunks());
}

/**
 * Splits CSV text into rows of fields (RFC 4180 quoting).
 *
 * @param text - the CSV text
 * @param delimiter - the field separator, one character
 * @returns rows of raw string fields
 * @example
 * parseCsv('a,b\n1,"x,y"\n'); // [["a", "b"], ["1", "x,y"]]
 */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const n = text.length;
  let quoted = false;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i++;
        continue;
      }
      field += ch;
      i++;
      continue;
    }
    if (ch === '"' && field === "") {
      quoted = true;
      i++;
    } else if (ch === delimiter) {
      row.push(field);
      field = "";
      i++;
    } else if (ch === "\n" || ch === "\r") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
    } else {
      field += ch;
      i++;
    }
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/**
 * Reads a CSV file. With a sidecar (written by `writeCsv`) metadata and column types are
 * restored exactly; otherwise a column whose every field is a number or empty is Float64
 * (empty → NaN) and any other column is strings.
 *
 * @param path - a CSV file
 * @param options - see `readCsvOptions`
 * @returns the frame
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) naming the file
 *   when it cannot be read, is empty or has a ragged line; MissingColumnError when a requested
 *   column is not in the header
 * @example
 * const f = await readCsv("signals.csv", { columns: ["date", "symbol", "prediction"] });
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<NumerFrame> {
  const opts = parseOptions(readCsvOptions, options, "readCsv");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    throw new FrameIOError(path, `cannot read CSV: ${(err as Error).message}`, err);
  }
  let sidecar: { meta?: unknown; types?: Record<string, StoredType> } = {};
  try {
    sidecar = JSON.parse(await readFile(csvSidecarPath(path), "utf8")) as typeof sidecar;
  } catch {
    sidecar = {};
  }
  const rows = parseCsv(text.startsWith("\uFEFF") ? text.slice(1) : text, opts.delimiter);
  const header = rows.shift();
  if (!header) throw new FrameIOError(path, "the CSV file is empty");
  const body = rows.filter((r) => !(r.length === 1 && r[0] === ""));
  body.forEach((r, i) => {
    if (r.length !== header.length) {
      throw new FrameIOError(path, `line ${i + 2} has ${r.length} fields, the header has ${header.length}`);
    }
  });
  const wanted = opts.columns ?? header;
  const columns: Record<string, ColumnInput> = {};
  for (const name of wanted) {
    const c = header.indexOf(name);
    if (c < 0) throw new MissingColumnError(name, `reading ${path}`, header);
    const raw = body.map((r) => r[c]!);
    const stored = sidecar.types?.[name];
    if (stored === "string") columns[name] = raw;
    else if (stored !== undefined) columns[name] = toNumbers(raw, NUMERIC_TYPES[stored], name, path);
    else {
      const numeric = raw.every((v) => v === "" || v === "NaN" || Number.isFinite(Number(v)) || v === "inf" || v === "-inf");
      columns[name] = numeric ? toNumbers(raw, Float64Array, name, path) : raw;
    }
  }
  return NumerFrame.fromColumns(columns, decodeMeta(sidecar.meta ? JSON.stringify(sidecar.meta) : undefined, opts.meta));
}

function toNumbers(raw: readonly string[], ctor: new (n: number) => NumericArray, name: string, path: string): NumericArray {
  const out = new ctor(raw.length);
  const float = out instanceof Float32Array || out instanceof Float64Array;
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    const v = s === "" ? Number.NaN : s === "inf" ? Number.POSITIVE_INFINITY : s === "-inf" ? Number.NEGATIVE_INFINITY : Number(s);
    if (Number.isNaN(v) && !float) throw new FrameIOError(path, `column "${name}" row ${i}: "${s}" is not an integer`);
    out[i] = v;
  }
  return out;
}
