import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { DataType, Float32, Float64, Int8, Int16, Int32, Uint8, Uint16, Uint32 } from "apache-arrow";
import { z } from "zod";
import { type ColumnInput, type NumericArray, isNumericType, isStringType, isTemporalType } from "../columns.js";
import { NumerFrameError } from "../core/error.js";
import { parseOptions } from "../core/options.js";
import { FrameIOError, MissingColumnError } from "../errors.js";
import { NumerFrame } from "../numer-frame.js";
import { commitFiles, recoverCommit } from "./atomic.js";
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
type StoredType = keyof typeof NUMERIC_TYPES | "int64" | "string";

/** Sidecar format: 2 records the data file's size, row count and SHA-256, so a stray sidecar is caught. */
const SIDECAR_FORMAT = 2;

/**
 * The sidecar beside a CSV file that keeps metadata and exact column types.
 *
 * @param path - the CSV file
 * @returns the sidecar's path, `<path>.nmrblox.json`
 * @throws never
 * @example
 * csvSidecarPath("out/signals.csv"); // "out/signals.csv.nmrblox.json"
 */
export const csvSidecarPath = (path: string) => `${path}.nmrblox.json`;

/** Tokens read as a missing value in numeric columns (case-sensitive), besides the empty field. */
export const DEFAULT_NULL_TOKENS = ["NA", "N/A", "NaN", "nan", "null", "NULL", "None"] as const;

/** Options of `writeCsv` (strict: an unknown key is an `InvalidOptionError`). */
export const writeCsvOptions = z.strictObject({
  /** Write `<file>.nmrblox.json` with metadata and column types, so a round trip is exact. */
  sidecar: z.boolean().default(true),
  delimiter: z.string().length(1).default(","),
});
/** Options of `writeCsv` as a caller writes them; see `writeCsvOptions`. */
export type WriteCsvOptions = z.input<typeof writeCsvOptions>;

/** Options of `readCsv` (strict). */
export const readCsvOptions = z.strictObject({
  /** Columns to keep, in this order; all by default. */
  columns: z.array(z.string()).optional(),
  delimiter: z.string().length(1).default(","),
  /** Fields read as missing (NaN) in numeric columns; the empty field always is. */
  nullTokens: z.array(z.string()).default([...DEFAULT_NULL_TOKENS]),
  meta: metaOverride.optional(),
});
/** Options of `readCsv` as a caller writes them; see `readCsvOptions`. */
export type ReadCsvOptions = z.input<typeof readCsvOptions>;

/** A CSV file breaks quoting, has a ragged line or a duplicate header; `row` is the 1-based line. */
export class CsvSyntaxError extends NumerFrameError {
  constructor(path: string, line: number, message: string, column?: string) {
    super("CSV_SYNTAX", `${path}: line ${line}: ${message}`, { path, row: line, ...(column !== undefined ? { column } : {}) });
  }
}

/** A type sidecar that does not belong to its data file, or a value its declared type cannot hold. */
export class SidecarMismatchError extends NumerFrameError {
  constructor(path: string, message: string, where: { column?: string; row?: number } = {}) {
    super("SIDECAR_MISMATCH", `${csvSidecarPath(path)}: ${message}`, { path, ...where });
  }
}

/** An integer column with a value beyond ±2^53 that cannot be kept exactly. */
export class UnsafeIntegerError extends NumerFrameError {
  constructor(path: string, column: string, line: number, value: string) {
    super(
      "UNSAFE_INTEGER",
      `${path}: column "${column}" line ${line}: ${value} is beyond ±2^53 and the column is not all integers, so it would be rounded`,
      { path, column, row: line },
    );
  }
}

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
  if (DataType.isInt(type) && type.bitWidth === 64) return "int64";
  for (const [ctor, name] of arrowToName) if (type instanceof ctor) return name;
  return isNumericType(type) ? "float64" : "string";
}

function quote(s: string, delimiter: string): string {
  return s === "" || s.includes(delimiter) || s.includes('"') || s.includes("\n") || s.includes("\r") ? `"${s.replaceAll('"', '""')}"` : s;
}

