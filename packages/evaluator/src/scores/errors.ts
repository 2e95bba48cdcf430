import { NumerFrameError, type ErrorLocation } from "@nmrblox/numerframe";

/** Stable codes of Numerai-score errors. */
export type ScoreErrorCode =
  | "INSUFFICIENT_OVERLAP"
  | "LENGTH_MISMATCH"
  | "MIXED_INPUTS"
  | "DUPLICATE_ID"
  | "TARGET_POWER"
  | "TOP_BOTTOM_TOO_LARGE"
  | "NAN_INPUT"
  | "CONSTANT_INPUT"
  | "MISSING_ID_COLUMN"
  | "INVALID_OPTION";

/**
 * Bad input to a Numerai score: `input` names the argument at fault ("predictions", "target",
 * "metaModel", a feature...), `era` the era when scoring a frame.
 */
export class ScoreError extends NumerFrameError {
  readonly input?: string;

  constructor(code: ScoreErrorCode, message: string, where: ErrorLocation & { input?: string } = {}, options?: { cause?: unknown }) {
    super(code, message, where, options);
    if (where.input !== undefined) this.input = where.input;
  }
}
