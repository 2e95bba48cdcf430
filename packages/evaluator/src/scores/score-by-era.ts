import {
  type FrameContract,
  InvalidOptionError,
  NumerFrame,
  NumerFrameError,
  type NumericArray,
  type OptionProblem,
  eraRows,
  parseOptions,
  requireColumns,
} from "@nmrblox/numerframe";
import { type Neutralizer, gaussianRank, neutralizer } from "@nmrblox/ranker";
import { z } from "zod";
import { requireFrame } from "../frame-arg.js";
import { churn } from "./churn.js";
import { correlationContribution } from "./correlation-contribution.js";
import {
  type Reference,
  contributionFromRanks,
  corrFromRanks,
  corrTargetMean,
  prepareContributionTarget,
  prepareCorrTarget,
  prepareReference,
} from "./era-kernel.js";
import { ScoreError } from "./errors.js";
import { alpha } from "./alpha.js";
import { featureNeutralCorrWith } from "./feature-neutral-corr.js";
import { maxFeatureCorrelation } from "./max-feature-correlation.js";
import { metaPortfolioContribution } from "./meta-portfolio-contribution.js";
import { numeraiCorr } from "./numerai-corr.js";
import { trueContribution, trueContributionOptions } from "./true-contribution.js";

/** Per-era metrics `scoreByEra` can compute. */
export const scoreMetric = z.enum(["corr", "mmc", "bmc", "fnc", "max_feature_corr", "churn", "alpha", "mpc", "tc"]);
/** A per-era metric: corr, mmc, bmc, fnc, max_feature_corr, churn, alpha, mpc or tc. */
export type ScoreMetric = z.infer<typeof scoreMetric>;

/** Options of `scoreByEra`. */
export const scoreByEraOptions = z.strictObject({
  /** Prediction columns to score (default: every column with the prediction role). */
  predictions: z.array(z.string().min(1)).min(1).optional(),
  /** Target column. */
  target: z.string().min(1),
  /** Meta-model column, for `mmc`. */
  metaModel: z.string().min(1).optional(),
  /** Benchmark columns, for `bmc` (one score column per benchmark). */
  benchmarks: z.array(z.string().min(1)).default([]),
  /** Feature columns, for `fnc` and `max_feature_corr`. */
  features: z.array(z.string().min(1)).optional(),
  /**
   * Metrics to compute. Default: corr, plus mmc with a meta model, bmc with benchmarks, fnc and
   * max_feature_corr with features. `churn` (vs the previous era, by id) only when asked.
   */
  metrics: z.array(scoreMetric).min(1).optional(),
  /** Top/bottom k for corr, mmc, bmc and churn. */
  topBottom: z.number().int().positive().optional(),
  /**
   * Stake per model column, for `mpc` and `tc`: the meta model is the models' stake-weighted
   * combination. A scored prediction without a stake enters with stake 0, so its `mpc` and `tc`
   * are what a first, marginal stake would earn.
   */
  stakes: z.record(z.string().min(1), z.number()).optional(),
  /** Neutralizer columns for `alpha` and `mpc`, used as given (Numerai's are orthonormal). */
  neutralizers: z.array(z.string().min(1)).optional(),
  /** Sample-weight column for `alpha` and `mpc` (default: 1/n for each of an era's n rows). */
  sampleWeights: z.string().min(1).optional(),
  /** The optimizer behind `tc`: the columns its book is neutral to, and its settings. */
  trueContribution: z
    .strictObject({
      ...trueContributionOptions.omit({ neutralizers: true }).shape,
      neutralizers: z.array(z.string().min(1)).default([]),
    })
    .optional(),
  /** Called after each era with (eras done, eras in total). */
  onProgress: z.custom<(done: number, total: number) => void>((v) => typeof v === "function").optional(),
});
/** Options of `scoreByEra`, as callers write them. */
export type ScoreByEraOptions = z.input<typeof scoreByEraOptions>;

/**
 * Name of the score column for a prediction and metric (`bmc` takes the benchmark).
 *
 * @param prediction - the prediction column
 * @param metric - the metric
 * @param benchmark - the benchmark column, for `bmc`
 * @returns `<prediction>_<metric>`, or `<prediction>_bmc_<benchmark>`
 * @throws nothing
 * @example
 * scoreColumnName("prediction", "mmc"); // "prediction_mmc"
 */
