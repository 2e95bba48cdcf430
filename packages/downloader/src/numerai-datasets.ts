import {
  MissingColumnError,
  NumerFrame,
  isNumericArray,
  parseOptions,
  readCsv,
  readParquet,
  requireColumns,
  signalsContract,
} from "@nmrblox/numerframe";
import { z } from "zod";
import { pickDataset } from "./dataset-names.js";
import { UnsafeNameError } from "./errors.js";
import { isSafeRelativePath } from "./safe-name.js";
import { NumeraiClient } from "./numerai-client.js";
import type { OnProgress } from "./progress.js";
import { type TournamentName, tournamentId, tournamentName } from "./tournaments.js";

/** Options of every Numerai loader: client, round, version, cache folder, progress. */
export const loadNumeraiOptions = z.strictObject({
  /** The client to use; a default NumeraiClient (keys from the environment) otherwise. */
  client: z.instanceof(NumeraiClient).optional(),
  /** A past round; the current round by default. */
  round: z.number().int().positive().optional(),
  /** A dataset version folder such as "v5.2" or "2.0"; the newest listed by default. */
  version: z.string().min(1).optional(),
  /** Cache folder; the client's by default. */
  dir: z.string().min(1).optional(),
  onProgress: z.custom<OnProgress>((v) => typeof v === "function", "must be a function").optional(),
});
/** Options of every Numerai loader, as callers give them. */
export type LoadNumeraiOptions = {
  client?: NumeraiClient;
  round?: number;
  version?: string;
  dir?: string;
  onProgress?: OnProgress;
};

/** The part of a tournament's data a loader reads. */
export type DatasetPart = "train" | "validation" | "live";

// The positional `part`, checked like an option: a wrong one is an InvalidOptionError naming `part`.
const datasetPart = z.strictObject({ part: z.enum(["train", "validation", "live"]) });

const ERA_COLUMN: Record<TournamentName, string> = { classic: "era", signals: "date", crypto: "date" };
const ID_COLUMN: Record<TournamentName, string> = { classic: "id", signals: "numerai_ticker", crypto: "symbol" };
const META_VALUE_COLUMNS = ["meta_model", "numerai_meta_model", "prediction", "signal"];

async function fetchListed(
  tournament: TournamentName,
  what: string,
  matches: (fileName: string) => boolean,
  options: LoadNumeraiOptions,
  where: string,
  prefer?: (path: string) => number,
): Promise<{ path: string; filename: string; client: NumeraiClient; opts: z.infer<typeof loadNumeraiOptions> }> {
  const opts = parseOptions(loadNumeraiOptions, options, where);
  const client = opts.client ?? new NumeraiClient();
  const id = tournamentId(tournament);
  const round = opts.round !== undefined ? { round: opts.round } : {};
  const listed = await client.listDatasets({ tournament: id, ...round });
  const filename = pickDataset(listed, id, what, matches, {
    ...(opts.version !== undefined ? { version: opts.version } : {}),
    ...(prefer ? { prefer } : {}),
  });
  // A listed name is the server's: check it before it becomes a path under the cache.
  if (!isSafeRelativePath(filename)) throw new UnsafeNameError(filename, "dataset path");
  const path = await client.downloadDataset(filename, {
    tournament: id,
    ...round,
    ...(opts.dir !== undefined ? { dir: opts.dir } : {}),
    ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
  });
  return { path, filename, client, opts };
}

/**
 * Loads one of a tournament's Parquet data files (`<version>/train.parquet`, `validation`,
 * `live`), newest version unless `version` is given, as a NumerFrame with Numerai roles: era
 * column (`era` or `date`), id column (`id`, `numerai_ticker` or `symbol`, restored from a
 * pandas index), `feature_*`, `target*`. Classic validation keeps only `data_type ==
 * "validation"` rows.
 *
 * @param tournament - "classic", "signals" or "crypto"
 * @param part - "train", "validation" or "live"
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the data with Numerai roles
 * @throws UnknownTournamentError; InvalidOptionError for a bad part or option; DatasetNotFoundError
 *   when the file is not listed; a transport or read error
 * @example
 * const live = await loadNumeraiDataset("crypto", "live", { client: new NumeraiClient() });
 */
