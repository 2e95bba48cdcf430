import type { SubmissionTournament } from "./rules.js";

/** One GraphQL operation of the upload flow: its name, text and the root field its answer sits under. */
export interface UploadOperation {
  readonly operationName: string;
  /** The root field of the answer's `data`. */
  readonly field: string;
  readonly query: string;
}

// Arguments and variable types follow numerapi 2.23 (research/numerai-api.md section 1.2):
// Classic and Crypto share the generic operations with `tournament` 8 or 12; Signals has its own,
// whose upload auth takes `tournament: 11` and whose create takes no tournament at all.

/** Step 1, Classic and Crypto: a pre-signed PUT URL and the server-side filename. */
export const SUBMISSION_UPLOAD_AUTH: UploadOperation = {
  operationName: "SubmissionUploadAuth",
  field: "submission_upload_auth",
  query: `query SubmissionUploadAuth($filename: String!, $tournament: Int!, $modelId: String) {
  submission_upload_auth(filename: $filename, tournament: $tournament, modelId: $modelId) { filename url }
}`,
};

/** Step 1, Signals. */
export const SUBMISSION_UPLOAD_SIGNALS_AUTH: UploadOperation = {
  operationName: "SubmissionUploadSignalsAuth",
  field: "submissionUploadSignalsAuth",
  query: `query SubmissionUploadSignalsAuth($filename: String!, $tournament: Int!, $modelId: String) {
  submissionUploadSignalsAuth(filename: $filename, tournament: $tournament, modelId: $modelId) { filename url }
}`,
};

/**
 * Step 3, Classic and Crypto: registers the uploaded file; answers the submission id.
 *
 * @param source - the mutation's `source` argument ("numerapi")
 * @returns the operation
 * @throws nothing
 * @example
 * createSubmissionOperation("numerapi").operationName; // "CreateSubmission"
 */
export function createSubmissionOperation(source: string): UploadOperation {
  return {
    operationName: "CreateSubmission",
    field: "create_submission",
    query: `mutation CreateSubmission($filename: String!, $tournament: Int!, $modelId: String, $triggerId: String, $dataDatestamp: Int) {
  create_submission(filename: $filename, tournament: $tournament, modelId: $modelId, triggerId: $triggerId, source: ${JSON.stringify(source)}, dataDatestamp: $dataDatestamp) { id }
}`,
  };
}

/**
 * Step 3, Signals (no tournament argument).
 *
 * @param source - the mutation's `source` argument ("numerapi")
 * @returns the operation
 * @throws nothing
 * @example
 * createSignalsSubmissionOperation("numerapi").field; // "createSignalsSubmission"
 */
export function createSignalsSubmissionOperation(source: string): UploadOperation {
  return {
    operationName: "CreateSignalsSubmission",
    field: "createSignalsSubmission",
    query: `mutation CreateSignalsSubmission($filename: String!, $modelId: String, $triggerId: String, $dataDatestamp: Int) {
  createSignalsSubmission(filename: $filename, modelId: $modelId, triggerId: $triggerId, source: ${JSON.stringify(source)}, dataDatestamp: $dataDatestamp) { id firstEffectiveDate }
}`,
  };
}

/**
 * The upload-auth and create operations of a tournament.
 *
 * @param tournament - "classic", "signals" or "crypto"
 * @param source - the create mutation's `source` argument
 * @returns the step 1 and step 3 operations
 * @throws nothing
 * @example
 * uploadOperations("signals", "numerapi").auth.operationName; // "SubmissionUploadSignalsAuth"
 */
export function uploadOperations(tournament: SubmissionTournament, source: string): { auth: UploadOperation; create: UploadOperation } {
  return tournament === "signals"
    ? { auth: SUBMISSION_UPLOAD_SIGNALS_AUTH, create: createSignalsSubmissionOperation(source) }
    : { auth: SUBMISSION_UPLOAD_AUTH, create: createSubmissionOperation(source) };
}
