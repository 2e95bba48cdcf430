/**
 * Every stable error code of nmrblox, with what it means. One table for every package, so the
 * same fault has the same code wherever it is met; package READMEs list their codes from here.
 */
export const ERROR_CODES = {
  // options and input shape
  INVALID_OPTION: "an option is unknown, missing, of the wrong type or out of range",
  MISSING_COLUMN: "a column the operation needs is not in the frame",
  DUPLICATE_COLUMN: "two columns share a name",
  NON_NUMERIC_COLUMN: "a column that must be numeric is not",
  EMPTY_FRAME: "a frame has no rows where rows are needed",
  COLUMN_LENGTH: "a column, mask or new column has the wrong length",
  NULL_VALUE: "a null where none may be",
  SCHEMA_MISMATCH: "two frames that must agree do not",
  LENGTH_MISMATCH: "aligned inputs have different lengths",
  MIXED_INPUTS: "positional and id-keyed inputs were mixed",
  DUPLICATE_ID: "an id appears twice within one era",
  DUPLICATE_ROW: "a (date, symbol) key appears twice",
  MISSING_ID_COLUMN: "an id-keyed input has no id column",
  NAN_INPUT: "a NaN where none may be",
  NON_FINITE: "an infinite or NaN value where a finite one is needed",
  UNSAFE_INTEGER: "a 64-bit integer beyond ±2^53 would be rounded as a number (read it with bigints())",
  UNSUPPORTED_COLUMN: "column values of a kind a frame cannot hold",
  CONSTANT_INPUT: "a column is constant where it must vary",
  INVALID_DATE: "a date is not a valid ISO day YYYY-MM-DD",
  INVALID_DATE_RANGE: "a date range ends before it starts",
  DATES_NOT_INCREASING: "dates that must increase strictly repeat or go backwards",
  DATE_OUT_OF_RANGE: "a date lies far outside the range the operation can use (a typo such as 2999)",
  // market and trading
  INVALID_CLOSE: "a close price is missing, zero, negative or not finite",
  INVALID_TURNOVER: "a turnover_usd value is negative or infinite",
  UNKNOWN_SYMBOL: "a symbol is not in the market or universe",
  UNKNOWN_EXCHANGE_SYMBOL: "an exchange symbol has no mapping",
  DUPLICATE_EXCHANGE_SYMBOL: "two instruments share an exchange symbol",
  INVALID_INSTRUMENT: "an instrument row is malformed",
  UNKNOWN_ERA: "an era is not in the frame",
  INVALID_WEIGHTS: "weights are negative, NaN or sum to zero",
  NAN_NEUTRALIZER: "a neutralizer column has NaN",
  EMPTY_SIGNALS: "no signals to trade",
  EMPTY_MARKET: "no market data",
  INFEASIBLE_PORTFOLIO: "the optimizer's constraints cannot be met (position cap below the gross budget, or only the empty portfolio is neutral)",
  NOT_CONVERGED: "an iterative solver stopped short of its tolerance (a bug to report, with the input)",
  EMPTY_DAILY: "no daily backtest rows",
  INVALID_TRANCHE_STATUS: 'a tranche status is neither "open" nor "closed"',
  SWEEP_FAILED: "a sweep configuration failed in its worker",
  // scores
  INSUFFICIENT_OVERLAP: "too few rows remain after aligning inputs",
  TARGET_POWER: "the target fails Numerai's pow 1.5 check",
  TOP_BOTTOM_TOO_LARGE: "topBottom needs more rows than the era has",
  // report
  CHART_FAILED: "a chart could not be rendered",
  OUT_DIR_IS_FILE: "the output directory is a file",
  OUT_DIR_NOT_REPORT: "the output directory holds something other than a report",
  WRITE_FAILED: "writing an output failed",
  // files and network
  IO: "reading or writing a file failed",
  CSV_SYNTAX: "a CSV file has an unterminated quote, a ragged line or a duplicate header",
  SIDECAR_MISMATCH: "a CSV type sidecar does not belong to its data file, or a value does not fit its declared type",
  HTTP_STATUS: "a server answered with an error status",
  NETWORK: "a connection failed, timed out or was aborted",
  INVALID_RESPONSE: "a server answered in an unexpected shape",
  GRAPHQL: "Numerai's GraphQL API returned errors",
  BYBIT_API: "Bybit returned a non-zero retCode",
  INCOMPLETE_DOWNLOAD: "a download ended short of its expected size",
  DATASET_NOT_FOUND: "a dataset file is not offered for the tournament and round",
  MISSING_CREDENTIALS: "an API key or secret is not set in the environment",
  UNKNOWN_TOURNAMENT: "a tournament is not classic, signals or crypto",
  // submissions
  INVALID_SUBMISSION: "a submission breaks one or more of Numerai's rules",
  UNKNOWN_MODEL: "the account has no model of that name",
  SUBMIT_RESOLVE_MODEL: "submit could not list the account's models to resolve a model name",
  SUBMIT_WRITE_FILE: "submit could not write the submission file",
  SUBMIT_UPLOAD_AUTH: "submit's upload-auth step (asking for a signed upload URL) failed",
  SUBMIT_UPLOAD: "submit's PUT of the file to the signed URL failed",
  SUBMIT_CREATE: "submit uploaded the file but registering it (the create step) failed",
  BAD_STATUS: "an upload step answered with an unexpected status",
  // exchange (live orders)
  MISSING_INSTRUMENT: "a symbol to trade has no contract specification (qtyStep, minimums, tickSize)",
  MISSING_PRICE: "a symbol to trade has no usable last price",
  ORDER_UNCONFIRMED: "an order request got no clear answer; it must be looked up by its orderLinkId before any resend",
  POSITION_MODE: "a position is in hedge mode; only one-way mode is supported",
  JOURNAL_MISMATCH: "a journal records a different plan under the same plan id",
} as const;

/** A stable error code: the machine-readable half of every nmrblox error. */
export type ErrorCode = keyof typeof ERROR_CODES;

/**
 * True when `value` is one of the stable error codes, e.g. to check a code read from a JSON
 * error document before switching on it.
 *
 * @param value - anything
 * @returns whether `value` is a key of {@link ERROR_CODES}
 * @throws never throws
 * @example
 * [isErrorCode("MISSING_COLUMN"), isErrorCode("nope")]; // [true, false]
 */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(ERROR_CODES, value);
}