/** The CSV text of a frame, in chunks of 8,192 rows. */
function* csvChunks(frame: NumerFrame, d: string): Generator<string> {
  const names = frame.columnNames;
  const cols: Array<readonly string[] | NumericArray | BigInt64Array> = names.map((n) => {
    const type = frame.typeOf(n);
    if (isStringType(type) || isTemporalType(type)) return frame.strings(n);
    if (DataType.isInt(type) && type.bitWidth === 64) return frame.bigints(n);
    return frame.numeric(n);
  });
  yield `${names.map((n) => quote(n, d)).join(d)}\n`;
  const rowsPerChunk = 8192;
  for (let start = 0; start < frame.numRows; start += rowsPerChunk) {
    const lines: string[] = [];
    const end = Math.min(frame.numRows, start + rowsPerChunk);
    for (let i = start; i < end; i++) {
      const cells = new Array<string>(cols.length);
      for (let c = 0; c < cols.length; c++) {
        const v = cols[c]![i]!;
        cells[c] = typeof v === "string" ? quote(v, d) : typeof v === "bigint" ? String(v) : Number.isNaN(v) ? "" : String(v);
      }
      lines.push(cells.join(d));
    }
    yield `${lines.join("\n")}\n`;
  }
}

/**
 * Writes a frame as CSV (NaN as an empty field; an empty string quoted as `""`), with a sidecar
 * holding metadata, exact column types and the data file's size, row count and SHA-256. Data
 * and sidecar are committed as one unit: both are written to temporary files, then published
 * under a commit record, so a reader sees the old pair or the new pair, never a mix, and a
 * writer killed half-way is rolled forward (or its temporary files removed) by the next read
 * or write.
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
  const hash = createHash("sha256");
  let bytes = 0;
  function* hashed(): Generator<Buffer> {
    for (const chunk of csvChunks(frame, opts.delimiter)) {
      const buf = Buffer.from(chunk, "utf8");
      hash.update(buf);
      bytes += buf.length;
      yield buf;
    }
  }
  const sidecar = () => {
    const types = Object.fromEntries(names.map((n) => [n, storedType(frame.typeOf(n))]));
    const data = { bytes, rows: frame.numRows, sha256: hash.digest("hex") };
    return JSON.stringify({ format: SIDECAR_FORMAT, data, meta: JSON.parse(encodeMeta(frame)), types }, null, 2);
  };
  // Without a sidecar, an old one left beside the file would describe other data: it goes too.
  await commitFiles(path, [
    { path, content: hashed() },
    opts.sidecar ? { path: csvSidecarPath(path), content: sidecar } : { path: csvSidecarPath(path), content: null },
  ]);
}

/** Field boundaries of a scanned CSV buffer. */
interface Scan {
  /** Per field: start and end byte offsets (inside the quotes for a quoted field). */
  starts: Int32Array;
  ends: Int32Array;
  /** Per field: 0 plain, 1 quoted, 2 quoted with doubled quotes to undo. */
  kinds: Uint8Array;
  /** Per record: index of its first field (length records + 1). */
  recordStarts: Int32Array;
  /** Per record: its 1-based line number in the file. */
  lines: Int32Array;
  records: number;
}

class Growing {
  a: Int32Array;
  n = 0;
  constructor(size: number) {
    this.a = new Int32Array(Math.max(16, size));
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Int32Array(this.a.length * 2);
      b.set(this.a);
      this.a = b;
    }
    this.a[this.n++] = v;
  }
}

/**
 * Finds record and field boundaries in CSV bytes (RFC 4180 quoting, `\n` or `\r\n` line ends)
 * without building a string: fields are sliced from the buffer only when a column is built.
 * Blank lines are skipped.
 */
