import { NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { HttpError, InvalidResponseError, NetworkError } from "./errors.js";
import { RateLimiter } from "./rate-limiter.js";
import { publicUrl, redactSecrets } from "./redact.js";
import { type RetryInfo, type RetryOptions, RetryableFailure, parseRetryAfter, retryOptions, withRetry } from "./retry.js";

/** Transport options shared by both clients; every field optional. */
export interface FetchWithRetryOptions extends RetryOptions {
  /** The fetch to use (tests, proxies); the global fetch by default. */
  fetch?: typeof fetch;
  /**
   * Per-attempt timeout, ms (default 30 000). For `fetchWithRetry` it covers the wait for the
   * response headers; for JSON requests the whole body too; for file downloads it is a stall
   * timeout, reset by every chunk received.
   */
  timeoutMs?: number;
  /** Told about each retry before its wait; no secrets, URL without query string. */
  onRetry?: (info: RetryInfo) => void;
  /** A shared rate limiter: every attempt waits for a token; server-requested waits pause it. */
  limiter?: RateLimiter;
  /**
   * When set, HTTP 403 counts as a rate-limit ban (Bybit: "access too frequent") and is retried
   * after at least this many ms; otherwise 403 fails at once.
   */
  banDelayMs?: number;
  /** Upper bound on a wait requested by the server (Retry-After, ban), ms; default 15 min. */
  maxRetryAfterMs?: number;
  /** Strings to scrub from every message (API keys). */
  secrets?: readonly (string | undefined)[];
  /** Replaces the backoff timer, e.g. to observe waits in tests. */
  sleep?: (ms: number) => Promise<void>;
}

const fn = <T>() => z.custom<T>((v) => typeof v === "function", "must be a function");

/** The schema of FetchWithRetryOptions, checked by `fetchWithRetry`. */
export const fetchWithRetryOptions = retryOptions.partial().extend({
  fetch: fn<typeof fetch>().optional(),
  timeoutMs: z.number().positive().optional(),
  onRetry: fn<(info: RetryInfo) => void>().optional(),
  limiter: z.instanceof(RateLimiter).optional(),
  banDelayMs: z.number().min(0).optional(),
  maxRetryAfterMs: z.number().min(0).optional(),
  secrets: z.array(z.union([z.string(), z.undefined()])).optional(),
  sleep: fn<(ms: number) => Promise<void>>().optional(),
});

/** Hooks an attempt's body reader gets: `touch()` restarts the stall timer. */
export interface AttemptContext {
  attempt: number;
  touch(): void;
}

const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * GETs or POSTs `url`, retrying with exponential backoff and jitter on HTTP 5xx, 408, 429
 * (honouring Retry-After), dropped connections and timeouts. Resolves with the first 2xx
 * Response (its body unread); any other status becomes an HttpError whose `url` has no query
 * string. An abort of `init.signal` stops at once.
 *
 * @param url - the URL (a signed query string never appears in errors)
 * @param init - method, headers, body and signal, as for fetch
 * @param options - retry policy, timeout, fetch, rate limiter and secrets to scrub
 * @returns the first 2xx Response, body unread
 * @throws InvalidOptionError for an unknown or invalid option (no request is made)
 * @throws HttpError for a failing status after the retries (at once for 4xx other than 408/429)
 * @throws NetworkError when the connection fails or times out on every attempt
 * @example
 * const res = await fetchWithRetry("https://example.com/file", { method: "GET" }, { retries: 2 });
 */
export async function fetchWithRetry(
  url: string,
  init: RequestInit,
  options: FetchWithRetryOptions = {},
): Promise<Response> {
  parseOptions(fetchWithRetryOptions, options, "fetchWithRetry");
  return requestWithRetry(url, init, options, async (res) => res, { holdTimer: false });
}

/**
 * Like fetchWithRetry, then reads the body inside the same attempt with `read`: a body cut
 * short, a stall or a RetryableFailure thrown by `read` (invalid JSON, rate-limit codes in the
 * body) retries the whole request.
 */
export async function requestWithRetry<T>(
  url: string,
  init: RequestInit | ((attempt: number) => RequestInit | Promise<RequestInit>),
  options: FetchWithRetryOptions,
  read: (res: Response, ctx: AttemptContext) => Promise<T>,
  { holdTimer = true }: { holdTimer?: boolean } = {},
): Promise<T> {
  const shownUrl = publicUrl(url);
  const secrets = options.secrets ?? [];
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const scrub = (s: string) => redactSecrets(s, secrets);

  const attempt = async (n: number): Promise<T> => {
    const req = typeof init === "function" ? await init(n) : init;
    await options.limiter?.acquire();
    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
      }, timeoutMs);
    };
    const outer = req.signal;
    const onOuterAbort = () => controller.abort(outer?.reason);
    if (outer?.aborted) throw outer.reason;
    outer?.addEventListener("abort", onOuterAbort, { once: true });
    touch();
    const failure = (err: unknown, stage: string): unknown => {
      if (outer?.aborted) return outer.reason;
      if (err instanceof RetryableFailure || NumerFrameError.isInstance(err)) return err;
      if (timedOut) {
        return new RetryableFailure(new NetworkError(shownUrl, `no answer within ${timeoutMs} ms`), "timeout");
      }
      const reason = `${stage}: ${scrub(describe(err))}`;
      return new RetryableFailure(new NetworkError(shownUrl, reason), reason);
    };
    try {
      let res: Response;
      try {
        res = await doFetch(url, { ...req, signal: controller.signal });
      } catch (err) {
        throw failure(err, "connection failed");
      }
      if (!res.ok) throw await statusFailure(res, shownUrl, options, scrub);
      if (!holdTimer) clearTimeout(timer);
      try {
        return await read(res, { attempt: n, touch });
      } catch (err) {
        throw failure(err, "connection dropped while reading the body");
      }
    } finally {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onOuterAbort);
    }
  };

  return withRetry(attempt, {
    ...options,
    url: shownUrl,
    ...(typeof init !== "function" && init.signal ? { signal: init.signal } : {}),
    onWait: (delayMs, failure) => {
      if (failure.minDelayMs > 0) options.limiter?.pauseFor(delayMs);
    },
  });
}

