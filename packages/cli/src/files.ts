import { stat } from "node:fs/promises";
import { extname, resolve } from "node:path";
import {
  type FrameContract,
  type NumerFrame,
  nearestName,
  readArrowIpc,
  readCsv,
  readParquet,
  requireColumns,
  writeArrowIpc,
  writeCsv,
  writeParquet,
} from "@nmrblox/numerframe";
import { UsageError, blame } from "./errors.js";

/** File formats by extension: what `--signals x.csv`, `--out y.parquet` understand. */
export const FORMATS = { ".csv": "csv", ".parquet": "parquet", ".arrow": "arrow", ".feather": "arrow" } as const;
/** A data file format the CLI reads and writes: "csv", "parquet" or "arrow" (Arrow IPC, also for .feather). */
export type FileFormat = (typeof FORMATS)[keyof typeof FORMATS];

/**
 * The format of a data file from its extension.
 *
 * @param path - the file
 * @param option - the flag that named it, for the message
 * @returns csv, parquet or arrow
 * @throws UsageError naming the flag, the file and the extensions understood
 * @example
 * formatOf("data/market.feather", "--market"); // "arrow"
 */
export function formatOf(path: string, option: string): FileFormat {
  const ext = extname(path).toLowerCase();
  const format = (FORMATS as Record<string, FileFormat>)[ext];
  if (format === undefined) {
    const valid = Object.keys(FORMATS);
    const suggestion = ext === "" ? undefined : nearestName(ext, valid);
    throw new UsageError(`${option} ${path}: unknown file type "${ext || "(no extension)"}"; use ${valid.join(", ")}`, {
      option,
      path,
      ...(suggestion !== undefined ? { suggestion } : {}),
    });
  }
  return format;
}

/**
 * A column mapping from `--map ticker=symbol,pred=prediction`: file column → nmrblox column.
 *
 * @param spec - the flag's values (comma-separated pairs, the flag may repeat)
 * @returns the mapping, in the order given
 * @throws UsageError for a pair that is not `from=to`, or a column mapped twice
 * @example
 * parseColumnMap(["ticker=symbol,pred=prediction"]); // Map { "ticker" => "symbol", "pred" => "prediction" }
 */
export function parseColumnMap(spec: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const pair of spec.flatMap((s) => s.split(",")).filter((s) => s.trim() !== "")) {
    const m = /^\s*([^=]+?)\s*=\s*([^=]+?)\s*$/.exec(pair);
    if (m === null) throw new UsageError(`--map: "${pair}" is not "from=to" (e.g. --map ticker=symbol,pred=prediction)`, { option: "--map" });
    if (map.has(m[1]!)) throw new UsageError(`--map: column "${m[1]}" is mapped twice`, { option: "--map" });
    map.set(m[1]!, m[2]!);
  }
  return map;
}

/**
 * Reads the command's input files: each by its extension, with `--map` applied, checked
 * against its frame contract. Remembers which mapped columns were found, so a `--map` entry
 * that matched no file is reported (a misspelled column would otherwise be ignored).
 */
export class InputReader {
  readonly #cwd: string;
  readonly #map: Map<string, string>;
  readonly #required: ReadonlySet<string>;
  readonly #used = new Set<string>();
  readonly #seen = new Set<string>();

  /**
   * @param cwd - relative paths resolve against it
   * @param map - the column mapping: file column → nmrblox column
   * @param required - mapped columns that must be found in some input (the `--map` flags' own)
   */
  constructor(cwd: string, map: Map<string, string>, required: ReadonlySet<string> = new Set(map.keys())) {
    this.#cwd = cwd;
    this.#map = map;
    this.#required = required;
  }

  /**
   * The absolute path of an input, checked to exist before any work starts.
   *
   * @throws UsageError naming the flag and file when it does not exist or is not a file
   */
  async locate(path: string, option: string): Promise<string> {
    formatOf(path, option);
    return this.locateAny(path, option);
  }

