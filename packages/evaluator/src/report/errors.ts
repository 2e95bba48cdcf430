import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** The codes a `ReportError` carries, each one of numerframe's `ErrorCode`s. */
export const REPORT_ERROR_CODES = ["OUT_DIR_IS_FILE", "OUT_DIR_NOT_REPORT", "CHART_FAILED", "WRITE_FAILED", "MISSING_COLUMN"] as const satisfies readonly ErrorCode[];

/** A stable code of a `ReportError`. */
export type ReportErrorCode = (typeof REPORT_ERROR_CODES)[number];

/**
 * The report could not be rendered or written: an output folder that is not a report folder,
 * a scores frame without a metric column, a chart that failed to render, or a write error.
 * `path` names the file or folder at fault, `column` the column. An existing report is left
 * as it was. (A bad option is an `InvalidOptionError`.)
 *
 * @example
 * try { await renderReport(result, { outDir: "out" }); } catch (e) {
 *   if (e instanceof ReportError && e.code === "OUT_DIR_NOT_REPORT") console.error(e.path);
 * }
 */
export class ReportError extends NumerFrameError {
  declare readonly code: ReportErrorCode;

  /**
   * @param code - the stable code
   * @param message - a sentence for people
   * @param where - the path or column at fault
   * @param cause - the underlying error, when there is one
   */
  constructor(code: ReportErrorCode, message: string, where: ErrorLocation = {}, cause?: unknown) {
    super(code, message, where, cause === undefined ? undefined : { cause });
  }
}
