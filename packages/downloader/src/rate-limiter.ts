import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { abortable, sleep } from "./sleep.js";

/** Options of `new RateLimiter()`. */
export const rateLimiterOptions = z.strictObject({
  /** Sustained request rate, requests per second (finite; use a large value such as 1e6 to stop limiting). */
  maxRequestsPerSecond: z.number().positive().default(20),
  /** Requests that may go out back to back after a quiet spell; defaults to one second's worth. */
  burst: z.number().int().positive().optional(),
});
/** Options of `new RateLimiter()`, as callers give them. */
export type RateLimiterOptions = z.input<typeof rateLimiterOptions>;

/**
 * A token bucket shared by every request of a client: `acquire()` resolves when a request may
 * go out, in FIFO order. `pauseFor(ms)` holds every caller (a rate-limit ban applies to the
 * whole IP, so all sessions must stop, not only the one that was refused).
 *
 * @example
 * const limiter = new RateLimiter({ maxRequestsPerSecond: 20 });
 * await limiter.acquire(); // then send the request
 */
export class RateLimiter {
  readonly maxRequestsPerSecond: number;
  readonly #capacity: number;
  #tokens: number;
  #last = Date.now();
  #pausedUntil = 0;
  #tail: Promise<void> = Promise.resolve();

  /**
   * @param options - `maxRequestsPerSecond` (default 20) and `burst`
   * @throws InvalidOptionError for an unknown or invalid option
   */
  constructor(options: RateLimiterOptions = {}) {
    const opts = parseOptions(rateLimiterOptions, options, "RateLimiter");
    this.maxRequestsPerSecond = opts.maxRequestsPerSecond;
    this.#capacity = opts.burst ?? Math.max(1, Math.min(1e9, Math.floor(opts.maxRequestsPerSecond)));
    this.#tokens = this.#capacity;
  }

  /**
   * Resolves when the next request may be sent; rejects with the signal's reason as soon as it
   * aborts (a caller waiting out a ban can still be cancelled), giving its turn to the next.
   */
  acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.maxRequestsPerSecond === Infinity && this.#pausedUntil <= Date.now()) return Promise.resolve();
    const turn = this.#tail.then(() => this.#take(signal));
    this.#tail = turn.catch(() => undefined);
    return abortable(turn, signal);
  }

  /** Holds every request for at least `ms` milliseconds from now. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, Date.now() + ms);
  }

  async #take(signal?: AbortSignal): Promise<void> {
    for (;;) {
      if (signal?.aborted) throw signal.reason;
      const now = Date.now();
      if (now < this.#pausedUntil) {
        await sleep(this.#pausedUntil - now, signal);
        continue;
      }
      if (this.maxRequestsPerSecond === Infinity) return;
      this.#tokens = Math.min(this.#capacity, this.#tokens + ((now - this.#last) * this.maxRequestsPerSecond) / 1000);
      this.#last = now;
      if (this.#tokens >= 1) {
        this.#tokens -= 1;
        return;
      }
      await sleep(Math.max(1, Math.ceil(((1 - this.#tokens) * 1000) / this.maxRequestsPerSecond)), signal);
    }
  }
}