function scanCsv(buf: Uint8Array, delimiter: number, path: string): Scan {
  const QUOTE = 34;
  const LF = 10;
  const CR = 13;
  const n = buf.length;
  const guess = Math.max(16, n >>> 3);
  const starts = new Growing(guess);
  const ends = new Growing(guess);
  let kindBuf = new Uint8Array(Math.max(16, guess));
  const recordStarts = new Growing(1024);
  const lines = new Growing(1024);
  let i = buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  let line = 1;
  const pushField = (s: number, e: number, kind: number) => {
    if (starts.n === kindBuf.length) {
      const b = new Uint8Array(kindBuf.length * 2);
      b.set(kindBuf);
      kindBuf = b;
    }
    kindBuf[starts.n] = kind;
    starts.push(s);
    ends.push(e);
  };
  while (i < n) {
    // Start of a record. A blank line is no record.
    if (buf[i] === LF || (buf[i] === CR && buf[i + 1] === LF)) {
      i += buf[i] === CR ? 2 : 1;
      line++;
      continue;
    }
    recordStarts.push(starts.n);
    lines.push(line);
    for (;;) {
      // Start of a field.
      if (buf[i] === QUOTE) {
        const openLine = line;
        const s = i + 1;
        let j = s;
        let kind = 1;
        for (;;) {
          if (j >= n) throw new CsvSyntaxError(path, openLine, "a quoted field opened on this line is never closed");
          const b = buf[j]!;
          if (b === QUOTE) {
            if (buf[j + 1] === QUOTE) {
              kind = 2;
              j += 2;
              continue;
            }
            break;
          }
          if (b === LF) line++;
          j++;
        }
        pushField(s, j, kind);
        i = j + 1;
        const after = buf[i];
        if (i < n && after !== delimiter && after !== LF && !(after === CR && buf[i + 1] === LF)) {
          throw new CsvSyntaxError(path, line, `text after the closing quote of a field ("${String.fromCharCode(after!)}"); quote the whole field`);
        }
      } else {
        const s = i;
        while (i < n) {
          const b = buf[i]!;
          if (b === delimiter || b === LF || (b === CR && buf[i + 1] === LF)) break;
          i++;
        }
        pushField(s, i, 0);
      }
      if (i < n && buf[i] === delimiter) {
        i++;
        if (i >= n) pushField(i, i, 0);
        else continue;
      }
      break;
    }
    if (i < n) {
      i += buf[i] === CR ? 2 : 1;
      line++;
    }
  }
  recordStarts.push(starts.n);
  return {
    starts: starts.a,
    ends: ends.a,
    kinds: kindBuf,
    recordStarts: recordStarts.a.subarray(0, recordStarts.n),
    lines: lines.a.subarray(0, lines.n),
    records: lines.n,
  };
}

const fieldText = (buf: Buffer, scan: Scan, f: number): string => {
  const s = buf.toString("utf8", scan.starts[f]!, scan.ends[f]!);
  return scan.kinds[f] === 2 ? s.replaceAll('""', '"') : s;
};

/**
 * Splits CSV text into rows of fields (RFC 4180 quoting).
 *
 * @param text - the CSV text
 * @param delimiter - the field separator, one character
 * @returns rows of raw string fields
 * @throws CsvSyntaxError (CSV_SYNTAX) naming the line of an unterminated quote or of text after a closing quote
 * @example
 * parseCsv('a,b\n1,"x,y"\n'); // [["a", "b"], ["1", "x,y"]]
 */
export function parseCsv(text: string, delimiter = ","): string[][] {
  const buf = Buffer.from(text, "utf8");
  const scan = scanCsv(buf, delimiter.charCodeAt(0), "<text>");
  const rows: string[][] = [];
  for (let r = 0; r < scan.records; r++) {
    const row: string[] = [];
    for (let f = scan.recordStarts[r]!; f < scan.recordStarts[r + 1]!; f++) row.push(fieldText(buf, scan, f));
    rows.push(row);
  }
  return rows;
}

// A decimal number: no hex, no underscores, no spaces. Infinity is spelled inf or Infinity.
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d+$/;
const INFINITY = /^[+-]?(?:inf|Inf|INF|infinity|Infinity|INFINITY)$/;

function parseNumber(s: string): number {
  if (INFINITY.test(s)) return s.startsWith("-") ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  return DECIMAL.test(s) ? Number(s) : Number.NaN;
}

const INT_RANGE: Record<string, [number, number]> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-(2 ** 31), 2 ** 31 - 1],
  uint8: [0, 255],
  uint16: [0, 65535],
  uint32: [0, 2 ** 32 - 1],
};

interface ColumnContext {
  path: string;
  name: string;
  nulls: ReadonlySet<string>;
  lines: Int32Array;
}

