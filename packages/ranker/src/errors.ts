import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** Codes of the bad-input errors the ranker raises itself (options fail as numerframe's `InvalidOptionError`). */
export type RankerErrorCode = Extract<ErrorCode, "LENGTH_MISMATCH" | "NAN_NEUTRALIZER" | "INVALID_WEIGHTS">;

/** Bad input to a ranker function; `code` is stable, `column`/`era`/`row` say where when known. */
export class RankerError extends NumerFrameError {
  /**
   * @param code - LENGTH_MISMATCH, NAN_NEUTRALIZER or INVALID_WEIGHTS
   * @param message - a sentence for people
   * @param where - the column, era or row at fault
   */
  constructor(code: RankerErrorCode, message: string, where: ErrorLocation = {}) {
    super(code, message, where);
  }
}
