/**
 * Error classes of @nmrblox/downloader. Every one extends the nmrblox root `NumerFrameError`
 * with a stable code from the one `ErrorCode` union; messages name the option, symbol, date,
 * tournament or file at fault and never contain credentials or signed URL query strings.
 * Bad options are numerframe's `InvalidOptionError` (code INVALID_OPTION).
 */
import { type ErrorCode, type ErrorLocation, NumerFrameError } from "@nmrblox/numerframe";

/** Base class of every downloader error; `code` is stable, the message is for people. */
export class DownloaderError extends NumerFrameError {
  /**
   * @param code - the stable code
   * @param message - a sentence for people
   * @param where - the option, symbol, date or file at fault
   * @param options - the underlying cause
   */
  constructor(code: ErrorCode, message: string, where: ErrorLocation = {}, options?: { cause?: unknown }) {
    super(code, message, where, options);
  }
}

/** A tournament name or id that is not classic (8), signals (11) or crypto (12). */
export class UnknownTournamentError extends DownloaderError {
  readonly tournament: string;

  /** @param tournament - what was given */
  constructor(tournament: unknown) {
    super(
      "UNKNOWN_TOURNAMENT",
      `unknown tournament ${JSON.stringify(tournament)}: use "classic" (8), "signals" (11) or "crypto" (12)`,
      { option: "tournament" },
    );
    this.tournament = String(tournament);
  }
}

/** A date range whose end lies before its start. No request was made. */
export class InvalidDateRangeError extends DownloaderError {
  readonly start: string;
  readonly end: string;

  /**
   * @param start - the range's start, ISO time
   * @param end - the range's end, ISO time
   * @param context - the call, e.g. "klines BTCUSDT"
   */
  constructor(start: string, end: string, context: string) {
    super("INVALID_DATE_RANGE", `${context}: end ${end} is before start ${start}`, { option: "end", date: end.slice(0, 10) });
    this.start = start;
    this.end = end;
  }
}

/** A dataset file that listDatasets does not offer for this tournament and round. */
export class DatasetNotFoundError extends DownloaderError {
  readonly filename: string;
  readonly tournament: number;

  /**
   * @param filename - the dataset path asked for (or a description of what was looked for)
   * @param tournament - the tournament id
   * @param available - what listDatasets offers
   * @param round - the round, when one was given
   */
  constructor(filename: string, tournament: number, available: readonly string[], round?: number) {
    const shown = available.slice(0, 12).join(", ") + (available.length > 12 ? ", ..." : "");
    super(
      "DATASET_NOT_FOUND",
      `dataset "${filename}" is not listed for tournament ${tournament}${round === undefined ? "" : ` round ${round}`} (listed: ${shown || "none"})`,
      { path: filename },
    );
    this.filename = filename;
    this.tournament = tournament;
  }
}

/** An operation needs Numerai API keys and none were given (options or environment). */
export class MissingCredentialsError extends DownloaderError {
  /** @param operation - the call that needs the keys */
  constructor(operation: string) {
    super(
      "MISSING_CREDENTIALS",
      `${operation} needs Numerai API keys: pass publicId and secretKey, or set NUMERAI_PUBLIC_ID and NUMERAI_SECRET_KEY`,
      { option: "secretKey" },
    );
  }
}

/** An HTTP answer with a failing status after all retries; `url` has no query string. */
export class HttpError extends DownloaderError {
  readonly status: number;
  readonly url: string;

  /**
   * @param status - the HTTP status
   * @param url - the URL without its query string
   * @param detail - the start of the body, secrets removed
   */
  constructor(status: number, url: string, detail = "") {
    super("HTTP_STATUS", `HTTP ${status} from ${url}${detail ? `: ${detail}` : ""}`);
    this.status = status;
    this.url = url;
  }
}

/** The connection failed, dropped or timed out (after all retries); `url` has no query string. */
export class NetworkError extends DownloaderError {
  readonly url: string;

  /**
   * @param url - the URL without its query string
   * @param message - what went wrong
   * @param options - the underlying cause
   */
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super("NETWORK", `${message} (${url})`, {}, options);
    this.url = url;
  }
}

/** A body that is not the JSON shape the service documents (invalid JSON, missing fields). */
export class InvalidResponseError extends DownloaderError {
  readonly url: string;

  /**
   * @param url - the URL without its query string
   * @param message - what is wrong with the body
   */
  constructor(url: string, message: string) {
    super("INVALID_RESPONSE", `invalid response from ${url}: ${message}`);
    this.url = url;
  }
}

/** One GraphQL error as Numerai returns it (`errors: [{message, ...}]`). */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  [key: string]: unknown;
}

/** Numerai answered with GraphQL `errors` (or a `detail` message); `operationName` says which call. */
export class NumeraiGraphQLError extends DownloaderError {
  readonly operationName: string;
  readonly errors: readonly GraphQLErrorEntry[];