  /**
   * The absolute path of a file of any type (a grid or config JSON), checked to exist.
   *
   * @throws UsageError naming the flag and file when it does not exist or is not a file
   */
  async locateAny(path: string, option: string): Promise<string> {
    const absolute = resolve(this.#cwd, path);
    const info = await stat(absolute).catch(() => undefined);
    if (info === undefined) throw new UsageError(`${option} ${path}: no such file`, { option, path });
    if (!info.isFile()) throw new UsageError(`${option} ${path}: not a file`, { option, path });
    return absolute;
  }

  /**
   * Reads one input file.
   *
   * @param path - the file (.csv, .parquet, .arrow or .feather)
   * @param option - the flag that named it (`--signals`), for messages
   * @param contract - the frame contract it must meet, if any
   * @returns the frame, columns renamed by `--map`
   * @throws UsageError for a missing file or unknown extension; the reader's errors and
   *   ContractError (MISSING_COLUMN) otherwise, their messages naming the flag and file
   */
  async read(path: string, option: string, contract?: FrameContract): Promise<NumerFrame> {
    const absolute = await this.locate(path, option);
    try {
      let frame = await readAny(absolute, formatOf(absolute, option));
      for (const name of frame.columnNames) this.#seen.add(name);
      const renames: Record<string, string> = {};
      for (const [from, to] of this.#map) {
        if (frame.has(from)) {
          renames[from] = to;
          this.#used.add(from);
        }
      }
      if (Object.keys(renames).length > 0) frame = frame.rename(renames);
      frame = normalizeEras(frame);
      if (contract !== undefined) {
        try {
          requireColumns(frame, contract, `${option} ${path}`);
        } catch (error) {
          throw withMapHint(error, frame.columnNames, contract);
        }
      }
      return frame;
    } catch (error) {
      throw blame(error, path, option);
    }
  }

  /**
   * Checks that every `--map` entry matched a column of some input file.
   *
   * @throws UsageError naming the unmatched column and the nearest column the files have
   */
  checkMapUsed(): void {
    for (const from of this.#required) {
      if (this.#used.has(from)) continue;
      const suggestion = nearestName(from, this.#seen);
      throw new UsageError(`--map: no input file has a column "${from}"`, {
        option: "--map",
        column: from,
        ...(suggestion !== undefined ? { suggestion } : {}),
      });
    }
  }
}

async function readAny(path: string, format: FileFormat): Promise<NumerFrame> {
  switch (format) {
    case "csv":
      return readCsv(path);
    case "parquet":
      return readParquet(path);
    case "arrow":
      return readArrowIpc(path);
  }
}

/**
 * Era labels as Numerai writes them, whatever the file format did to them: Classic eras read
 * from a CSV come back as numbers (575) and become "0575", integer dates (20240105) and
 * timestamps become ISO days.
 */
function normalizeEras(frame: NumerFrame): NumerFrame {
  const eraCol = frame.eraCol;
  if (eraCol === undefined) return frame;
  const values = frame.column(eraCol);
  if (ArrayBuffer.isView(values)) {
    const numbers = values as ArrayLike<number>;
    const label = (v: number) => {
      const s = String(v);
      // Signals' friday_date is an integer YYYYMMDD in Numerai's files.
      return /^\d{8}$/.test(s) && eraCol !== "era" ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6)}` : s.padStart(4, "0");
    };
    return frame.withColumn(eraCol, Array.from({ length: numbers.length }, (_, i) => label(numbers[i]!)));
  }
  const type = String(frame.typeOf(eraCol));
  if (/^(Date|Timestamp)/i.test(type)) return frame.withColumn(eraCol, frame.strings(eraCol).map((d) => d.slice(0, 10)));
  return frame;
}

/** A missing column that the file has under a near name: suggest the `--map` that fixes it. */
function withMapHint(error: unknown, columns: readonly string[], contract: FrameContract): unknown {
  const missing = (error as { missing?: readonly string[] }).missing;
  if (missing === undefined || missing.length === 0 || !(error instanceof Error)) return error;
  const required = new Set(contract.columns.map((c) => c.name));
  const spare = columns.filter((c) => !required.has(c));
  const hints = missing.flatMap((m) => {
    const near = nearestName(m, spare);
    return near === undefined ? [] : [`${near}=${m}`];
  });
  if (hints.length > 0) error.message += `; if a column is named differently, map it: --map ${hints.join(",")}`;
  return error;
}

/**
 * Writes a frame by the extension of `path` (CSV without a sidecar, Parquet, Arrow IPC).
 *
 * @param frame - what to write
 * @param path - the destination (.csv, .parquet, .arrow or .feather), written atomically
 * @param option - the flag that named it
 * @throws UsageError for an unknown extension
 * @example
 * await writeAny(result.daily, "out/daily.parquet", "--out");
 */
export async function writeAny(frame: NumerFrame, path: string, option: string): Promise<void> {
  switch (formatOf(path, option)) {
    case "csv":
      return writeCsv(frame, path, { sidecar: false });
    case "parquet":
      return writeParquet(frame, path);
    case "arrow":
      return writeArrowIpc(frame, path);
  }
}