/** A column typed by its sidecar: every value must fit the type exactly; never a cast. */
function typedColumn(raw: readonly string[], stored: StoredType, ctx: ColumnContext): ColumnInput | BigInt64Array {
  if (stored === "string") return raw;
  if (stored === "int64") return bigintColumn(raw, ctx, true)!;
  const ctor = NUMERIC_TYPES[stored];
  if (ctor === undefined) throw new SidecarMismatchError(ctx.path, `column "${ctx.name}" has unknown type "${String(stored)}"`, { column: ctx.name });
  const out = new ctor(raw.length);
  const range = INT_RANGE[stored];
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    const missing = s === "" || ctx.nulls.has(s);
    const v = missing ? Number.NaN : parseNumber(s);
    if (range === undefined) {
      if (Number.isNaN(v) && !missing) throw typeError(ctx, stored, i, s, "is not a number");
      out[i] = v;
      continue;
    }
    if (missing || !Number.isInteger(v)) throw typeError(ctx, stored, i, s, missing ? "is missing" : "is not an integer");
    if (v < range[0] || v > range[1]) throw typeError(ctx, stored, i, s, `is outside ${range[0]}..${range[1]}`);
    out[i] = v;
  }
  return out;
}

function typeError(ctx: ColumnContext, stored: string, i: number, s: string, why: string): SidecarMismatchError {
  const line = ctx.lines[i]!;
  return new SidecarMismatchError(ctx.path, `column "${ctx.name}" is ${stored}, but "${s}" on line ${line} ${why}: the sidecar does not describe this data`, {
    column: ctx.name,
    row: line,
  });
}

/** All-integer column as BigInt64Array; null (or an error when `strict`) if some value is not an int64. */
function bigintColumn(raw: readonly string[], ctx: ColumnContext, strict: boolean): BigInt64Array | null {
  const out = new BigInt64Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    if (!INTEGER.test(s)) {
      if (strict) throw typeError(ctx, "int64", i, s, "is not an integer");
      return null;
    }
    const v = BigInt(s);
    if (v !== BigInt.asIntN(64, v)) {
      if (strict) throw typeError(ctx, "int64", i, s, "is outside the int64 range");
      return null;
    }
    out[i] = v;
  }
  return out;
}

/**
 * A column without a sidecar type: numbers (with null tokens as NaN) become Float64, a column
 * of integers some of which pass ±2^53 becomes exact Int64, anything else stays strings.
 */
function inferredColumn(raw: readonly string[], ctx: ColumnContext): ColumnInput | BigInt64Array {
  const out = new Float64Array(raw.length);
  let unsafe = -1;
  for (let i = 0; i < raw.length; i++) {
    const s = raw[i]!;
    if (s === "" || ctx.nulls.has(s)) {
      out[i] = Number.NaN;
      continue;
    }
    const v = parseNumber(s);
    if (Number.isNaN(v)) return raw;
    if (unsafe < 0 && Number.isInteger(v) && !Number.isSafeInteger(v) && INTEGER.test(s)) unsafe = i;
    out[i] = v;
  }
  if (unsafe >= 0) {
    const big = bigintColumn(raw, ctx, false);
    if (big === null) throw new UnsafeIntegerError(ctx.path, ctx.name, ctx.lines[unsafe]!, raw[unsafe]!);
    return big;
  }
  return out;
}

interface Sidecar {
  format?: number;
  data?: { bytes?: number; rows?: number; sha256?: string };
  meta?: unknown;
  types?: Record<string, StoredType>;
}

/**
 * Reads a CSV file. With a sidecar (written by `writeCsv`) metadata and column types are
 * restored exactly, after checking that the sidecar belongs to this data file (size, row count
 * and SHA-256); a value its type cannot hold is an error, never a cast. Without a sidecar, a
 * column whose every field is a decimal number, `inf`/`Infinity` or a null token is Float64
 * (null tokens → NaN); integers beyond ±2^53 make an exact Int64 column (`bigints()`); anything
 * else (also `0x10`) stays strings, verbatim.
 *
 * @param path - a CSV file
 * @param options - see `readCsvOptions`
 * @returns the frame
 * @throws InvalidOptionError for an unknown or bad option; FrameIOError (IO) naming the file when
 *   it cannot be read or is empty; CsvSyntaxError (CSV_SYNTAX) naming the line of an
 *   unterminated quote, a ragged line or a duplicate header; SidecarMismatchError
 *   (SIDECAR_MISMATCH) when the sidecar does not belong to the data; UnsafeIntegerError
 *   (UNSAFE_INTEGER); MissingColumnError when a requested column is not in the header
 * @example
 * const f = await readCsv("signals.csv", { columns: ["date", "symbol", "prediction"] });
 */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<NumerFrame> {
  const opts = parseOptions(readCsvOptions, options, "readCsv");
  await recoverCommit(path);
  // A writer may publish between our two reads: a pair that does not match is read again once.
  for (let attempt = 0; ; attempt++) {
    const [buf, sidecar] = await readPair(path);
    const mismatch = sidecar ? checkSidecar(buf, sidecar) : undefined;
    if (mismatch !== undefined) {
      if (attempt === 0) {
        await recoverCommit(path);
        continue;
      }
      throw new SidecarMismatchError(path, mismatch);
    }
    return frameOfCsv(buf, sidecar ?? {}, path, opts);
  }
}

