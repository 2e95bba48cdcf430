import { MissingColumnError, NumerFrame, isNumericArray, readCsv, readParquet } from "@nmrblox/numerframe";
import { z } from "zod";
import { pickDataset } from "./dataset-names.js";
import { normalizeIsoDays } from "./dates.js";
import { NumeraiClient } from "./numerai-client.js";
import { parseOptions } from "./parse-options.js";
import type { OnProgress } from "./progress.js";
import { type TournamentName, tournamentId } from "./tournaments.js";

export const loadNumeraiOptions = z.object({
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
export type LoadNumeraiOptions = {
  client?: NumeraiClient;
  round?: number;
  version?: string;
  dir?: string;
  onProgress?: OnProgress;
};

/** The part of a tournament's data a loader reads. */
export type DatasetPart = "train" | "validation" | "live";

const ERA_COLUMN: Record<TournamentName, string> = { classic: "era", signals: "date", crypto: "date" };
const ID_COLUMN: Record<TournamentName, string> = { classic: "id", signals: "numerai_ticker", crypto: "symbol" };
const META_VALUE_COLUMNS = ["meta_model", "numerai_meta_model", "prediction", "signal"];

async function fetchListed(
  tournament: TournamentName,
  what: string,
  matches: (fileName: string) => boolean,
  options: LoadNumeraiOptions,
  prefer?: (path: string) => number,
): Promise<{ path: string; filename: string; client: NumeraiClient; opts: z.infer<typeof loadNumeraiOptions> }> {
  const opts = parseOptions(loadNumeraiOptions, options, `load ${tournament} ${what}`);
  const client = opts.client ?? new NumeraiClient();
  const id = tournamentId(tournament);
  const round = opts.round !== undefined ? { round: opts.round } : {};
  const listed = await client.listDatasets({ tournament: id, ...round });
  const filename = pickDataset(listed, id, what, matches, {
    ...(opts.version !== undefined ? { version: opts.version } : {}),
    ...(prefer ? { prefer } : {}),
  });
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
 */
export async function loadNumeraiDataset(
  tournament: TournamentName,
  part: DatasetPart,
  options: LoadNumeraiOptions = {},
): Promise<NumerFrame> {
  const { path, filename, opts } = await fetchListed(tournament, `${part}.parquet`, (n) => n === `${part}.parquet`, options);
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
 * sorted by era then id.
 */
export async function loadNumeraiMetaModel(tournament: TournamentName, options: LoadNumeraiOptions = {}): Promise<NumerFrame> {
  const { path, filename, opts } = await fetchListed(
    tournament,
    "meta_model file",
    (n) => n.includes("meta_model") && (n.endsWith(".parquet") || n.endsWith(".csv")),
    options,
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
  return frame.sortBy([eraCol, idCol]).withProvenance({ blox: "downloader.loadNumeraiMetaModel", options: { tournament, filename } });
}

/** The Numerai Crypto meta model: date (ISO day), symbol, prediction (0..1). */
export const loadCryptoMetaModel = (options: LoadNumeraiOptions = {}) => loadNumeraiMetaModel("crypto", options);
/** Numerai Crypto training data (`crypto/<version>/train.parquet`): date, symbol, features, targets. */
export const loadCryptoTrain = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("crypto", "train", options);
/** Numerai Crypto live universe and features (`crypto/<version>/live.parquet`). */
export const loadCryptoLive = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("crypto", "live", options);
/** Numerai Classic training data (`<version>/train.parquet`): era, id, features, targets. */
export const loadClassicTrain = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("classic", "train", options);
/** Numerai Classic validation data, `data_type == "validation"` rows. */
export const loadClassicValidation = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("classic", "validation", options);
/** Numerai Classic live features for the current round. */
export const loadClassicLive = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("classic", "live", options);
/** The Numerai Classic meta model: era, id, prediction (from `numerai_meta_model`). */
export const loadClassicMetaModel = (options: LoadNumeraiOptions = {}) => loadNumeraiMetaModel("classic", options);
/** Numerai Signals training data (`signals/<version>/train.parquet`): date, numerai_ticker, features, targets. */
export const loadSignalsTrain = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("signals", "train", options);
/** Numerai Signals validation data. */
export const loadSignalsValidation = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("signals", "validation", options);
/** Numerai Signals live universe and features. */
export const loadSignalsLive = (options: LoadNumeraiOptions = {}) => loadNumeraiDataset("signals", "live", options);
/** A Signals meta-model file, if Numerai lists one (DatasetNotFoundError otherwise). */
export const loadSignalsMetaModel = (options: LoadNumeraiOptions = {}) => loadNumeraiMetaModel("signals", options);