export function scoreColumnName(prediction: string, metric: ScoreMetric, benchmark?: string): string {
  return metric === "bmc" ? `${prediction}_bmc_${benchmark}` : `${prediction}_${metric}`;
}

/**
 * Numerai scores per era: a NumerFrame with the era column and one Float64 column per
 * (prediction, metric), named `<prediction>_<metric>` (`<prediction>_bmc_<benchmark>`). Within
 * an era rows are put in id order (when the frame has an id column) before scoring, so ties
 * break as Numerai's do. Errors name the era, column and input at fault. Works for Classic
 * (era, id), Signals (date, numerai_ticker) and Crypto (date, symbol) frames. Eras come out in
 * the order they happened (numerframe's era order: `era2` before `era10`, `eraX` last, ISO
 * dates chronologically), which is also the order `churn` compares them in.
 *
 * `alpha` (per prediction) and `mpc` take Numerai's `neutralizers` and `sampleWeights`
 * columns; `mpc` and `tc` take `stakes`, and one meta portfolio (one optimized book, for `tc`)
 * per era serves every model. The optimizer's errors are re-raised with the era.
 *
 * @param frame - a frame with an era column and the columns the options name
 * @param options - target (required), predictions, metaModel, benchmarks, features, metrics, topBottom,
 *   stakes, neutralizers, sampleWeights, trueContribution, onProgress
 * @returns a frame with the era column and one Float64 column per (prediction, metric)
 * @throws InvalidOptionError for an unknown or malformed option (a misspelled key names the
 *   nearest valid one) or options that need each other (mmc without metaModel, ...);
 *   ContractError listing every named column that is missing or not numeric; ScoreError for
 *   an era that cannot be scored, with `era`, `column` and `input` set (MISSING_ID_COLUMN for
 *   churn without ids)
 * @example
 * const perEra = scoreByEra(frame, { target: "target", metaModel: "meta" }); // era, prediction_corr, prediction_mmc
 */
