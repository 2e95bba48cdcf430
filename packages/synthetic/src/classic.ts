import { InvalidOptionError, NumerFrame, parseOptions, writeParquetStream } from "@nmrblox/numerframe";
import { z } from "zod";
import { binnedTarget, tieKeptRanks } from "./distributions.js";
import type { OptionSite } from "./option-site.js";
import { type Sfc32, substream } from "./prng.js";

/** Feature family names, after Numerai's feature groups. */
export const FEATURE_FAMILIES = [
  "intelligence",
  "charisma",
  "strength",
  "dexterity",
  "constitution",
  "wisdom",
  "agility",
  "serenity",
  "sunshine",
  "rain",
  "midnight",
  "courage",
] as const;

const correlation = z.number().min(-0.99).max(0.99);

/**
 * Options of `syntheticClassic` (strict: an unknown key is an `InvalidOptionError`).
 * Correlations are Pearson correlations between the latent (pre-ranking, pre-binning)
 * Gaussian variables within one era.
 */
export const syntheticClassicOptions = z.strictObject({
  /** Master seed (unsigned 32-bit). */
  seed: z.number().int().min(0).max(0xffffffff).default(42),
  /** Number of eras, labelled "0001", "0002", ... from `firstEra`. */
  eras: z.number().int().min(1).max(5000).default(100),
  firstEra: z.number().int().min(1).max(9999).default(1),
  /** Rows (stocks) per era. */
  idsPerEra: z.number().int().min(10).max(100_000).default(500),
  /** Feature families (up to 12) and features per family. */
  featureFamilies: z.number().int().min(1).max(FEATURE_FAMILIES.length).default(6),
  featuresPerFamily: z.number().int().min(1).max(200).default(8),
  /** Correlation between two latent features of one family (they share a family factor). */
  familyCorrelation: z.number().min(0).max(0.99).default(0.6),
  /** Share of the target latent's variance explained by the family factors. */
  targetSignal: z.number().min(0).max(0.9).default(0.2),
  /** Correlation of `prediction` with the target latent. */
  predictionCorrelation: correlation.default(0.05),
  /** Correlation of `prediction` with the first family's factor (its feature exposure). */
  featureExposure: correlation.default(0.2),
  /** Correlations of `numerai_meta_model` with `prediction` and with the target latent. */
  metaModelCorrelation: correlation.default(0.6),
  metaModelTargetCorrelation: correlation.default(0.04),
  /** Correlations of the benchmark column with `numerai_meta_model` and with the target latent. */
  benchmarkCorrelation: correlation.default(0.8),
  benchmarkTargetCorrelation: correlation.default(0.035),
  /** Name of the benchmark model column. */
  benchmarkName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/).default("v52_lgbm_ender20"),
});
/** Options of `syntheticClassic` as a caller writes them; every field optional. */
export type SyntheticClassicOptions = z.input<typeof syntheticClassicOptions>;
/** The options after parsing, every default filled in (what the generator actually used). */
export type SyntheticClassicConfig = z.infer<typeof syntheticClassicOptions>;

/**
 * Feature names per family, as `features.json` would list them.
 *
 * @param options - the `syntheticClassic` options (only the family counts matter)
 * @returns family name → feature names
 * @throws InvalidOptionError for an unknown or out-of-range option
 * @example
 * classicFeatureFamilies({ featureFamilies: 1, featuresPerFamily: 2 }); // { intelligence: ["feature_intelligence_1", "feature_intelligence_2"] }
 */
export function classicFeatureFamilies(options: SyntheticClassicOptions = {}): Record<string, string[]> {
  return familiesOf(parseOptions(syntheticClassicOptions, options, "classicFeatureFamilies"));
}

function familiesOf(cfg: SyntheticClassicConfig): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (let k = 0; k < cfg.featureFamilies; k++) {
    const family = FEATURE_FAMILIES[k]!;
    out[family] = Array.from({ length: cfg.featuresPerFamily }, (_, j) => `feature_${family}_${j + 1}`);
  }
  return out;
}

