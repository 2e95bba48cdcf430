import { mkdir, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { InvalidOptionError, type NumerFrame, parseOptions, writeFileAtomic, writeParquet } from "@nmrblox/numerframe";
import { z } from "zod";
import { type BybitEnvelope, envelope, fundingPages, instrumentsPages, klinePages } from "./bybit-pages.js";
import { type SyntheticClassicConfig, classicFeatureFamilies, classicFrame, syntheticClassicOptions } from "./classic.js";
import { type SyntheticCryptoOptions, cryptoFrames, simulateCryptoWorld, syntheticCryptoOptions } from "./crypto.js";

/** Progress of a long write: a step name, and how many of its items are done. */
export type SyntheticProgress = (step: string, done: number, total: number) => void;

/** Options of `writeSyntheticFiles` (strict, the nested generator options too). */
export const writeSyntheticFilesOptions = z.strictObject({
  /** Crypto world options, or false to skip Numerai Crypto and Bybit files. */
  crypto: z.union([z.literal(false), syntheticCryptoOptions.partial()]).prefault({}),
  /** Classic options, or false to skip Numerai Classic files. */
  classic: z.union([z.literal(false), syntheticClassicOptions.partial()]).prefault({}),
  /** Write the Numerai Parquet files (crypto and classic). */
  numerai: z.boolean().default(true),
  /** Write the Bybit JSON pages. */
  bybit: z.boolean().default(true),
  /** Dataset version folders, as Numerai names them. */
  cryptoVersion: z.string().regex(/^v\d+\.\d+$/).default("v1.0"),
  classicVersion: z.string().regex(/^v\d+\.\d+$/).default("v5.2"),
  /** Trailing Classic eras written to validation.parquet (and meta_model / benchmark files); the rest go to train. */
  validationEras: z.number().int().min(1).default(20),
  /** Score column of the crypto meta-model file. */
  metaModelColumn: z.string().min(1).default("prediction"),
  /** Page sizes: Bybit's maxima are 1000 (instruments, kline) and 200 (funding history). */
  instrumentsLimit: z.number().int().min(1).max(1000).default(500),
  klineLimit: z.number().int().min(1).max(1000).default(1000),
  fundingLimit: z.number().int().min(1).max(200).default(200),
  compression: z.enum(["zstd", "snappy", "gzip", "none"]).default("snappy"),
  onProgress: z.custom<SyntheticProgress>((v) => typeof v === "function", "onProgress must be a function").optional(),
});
/** Options of `writeSyntheticFiles` as a caller writes them; `crypto` / `classic` take the generators' options or false. */
export type WriteSyntheticFilesOptions = z.input<typeof writeSyntheticFilesOptions>;

/** One written file; `path` is relative to the output folder with "/" separators. */
export interface WrittenFile {
  path: string;
  bytes: number;
  /** Rows (Parquet) or list entries (JSON page). */
  rows: number;
}

/** A page of a paginated Bybit answer, with what a client passes to get it. */
export interface BybitPageEntry {
  path: string;
  /** Index from the newest page (0) backwards, or from the first instruments page. */
  page: number;
  rows: number;
  /** Oldest and newest `startTime` / `fundingRateTimestamp` on the page (epoch ms), NaN when empty. */
  firstMs: number;
  lastMs: number;
}

/** What `writeSyntheticFiles` wrote, where, and how a local server can route requests to it. */
export interface SyntheticFileManifest {
  dir: string;
  files: WrittenFile[];
  numerai: {
    /** Dataset name (as `listDatasets` returns it, = path under dir) for each Numerai file written. */
    datasets: string[];
    crypto?: { trainTargets: string; liveUniverse: string; metaModel: string; metaModelColumn: string; lastDate: string };
    classic?: { train: string; validation: string; metaModel: string; benchmarks: string; exampleValidationPredictions: string; features: string };
  };
  bybit?: {
    /** Pages of instruments-info per status; page k's `cursor` is the previous page's nextPageCursor ("" for the first). */
    instruments: Record<string, Array<{ path: string; cursor: string; nextPageCursor: string; rows: number }>>;
    /** Daily kline pages per Bybit symbol, newest page first. */
    kline: Record<string, BybitPageEntry[]>;
    /** Funding history pages per Bybit symbol, newest page first. */
    funding: Record<string, BybitPageEntry[]>;
  };
}

/**
 * Writes the synthetic data as files shaped like the real sources, for downloader and reader
 * tests served from a local server: Numerai Parquet datasets (`crypto/v1.0/train_targets.parquet`
 * with symbol/date/target, `live_universe.parquet`, `historical_meta_models.parquet` with
 * date/symbol/<metaModelColumn>; `v5.2/train.parquet`, `validation.parquet`, `meta_model.parquet`,
 * `validation_benchmark_models.parquet`, `validation_example_preds.parquet`, `features.json`) and
 * Bybit v5 JSON pages under `bybit/v5/market/...`. Also writes `manifest.json` and returns it.
 *
 * @param dir - the output folder (created when missing)
 * @param options - see `writeSyntheticFilesOptions`; `crypto` and `classic` take the generators' options
 * @returns the manifest: every file written and how a local server can route requests to it
 * @throws InvalidOptionError (INVALID_OPTION) naming every unknown or bad option by its dotted
 *   path ("crypto.symbol", "validationEras"), before anything is written; FrameIOError (IO) when a write fails
 * @example
 * const manifest = await writeSyntheticFiles("/tmp/nmrblox-data", { crypto: { symbols: 50 }, classic: false });
 */
export async function writeSyntheticFiles(dir: string, options: WriteSyntheticFilesOptions = {}): Promise<SyntheticFileManifest> {
  const opts = parseOptions(writeSyntheticFilesOptions, options, "writeSyntheticFiles");
  // The generator schemas' defaults apply inside the partial ones (prefault), so these are full configs.
  if (opts.classic !== false && opts.numerai && opts.validationEras >= (opts.classic as SyntheticClassicConfig).eras) {
    const eras = (opts.classic as SyntheticClassicConfig).eras;
    throw new InvalidOptionError("writeSyntheticFiles", [
      { path: "validationEras", message: `${opts.validationEras} validation eras leave no train eras out of ${eras}` },
    ]);
  }
  const manifest: SyntheticFileManifest = { dir, files: [], numerai: { datasets: [] } };
  const progress = opts.onProgress ?? (() => {});
  const writeFrame = async (rel: string, frame: NumerFrame) => {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    await writeParquet(frame, path, { compression: opts.compression });
    manifest.files.push({ path: rel, bytes: (await stat(path)).size, rows: frame.numRows });
    manifest.numerai.datasets.push(rel);
  };
  const writeJson = async (rel: string, value: unknown, rows: number) => {
    const path = join(dir, rel);
    await mkdir(dirname(path), { recursive: true });
    const text = JSON.stringify(value);
    await writeFileAtomic(path, text);
    manifest.files.push({ path: rel, bytes: Buffer.byteLength(text), rows });
  };

  if (opts.crypto !== false) {
    const world = simulateCryptoWorld(opts.crypto as SyntheticCryptoOptions, { where: "writeSyntheticFiles", prefix: "crypto." });
    if (opts.numerai) {
      const frames = cryptoFrames(world);
      const base = `crypto/${opts.cryptoVersion}`;
      const lastDate = frames.universe.strings("date").at(-1)!;
      const dates = frames.universe.strings("date");
      const live = frames.universe.filter((i) => dates[i] === lastDate).select(["symbol"]);
      const metaModel =
        opts.metaModelColumn === "prediction" ? frames.signals : frames.signals.rename({ prediction: opts.metaModelColumn });
      const paths = {
        trainTargets: `${base}/train_targets.parquet`,
        liveUniverse: `${base}/live_universe.parquet`,
        metaModel: `${base}/historical_meta_models.parquet`,
      };
      progress("numerai-crypto", 0, 3);
      await writeFrame(paths.trainTargets, frames.targets.rename({ target_20d: "target" }).select(["symbol", "date", "target"]));
      await writeFrame(paths.liveUniverse, live);
      await writeFrame(paths.metaModel, metaModel);
      progress("numerai-crypto", 3, 3);
      manifest.numerai.crypto = { ...paths, metaModelColumn: opts.metaModelColumn, lastDate };
    }
    if (opts.bybit) {
      const bybit: NonNullable<SyntheticFileManifest["bybit"]> = { instruments: {}, kline: {}, funding: {} };
      const root = "bybit/v5/market";
      for (const status of ["Trading", "Closed", "PreLaunch"]) {
        const pages = instrumentsPages(world, status, opts.instrumentsLimit);
        bybit.instruments[status] = [];
        let cursor = "";
        for (const [k, page] of pages.entries()) {
          const rel = `${root}/instruments-info/linear/${status}/page-${k}.json`;
          await writeJson(rel, envelope(world, page), page.list.length);
          bybit.instruments[status]!.push({ path: rel, cursor, nextPageCursor: page.nextPageCursor, rows: page.list.length });
          cursor = page.nextPageCursor;
        }
      }
      const perps = world.market.perpetuals;
      for (const [n, perp] of perps.entries()) {
        const symbol = perp.instrument.symbol;
        bybit.kline[symbol] = await writePages(
          `${root}/kline/linear/${symbol}/D`,
          klinePages(world, perp, opts.klineLimit).map((p) => envelope(world, p)),
          (row: string[]) => Number(row[0]),
          writeJson,
        );
        bybit.funding[symbol] = await writePages(
          `${root}/funding/history/linear/${symbol}`,
          fundingPages(perp, opts.fundingLimit).map((p) => envelope(world, p)),
          (row: { fundingRateTimestamp: string }) => Number(row.fundingRateTimestamp),
          writeJson,
        );
        progress("bybit", n + 1, perps.length);
      }
      manifest.bybit = bybit;
    }
  }

  if (opts.classic !== false && opts.numerai) {
    const cfg = opts.classic as SyntheticClassicConfig;
    const frame = classicFrame(cfg, { where: "writeSyntheticFiles", prefix: "classic." });
    const eras = frame.eras();
    const firstValidation = eras[eras.length - opts.validationEras]!;
    const eraCol = frame.strings("era");
    const isValidation = Uint8Array.from(eraCol, (e) => (e >= firstValidation ? 1 : 0));
    const families = classicFeatureFamilies(cfg);
    const features = Object.values(families).flat();
    const targets = ["target", "target_cyrus_20"];
    const base = opts.classicVersion;
    const validation = frame.filter(isValidation);
    const paths = {
      train: `${base}/train.parquet`,
      validation: `${base}/validation.parquet`,
      metaModel: `${base}/meta_model.parquet`,
      benchmarks: `${base}/validation_benchmark_models.parquet`,
      exampleValidationPredictions: `${base}/validation_example_preds.parquet`,
      features: `${base}/features.json`,
    };
    progress("numerai-classic", 0, 5);
    await writeFrame(paths.train, frame.filter(isValidation.map((v) => 1 - v)).select(["id", "era", ...features, ...targets]));
    const dataType = new Array<string>(validation.numRows).fill("validation");
    // data_type sits beside era, as in Numerai's files (and so both dictionary columns share numerframe's first read group).
    await writeFrame(
      paths.validation,
      validation.withColumn("data_type", dataType).select(["id", "era", "data_type", ...features, ...targets]),
    );
    await writeFrame(paths.metaModel, validation.select(["era", "id", "numerai_meta_model"]));
    await writeFrame(paths.benchmarks, validation.select(["id", "era", cfg.benchmarkName]));
    await writeFrame(paths.exampleValidationPredictions, validation.select(["id", "prediction"]));
    const sets: Record<string, string[]> = {
      small: Object.values(families).map((f) => f[0]!),
      medium: Object.values(families).flatMap((f) => f.slice(0, Math.ceil(f.length / 2))),
      all: features,
      ...families,
    };
    const featuresJson = { feature_sets: sets, targets };
    await writeJson(paths.features, featuresJson, features.length);
    manifest.numerai.datasets.push(paths.features);
    progress("numerai-classic", 5, 5);
    manifest.numerai.classic = paths;
  }

  const text = `${JSON.stringify(manifest, null, 2)}\n`;
  await writeFileAtomic(join(dir, "manifest.json"), text);
  return manifest;
}

async function writePages<T>(
  folder: string,
  pages: BybitEnvelope<{ list: T[] }>[],
  timeOf: (row: T) => number,
  writeJson: (rel: string, value: unknown, rows: number) => Promise<void>,
): Promise<BybitPageEntry[]> {
  const out: BybitPageEntry[] = [];
  for (const [k, page] of pages.entries()) {
    const rel = `${folder}/page-${k}.json`;
    const list = page.result.list;
    await writeJson(rel, page, list.length);
    const times = list.map(timeOf);
    out.push({
      path: rel,
      page: k,
      rows: list.length,
      firstMs: times.length ? Math.min(...times) : Number.NaN,
      lastMs: times.length ? Math.max(...times) : Number.NaN,
    });
  }
  return out;
}
