import { NumerFrameError, type ErrorLocation } from "@nmrblox/numerframe";

/** Stable codes of ranker errors. */
export type RankerErrorCode =
  | "LENGTH_MISMATCH"
  | "NAN_NEUTRALIZER"
  | "INVALID_WEIGHTS"
  | "INVALID_OPTION";

/** Bad input to a ranker function; `code` is stable, `column`/`era` say where when known. */
export class RankerError extends NumerFrameError {
  constructor(code: RankerErrorCode, message: string, where: ErrorLocation = {}) {
    super(code, message, where);
  }
}
