import { NumerFrame, NumerFrameError, eraRows, parseOptions, requireFrame } from "@nmrblox/numerframe";
import { tieKeptRank } from "@nmrblox/ranker";
import { z } from "zod";
import { SubmissionError } from "./errors.js";
import { idStrings } from "./ids.js";
import { liveIdsInput, resolveLiveIds } from "./live-ids.js";
import { SUBMISSION_RULES, submissionTournament } from "./rules.js";

/** Options of `prepareSubmission`. */
export const prepareSubmissionOptions = z.strictObject({
  tournament: submissionTournament,
  /** The numeric column to submit (a model's raw predictions; any scale). */
  column: z.string().min(1),
  /** The live universe (array of ids, or a frame holding them). */
  liveIds: liveIdsInput,
  /** The id column of `frame`; defaults to the frame's id column. */
  idCol: z.string().min(1).optional(),
  /**
   * The id column name in the output: Classic `id`, Crypto `symbol`; Signals keeps the input's
   * name (it must be one Signals accepts) unless this names another accepted one.
   */
  outputIdCol: z.string().min(1).optional(),
  /** The prediction column name in the output: `prediction` (default) or, for Signals and Crypto, `signal`. */
  predictionCol: z.enum(["prediction", "signal"]).default("prediction"),
  /** Which era/date to submit when the frame holds several; default the latest (code-point order). */
  era: z.string().min(1).optional(),
});
/** Options of `prepareSubmission`, as callers give them. */
export type PrepareSubmissionOptions = z.input<typeof prepareSubmissionOptions>;

function headerProblem(message: string): SubmissionError {
  return new SubmissionError([{ rule: "header", message, count: 1, ids: [] }], "cannot prepare submission");
}

/**
 * Turns a frame of raw predictions into the exact file layout Numerai expects: keeps one era
 * (the latest unless `era` is given), keeps rows whose id is in the live universe, replaces the
 * values by their tie-kept rank ((average rank − 0.5) / n over the kept non-NaN values, so every
 * value lies strictly inside (0, 1); NaN stays NaN and is then rejected by validation), sorts by
 * id (code-point order) and returns exactly two columns, id first. Ids outside the universe are
 * dropped. Adds a provenance entry.
 *
 * @param frame - raw predictions with an id column (and usually an era/date column)
 * @param options - `tournament`, `column`, `liveIds`, `idCol`, `outputIdCol`, `predictionCol`, `era`
 * @returns the two-column submission frame, sorted by id
 * @throws InvalidOptionError for a bad option or a frame that is not a NumerFrame; SubmissionError
 *   (rule "header") for id or prediction column names the tournament does not accept;
 *   NumerFrameError UNKNOWN_ERA for an era not in the frame; MissingColumnError
 * @example
 * const submission = prepareSubmission(preds, { tournament: "crypto", column: "prediction", liveIds: live });
 */
export function prepareSubmission(frame: NumerFrame, options: PrepareSubmissionOptions): NumerFrame {
  const opts = parseOptions(prepareSubmissionOptions, options, "prepareSubmission");
  requireFrame(frame, "frame", "prepareSubmission");
  const rules = SUBMISSION_RULES[opts.tournament];
  const idCol = opts.idCol ?? frame.idCol;
  if (idCol === undefined) throw headerProblem(`the frame has no id column: pass idCol (columns: ${frame.columnNames.join(", ")})`);
  if (!rules.predictionCols.includes(opts.predictionCol)) {
    throw headerProblem(`${opts.tournament} accepts prediction columns ${rules.predictionCols.join("|")}, not "${opts.predictionCol}"`);
  }
  const outputIdCol = opts.outputIdCol ?? (opts.tournament === "signals" ? idCol : rules.idCols[0]!);
  if (!rules.idCols.includes(outputIdCol)) {
    throw headerProblem(`${opts.tournament} accepts id columns ${rules.idCols.join("|")}, not "${outputIdCol}": pass outputIdCol`);
  }

  const ids = idStrings(frame, idCol);
  const values = frame.float64(opts.column);
  const live = resolveLiveIds(opts.liveIds, outputIdCol === idCol ? idCol : outputIdCol);
  const eraRows = selectedEraRows(frame, opts.era);

  const keep: number[] = [];
  for (let k = 0; k < eraRows.length; k++) {
    const i = eraRows[k]!;
    if (live.has(ids[i]!)) keep.push(i);
  }
  // Stable sort by id so the file is deterministic and matches numerai-tools' sorted output;
  // Numerai's live files usually arrive sorted, so check that first.
  let sorted = true;
  for (let k = 1; k < keep.length && sorted; k++) sorted = ids[keep[k - 1]!]! <= ids[keep[k]!]!;
  if (!sorted) keep.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : a - b));
  const outIds = new Array<string>(keep.length);
  const raw = new Float64Array(keep.length);
  for (let k = 0; k < keep.length; k++) {
    outIds[k] = ids[keep[k]!]!;
    raw[k] = values[keep[k]!]!;
  }
  const ranked = tieKeptRank(raw);
  const selectedEra = frame.eraCol !== undefined && frame.numRows > 0 ? eraLabel(frame, opts.era) : undefined;
  return NumerFrame.fromColumns(
    { [outputIdCol]: outIds, [opts.predictionCol]: ranked },
    { kind: opts.tournament, idCol: outputIdCol, roles: { [opts.predictionCol]: "prediction" }, source: frame.meta.source },
    { allowEmpty: true },
  ).withProvenance({
    blox: "prepareSubmission",
    options: {
      tournament: opts.tournament,
      column: opts.column,
      idCol,
      outputIdCol,
      predictionCol: opts.predictionCol,
      ...(selectedEra !== undefined ? { era: selectedEra } : {}),
      liveIds: live.size,
      rows: keep.length,
    },
  });
}

/** The era to submit: the one asked for, else the latest (the era index sorts eras ascending). */
function eraLabel(frame: NumerFrame, era: string | undefined): string {
  const eras = frame.eras();
  return era ?? eras[eras.length - 1]!;
}

/** Row numbers of the chosen era, or every row when the frame has no era column. */
function selectedEraRows(frame: NumerFrame, era: string | undefined): ArrayLike<number> {
  if (frame.eraCol === undefined || frame.numRows === 0) return Int32Array.from({ length: frame.numRows }, (_, i) => i);
  const index = frame.eraIndex();
  const label = eraLabel(frame, era);
  const e = index.eras.indexOf(label);
  if (e < 0) {
    const shown = index.eras.slice(-5).join(", ");
    throw new NumerFrameError("UNKNOWN_ERA", `prepareSubmission: era "${label}" is not in column "${frame.eraCol}" (latest: ${shown})`, {
      column: frame.eraCol,
      era: label,
    });
  }
  return eraRows(index, e);
}
