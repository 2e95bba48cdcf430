import { NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { DeadlineExceededError, HttpError, InvalidResponseError, NetworkError, ResponseTooLargeError } from "./errors.js";
import { RateLimiter } from "./rate-limiter.js";
import { longestSecret, publicUrl, redactAndClip, redactSecrets } from "./redact.js";
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
  /**
   * Overall budget of the call, ms: every attempt, body read and retry wait included. When it
   * runs out (or a retry wait would cross it) the call fails with DeadlineExceededError.
   */
  deadlineMs?: number;
  /** Told about each retry before its wait; no secrets, URL without query string. */
  onRetry?: (info: RetryInfo) => void;
  /** A shared rate limiter: every attempt waits for a token; server-requested waits pause it. */
  limiter?: RateLimiter;
  /**
   * When set, an HTTP 403 whose body says the IP is rate-limited (Bybit: "access too frequent")
   * counts as a ban and is retried after at least this many ms; any other 403 fails at once.
   */
  banDelayMs?: number;
  /** Upper bound on a wait requested by the server (Retry-After, ban), ms; default 15 min. */
  maxRetryAfterMs?: number;
  /** Largest JSON answer read, bytes (default 64 MiB); a larger one is ResponseTooLargeError. */
  maxResponseBytes?: number;
  /** Strings to scrub from every message (API keys). */
  secrets?: readonly (string | undefined)[];
  /** Replaces the backoff timer, e.g. to observe waits in tests (an abort still ends the wait). */
  sleep?: (ms: number) => Promise<void>;
  /** Aborts the call: the request, a body read, a rate-limiter wait or a retry wait. */
  signal?: AbortSignal;
  /** @internal An absolute deadline (epoch ms) shared by the requests of one larger call. */
  deadlineAt?: number;
}

const fn = <T>() => z.custom<T>((v) => typeof v === "function", "must be a function");

/** The schema of FetchWithRetryOptions, checked by `fetchWithRetry`. */
export const fetchWithRetryOptions = retryOptions.partial().extend({
  fetch: fn<typeof fetch>().optional(),
  timeoutMs: z.number().positive().optional(),
  deadlineMs: z.number().positive().optional(),
  onRetry: fn<(info: RetryInfo) => void>().optional(),
  limiter: z.instanceof(RateLimiter).optional(),
  banDelayMs: z.number().min(0).optional(),
  maxRetryAfterMs: z.number().min(0).optional(),
  maxResponseBytes: z.number().int().positive().optional(),
  secrets: z.array(z.union([z.string(), z.undefined()])).optional(),
  sleep: fn<(ms: number) => Promise<void>>().optional(),
  signal: z.instanceof(AbortSignal).optional(),
  deadlineAt: z.number().optional(),
});

/** Hooks an attempt's body reader gets: `touch()` restarts the stall timer. */
export interface AttemptContext {
  attempt: number;
  touch(): void;
  /** Aborts with the call (outer signal, deadline); for reads outside fetch. */
  signal: AbortSignal;
}

const RETRY_STATUSES = new Set([408, 425, 429, 500, 502, 503, 504]);
/** Characters of an error body shown in a message (after redaction). */
export const ERROR_BODY_CHARS = 300;
/** Bytes of an error body read at most. */
const ERROR_BODY_BYTES = 64 * 1024;
export const DEFAULT_MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

/**
 * Bybit's IP ban answers HTTP 403 with "access too frequent" (or a rate-limit retCode); a 403 for
 * any other reason (a blocked region, a proxy) is not a ban and must not be waited out.
 *
 * @param body - the start of the 403 body
 * @returns true when the body says the IP is rate-limited
 * @throws nothing
 * @example
 * isBybitBanBody('{"retCode":403,"retMsg":"access too frequent"}'); // true
 */
export function isBybitBanBody(body: string): boolean {
  return /too\s+frequent|rate[\s-]?limit|too many (visits|requests)|"retCode"\s*:\s*(10006|10018)\b/i.test(body);
}