export function scoreByEra(frame: NumerFrame, options: ScoreByEraOptions): NumerFrame {
  requireFrame(frame, "frame", "scoreByEra");
  const opts = parseOptions(scoreByEraOptions, options, "scoreByEra");
  const predictions = opts.predictions ?? frame.predictionCols;
  const problems: OptionProblem[] = [];
  if (predictions.length === 0) problems.push({ path: "predictions", message: "no prediction columns given, and the frame has none with the prediction role" });
  const metrics = new Set<ScoreMetric>(
    opts.metrics ?? [
      "corr",
      ...(opts.metaModel !== undefined ? (["mmc"] as const) : []),
      ...(opts.benchmarks.length > 0 ? (["bmc"] as const) : []),
      ...(opts.features !== undefined ? (["fnc", "max_feature_corr"] as const) : []),
    ],
  );
  if (metrics.has("mmc") && opts.metaModel === undefined) problems.push({ path: "metaModel", message: 'metric "mmc" needs metaModel' });
  if (metrics.has("bmc") && opts.benchmarks.length === 0) problems.push({ path: "benchmarks", message: 'metric "bmc" needs benchmarks' });
  const featureNames = opts.features ?? frame.featureCols;
  if ((metrics.has("fnc") || metrics.has("max_feature_corr")) && featureNames.length === 0) {
    problems.push({ path: "features", message: "fnc and max_feature_corr need feature columns (none given, none with the feature role)" });
  }
  if ((metrics.has("alpha") || metrics.has("mpc")) && (opts.neutralizers === undefined || opts.neutralizers.length === 0)) {
    problems.push({ path: "neutralizers", message: "alpha and mpc need neutralizer columns" });
  }
  if ((metrics.has("mpc") || metrics.has("tc")) && opts.stakes === undefined) {
    problems.push({ path: "stakes", message: "mpc and tc need the models' stakes" });
  }
  if (problems.length > 0) throw new InvalidOptionError("scoreByEra", problems);
  const idCol = frame.idCol;
  if (metrics.has("churn") && idCol === undefined) {
    throw new ScoreError("MISSING_ID_COLUMN", "scoreByEra: churn compares eras by id, but the frame has no id column");
  }
  // Every column named, checked at once: one error lists all that are missing or not numeric.
  const numeric = (names: readonly string[]) => names.map((name) => ({ name, kind: "number" as const }));
  const input: FrameContract = {
    name: "scored",
    columns: numeric([
      ...new Set([
        ...predictions,
        opts.target,
        ...(opts.metaModel !== undefined && metrics.has("mmc") ? [opts.metaModel] : []),
        ...(metrics.has("bmc") ? opts.benchmarks : []),
        ...(metrics.has("fnc") || metrics.has("max_feature_corr") ? featureNames : []),
        ...(metrics.has("mpc") || metrics.has("tc") ? Object.keys(opts.stakes ?? {}) : []),
        ...(metrics.has("alpha") || metrics.has("mpc") ? [...(opts.neutralizers ?? []), ...(opts.sampleWeights !== undefined ? [opts.sampleWeights] : [])] : []),
        ...(metrics.has("tc") ? (opts.trueContribution?.neutralizers ?? []) : []),
      ]),
    ]),
  };
  requireColumns(frame, input, "scoreByEra");

  const index = frame.eraIndex();
  const eras = index.eras;
  const eraCol = frame.eraCol!;
  const column = (name: string) => frame.float64(name);
  const target = column(opts.target);
  const meta = opts.metaModel !== undefined && metrics.has("mmc") ? column(opts.metaModel) : undefined;
  const benches = metrics.has("bmc") ? opts.benchmarks.map((b) => [b, column(b)] as const) : [];
  const features = metrics.has("fnc") || metrics.has("max_feature_corr") ? featureNames.map((f) => frame.numeric(f)) : [];
  const preds = predictions.map((p) => [p, column(p)] as const);
  const ids = idCol !== undefined ? frame.strings(idCol) : undefined;
  const tb = opts.topBottom;
  const tbOpt = tb === undefined ? {} : { topBottom: tb };
  // alpha, mpc and tc: the models (staked ones and the scored predictions, the latter at stake 0
  // when unstaked), the neutralizers and the sample weights.
  const contributions = metrics.has("mpc") || metrics.has("tc");
  const stakes: Record<string, number> = { ...(opts.stakes ?? {}) };
  for (const p of predictions) stakes[p] ??= 0;
  const models = contributions ? Object.keys(stakes).map((name) => [name, column(name)] as const) : [];
  const neutralizerCols = metrics.has("alpha") || metrics.has("mpc") ? (opts.neutralizers ?? []).map((name) => frame.numeric(name)) : [];
  const sampleWeights = opts.sampleWeights !== undefined && (metrics.has("alpha") || metrics.has("mpc")) ? column(opts.sampleWeights) : undefined;
  const { neutralizers: bookNeutralizers = [], ...bookOptions } = opts.trueContribution ?? {};
  const bookCols = metrics.has("tc") ? bookNeutralizers.map((name) => frame.numeric(name)) : [];

  const out = new Map<string, Float64Array>();
  const outColumn = (name: string) => {
    let c = out.get(name);
    if (!c) {
      c = new Float64Array(eras.length).fill(NaN);
      out.set(name, c);
    }
    return c;
  };
  for (const [p] of preds) {
    for (const m of scoreMetric.options) {
      if (!metrics.has(m)) continue;
      if (m === "bmc") for (const [b] of benches) outColumn(scoreColumnName(p, m, b));
      else outColumn(scoreColumnName(p, m));
    }
  }

  let previous: { ids: string[]; values: Map<string, Float64Array> } | undefined;
  for (let e = 0; e < eras.length; e++) {
    const era = eras[e]!;
    const eraRowNumbers = eraRows(index, e);
    const rows = idOrder(eraRowNumbers, ids, era, idCol);
    // Rows already grouped by era and in id order are a contiguous block: score views, not copies.
    const block = index.order === null && rows === eraRowNumbers ? [index.offsets[e]!, index.offsets[e + 1]!] : undefined;
    const gather = <T extends NumericArray>(values: T): T =>
      block ? (values.subarray(block[0], block[1]) as T) : gatherTyped(values, rows);
    let currentColumn = opts.target;
    try {
      const t = gather(target);
      // Shared by every prediction of the era when the target has no NaN (then no row is
      // dropped by alignment): the CORR and MMC targets, and each meta model or benchmark
      // ranked once. A prediction or reference with NaN takes the one-era functions, which
      // align (drop rows) per pair.
      const targetComplete = !hasNaN(t);
      let corrTarget: Float64Array | undefined;
      let contributionTarget: Float64Array | undefined;
      const references = new Map<Float64Array, Reference | null>();
      const referenceOf = (values: Float64Array): Reference | null => {
        let r = references.get(values);
        if (r === undefined) {
          r = hasNaN(values) ? null : prepareReference(values);
          references.set(values, r);
        }
        return r;
      };
      const contribution = (p: Float64Array, g: Float64Array | undefined, reference: Float64Array): number => {
        const ref = g && referenceOf(reference);
        if (!g || !ref) return correlationContribution(p, reference, t, tbOpt);
        contributionTarget ??= prepareContributionTarget(t);
        return contributionFromRanks(g, ref, contributionTarget, tb);
      };
      const m = meta && gather(meta);
      const b = benches.map(([name, values]) => [name, gather(values)] as const);
      let fcols: NumericArray[] = [];
      let neutral: Neutralizer | undefined;
      if (features.length > 0) {
        fcols = features.map((f, j) => {
          currentColumn = featureNames[j]!;
          // Features keep their storage type: the neutralizer reads int8 features in place.
          const c = gather(f);
          if (!(c instanceof Float64Array || c instanceof Float32Array)) return c;
          for (let i = 0; i < c.length; i++) {
            if (Number.isNaN(c[i]!)) {
              throw new ScoreError("NAN_INPUT", `feature "${featureNames[j]}" has NaN at row ${rows[i]}`, { input: featureNames[j]!, row: rows[i]! });
            }
          }
          return c;
        });
        if (metrics.has("fnc")) neutral = neutralizer(fcols);
      }
      const eraIds = ids && Array.from(rows, (r) => ids[r]!);
      const n = rows.length;
      const nEra = neutralizerCols.map((c) => gather(c));
      const wEra = sampleWeights ? gather(sampleWeights) : new Float64Array(n).fill(1 / n);
      const currentValues = new Map<string, Float64Array>();
      for (const [name, values] of preds) {
        currentColumn = name;
        const p = gather(values);
        currentValues.set(name, p);
        const set = (metric: ScoreMetric, value: number, bench?: string) => {
          out.get(scoreColumnName(name, metric, bench))![e] = value;
        };
        // The prediction ranked once for CORR, MMC, every BMC and FNC.
        const g = targetComplete && !hasNaN(p) ? gaussianRank(p) : undefined;
        if (metrics.has("corr")) {
          if (g) {
            corrTarget ??= prepareCorrTarget(t, corrTargetMean(t), true);
            set("corr", corrFromRanks(g, corrTarget, tb));
          } else set("corr", numeraiCorr(p, t, tbOpt));
        }
        if (m) set("mmc", contribution(p, g, m));
        for (const [bench, bv] of b) set("bmc", contribution(p, g, bv), bench);
        if (neutral) set("fnc", featureNeutralCorrWith(neutral, p, t, undefined, g));
        if (metrics.has("max_feature_corr")) {
          set("max_feature_corr", maxFeatureCorrelation(p, fcols).value);
        }
        if (metrics.has("churn") && previous && eraIds) {
          set("churn", churn({ ids: eraIds, values: p }, { ids: previous.ids, values: previous.values.get(name)! }, tbOpt));
        }
        if (metrics.has("alpha")) set("alpha", alpha({ [name]: p }, nEra, wEra, t)[name]!);
      }
      if (contributions) {
        // One meta portfolio and one optimized book per era serve every model.
        currentColumn = predictions[0]!;
        const cols = Object.fromEntries(models.map(([name, values]) => [name, gather(values)]));
        const setAll = (metric: ScoreMetric, values: Record<string, number>) => {
          for (const p of predictions) out.get(scoreColumnName(p, metric))![e] = values[p]!;
        };
        if (metrics.has("mpc")) setAll("mpc", metaPortfolioContribution(cols, stakes, nEra, wEra, t));
        if (metrics.has("tc")) setAll("tc", trueContribution(cols, stakes, t, { ...bookOptions, neutralizers: bookCols.map((c) => gather(c)) }));
      }
      if (eraIds) previous = { ids: eraIds, values: currentValues };
    } catch (err) {
      if (err instanceof ScoreError) {
        const input = err.input === "predictions" || err.input === "a" ? currentColumn : err.input;
        throw new ScoreError(err.code, `scoreByEra: era ${era}, column "${currentColumn}": ${err.message}`, {
          era,
          column: currentColumn,
          ...(input !== undefined ? { input } : {}),
        }, { cause: err });
      }
      if (NumerFrameError.isInstance(err) && err.era === undefined) {
        // The optimizer's errors (an infeasible book, a constant neutralizer), placed in the era.
        throw new NumerFrameError(err.code, `scoreByEra: era ${era}: ${err.message}`, {
          era,
          ...(err.column !== undefined ? { column: err.column } : {}),
          ...(err.option !== undefined ? { option: err.option } : {}),
        }, { cause: err });
      }
      throw err;
    }
    opts.onProgress?.(e + 1, eras.length);
  }

  const roles = Object.fromEntries([...out.keys()].map((k) => [k, "other" as const]));
  return NumerFrame.fromColumns(
    { [eraCol]: eras, ...Object.fromEntries(out) },
    { kind: frame.kind, eraCol, roles, source: frame.meta.source, provenance: [...frame.provenance] },
  ).withProvenance({
    blox: "evaluator.scoreByEra",
    options: {
      predictions,
      target: opts.target,
      ...(opts.metaModel !== undefined ? { metaModel: opts.metaModel } : {}),
      benchmarks: opts.benchmarks,
      ...(opts.features !== undefined ? { features: opts.features } : {}),
      metrics: [...metrics],
      ...(tb !== undefined ? { topBottom: tb } : {}),
      ...(opts.stakes !== undefined ? { stakes: opts.stakes } : {}),
      ...(opts.neutralizers !== undefined ? { neutralizers: opts.neutralizers } : {}),
      ...(opts.sampleWeights !== undefined ? { sampleWeights: opts.sampleWeights } : {}),
      ...(opts.trueContribution !== undefined ? { trueContribution: opts.trueContribution } : {}),
    },
  });
}