/**
 * Generates a Numerai Classic-like frame, era-major: `id`, `era`, int8 features 0..4 in
 * correlated families, `target` and `target_cyrus_20` in {0, .25, .5, .75, 1} (5/20/50/20/5 %
 * bins of a latent that loads on the family factors with era-varying signs), and three
 * per-era percentile-rank columns in (0, 1): `prediction`, `numerai_meta_model` and the
 * benchmark, with the correlations and feature exposure asked for.
 *
 * @param options - see `syntheticClassicOptions`; all optional
 * @returns the frame (kind classic, era `era`, id `id`), rows era-major
 * @throws InvalidOptionError (INVALID_OPTION) naming every unknown or out-of-range option, or
 *   the correlation (with the era) when the requested correlations cannot hold together
 * @example
 * const classic = syntheticClassic({ eras: 20, idsPerEra: 200, predictionCorrelation: 0.05 });
 */
export function syntheticClassic(options: SyntheticClassicOptions = {}): NumerFrame {
  return classicFrame(parseOptions(syntheticClassicOptions, options, "syntheticClassic"), { where: "syntheticClassic", prefix: "" });
}

/** Options of `writeSyntheticClassic`: those of `syntheticClassic`, plus how the file is written (strict). */
export const writeSyntheticClassicOptions = syntheticClassicOptions.extend({
  /** Parquet compression; snappy (the default, as numerframe's `writeParquet`) and none use its fast TypeScript encoder, zstd the slower WebAssembly one. */
  compression: z.enum(["zstd", "snappy", "gzip", "none"]).default("snappy"),
  /** Called after each era is handed to the writer, with eras done and the total. */
  onProgress: z.custom<(done: number, total: number) => void>((v) => typeof v === "function", { message: "expected a function" }).optional(),
});
/** Options of `writeSyntheticClassic` as a caller writes them: the generator's options plus `compression` and `onProgress`. */
export type WriteSyntheticClassicOptions = z.input<typeof writeSyntheticClassicOptions>;

/**
 * Writes a synthetic Classic dataset straight to Parquet, one era at a time (row groups of whole
 * eras, about 64 MB each), so Classic-size files (v5: about 2.7M rows × 2,400 int8 features) are made without
 * holding them in memory. The rows equal `syntheticClassic(options)` for the same options.
 *
 * @param path - the Parquet file to write (atomically)
 * @param options - see `writeSyntheticClassicOptions`
 * @returns the number of rows written
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown or out-of-range option, or
 *   correlations that cannot hold together; FrameIOError (IO) naming the file when writing fails
 * @example
 * await writeSyntheticClassic("v5-size.parquet", { eras: 574, idsPerEra: 4700, featureFamilies: 12, featuresPerFamily: 200 });
 */
export async function writeSyntheticClassic(path: string, options: WriteSyntheticClassicOptions = {}): Promise<number> {
  const { compression, onProgress, ...cfg } = parseOptions(writeSyntheticClassicOptions, options, "writeSyntheticClassic");
  const site = { where: "writeSyntheticClassic", prefix: "" };
  function* frames(): Generator<NumerFrame> {
    let done = 0;
    for (const frame of classicEraFrames(cfg, site)) {
      yield frame;
      onProgress?.(++done, cfg.eras);
    }
  }
  // Row groups of whole eras, about 64 MB each: few enough column chunks to encode quickly,
  // small enough to bound memory, and an era range read decodes only the groups it needs.
  const rowBytes = cfg.featureFamilies * cfg.featuresPerFamily + 5 * 8 + 2 * 8;
  const erasPerGroup = Math.max(1, Math.floor((64 << 20) / rowBytes / cfg.idsPerEra));
  return writeParquetStream(frames(), path, { compression, rowGroupSize: erasPerGroup * cfg.idsPerEra });
}

/** Where one era's values go: arrays and the offset of the era's first row in them. */
interface EraSink {
  off: number;
  features: Int8Array[];
  target: Float64Array;
  cyrus: Float64Array;
  prediction: Float64Array;
  metaModel: Float64Array;
  benchmark: Float64Array;
  ids: string[];
  eras: string[];
}

/** Fresh arrays for `rows` rows of every column. */
function newSink(featureCount: number, rows: number): EraSink {
  return {
    off: 0,
    features: Array.from({ length: featureCount }, () => new Int8Array(rows)),
    target: new Float64Array(rows),
    cyrus: new Float64Array(rows),
    prediction: new Float64Array(rows),
    metaModel: new Float64Array(rows),
    benchmark: new Float64Array(rows),
    ids: new Array<string>(rows),
    eras: new Array<string>(rows),
  };
}

