import { type ErrorCode, NumerFrameError } from "@nmrblox/numerframe";

/** The rule a submission broke (docs/submission-rules.md). */
export type SubmissionRule =
  | "header"
  | "missing-id"
  | "duplicate-id"
  | "too-few-ids"
  | "missing-live-ids"
  | "missing-prediction"
  | "out-of-range"
  | "zero-std"
  | "non-numeric";

/** One problem found in a submission: the rule, how many ids/rows break it, and the first few. */
export interface SubmissionProblem {
  readonly rule: SubmissionRule;
  readonly message: string;
  /** How many ids (or rows, for missing ids) break the rule. */
  readonly count: number;
  /** The first few offending ids, in code-point order. */
  readonly ids: readonly string[];
  /** The first few offending row numbers (0-based), where ids cannot name them. */
  readonly rows?: readonly number[];
}

/** A submission Numerai would reject; `problems` lists every rule broken, not just the first. */
export class SubmissionError extends NumerFrameError {
  readonly problems: readonly SubmissionProblem[];

  /**
   * @param problems - every rule broken
   * @param context - the message's opening words
   */
  constructor(problems: readonly SubmissionProblem[], context = "invalid submission") {
    const lines = problems.map((p) => `- [${p.rule}] ${p.message}`);
    super("INVALID_SUBMISSION", `${context} (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`);
    this.problems = problems;
  }

  /** The rules broken, in the order they were checked. */
  get rules(): SubmissionRule[] {
    return this.problems.map((p) => p.rule);
  }
}

/** The submit step that failed. */
export type SubmitStep = "resolve-model" | "write-file" | "upload-auth" | "upload" | "create";

/** The stable code of each step's failure, from the one `ErrorCode` union. */
export const SUBMIT_STEP_CODES = {
  "resolve-model": "SUBMIT_RESOLVE_MODEL",
  "write-file": "SUBMIT_WRITE_FILE",
  "upload-auth": "SUBMIT_UPLOAD_AUTH",
  upload: "SUBMIT_UPLOAD",
  create: "SUBMIT_CREATE",
} as const satisfies Record<SubmitStep, ErrorCode>;

/**
 * Submitting failed at `step`. `uploaded` says whether the file had already reached Numerai's
 * storage (then only registering it failed, and a retry of the whole submit is safe).
 * Messages never contain the API secret or the signed URL's query string.
 */
export class SubmitError extends NumerFrameError {
  readonly step: SubmitStep;
  readonly uploaded: boolean;
  /** HTTP status of the failing answer, when there was one. */
  readonly status?: number;

  /**
   * @param step - the step that failed
   * @param message - what went wrong, secrets removed
   * @param details - whether the file was uploaded, the HTTP status, the local file
   */
  constructor(step: SubmitStep, message: string, details: { uploaded?: boolean; status?: number; path?: string } = {}) {
    super(SUBMIT_STEP_CODES[step], `submit failed at step "${step}": ${message}`, {
      ...(details.path !== undefined ? { path: details.path } : {}),
    });
    this.step = step;
    this.uploaded = details.uploaded ?? false;
    if (details.status !== undefined) this.status = details.status;
  }
}

/** A model name that the account does not have for this tournament; the message lists those it has. */
export class UnknownModelError extends NumerFrameError {
  readonly model: string;
  readonly available: readonly string[];

  /**
   * @param model - the name asked for
   * @param tournament - the tournament's name
   * @param available - the account's model names in that tournament
   */
  constructor(model: string, tournament: string, available: readonly string[]) {
    super(
      "UNKNOWN_MODEL",
      `model "${model}" is not one of this account's ${tournament} models (${available.length ? available.join(", ") : "none"})`,
      { option: "model" },
    );
    this.model = model;
    this.available = available;
  }
}
