import { z } from "zod";

/** A Numerai tournament: "classic" (8), "signals" (11) or "crypto" (12). */
export const submissionTournament = z.enum(["classic", "signals", "crypto"]);
/** "classic", "signals" or "crypto". */
export type SubmissionTournament = z.infer<typeof submissionTournament>;

/** The tournament ids Numerai's API uses. */
export const TOURNAMENT_IDS = { classic: 8, signals: 11, crypto: 12 } as const satisfies Record<SubmissionTournament, number>;

/** What one tournament accepts (docs/submission-rules.md, numerai-tools `submissions.py`). */
export interface TournamentRules {
  /** Allowed id column names; the header's first column must be one of them. */
  readonly idCols: readonly string[];
  /** Allowed prediction column names; the header's second column must be one of them. */
  readonly predictionCols: readonly string[];
  /** Columns removed before the header check (Signals: the first `friday_date` or `date`). */
  readonly dateCols: readonly string[];
  /** Minimum live ids; `"all"` means every live id (Classic). */
  readonly minLiveIds: number | "all";
}

/** Signals and Crypto need at least this many live ids. */
export const MIN_LIVE_IDS = 100;

/** Submission rules per tournament. */
export const SUBMISSION_RULES: Readonly<Record<SubmissionTournament, TournamentRules>> = {
  classic: { idCols: ["id"], predictionCols: ["prediction"], dateCols: [], minLiveIds: "all" },
  signals: {
    idCols: ["ticker", "sedol", "bloomberg_ticker", "composite_figi", "numerai_ticker"],
    predictionCols: ["prediction", "signal"],
    dateCols: ["friday_date", "date"],
    minLiveIds: MIN_LIVE_IDS,
  },
  crypto: { idCols: ["symbol"], predictionCols: ["prediction", "signal"], dateCols: [], minLiveIds: MIN_LIVE_IDS },
};

/** Absolute tolerance of numpy's `isclose`, which numerai-tools uses for the range and std checks. */
export const ISCLOSE_ATOL = 1e-8;
/** Relative tolerance of numpy's `isclose`. */
export const ISCLOSE_RTOL = 1e-5;

/** numpy's `isclose(a, b)`: |a − b| ≤ atol + rtol·|b| (asymmetric, as numpy defines it). */
export function isClose(a: number, b: number): boolean {
  return Math.abs(a - b) <= ISCLOSE_ATOL + ISCLOSE_RTOL * Math.abs(b);
}