export async function loadNumeraiDataset(
  tournament: TournamentName,
  part: DatasetPart,
  options: LoadNumeraiOptions = {},
): Promise<NumerFrame> {
  return datasetLoader(tournament, part, options, "loadNumeraiDataset");
}

async function datasetLoader(tournamentArg: TournamentName, partArg: DatasetPart, options: LoadNumeraiOptions, where: string): Promise<NumerFrame> {
  const tournament = tournamentName(tournamentId(tournamentArg));
  const { part } = parseOptions(datasetPart, { part: partArg }, where);
  const { path, filename, opts } = await fetchListed(tournament, `${part}.parquet`, (n) => n === `${part}.parquet`, options, where);
  let frame = await readParquet(path);
  if (part === "validation" && frame.has("data_type")) {
    const types = frame.strings("data_type");
    if (types.some((t) => t !== "validation")) frame = frame.filter((i) => types[i] === "validation");
  }
  frame = frame.withMeta({
    kind: tournament,
    eraCol: ERA_COLUMN[tournament],
    idCol: ID_COLUMN[tournament],
    source: { provider: "numerai", tournament: tournamentId(tournament), filename, round: opts.round ?? "current" },
  });
  return frame.withProvenance({ blox: "downloader.loadNumeraiDataset", options: { tournament, part, filename } });
}

/**
 * Loads a tournament's meta-model file, found through listDatasets (any listed file whose
 * name contains "meta_model", newest version, Parquet before CSV, "historical" files first),
 * as a frame of the era column (`date` as ISO days, or Classic `era`), the id column and
 * `prediction` (the published meta-model value, e.g. `meta_model` or `numerai_meta_model`),
 * sorted by era then id. The Crypto meta model meets numerframe's `signalsContract`.
 *
 * @param tournament - "classic", "signals" or "crypto"
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the meta-model frame
 * @throws UnknownTournamentError; InvalidOptionError for a bad option; DatasetNotFoundError when no
 *   meta-model file is listed; MissingColumnError when the file lacks the era, id or value column
 * @example
 * const mm = await loadNumeraiMetaModel("crypto");
 */
export async function loadNumeraiMetaModel(tournament: TournamentName, options: LoadNumeraiOptions = {}): Promise<NumerFrame> {
  return metaModelLoader(tournament, options, "loadNumeraiMetaModel");
}

async function metaModelLoader(tournamentArg: TournamentName, options: LoadNumeraiOptions, where: string): Promise<NumerFrame> {
  const tournament = tournamentName(tournamentId(tournamentArg));
  const { path, filename, opts } = await fetchListed(
    tournament,
    "meta_model file",
    (n) => n.includes("meta_model") && (n.endsWith(".parquet") || n.endsWith(".csv")),
    options,
    where,
    (p) => (p.endsWith(".parquet") ? 0 : 2) + (p.includes("historical") ? 0 : 1),
  );
  const raw = path.endsWith(".csv") ? await readCsv(path) : await readParquet(path);
  const eraCol = ERA_COLUMN[tournament];
  const idCol = ID_COLUMN[tournament];
  const names = raw.columnNames;
  const valueCol = META_VALUE_COLUMNS.find((c) => names.includes(c)) ?? names.find((c) => c.includes("meta_model"));
  for (const [col, role] of [[eraCol, "era"], [idCol, "id"], [valueCol, "meta-model value"]] as const) {
    if (col === undefined || !names.includes(col)) throw new MissingColumnError(col ?? "meta_model", `${filename} (${role} column)`, names);
  }
  const eraValues = raw.column(eraCol);
  const eras = isNumericArray(eraValues) ? Array.from(eraValues, (v) => (eraCol === "era" ? String(v).padStart(4, "0") : v)) : eraValues;
  const frame = NumerFrame.fromColumns(
    {
      [eraCol]: eraCol === "date" ? normalizeIsoDays(eras) : (eras as readonly string[]),
      [idCol]: raw.strings(idCol),
      prediction: raw.float64(valueCol!),
    },
    {
      kind: tournament,
      eraCol,
      idCol,
      source: { provider: "numerai", tournament: tournamentId(tournament), filename, valueColumn: valueCol, round: opts.round ?? "current" },
    },
  );
  const sorted = frame.sortBy([eraCol, idCol]);
  if (tournament === "crypto") requireColumns(sorted, signalsContract, where);
  return sorted.withProvenance({ blox: "downloader.loadNumeraiMetaModel", options: { tournament, filename } });
}