/**
 * GETs or POSTs `url`, retrying with exponential backoff and jitter on HTTP 5xx, 408, 429
 * (honouring Retry-After), dropped connections and timeouts. Resolves with the first 2xx
 * Response (its body unread); any other status becomes an HttpError whose `url` has no query
 * string. An abort of `init.signal` (or `options.signal`) stops at once, even during a wait.
 *
 * @param url - the URL (a signed query string never appears in errors)
 * @param init - method, headers, body and signal, as for fetch
 * @param options - retry policy, timeout, deadline, fetch, rate limiter and secrets to scrub
 * @returns the first 2xx Response, body unread
 * @throws InvalidOptionError for an unknown or invalid option (no request is made)
 * @throws HttpError for a failing status after the retries (at once for 4xx other than 408/429)
 * @throws NetworkError when the connection fails or times out on every attempt;
 *   DeadlineExceededError when `deadlineMs` runs out
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

/** A signal aborting with the outer signal or, at `deadlineAt`, with DeadlineExceededError. */
function callSignal(
  outer: AbortSignal | undefined,
  deadlineAt: number | undefined,
  deadlineMs: number,
  shownUrl: string,
): { signal: AbortSignal; dispose(): void } {
  const ctl = new AbortController();
  const onAbort = () => ctl.abort(outer!.reason);
  if (outer?.aborted) ctl.abort(outer.reason);
  else outer?.addEventListener("abort", onAbort, { once: true });
  let timer: ReturnType<typeof setTimeout> | undefined;
  if (deadlineAt !== undefined && !ctl.signal.aborted) {
    const left = deadlineAt - Date.now();
    const expire = () => ctl.abort(new DeadlineExceededError(shownUrl, deadlineMs));
    if (left <= 0) expire();
    else timer = setTimeout(expire, left);
  }
  return {
    signal: ctl.signal,
    dispose: () => {
      clearTimeout(timer);
      outer?.removeEventListener("abort", onAbort);
    },
  };
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
  const deadlineAt = options.deadlineAt ?? (options.deadlineMs !== undefined ? Date.now() + options.deadlineMs : undefined);
  const deadlineMs = options.deadlineMs ?? (deadlineAt !== undefined ? Math.max(0, deadlineAt - Date.now()) : 0);
  const outer = options.signal ?? (typeof init !== "function" ? (init.signal ?? undefined) : undefined);
  const call = callSignal(outer, deadlineAt, deadlineMs, shownUrl);
  const scrub = (s: string) => redactSecrets(s, secrets);

  const attempt = async (n: number): Promise<T> => {
    const req = typeof init === "function" ? await init(n) : init;
    const reqSignal = req.signal ?? undefined;
    if (call.signal.aborted) throw call.signal.reason;
    if (reqSignal?.aborted) throw reqSignal.reason;
    await options.limiter?.acquire(call.signal);
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
    const onCallAbort = () => controller.abort(call.signal.reason);
    const onReqAbort = () => controller.abort(reqSignal?.reason);
    call.signal.addEventListener("abort", onCallAbort, { once: true });
    reqSignal?.addEventListener("abort", onReqAbort, { once: true });
    touch();
    const failure = (err: unknown, stage: string): unknown => {
      if (call.signal.aborted) return call.signal.reason;
      if (reqSignal?.aborted) return reqSignal.reason;
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
      if (!res.ok) {
        try {
          throw await statusFailure(res, shownUrl, options);
        } catch (err) {
          throw failure(err, "connection dropped while reading the error body");
        }
      }
      if (!holdTimer) clearTimeout(timer);
      try {
        return await read(res, { attempt: n, touch, signal: call.signal });
      } catch (err) {
        throw failure(err, "connection dropped while reading the body");
      }
    } finally {
      clearTimeout(timer);
      call.signal.removeEventListener("abort", onCallAbort);
      reqSignal?.removeEventListener("abort", onReqAbort);
    }
  };

  try {
    return await withRetry(attempt, {
      ...options,
      url: shownUrl,
      signal: call.signal,
      ...(deadlineAt !== undefined ? { deadlineAt } : {}),
      onDeadline: (last) => new DeadlineExceededError(shownUrl, deadlineMs, { cause: last }),
      onWait: (delayMs, failure) => {
        if (failure.minDelayMs > 0) options.limiter?.pauseFor(delayMs);
      },
    });
  } finally {
    call.dispose();
  }
}