/** The frame over a sink's arrays (all rows of them). */
function sinkFrame(cfg: SyntheticClassicConfig, featureNames: readonly string[], sink: EraSink): NumerFrame {
  const columns: Record<string, Int8Array | Float64Array | string[]> = { id: sink.ids, era: sink.eras };
  featureNames.forEach((name, j) => (columns[name] = sink.features[j]!));
  columns.target = sink.target;
  columns.target_cyrus_20 = sink.cyrus;
  columns.prediction = sink.prediction;
  columns.numerai_meta_model = sink.metaModel;
  columns[cfg.benchmarkName] = sink.benchmark;
  return NumerFrame.fromColumns(columns, {
    kind: "classic",
    eraCol: "era",
    idCol: "id",
    source: { generator: "syntheticClassic", ...cfg },
  });
}

/** The frame of parsed options; `site` names the caller's options in errors. */
export function classicFrame(cfg: SyntheticClassicConfig, site: OptionSite): NumerFrame {
  const featureNames = Object.values(familiesOf(cfg)).flat();
  const all = newSink(featureNames.length, cfg.eras * cfg.idsPerEra);
  const eras = classicEras(cfg, site, (e) => ((all.off = e * cfg.idsPerEra), all));
  while (!eras.next().done);
  return sinkFrame(cfg, featureNames, all);
}

/**
 * Frames of one era each, equal to the rows of that era in `classicFrame` (same seed, same
 * values): the way to produce Classic-size data without holding it all.
 */
function* classicEraFrames(cfg: SyntheticClassicConfig, site: OptionSite): Generator<NumerFrame> {
  const featureNames = Object.values(familiesOf(cfg)).flat();
  let sink = newSink(featureNames.length, cfg.idsPerEra);
  const eras = classicEras(cfg, site, () => (sink = newSink(featureNames.length, cfg.idsPerEra)));
  while (!eras.next().done) yield sinkFrame(cfg, featureNames, sink);
}

/** Generates era after era into the sink `sinkOf(e)` gives, yielding each era's number once it is filled. */
function* classicEras(cfg: SyntheticClassicConfig, site: OptionSite, sinkOf: (e: number) => EraSink): Generator<number> {
  const n = cfg.idsPerEra;
  const K = cfg.featureFamilies;
  const J = cfg.featuresPerFamily;
  const rng = substream(cfg.seed, "classic");
  const idRng = substream(cfg.seed, "classic-ids");
  const factor = Array.from({ length: K }, () => new Float64Array(n));
  const latent = new Float64Array(n);
  const y = new Float64Array(n);
  const y2 = new Float64Array(n);
  const p = new Float64Array(n);
  const m = new Float64Array(n);
  const q = new Float64Array(n);
  const ranks = new Float64Array(n);
  const sorted = new Float64Array(n);
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const scratch = new Int32Array(n);
  const baseSign = Array.from({ length: K }, () => (rng.chance(0.5) ? 1 : -1));
  const seen = new Set<string>();
  const a = Math.sqrt(cfg.familyCorrelation);
  const b = Math.sqrt(1 - cfg.familyCorrelation);

  for (let e = 0; e < cfg.eras; e++) {
    const { off, features, target, cyrus, prediction, metaModel, benchmark, ids, eras } = sinkOf(e);
    const era = String(cfg.firstEra + e).padStart(4, "0");
    for (let i = 0; i < n; i++) {
      eras[off + i] = era;
      ids[off + i] = uniqueId(idRng, seen);
    }
    // Era-varying loadings: the target's link to each family flips sign now and then.
    const w = Array.from({ length: K }, (_, k) => baseSign[k]! * (rng.chance(0.25) ? -1 : 1) * (0.5 + rng.uniform()));
    const wNorm = Math.sqrt(w.reduce((s, v) => s + v * v, 0));
    for (let k = 0; k < K; k++) for (let i = 0; i < n; i++) factor[k]![i] = rng.normal();
    for (let k = 0; k < K; k++) {
      for (let j = 0; j < J; j++) {
        for (let i = 0; i < n; i++) latent[i] = a * factor[k]![i]! + b * rng.normal();
        quintiles(latent, sorted, features[k * J + j]!, off);
      }
    }
    const h = cfg.targetSignal;
    for (let i = 0; i < n; i++) {
      let g = 0;
      for (let k = 0; k < K; k++) g += w[k]! * factor[k]![i]!;
      y[i] = Math.sqrt(h) * (g / wNorm) + Math.sqrt(1 - h) * rng.normal();
      y2[i] = 0.9 * y[i]! + Math.sqrt(1 - 0.81) * rng.normal();
    }
    const rYF = (Math.sqrt(h) * w[0]!) / wNorm;
    mixCorrelated(p, y, factor[0]!, rYF, cfg.predictionCorrelation, cfg.featureExposure, rng, era, site, "featureExposure");
    mixCorrelated(m, y, p, cfg.predictionCorrelation, cfg.metaModelTargetCorrelation, cfg.metaModelCorrelation, rng, era, site, "metaModelCorrelation");
    mixCorrelated(q, y, m, cfg.metaModelTargetCorrelation, cfg.benchmarkTargetCorrelation, cfg.benchmarkCorrelation, rng, era, site, "benchmarkCorrelation");
    writeBinned(y, target, off, all, ranks, scratch);
    writeBinned(y2, cyrus, off, all, ranks, scratch);
    writeRanks(p, prediction, off, all, ranks, scratch);
    writeRanks(m, metaModel, off, all, ranks, scratch);
    writeRanks(q, benchmark, off, all, ranks, scratch);
      yield e;
  }
}