/**
 * A date column's values as ISO days: strings "2024-01-31..." keep their first ten
 * characters, 8-digit numbers (YYYYMMDD, legacy Signals) become "2024-01-31".
 */
function normalizeIsoDays(values: ArrayLike<string | number>): string[] {
  const out = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v === "number") {
      const s = String(Math.trunc(v));
      out[i] = s.length === 8 ? `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}` : s;
    } else {
      out[i] = /^\d{8}$/.test(v) ? `${v.slice(0, 4)}-${v.slice(4, 6)}-${v.slice(6, 8)}` : v.slice(0, 10);
    }
  }
  return out;
}

/**
 * The Numerai Crypto meta model: date (ISO day), symbol, prediction (0..1); meets `signalsContract`.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadCryptoMetaModel({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadCryptoMetaModel = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => metaModelLoader("crypto", options, "loadCryptoMetaModel");

/**
 * Numerai Crypto training data (`crypto/<version>/train.parquet`): date, symbol, features, targets.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadCryptoTrain({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadCryptoTrain = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("crypto", "train", options, "loadCryptoTrain");

/**
 * Numerai Crypto live universe and features (`crypto/<version>/live.parquet`).
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadCryptoLive({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadCryptoLive = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("crypto", "live", options, "loadCryptoLive");

/**
 * Numerai Classic training data (`<version>/train.parquet`): era, id, features, targets.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadClassicTrain({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadClassicTrain = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("classic", "train", options, "loadClassicTrain");

/**
 * Numerai Classic validation data, `data_type == "validation"` rows.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadClassicValidation({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadClassicValidation = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("classic", "validation", options, "loadClassicValidation");

/**
 * Numerai Classic live features for the current round.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadClassicLive({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadClassicLive = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("classic", "live", options, "loadClassicLive");

/**
 * The Numerai Classic meta model: era, id, prediction (from `numerai_meta_model`).
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadClassicMetaModel({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadClassicMetaModel = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => metaModelLoader("classic", options, "loadClassicMetaModel");

/**
 * Numerai Signals training data (`signals/<version>/train.parquet`): date, numerai_ticker, features, targets.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadSignalsTrain({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadSignalsTrain = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("signals", "train", options, "loadSignalsTrain");

/**
 * Numerai Signals validation data.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadSignalsValidation({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadSignalsValidation = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("signals", "validation", options, "loadSignalsValidation");

/**
 * Numerai Signals live universe and features.
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadSignalsLive({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadSignalsLive = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => datasetLoader("signals", "live", options, "loadSignalsLive");

/**
 * A Signals meta-model file, if Numerai lists one (DatasetNotFoundError otherwise).
 *
 * @param options - `client`, `round`, `version`, `dir`, `onProgress`
 * @returns the frame, with Numerai roles
 * @throws InvalidOptionError naming a bad option; DatasetNotFoundError; a transport or read error
 * @example
 * const frame = await loadSignalsMetaModel({ client: new NumeraiClient({ cacheDir: "./cache" }) });
 */
export const loadSignalsMetaModel = (options: LoadNumeraiOptions = {}): Promise<NumerFrame> => metaModelLoader("signals", options, "loadSignalsMetaModel");
