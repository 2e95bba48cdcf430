import { type NumerFrame, eraRows, parseOptions, readParquet, sortEras } from "@nmrblox/numerframe";
import { z } from "zod";
import { scoreByEra, scoreByEraOptions } from "./score-by-era.js";

/** Options of `scoreParquetByEra`: those of `scoreByEra`, plus where the file keeps eras and ids and how much to hold at once. */
export const scoreParquetByEraOptions = z.strictObject({
  ...scoreByEraOptions.shape,
  /** Prediction columns to score (required: the file is not read whole to find them by role). */
  predictions: z.array(z.string().min(1)).min(1),
  /** The file's era column. */
  eraCol: z.string().min(1).default("era"),
  /** The file's id column (rows are put in id order within an era); null when it has none. */
  idCol: z.string().min(1).nullable().default("id"),
  /**
   * Rows held in memory at once (whole eras; an era larger than this is read alone). At
   * Numerai's 2,400 int8 features, 250,000 rows are about 600 MB of features.
   */
  chunkRows: z.number().int().positive().default(250_000),
});
/** Options of `scoreParquetByEra`, as callers write them. */
export type ScoreParquetByEraOptions = z.input<typeof scoreParquetByEraOptions>;

/**
 * `scoreByEra` over a Parquet file too large to hold at once (Numerai Classic at v5 size: 2.7M
 * rows × 2,400 int8 features is 6.5 GB of features alone): reads the era column, then the
 * columns the scores need a run of whole eras at a time (at most `chunkRows` rows, decoded a
 * column group at a time by `readParquet`), scores each run, and joins the per-era rows. Every
 * metric is the one `scoreByEra` gives on the whole frame; each run after the first re-reads
 * the era before it so `churn` still compares consecutive eras.
 *
 * @param path - a Parquet file with the era column and the columns the options name
 * @param options - `scoreByEra`'s options, plus `eraCol` ("era"), `idCol` ("id", or null) and `chunkRows`
 * @returns the same frame `scoreByEra` returns: the era column and one Float64 column per (prediction, metric)
 * @throws InvalidOptionError for an unknown or malformed option; FrameIOError naming the file
 *   when it cannot be read; MissingColumnError for a column the file lacks; every error of
 *   `scoreByEra`, with the era
 * @example
 * const perEra = await scoreParquetByEra("train.parquet", {
 *   target: "target", predictions: ["prediction"], metaModel: "numerai_meta_model",
 *   features: featureNames, metrics: ["corr", "mmc", "max_feature_corr"],
 * });
 */
export async function scoreParquetByEra(path: string, options: ScoreParquetByEraOptions): Promise<NumerFrame> {
  const opts = parseOptions(scoreParquetByEraOptions, options, "scoreParquetByEra");
  const { eraCol, idCol, chunkRows, onProgress, ...scoring } = opts;
  const eraFrame = (await readParquet(path, { columns: [eraCol] })).withMeta({ eraCol });
  const index = eraFrame.eraIndex();
  // Era sizes in chronological order, the order scoreByEra scores and churn compares them in.
  const position = new Map(index.eras.map((label, e) => [label, e] as const));
  const eras = sortEras(index.eras);
  const sizes = eras.map((label) => eraRows(index, position.get(label)!).length);
  const columns = [
    ...new Set([
      eraCol,
      ...(idCol !== null ? [idCol] : []),
      ...scoring.predictions,
      scoring.target,
      ...(scoring.metaModel !== undefined ? [scoring.metaModel] : []),
      ...scoring.benchmarks,
      ...(scoring.features ?? []),
      ...Object.keys(scoring.stakes ?? {}),
      ...(scoring.neutralizers ?? []),
      ...(scoring.sampleWeights !== undefined ? [scoring.sampleWeights] : []),
      ...(scoring.trueContribution?.neutralizers ?? []),
    ]),
  ];
  const parts: NumerFrame[] = [];
  let first = 0;
  while (first < eras.length) {
    let last = first;
    let rows = sizes[first]!;
    while (last + 1 < eras.length && rows + sizes[last + 1]! <= chunkRows) rows += sizes[++last]!;
    // The era before the run, for churn; its row is dropped from the result.
    const from = first > 0 && scoring.metrics?.includes("churn") ? first - 1 : first;
    let chunk = await readParquet(path, { columns, eras: { from: eras[from]!, to: eras[last]! } });
    chunk = chunk.withMeta({ eraCol, ...(idCol !== null ? { idCol } : {}) });
    const done = first;
    const scored = scoreByEra(chunk, {
      ...scoring,
      ...(onProgress ? { onProgress: (d: number) => onProgress(done + d - (first - from), eras.length) } : {}),
    });
    parts.push(from < first ? scored.filter((r) => r > 0) : scored);
    first = last + 1;
  }
  const [head, ...rest] = parts;
  return rest.length === 0 ? head! : head!.concat(...rest);
}