/** A Numerai-style id: "n" and 15 hex digits, unique within the frame. */
function uniqueId(rng: Sfc32, seen: Set<string>): string {
  for (;;) {
    const hi = rng.nextUint32().toString(16).padStart(8, "0");
    const lo = (rng.nextUint32() >>> 4).toString(16).padStart(7, "0");
    const id = `n${hi}${lo}`;
    if (!seen.has(id)) {
      seen.add(id);
      return id;
    }
  }
}

/**
 * out = a x + b z + c e with unit variance, corr(out, x) = cx and corr(out, z) = cz, where x
 * and z are unit-variance with correlation r and e is fresh noise.
 */
function mixCorrelated(
  out: Float64Array,
  x: Float64Array,
  z: Float64Array,
  r: number,
  cx: number,
  cz: number,
  rng: Sfc32,
  era: string,
  site: OptionSite,
  option: string,
): void {
  const det = 1 - r * r;
  const a = (cx - r * cz) / det;
  const b = (cz - r * cx) / det;
  const explained = a * a + b * b + 2 * a * b * r;
  if (explained > 1) {
    throw new InvalidOptionError(site.where, [
      { path: `${site.prefix}${option}`, message: `in era ${era} the requested correlations (${cx}, ${cz}) are not jointly possible` },
    ]);
  }
  const c = Math.sqrt(1 - explained);
  for (let i = 0; i < out.length; i++) out[i] = a * x[i]! + b * z[i]! + c * rng.normal();
}

/** Bins values into quintiles 0..4 of their era (equal counts; sorting a copy is far faster than ranking). */
function quintiles(latent: Float64Array, sorted: Float64Array, out: Int8Array, off: number): void {
  sorted.set(latent);
  sorted.sort();
  const n = latent.length;
  const c1 = sorted[Math.round(n / 5)]!;
  const c2 = sorted[Math.round((2 * n) / 5)]!;
  const c3 = sorted[Math.round((3 * n) / 5)]!;
  const c4 = sorted[Math.round((4 * n) / 5)]!;
  for (let i = 0; i < n; i++) {
    const v = latent[i]!;
    out[off + i] = v < c2 ? (v < c1 ? 0 : 1) : v < c3 ? 2 : v < c4 ? 3 : 4;
  }
}

function writeRanks(latent: Float64Array, out: Float64Array, off: number, all: Int32Array, ranks: Float64Array, scratch: Int32Array): void {
  tieKeptRanks(latent, all, ranks, scratch);
  out.set(ranks, off);
}

function writeBinned(latent: Float64Array, out: Float64Array, off: number, all: Int32Array, ranks: Float64Array, scratch: Int32Array): void {
  tieKeptRanks(latent, all, ranks, scratch);
  for (let i = 0; i < ranks.length; i++) out[off + i] = binnedTarget(ranks[i]!);
}