/**
 * Reads a JSON body inside the retried attempt: invalid JSON and truncated bodies are retried,
 * then raise InvalidResponseError / NetworkError. `validate` may throw RetryableFailure.
 */
export async function requestJson<T>(
  url: string,
  init: RequestInit,
  options: FetchWithRetryOptions,
  validate: (json: unknown, res: Response) => T,
): Promise<T> {
  const shownUrl = publicUrl(url);
  return requestWithRetry(url, init, options, async (res) => {
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      const err = new InvalidResponseError(shownUrl, `body is not JSON (${text.length} characters)`);
      throw new RetryableFailure(err, "invalid JSON");
    }
    return validate(json, res);
  });
}

async function statusFailure(
  res: Response,
  url: string,
  options: FetchWithRetryOptions,
  scrub: (s: string) => string,
): Promise<unknown> {
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  const isBan = res.status === 403 && options.banDelayMs !== undefined;
  if (RETRY_STATUSES.has(res.status) || res.status >= 500 || isBan) {
    await res.body?.cancel().catch(() => undefined);
    const floor = isBan ? Math.max(options.banDelayMs!, retryAfter ?? 0) : (retryAfter ?? 0);
    const detail = isBan ? "rate-limit ban" : res.status === 429 ? "too many requests" : "";
    return new RetryableFailure(new HttpError(res.status, url, detail), `HTTP ${res.status}`, floor, res.status);
  }
  let detail = "";
  try {
    detail = scrub((await res.text()).slice(0, 300)).replace(/\s+/g, " ").trim();
  } catch {
    // The status alone is informative enough when the body cannot be read.
  }
  return new HttpError(res.status, url, detail);
}

/** A short description of a fetch failure, with the socket error code when undici gives one. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : "";
  const causeMsg = cause instanceof Error ? cause.message : "";
  return [err.message, causeMsg, code].filter(Boolean).join(" / ");
}
