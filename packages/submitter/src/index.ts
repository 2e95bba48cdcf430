export {
  submissionTournament,
  TOURNAMENT_IDS,
  SUBMISSION_RULES,
  MIN_LIVE_IDS,
  type SubmissionTournament,
  type TournamentRules,
} from "./rules.js";
export {
  SubmissionError,
  SubmitError,
  SUBMIT_STEP_CODES,
  UnknownModelError,
  type SubmissionProblem,
  type SubmissionRule,
  type SubmitStep,
} from "./errors.js";
export { liveIdsInput, type LiveIdsInput } from "./live-ids.js";
export {
  validateSubmission,
  validateSubmissionOptions,
  SHOWN_OFFENDERS,
  type ValidateSubmissionOptions,
  type ValidatedSubmission,
} from "./validate-submission.js";
export { prepareSubmission, prepareSubmissionOptions, type PrepareSubmissionOptions } from "./prepare-submission.js";
export {
  submit,
  submitOptions,
  type SubmitOptions,
  type SubmitResult,
  type DryRunResult,
  type SubmittedResult,
  type PlannedRequest,
  type SubmissionClient,
  type SubmitProgress,
} from "./submit.js";
export {
  uploadOperations,
  SUBMISSION_UPLOAD_AUTH,
  SUBMISSION_UPLOAD_SIGNALS_AUTH,
  createSubmissionOperation,
  createSignalsSubmissionOperation,
  type UploadOperation,
} from "./upload-operations.js";
