/**
 * Transport plumbing shared with nmrblox's own packages (the exchange client signs its own
 * requests but must retry, time out, rate-limit and redact exactly like the public clients).
 * Not part of the public API; it may change in any release.
 */
export {
  requestWithRetry,
  requestJson,
  fetchWithRetry,
  type AttemptContext,
  type FetchWithRetryOptions,
} from "./fetch-with-retry.js";
export { RetryableFailure, withRetry, backoffDelay, type RetryLoopOptions } from "./retry.js";
export { nodeHttpFetch } from "./node-http-fetch.js";
export { sleep } from "./sleep.js";
export { publicUrl, redactSecrets } from "./redact.js";
