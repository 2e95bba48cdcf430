import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** The codes a `ScoreError` carries, each one of numerframe's `ErrorCode`s. */
export const SCORE_ERROR_CODES = [
  "INSUFFICIENT_OVERLAP",
  "LENGTH_MISMATCH",
  "MIXED_INPUTS",
  "DUPLICATE_ID",
  "TARGET_POWER",
  "TOP_BOTTOM_TOO_LARGE",
  "NAN_INPUT",
  "NON_NUMERIC_COLUMN",
  "CONSTANT_INPUT",
  "MISSING_ID_COLUMN",
  "MISSING_COLUMN",
  "INVALID_WEIGHTS",
] as const satisfies readonly ErrorCode[];

/** A stable code of a Numerai-score error. */
export type ScoreErrorCode = (typeof SCORE_ERROR_CODES)[number];

/**
 * Bad input to a Numerai score: `input` names the argument at fault ("predictions", "target",
 * "metaModel", a feature...); in `scoreByEra`, `era` and `column` say where. Options that are
 * wrong are an `InvalidOptionError` instead.
 *
 * @example
 * try { numeraiCorr([1, 2, 3], [0, 1]); } catch (e) {
 *   if (e instanceof ScoreError) console.error(e.code, e.input); // LENGTH_MISMATCH predictions
 * }
 */
export class ScoreError extends NumerFrameError {
  declare readonly code: ScoreErrorCode;
  /** The argument at fault: "predictions", "target", "metaModel", "a", "b" or a feature name. */
  readonly input?: string;

  /**
   * @param code - the stable code
   * @param message - a sentence for people
   * @param where - the argument (`input`), era, column or row at fault
   * @param options - the underlying cause (the per-era error `scoreByEra` re-raises)
   */
  constructor(code: ScoreErrorCode, message: string, where: ErrorLocation & { input?: string } = {}, options?: { cause?: unknown }) {
    const { input, ...location } = where;
    super(code, message, location, options);
    if (input !== undefined) this.input = input;
  }
}
