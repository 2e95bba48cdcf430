import { type NumerFrame, isNumericArray, parseOptions, requireFrame } from "@nmrblox/numerframe";
import { z } from "zod";
import { type SubmissionProblem, SubmissionError } from "./errors.js";
import { idStrings } from "./ids.js";
import { liveIdsInput, resolveLiveIds } from "./live-ids.js";
import { SUBMISSION_RULES, isClose, submissionTournament } from "./rules.js";

/** How many offending ids or rows a problem lists. */
export const SHOWN_OFFENDERS = 5;

/** Options of `validateSubmission`. */
export const validateSubmissionOptions = z.strictObject({
  tournament: submissionTournament,
  /** The live universe (array of ids, or a frame holding them). */
  liveIds: liveIdsInput,
});
/** Options of `validateSubmission`, as callers give them. */
export type ValidateSubmissionOptions = z.input<typeof validateSubmissionOptions>;

/** What a valid submission looks like to Numerai. */
export interface ValidatedSubmission {
  idCol: string;
  predictionCol: string;
  /** Signals only: the `date` / `friday_date` column removed before the header check. */
  dateCol?: string;
  /** Rows whose id is in the live universe (the rows Numerai keeps and scores). */
  rows: number;
  /** Ids outside the live universe, in code-point order: Numerai ignores them, it does not reject them. */
  invalidIds: string[];
  /** Things Numerai accepts but warns about (a deprecated Signals `data_type` column). */
  warnings: string[];
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function firstSorted(values: Iterable<string>, k = SHOWN_OFFENDERS): string[] {
  return [...values].sort(byCodePoint).slice(0, k);
}

const listed = (ids: readonly string[], count: number) =>
  ids.map((id) => JSON.stringify(id)).join(", ") + (count > ids.length ? `, ... (${count - ids.length} more)` : "");

/**
 * Checks a submission exactly as Numerai does (docs/submission-rules.md; numerai-tools
 * `validate_submission_*`), but reports every problem at once. Header: exactly two columns, id
 * first (Signals may add one `date`/`friday_date` column, and a deprecated `data_type`). Ids: none
 * missing; no duplicates among live ids; Classic covers every live id, Signals and Crypto at
 * least 100. Values of live rows: no NaN; within [0, 1] (numpy `isclose` tolerance at the ends:
 * a minimum within 1e-8 of 0, a maximum within 1e-8 + 1e-5 of 1); sample standard deviation
 * (ddof 1) not `isclose` to 0. Ids outside the universe are returned, not rejected.
 *
 * @param frame - the submission: id column, prediction column (Signals: maybe a date column)
 * @param options - `tournament` and `liveIds` (ids, or a frame holding them)
 * @returns what Numerai will keep: id and prediction columns, live rows, ignored ids, warnings
 * @throws InvalidOptionError for a bad option or a frame that is not a NumerFrame;
 *   SubmissionError listing every problem with counts and the first few offending ids
 * @example
 * const checked = validateSubmission(preds, { tournament: "crypto", liveIds: live });
 * console.log(checked.rows, checked.invalidIds.length);
 */
export function validateSubmission(frame: NumerFrame, options: ValidateSubmissionOptions): ValidatedSubmission {
  const opts = parseOptions(validateSubmissionOptions, options, "validateSubmission");
  requireFrame(frame, "frame", "validateSubmission");
  const rules = SUBMISSION_RULES[opts.tournament];
  const problems: SubmissionProblem[] = [];
  const warnings: string[] = [];

  let columns = frame.columnNames;
  let dateCol: string | undefined;
  if (opts.tournament === "signals") {
    if (columns.includes("data_type")) {
      warnings.push("data_type column found in Signals submission: deprecated, Numerai drops it");
      columns = columns.filter((c) => c !== "data_type");
    }
    dateCol = columns.find((c) => rules.dateCols.includes(c));
    if (dateCol !== undefined) columns = columns.filter((c) => c !== dateCol);
  }
  const headerOk = columns.length === 2 && rules.idCols.includes(columns[0]!) && rules.predictionCols.includes(columns[1]!);
  if (!headerOk) {
    problems.push({
      rule: "header",
      message:
        `${opts.tournament} headers must be exactly [one of ${rules.idCols.join("|")}, one of ${rules.predictionCols.join("|")}]` +
        `${opts.tournament === "signals" ? " (plus an optional friday_date|date column)" : ""}, found [${frame.columnNames.join(", ")}]`,
      count: 1,
      ids: [],
    });
  }
  // With a wrong header the other checks still run on the columns we can recognise.
  const idCol = headerOk ? columns[0]! : columns.find((c) => rules.idCols.includes(c));
  const predictionCol = headerOk ? columns[1]! : columns.find((c) => rules.predictionCols.includes(c));
  if (idCol === undefined) throw new SubmissionError(problems);

  const live = resolveLiveIds(opts.liveIds, idCol);
  const ids = idStrings(frame, idCol);
  const n = ids.length;
  const liveRows = new Int32Array(n);
  let liveCount = 0;
  const missingRows: number[] = [];
  let missingCount = 0;
  const rowsPerLiveId = new Int32Array(live.size);
  const invalid = new Set<string>();
  for (let i = 0; i < n; i++) {
    const id = ids[i]!;
    if (id === "") {
      if (missingRows.length < SHOWN_OFFENDERS) missingRows.push(i);
      missingCount++;
      continue;
    }
    const k = live.get(id);
    if (k === undefined) {
      invalid.add(id);
      continue;
    }
    liveRows[liveCount++] = i;
    rowsPerLiveId[k]!++;
  }
  if (missingCount > 0) {
    problems.push({
      rule: "missing-id",
      message: `${missingCount} row${missingCount === 1 ? " has" : "s have"} no ${idCol} (NaN or empty), rows ${missingRows.join(", ")}${missingCount > missingRows.length ? ", ..." : ""}`,
      count: missingCount,
      ids: [],
      rows: missingRows,
    });
  }
  const duplicated: string[] = [];
  const absent: string[] = [];
  for (const [id, k] of live) {
    const c = rowsPerLiveId[k]!;
    if (c > 1) duplicated.push(id);
    else if (c === 0) absent.push(id);
  }
  if (duplicated.length > 0) {
    const shown = firstSorted(duplicated);
    problems.push({
      rule: "duplicate-id",
      message: `${duplicated.length} live ${idCol} value${duplicated.length === 1 ? " appears" : "s appear"} more than once: ${listed(shown, duplicated.length)}`,
      count: duplicated.length,
      ids: shown,
    });
  }
  if (rules.minLiveIds === "all") {
    if (absent.length > 0) {
      const shown = firstSorted(absent);
      problems.push({
        rule: "missing-live-ids",
        message: `${absent.length} of ${live.size} live ids have no prediction (Classic needs every live id): ${listed(shown, absent.length)}`,
        count: absent.length,
        ids: shown,
      });
    }
  } else if (liveCount < rules.minLiveIds) {
    const shown = firstSorted(invalid);
    problems.push({
      rule: "too-few-ids",
      message:
        `only ${liveCount} row${liveCount === 1 ? "" : "s"} have a live ${idCol}; at least ${rules.minLiveIds} are needed` +
        (invalid.size > 0 ? ` (${invalid.size} ids are outside the live universe: ${listed(shown, invalid.size)})` : ""),
      count: liveCount,
      ids: shown,
    });
  }

  if (predictionCol !== undefined) checkValues(frame, predictionCol, ids, liveRows.subarray(0, liveCount), problems);

  if (problems.length > 0) throw new SubmissionError(problems);
  return {
    idCol,
    predictionCol: predictionCol!,
    ...(dateCol !== undefined ? { dateCol } : {}),
    rows: liveCount,
    invalidIds: [...invalid].sort(byCodePoint),
    warnings,
  };
}

/** The value rules, over live rows only (as numerai-tools checks the filtered submission). */
function checkValues(
  frame: NumerFrame,
  predictionCol: string,
  ids: readonly string[],
  liveRows: Int32Array,
  problems: SubmissionProblem[],
): void {
  const raw = frame.column(predictionCol);
  if (!isNumericArray(raw)) {
    problems.push({ rule: "non-numeric", message: `column "${predictionCol}" must be numeric, found strings`, count: 1, ids: [] });
    return;
  }
  const nanIds: string[] = [];
  let nanCount = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let count = 0;
  let sum = 0;
  for (let k = 0; k < liveRows.length; k++) {
    const i = liveRows[k]!;
    const v = raw[i]!;
    if (Number.isNaN(v)) {
      nanCount++;
      nanIds.push(ids[i]!);
      continue;
    }
    if (v < min) min = v;
    if (v > max) max = v;
    sum += v;
    count++;
  }
  if (nanCount > 0) {
    const shown = firstSorted(nanIds);
    problems.push({
      rule: "missing-prediction",
      message: `${nanCount} live row${nanCount === 1 ? " has" : "s have"} a NaN ${predictionCol}: ${listed(shown, nanCount)}`,
      count: nanCount,
      ids: shown,
    });
  }
  if (count === 0) return;
  const lowOk = min >= 0 || isClose(min, 0);
  const highOk = max <= 1 || isClose(max, 1);
  if (!lowOk || !highOk) {
    const outside: string[] = [];
    for (let k = 0; k < liveRows.length; k++) {
      const i = liveRows[k]!;
      const v = raw[i]!;
      if ((!lowOk && v < 0) || (!highOk && v > 1)) outside.push(ids[i]!);
    }
    const shown = firstSorted(outside);
    problems.push({
      rule: "out-of-range",
      message: `${outside.length} live ${predictionCol} value${outside.length === 1 ? " lies" : "s lie"} outside [0, 1] (min ${min}, max ${max}): ${listed(shown, outside.length)}`,
      count: outside.length,
      ids: shown,
    });
  }
  if (count < 2) return; // pandas' sample std of one value is NaN, which passes the check
  const mean = sum / count;
  let ss = 0;
  for (let k = 0; k < liveRows.length; k++) {
    const v = raw[liveRows[k]!]!;
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  const std = Math.sqrt(ss / (count - 1));
  if (isClose(0, std)) {
    const all: string[] = [];
    for (let k = 0; k < liveRows.length; k++) if (!Number.isNaN(raw[liveRows[k]!]!)) all.push(ids[liveRows[k]!]!);
    const shown = firstSorted(all);
    problems.push({
      rule: "zero-std",
      message: `the standard deviation of ${count} live ${predictionCol} values is ${std} (must not be ~0; every value is about ${mean}): ${listed(shown, count)}`,
      count,
      ids: shown,
    });
  }
}
