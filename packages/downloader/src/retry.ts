import { type NumerFrameError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { abortable, sleep } from "./sleep.js";

/** Retry policy: how many retries after the first attempt, and the backoff bounds in milliseconds. */
export const retryOptions = z.strictObject({
  /** Retries after the first attempt (so `retries + 1` attempts in all). */
  retries: z.number().int().min(0).default(4),
  /** Backoff base, ms: attempt k (0-based) waits about `baseDelayMs * 2^k`, with jitter. */
  baseDelayMs: z.number().min(0).default(500),
  /** Cap on the exponential backoff, ms (a server's Retry-After may ask for longer). */
  maxDelayMs: z.number().min(0).default(30_000),
});
/** Retry policy as callers give it; every field optional. */
export type RetryOptions = { retries?: number; baseDelayMs?: number; maxDelayMs?: number };

/** What `onRetry` is told before each wait: no secrets, URL without query string. */
export interface RetryInfo {
  /** 1 for the first retry. */
  attempt: number;
  /** Retries allowed in all. */
  retries: number;
  /** The wait before the next attempt, ms (backoff with jitter, at least any Retry-After). */
  delayMs: number;
  /** Why the attempt failed, e.g. "HTTP 503", "connection dropped", "Bybit retCode 10006". */
  reason: string;
  /** The request URL without query string. */
  url: string;
  /** The HTTP status, when the attempt got one. */
  status?: number;
}

/**
 * Exponential backoff with "equal jitter": half of `min(maxDelayMs, baseDelayMs * 2^attempt)`
 * fixed, the other half uniformly random, so synchronized clients spread out.
 *
 * @param attempt - 0 for the wait after the first failure
 * @param options - `baseDelayMs` (default 500) and `maxDelayMs` (default 30 000); `retries` is ignored
 * @param random - a uniform source in [0, 1), for tests
 * @returns the wait in milliseconds
 * @throws InvalidOptionError for an unknown or negative option
 * @example
 * backoffDelay(3, { baseDelayMs: 100 }, () => 0.5); // 600: 800 / 2 + 0.5 * 800 / 2
 */
export function backoffDelay(attempt: number, options: RetryOptions = {}, random: () => number = Math.random): number {
  const policy = parseOptions(retryOptions, options, "backoffDelay");
  return jitteredDelay(attempt, policy.baseDelayMs, policy.maxDelayMs, random);
}

function jitteredDelay(attempt: number, base: number, cap: number, random: () => number): number {
  const exp = Math.min(cap, base * 2 ** attempt);
  return exp / 2 + (random() * exp) / 2;
}

/**
 * A Retry-After header in milliseconds: delta-seconds ("120", fractions accepted) or an HTTP
 * date; undefined when absent or unreadable.
 *
 * @param value - the header's value
 * @param now - the current time, ms (for HTTP dates)
 * @returns the wait in milliseconds, or undefined
 * @throws nothing: an unreadable value is undefined
 * @example
 * parseRetryAfter("0.5"); // 500
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value === null || value === undefined || value.trim() === "") return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * Thrown inside an attempt to ask for another one. `error` is what the caller finally sees if
 * every retry fails; `minDelayMs` is a floor on the next wait (Retry-After, ban cool-down).
 */
export class RetryableFailure extends Error {
  constructor(
    readonly error: NumerFrameError,
    readonly reason: string,
    readonly minDelayMs = 0,
    readonly status?: number,
  ) {
    super(error.message);
  }
}

export interface RetryLoopOptions extends RetryOptions {
  url: string;
  onRetry?: (info: RetryInfo) => void;
  /** Called with each wait before it starts (e.g. to pause a shared rate limiter). */
  onWait?: (delayMs: number, failure: RetryableFailure) => void;
  /** Upper bound on a server-requested wait, ms. */
  maxRetryAfterMs?: number;
  signal?: AbortSignal;
  /** Replaces the timer, e.g. in tests that check the waits (an abort of `signal` still ends it). */
  sleep?: (ms: number) => Promise<void>;
  /** An absolute deadline (epoch ms): a wait that would cross it fails at once with `onDeadline`. */
  deadlineAt?: number;
  /** The error thrown when the next wait would cross `deadlineAt`, given the last failure. */
  onDeadline?: (last: NumerFrameError) => Error;
}

/**
 * Runs `attempt` until it resolves, throws a non-retryable error (rethrown as is), or has
 * failed `retries + 1` times with RetryableFailure (its `error` is thrown).
 */
export async function withRetry<T>(attempt: (n: number) => Promise<T>, options: RetryLoopOptions): Promise<T> {
  const policy = parseOptions(
    retryOptions,
    { retries: options.retries, baseDelayMs: options.baseDelayMs, maxDelayMs: options.maxDelayMs },
    "retry",
  );
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (!(err instanceof RetryableFailure)) throw err;
      if (n >= policy.retries) throw err.error;
      const floor = Math.min(err.minDelayMs, options.maxRetryAfterMs ?? 15 * 60_000);
      const delayMs = Math.max(jitteredDelay(n, policy.baseDelayMs, policy.maxDelayMs, Math.random), floor);
      options.onWait?.(delayMs, err);
      options.onRetry?.({
        attempt: n + 1,
        retries: policy.retries,
        delayMs,
        reason: err.reason,
        url: options.url,
        ...(err.status !== undefined ? { status: err.status } : {}),
      });
      if (options.deadlineAt !== undefined && Date.now() + delayMs >= options.deadlineAt) {
        // Waiting would only end at the deadline: fail now, with the last failure as cause.
        throw options.onDeadline ? options.onDeadline(err.error) : err.error;
      }
      await (options.sleep ? abortable(options.sleep(delayMs), options.signal) : sleep(delayMs, options.signal));
    }
  }
}