/** `values[rows]` in a new array of the same typed-array type. */
function gatherTyped<T extends NumericArray>(values: T, rows: Int32Array): T {
  const out = new (values.constructor as new (n: number) => T)(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = values[rows[i]!]!;
  return out;
}

function hasNaN(x: ArrayLike<number>): boolean {
  for (let i = 0; i < x.length; i++) if (Number.isNaN(x[i]!)) return true;
  return false;
}

/**
 * Rows of an era in id (code-point) order; unchanged when already sorted or without ids. An id
 * twice within the era is DUPLICATE_ID: scoring would otherwise count that row twice.
 */
function idOrder(rows: Int32Array, ids: readonly string[] | undefined, era: string, idCol: string | undefined): Int32Array {
  if (!ids) return rows;
  let sorted = true;
  for (let i = 1; i < rows.length; i++) {
    const a = ids[rows[i - 1]!]!;
    const b = ids[rows[i]!]!;
    if (a === b) duplicateId(a, rows[i]!, era, idCol);
    if (a > b) {
      sorted = false;
      break;
    }
  }
  if (sorted) return rows;
  const out = Int32Array.from(rows).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  for (let i = 1; i < out.length; i++) if (ids[out[i - 1]!] === ids[out[i]!]) duplicateId(ids[out[i]!]!, out[i]!, era, idCol);
  return out;
}

function duplicateId(id: string, row: number, era: string, idCol: string | undefined): never {
  throw new ScoreError("DUPLICATE_ID", `scoreByEra: era ${era}: id "${id}" appears more than once (again at row ${row})`, {
    era,
    row,
    ...(idCol !== undefined ? { column: idCol } : {}),
  });
}