/**
 * Reads a body as text, at most `maxBytes` bytes; `cut` says whether more was left unread.
 *
 * @param res - the response
 * @param maxBytes - the cap
 * @returns the text read and whether the body went on
 */
export async function readTextCapped(res: Response, maxBytes: number): Promise<{ text: string; cut: boolean; bytes: number }> {
  if (!res.body) return { text: "", cut: false, bytes: 0 };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let bytes = 0;
  let cut = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (bytes + value.byteLength > maxBytes) {
      chunks.push(value.subarray(0, maxBytes - bytes));
      bytes = maxBytes;
      cut = true;
      await reader.cancel().catch(() => undefined);
      break;
    }
    chunks.push(value);
    bytes += value.byteLength;
  }
  const all = new Uint8Array(bytes);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.byteLength;
  }
  // A multi-byte character cut at the cap decodes to U+FFFD; harmless in a message.
  return { text: new TextDecoder().decode(all), cut, bytes };
}

/**
 * Reads a JSON body inside the retried attempt: invalid JSON and truncated bodies are retried,
 * then raise InvalidResponseError / NetworkError; a body above `maxResponseBytes` is
 * ResponseTooLargeError at once. `validate` may throw RetryableFailure.
 */
export async function requestJson<T>(
  url: string,
  init: RequestInit,
  options: FetchWithRetryOptions,
  validate: (json: unknown, res: Response) => T,
): Promise<T> {
  const shownUrl = publicUrl(url);
  const cap = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return requestWithRetry(url, init, options, async (res) => {
    const announced = Number(res.headers.get("content-length") ?? Number.NaN);
    if (announced > cap) {
      await res.body?.cancel().catch(() => undefined);
      throw new ResponseTooLargeError(shownUrl, cap);
    }
    const { text, cut } = await readTextCapped(res, cap);
    if (cut) throw new ResponseTooLargeError(shownUrl, cap);
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

/** The start of an error body, redacted whole first, then shortened. */
async function errorDetail(res: Response, secrets: readonly (string | undefined)[]): Promise<{ raw: string; shown: string }> {
  try {
    // Read a little past the cap so a secret that starts before it is still seen whole.
    const { text, cut } = await readTextCapped(res, ERROR_BODY_BYTES + longestSecret(secrets));
    return { raw: text, shown: redactAndClip(text, secrets, ERROR_BODY_CHARS, cut).replace(/\s+/g, " ").trim() };
  } catch {
    // The status alone is informative enough when the body cannot be read.
    return { raw: "", shown: "" };
  }
}

async function statusFailure(res: Response, url: string, options: FetchWithRetryOptions): Promise<unknown> {
  const retryAfter = parseRetryAfter(res.headers.get("retry-after"));
  const secrets = options.secrets ?? [];
  if (res.status === 403 && options.banDelayMs !== undefined) {
    const { raw, shown } = await errorDetail(res, secrets);
    if (isBybitBanBody(raw)) {
      const floor = Math.max(options.banDelayMs, retryAfter ?? 0);
      return new RetryableFailure(new HttpError(403, url, "rate-limit ban"), "HTTP 403", floor, 403);
    }
    return new HttpError(403, url, shown);
  }
  if (RETRY_STATUSES.has(res.status) || res.status >= 500) {
    await res.body?.cancel().catch(() => undefined);
    const detail = res.status === 429 ? "too many requests" : "";
    return new RetryableFailure(new HttpError(res.status, url, detail), `HTTP ${res.status}`, retryAfter ?? 0, res.status);
  }
  return new HttpError(res.status, url, (await errorDetail(res, secrets)).shown);
}

/** A short description of a fetch failure, with the socket error code when undici gives one. */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = (err as { cause?: unknown }).cause;
  const code = cause && typeof cause === "object" && "code" in cause ? String((cause as { code: unknown }).code) : "";
  const causeMsg = cause instanceof Error ? cause.message : "";
  return [err.message, causeMsg, code].filter(Boolean).join(" / ");
}
