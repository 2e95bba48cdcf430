import { scoreByEra, scoreByEraOptions, scoreMetric, summarizeScores } from "@nmrblox/evaluator";
import { type NumerFrame, requireColumns, sortEras } from "@nmrblox/numerframe";
import { layer, parseSets, scoreSection } from "../config.js";
import type { CommandResult, Context } from "../context.js";
import { outPath, validateOptions } from "../context.js";
import { UsageError, blame, unknownValue } from "../errors.js";
import { writeAny } from "../files.js";
import { fixed, frameRows, table } from "../format.js";

/** Flags of `nmrblox score`. */
export interface ScoreFlags {
  predictions: string;
  targets: string;
  metaModel?: string;
  benchmark?: string;
  features?: string;
  metrics?: string[];
  target?: string;
  columns?: string[];
  topBottom?: number;
  out?: string;
}

/** The column of the meta-model file that holds its value, in order of preference. */
const META_VALUE_COLUMNS = ["meta_model", "numerai_meta_model", "prediction", "signal"];

/**
 * `nmrblox score`: joins the files on (era, id) — the predictions file's era and id columns —
 * and runs `scoreByEra` (Numerai's CORR, MMC, BMC, FNC, ...) and `summarizeScores`.
 * Predictions without a target row get a NaN target, so Numerai's 80 % overlap rule sees them.
 *
 * @param ctx - the command context
 * @param flags - the command's flags
 * @returns the JSON document: per-era scores and their summary
 * @throws UsageError (exit 2) for bad flags; the scorers' errors naming era and column (exit 1)
 * @example
 * await scoreCommand(ctx, { predictions: "p.parquet", targets: "validation.parquet", metrics: ["corr"] });
 */