async function readPair(path: string): Promise<[Buffer, Sidecar | undefined]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new FrameIOError(path, `cannot read CSV: ${(err as Error).message}`, err);
  }
  let text: string;
  try {
    text = await readFile(csvSidecarPath(path), "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [buf, undefined];
    throw new FrameIOError(csvSidecarPath(path), `cannot read the CSV sidecar: ${(err as Error).message}`, err);
  }
  try {
    return [buf, JSON.parse(text) as Sidecar];
  } catch (err) {
    throw new SidecarMismatchError(path, `not valid JSON: ${(err as Error).message}`);
  }
}

/** Why the sidecar does not belong to `buf`, or undefined when it does. */
function checkSidecar(buf: Buffer, sidecar: Sidecar): string | undefined {
  const data = sidecar.data;
  if (data?.sha256 === undefined) return "written by an older nmrblox without the data file's checksum; rewrite the file or delete the sidecar";
  if (data.bytes !== buf.length) return `describes a data file of ${data.bytes} bytes, this one has ${buf.length}`;
  const sha = createHash("sha256").update(buf).digest("hex");
  if (sha !== data.sha256) return "describes a data file with another SHA-256 (the data was changed after the sidecar was written)";
  return undefined;
}

function frameOfCsv(buf: Buffer, sidecar: Sidecar, path: string, opts: z.output<typeof readCsvOptions>): NumerFrame {
  const scan = scanCsv(buf, opts.delimiter.charCodeAt(0), path);
  if (scan.records === 0) throw new FrameIOError(path, "the CSV file is empty");
  const header: string[] = [];
  for (let f = scan.recordStarts[0]!; f < scan.recordStarts[1]!; f++) header.push(fieldText(buf, scan, f));
  const seen = new Map<string, number>();
  header.forEach((h, c) => {
    const first = seen.get(h);
    if (first !== undefined) {
      throw new CsvSyntaxError(path, scan.lines[0]!, `the header names column "${h}" twice (columns ${first + 1} and ${c + 1})`, h);
    }
    seen.set(h, c);
  });
  const width = header.length;
  const rows = scan.records - 1;
  for (let r = 1; r <= rows; r++) {
    const count = scan.recordStarts[r + 1]! - scan.recordStarts[r]!;
    if (count !== width) throw new CsvSyntaxError(path, scan.lines[r]!, `${count} fields, the header has ${width}`);
  }
  if (sidecar.data?.rows !== undefined && sidecar.data.rows !== rows) {
    throw new SidecarMismatchError(path, `describes ${sidecar.data.rows} rows, the data file has ${rows}`);
  }
  const lines = scan.lines.subarray(1);
  const nulls = new Set(opts.nullTokens);
  const wanted = opts.columns ?? header;
  const columns: Record<string, ColumnInput | BigInt64Array> = {};
  for (const name of wanted) {
    const c = seen.get(name);
    if (c === undefined) throw new MissingColumnError(name, `reading ${path}`, header);
    const raw = new Array<string>(rows);
    for (let r = 0; r < rows; r++) raw[r] = fieldText(buf, scan, scan.recordStarts[r + 1]! + c);
    const stored = sidecar.types?.[name];
    const ctx = { path, name, nulls, lines };
    columns[name] = stored !== undefined ? typedColumn(raw, stored, ctx) : inferredColumn(raw, ctx);
  }
  return NumerFrame.fromColumns(columns as Record<string, ColumnInput>, decodeMeta(sidecar.meta ? JSON.stringify(sidecar.meta) : undefined, opts.meta));
}
