import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { NumerFrame, NumerFrameError, type NumericArray, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { scoreByEra, scoreByEraOptions } from "./score-by-era.js";

// Workers load this very module (the built chunk, or the TypeScript source through tsx) and
// find this marker in their workerData: one file, no separate worker entry to build.
const MARKER = "nmrbloxScoreByEraWorker";

/** Options of `scoreByEraParallel`: those of `scoreByEra`, plus the number of worker threads. */
export const scoreByEraParallelOptions = z.strictObject({
  ...scoreByEraOptions.shape,
  /** Worker threads; 0 (or a single era) scores on the calling thread. Default: cores − 1, at least 1. */
  workers: z.number().int().min(0).default(Math.max(1, availableParallelism() - 1)),
});
/** Options of `scoreByEraParallel`, as callers write them. */
export type ScoreByEraParallelOptions = z.input<typeof scoreByEraParallelOptions>;

interface WorkerRequest {
  columns: Record<string, NumericArray | string[]>;
  meta: { eraCol: string; idCol?: string };
  options: Record<string, unknown>;
  /** Rows of the first era are the previous era, kept only for churn: drop its score row. */
  dropFirst: boolean;
}
interface WorkerResult {
  columns: Record<string, Float64Array | string[]>;
  /** The provenance entry scoreByEra appended. */
  entry: NumerFrame["provenance"][number];
}
type WorkerResponse = WorkerResult | { error: { name: string; message: string; code?: string; where: Record<string, unknown> } };

/**
 * `scoreByEra` across worker threads: the eras are split into as many runs of consecutive eras
 * as there are workers; each worker gets only the columns the options name, for its eras (and
 * the era before them when `churn` is asked), scores them with `scoreByEra`, and the rows are
 * joined in era order. The result is `scoreByEra`'s, value for value. Worth it when an era's
 * work is large (many predictions, features for `fnc`); a few small eras are faster on one thread.
 *
 * @param frame - a frame with an era column and the columns the options name
 * @param options - `scoreByEra`'s options (`onProgress` is called as workers finish runs), plus `workers`
 * @returns the same frame `scoreByEra` returns
 * @throws every error of `scoreByEra`, rebuilt on the calling thread as a `NumerFrameError` with
 *   the same code, message and location; InvalidOptionError for a bad option
 * @example
 * const perEra = await scoreByEraParallel(frame, { target: "target", metaModel: "meta", workers: 2 });
 */
export async function scoreByEraParallel(frame: NumerFrame, options: ScoreByEraParallelOptions): Promise<NumerFrame> {
  const { workers, onProgress, ...scoring } = parseOptions(scoreByEraParallelOptions, options, "scoreByEraParallel");
  const index = frame.eraIndex();
  const count = Math.min(workers, index.eras.length);
  if (count <= 1) return scoreByEra(frame, { ...scoring, ...(onProgress ? { onProgress } : {}) });
  const eraCol = frame.eraCol!;
  const idCol = frame.idCol;
  const predictions = scoring.predictions ?? frame.predictionCols;
  const needed = [
    ...new Set([
      eraCol,
      ...(idCol !== undefined ? [idCol] : []),
      ...predictions,
      scoring.target,
      ...(scoring.metaModel !== undefined ? [scoring.metaModel] : []),
      ...scoring.benchmarks,
      ...(scoring.features ?? (scoring.metrics?.some((m) => m === "fnc" || m === "max_feature_corr") ? frame.featureCols : [])),
      ...Object.keys(scoring.stakes ?? {}),
      ...(scoring.neutralizers ?? []),
      ...(scoring.sampleWeights !== undefined ? [scoring.sampleWeights] : []),
      ...(scoring.trueContribution?.neutralizers ?? []),
    ]),
  ].filter((name) => frame.has(name));
  // Eras in scoring order, split into `count` runs of about equal rows.
  const order = frame.eras();
  const position = new Map(index.eras.map((label, e) => [label, e] as const));
  const rowsOf = (label: string) => index.offsets[position.get(label)! + 1]! - index.offsets[position.get(label)!]!;
  const total = frame.numRows;
  const runs: [number, number][] = [];
  let start = 0;
  let acc = 0;
  for (let e = 0; e < order.length; e++) {
    acc += rowsOf(order[e]!);
    if (acc >= ((runs.length + 1) * total) / count || e === order.length - 1) {
      runs.push([start, e]);
      start = e + 1;
    }
  }
  const churn = scoring.metrics?.includes("churn") ?? false;
  // Roles do not cross the thread boundary: name the predictions, and the features when the
  // serial call would have taken them from their role.
  const featureMetrics = scoring.metrics?.some((m) => m === "fnc" || m === "max_feature_corr") ?? false;
  const workerOptions: Record<string, unknown> = {
    ...scoring,
    predictions,
    ...(scoring.features === undefined && featureMetrics ? { features: frame.featureCols } : {}),
  };
  const launch = workerLaunch();
  let done = 0;
  const parts = await Promise.all(
    runs.map(([first, last]) => {
      const from = churn && first > 0 ? first - 1 : first;
      const wanted = new Set(order.slice(from, last + 1));
      const rows: number[] = [];
      for (const label of wanted) {
        const e = position.get(label)!;
        const [s, t] = [index.offsets[e]!, index.offsets[e + 1]!];
        for (let i = s; i < t; i++) rows.push(index.order === null ? i : index.order[i]!);
      }
      const part = frame.take(Int32Array.from(rows));
      const columns: Record<string, NumericArray | string[]> = {};
      for (const name of needed) columns[name] = isNumeric(part, name) ? part.numeric(name) : [...part.strings(name)];
      const request: WorkerRequest = {
        columns,
        meta: { eraCol, ...(idCol !== undefined ? { idCol } : {}) },
        options: workerOptions,
        dropFirst: from < first,
      };
      return runWorker(launch, request).then((result) => {
        done += last - first + 1;
        onProgress?.(done, order.length);
        return result;
      });
    }),
  );
  const names = Object.keys(parts[0]!.columns);
  const out: Record<string, string[] | Float64Array> = {};
  for (const name of names) {
    if (name === eraCol) out[name] = parts.flatMap((p) => p.columns[name] as string[]);
    else {
      const column = new Float64Array(parts.reduce((s, p) => s + (p.columns[name] as Float64Array).length, 0));
      let at = 0;
      for (const p of parts) {
        column.set(p.columns[name] as Float64Array, at);
        at += (p.columns[name] as Float64Array).length;
      }
      out[name] = column;
    }
  }
  // scoreByEra's own metadata: the frame's kind, source and provenance, then its entry.
  return NumerFrame.fromColumns(out, {
    kind: frame.kind,
    eraCol,
    roles: Object.fromEntries(names.filter((n) => n !== eraCol).map((n) => [n, "other" as const])),
    source: frame.meta.source,
    provenance: [...frame.provenance, parts[0]!.entry],
  });
}

function isNumeric(frame: NumerFrame, name: string): boolean {
  try {
    frame.numeric(name);
    return true;
  } catch {
    return false;
  }
}

interface Launch {
  script: string | URL;
  eval: boolean;
  execArgv?: string[];
  extra: Record<string, string>;
}

/** This module as a worker script: the built file directly, or (from TypeScript sources) through tsx. */
function workerLaunch(): Launch {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return { script: new URL(here), eval: false, extra: {} };
  const tsxApi = pathToFileURL(createRequire(here).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const boot = `const { workerData } = require("node:worker_threads");
(async () => { const { register } = await import(workerData.tsxApi); register(); await import(workerData.entry); })();`;
  return { script: boot, eval: true, execArgv: ["--conditions=@nmrblox/source"], extra: { tsxApi, entry: here } };
}

function runWorker(launch: Launch, request: WorkerRequest): Promise<WorkerResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(launch.script, {
      eval: launch.eval,
      workerData: { [MARKER]: true, ...launch.extra },
      ...(launch.execArgv !== undefined ? { execArgv: launch.execArgv } : {}),
    });
    worker.once("message", (response: WorkerResponse) => {
      void worker.terminate();
      if ("error" in response) {
        const { name, message, code, where } = response.error;
        if (code !== undefined) {
          const error = new NumerFrameError(code as never, message, where);
          Object.defineProperty(error, "name", { value: name });
          reject(error);
        } else reject(new Error(`${name}: ${message}`));
      } else resolve(response);
    });
    worker.once("error", reject);
    worker.postMessage(request);
  });
}

function serve(): void {
  parentPort!.once("message", (request: WorkerRequest) => {
    let response: WorkerResponse;
    try {
      const frame = NumerFrame.fromColumns(request.columns, request.meta);
      let scores = scoreByEra(frame, request.options as never);
      if (request.dropFirst) scores = scores.filter((r) => r > 0);
      const columns: Record<string, Float64Array | string[]> = {};
      for (const name of scores.columnNames) columns[name] = name === request.meta.eraCol ? [...scores.strings(name)] : scores.float64(name);
      response = { columns, entry: scores.provenance.at(-1)! };
    } catch (error) {
      if (NumerFrameError.isInstance(error)) {
        const e = error as NumerFrameError;
        const where: Record<string, unknown> = {};
        for (const key of ["column", "era", "row", "path", "symbol", "date", "option"] as const) if (e[key] !== undefined) where[key] = e[key];
        response = { error: { name: e.name, message: e.message, code: e.code, where } };
      } else {
        const e = error instanceof Error ? error : new Error(String(error));
        response = { error: { name: e.name, message: e.message, where: {} } };
      }
    }
    parentPort!.postMessage(response);
  });
}

if (!isMainThread && (workerData as Record<string, unknown> | null)?.[MARKER] === true) serve();