export async function scoreCommand(ctx: Context, flags: ScoreFlags): Promise<CommandResult> {
  const { reader, out } = ctx;
  for (const m of flags.metrics ?? []) {
    if (!scoreMetric.options.includes(m as never)) throw unknownValue("metric", m, scoreMetric.options, "--metrics");
  }
  const sets = parseSets(ctx.sets, scoreSection, "nmrblox score");
  for (const [path, flag] of [
    [flags.predictions, "--predictions"],
    [flags.targets, "--targets"],
    [flags.metaModel, "--meta-model"],
    [flags.benchmark, "--benchmark"],
  ] as const) {
    if (path !== undefined) await reader.locate(path, flag);
  }

  out.step(`reading ${flags.predictions} and ${flags.targets}`);
  const predictions = await reader.read(flags.predictions, "--predictions");
  const eraCol = predictions.eraCol;
  const idCol = predictions.idCol;
  if (eraCol === undefined || idCol === undefined) {
    throw blame(
      new UsageError(
        `the predictions need an era column (era, date or friday_date) and an id column (id, symbol, numerai_ticker, ...); found ${predictions.columnNames.join(", ")}; map yours with --map`,
        { option: "--predictions", column: eraCol === undefined ? "era" : "id" },
      ),
      flags.predictions,
      "--predictions",
    );
  }
  const keys = [eraCol, idCol];
  const keyed = async (path: string, flag: string) => {
    const frame = await reader.read(path, flag);
    try {
      requireColumns(frame, keys, `${flag} ${path} (joined on ${keys.join(", ")})`);
    } catch (error) {
      throw blame(error, path, flag);
    }
    return frame;
  };
  const targets = await keyed(flags.targets, "--targets");
  const fromFile = (ctx.config.sections.score ?? {}) as Record<string, unknown>;

  // Which columns play which part: flags, then --set, then the config file, then the files' roles.
  const target = flags.target ?? (fromFile.target as string | undefined) ?? targets.targetCols[0];
  if (target === undefined || !targets.has(target)) {
    throw blame(
      new UsageError(target === undefined ? "no target column (target*) found; name it with --target" : `no column "${target}" (columns: ${targets.columnNames.join(", ")})`, {
        option: "--target",
        ...(target !== undefined ? { column: target } : {}),
      }),
      flags.targets,
      "--targets",
    );
  }
  const featureCols = flags.features !== undefined ? matching(targets, flags.features, keys) : [];
  if (flags.features !== undefined && featureCols.length === 0) {
    throw new UsageError(`--features "${flags.features}": no column of ${flags.targets} matches`, { option: "--features", path: flags.targets });
  }
  // Eras whose target is not known yet (no row, or every value NaN) are not scored, as on
  // Numerai; within a scored era a prediction without a target row counts against the 80 % rule.
  const resolved = resolvedEras(targets, eraCol, target);
  const predictionEras = predictions.strings(eraCol);
  const scoredRows = predictions.filter((i) => resolved.has(predictionEras[i]!));
  const unresolved = new Set(predictionEras.filter((e) => !resolved.has(e)));
  if (scoredRows.numRows === 0) {
    throw new UsageError(`--targets ${flags.targets}: no era of the predictions has a known "${target}"`, { option: "--targets", path: flags.targets, column: target });
  }
  if (unresolved.size > 0) out.warn(`${unresolved.size} era${unresolved.size === 1 ? "" : "s"} of the predictions without a known target not scored`);
  let frame = scoredRows.join(targets.select([...keys, target, ...featureCols.filter((f) => !predictions.has(f))]), { on: keys, how: "left" });

  let metaModel: string | undefined;
  if (flags.metaModel !== undefined) {
    const meta = await keyed(flags.metaModel, "--meta-model");
    const value = META_VALUE_COLUMNS.find((c) => meta.has(c)) ?? valueColumns(meta, keys)[0];
    if (value === undefined) throw new UsageError(`--meta-model ${flags.metaModel}: no numeric value column`, { option: "--meta-model", path: flags.metaModel });
    metaModel = frame.has("meta_model") ? "meta_model_file" : "meta_model";
    frame = frame.join(meta.select([...keys, value]).rename({ [value]: metaModel }), { on: keys, how: "left" });
  }
  const benchmarks: string[] = [];
  if (flags.benchmark !== undefined) {
    const bench = await keyed(flags.benchmark, "--benchmark");
    const values = valueColumns(bench, keys);
    if (values.length === 0) throw new UsageError(`--benchmark ${flags.benchmark}: no numeric column`, { option: "--benchmark", path: flags.benchmark });
    const renames = Object.fromEntries(values.filter((v) => frame.has(v)).map((v) => [v, `benchmark_${v}`]));
    frame = frame.join(bench.select([...keys, ...values]).rename(renames), { on: keys, how: "left" });
    benchmarks.push(...values.map((v) => renames[v] ?? v));
  }
  reader.checkMapUsed();

  const predictionCols =
    flags.columns ?? (fromFile.predictions as string[] | undefined) ?? (predictions.predictionCols.length > 0 ? predictions.predictionCols : valueColumns(predictions, keys));
  for (const c of flags.columns ?? []) {
    if (!predictions.has(c)) throw unknownValue("prediction column", c, predictions.columnNames, "--columns");
  }
  const merged = layer(fromFile, sets, [
    ["predictions", flags.columns],
    ["target", flags.target],
    ["features", flags.features !== undefined ? featureCols : undefined],
    ["metrics", flags.metrics],
    ["topBottom", flags.topBottom],
  ]);
  merged.predictions ??= predictionCols;
  merged.target ??= target;
  if (metaModel !== undefined) merged.metaModel = metaModel;
  if (benchmarks.length > 0) merged.benchmarks = benchmarks;
  const options = validateOptions(
    scoreByEraOptions,
    merged,
    "nmrblox score",
    new Map([
      ["metrics", "--metrics"],
      ["topBottom", "--top-bottom"],
    ]),
  );

  out.step(`scoring ${(options.predictions ?? []).join(", ")} against ${options.target} over ${frame.eras().length} eras`);
  const eras = out.progress("eras");
  const scores = scoreByEra(frame, { ...options, onProgress: eras });
  eras.end();
  const summary = summarizeScores(scores);

  const files: string[] = [];
  if (flags.out !== undefined) {
    const path = outPath(ctx, flags.out);
    await writeAny(scores, path, "--out");
    files.push(path);
  }
  const summaryRows = frameRows(summary);
  out.print(`Numerai scores per era: ${scores.numRows} eras, ${frame.numRows} rows`);
  out.print(
    table(
      summaryRows.map((r) => ({
        score: r.score,
        eras: r.eras,
        mean: fixed(r.mean as number, 4),
        std: fixed(r.std as number, 4),
        sharpe: fixed(r.sharpe as number, 3),
        max_drawdown: fixed(r.max_drawdown as number, 4),
        hit_rate: fixed(r.hit_rate as number, 3),
      })),
    ),
  );
  if (files.length > 0) out.print(`\nWrote ${files.join(", ")}`);
  return {
    command: "score",
    inputs: { predictions: flags.predictions, targets: flags.targets, metaModel: flags.metaModel ?? null, benchmark: flags.benchmark ?? null },
    target: options.target,
    predictions: options.predictions,
    metrics: scores.columnNames.filter((c) => c !== scores.eraCol),
    rows: frame.numRows,
    unscoredEras: sortEras([...unresolved]),
    perEra: frameRows(scores),
    summary: summaryRows,
    files,
  };
}

/** Eras with at least one non-NaN value of the target. */
function resolvedEras(targets: NumerFrame, eraCol: string, target: string): Set<string> {
  const eras = targets.strings(eraCol);
  const values = targets.numeric(target);
  const out = new Set<string>();
  for (let i = 0; i < eras.length; i++) if (!Number.isNaN(values[i]!)) out.add(eras[i]!);
  return out;
}

/** Numeric columns other than the keys. */
function valueColumns(frame: NumerFrame, keys: readonly string[]): string[] {
  return frame.columnNames.filter((c) => !keys.includes(c) && ArrayBuffer.isView(frame.column(c)));
}

/** Columns matching a glob pattern (`*` any text, `?` one character), or a comma-separated list of them. */
function matching(frame: NumerFrame, pattern: string, keys: readonly string[]): string[] {
  const regexes = pattern.split(",").map((p) => new RegExp(`^${p.trim().replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`));
  return frame.columnNames.filter((c) => !keys.includes(c) && regexes.some((r) => r.test(c)));
}