  /**
   * @param operationName - the GraphQL operation
   * @param errors - the server's errors, secrets removed
   */
  constructor(operationName: string, errors: readonly GraphQLErrorEntry[]) {
    super("GRAPHQL", `Numerai GraphQL ${operationName} failed: ${errors.map((e) => e.message).join("; ")}`);
    this.operationName = operationName;
    this.errors = errors;
  }
}

/** Bybit answered with a non-zero `retCode` (after retries for 10006 rate limits). */
export class BybitApiError extends DownloaderError {
  readonly retCode: number;
  readonly retMsg: string;
  readonly url: string;

  /**
   * @param retCode - Bybit's code
   * @param retMsg - Bybit's message
   * @param url - the URL without its query string
   * @param symbol - the exchange symbol asked about, when there was one
   */
  constructor(retCode: number, retMsg: string, url: string, symbol?: string) {
    super(
      "BYBIT_API",
      `Bybit retCode ${retCode} (${retMsg}) from ${url}${symbol === undefined ? "" : ` for ${symbol}`}`,
      symbol === undefined ? {} : { symbol },
    );
    this.retCode = retCode;
    this.retMsg = retMsg;
    this.url = url;
  }
}

/** A downloaded file whose size does not match what the server announced. */
export class IncompleteDownloadError extends DownloaderError {
  readonly filename: string;
  readonly expectedBytes: number;
  readonly receivedBytes: number;

  /**
   * @param filename - the dataset path (never the signed URL)
   * @param expectedBytes - the announced size
   * @param receivedBytes - the size received
   */
  constructor(filename: string, expectedBytes: number, receivedBytes: number) {
    super("INCOMPLETE_DOWNLOAD", `${filename}: received ${receivedBytes} bytes, expected ${expectedBytes}`, { path: filename });
    this.filename = filename;
    this.expectedBytes = expectedBytes;
    this.receivedBytes = receivedBytes;
  }
}

/** A call ran past its `deadlineMs` (retries and waits included); nothing more is sent. */
export class DeadlineExceededError extends DownloaderError {
  readonly url: string;
  readonly deadlineMs: number;

  /**
   * @param url - the URL without its query string (or the call, e.g. "download live.parquet")
   * @param deadlineMs - the budget that ran out, ms
   * @param options - the last failure, when a retry wait would have crossed the deadline
   */
  constructor(url: string, deadlineMs: number, options?: { cause?: unknown }) {
    super("NETWORK", `deadline of ${deadlineMs} ms exceeded (${url})`, { option: "deadlineMs" }, options);
    this.url = url;
    this.deadlineMs = deadlineMs;
  }
}

/** Pagination that does not end: a cursor seen before (a cycle) or more pages than `maxPages`. */
export class PaginationError extends DownloaderError {
  readonly url: string;
  readonly pages: number;

  /**
   * @param url - the endpoint without query string
   * @param pages - pages fetched before stopping
   * @param why - "cursor cycle" or "page limit"
   * @param symbol - the exchange symbol asked about, when there was one
   */
  constructor(url: string, pages: number, why: string, symbol?: string) {
    super("INVALID_RESPONSE", `${url}: pagination stopped after ${pages} pages (${why})${symbol === undefined ? "" : ` for ${symbol}`}`, {
      option: "maxPages",
      ...(symbol === undefined ? {} : { symbol }),
    });
    this.url = url;
    this.pages = pages;
  }
}

/** An answer larger than `maxResponseBytes`; it was not read further. */
export class ResponseTooLargeError extends DownloaderError {
  readonly url: string;
  readonly maxBytes: number;

  /**
   * @param url - the URL without its query string
   * @param maxBytes - the cap
   */
  constructor(url: string, maxBytes: number) {
    super("INVALID_RESPONSE", `answer from ${url} is larger than maxResponseBytes (${maxBytes} bytes)`, { option: "maxResponseBytes" });
    this.url = url;
    this.maxBytes = maxBytes;
  }
}

/** A name from a server (dataset path, exchange symbol) that would escape its folder or is not a plain name. */
export class UnsafeNameError extends DownloaderError {
  readonly unsafeName: string;

  /**
   * @param name - the name as received
   * @param what - what it names, e.g. "dataset path", "exchange symbol"
   */
  constructor(name: string, what: string) {
    super("INVALID_RESPONSE", `unsafe ${what} ${JSON.stringify(name.slice(0, 200))}: it cannot become a file name (no "..", "/", "\\", control characters or absolute paths)`, {
      path: name.slice(0, 200),
      ...(what === "exchange symbol" ? { symbol: name.slice(0, 200) } : {}),
    });
    this.unsafeName = name;
  }
}

/** A downloaded file whose checksum differs from the one the server announced. */
export class ChecksumMismatchError extends DownloaderError {
  readonly filename: string;

  /**
   * @param filename - the dataset path (never the signed URL)
   * @param algorithm - e.g. "sha256"
   * @param expected - the announced digest
   * @param actual - the digest of the bytes received
   */
  constructor(filename: string, algorithm: string, expected: string, actual: string) {
    super("INCOMPLETE_DOWNLOAD", `${filename}: ${algorithm} ${actual} differs from the announced ${expected}`, { path: filename });
    this.filename = filename;
  }
}
