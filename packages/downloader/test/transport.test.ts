import { startLocalServer } from "@nmrblox/fixtures";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  HttpError,
  NetworkError,
  RateLimiter,
  type RetryInfo,
  backoffDelay,
  fetchWithRetry,
  parseRetryAfter,
} from "../src/index.js";

const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 4 };

describe("backoffDelay", () => {
  it("doubles per attempt with equal jitter and respects the cap", () => {
    expect(backoffDelay(0, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0)).toBe(50);
    expect(backoffDelay(0, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 1)).toBe(100);
    expect(backoffDelay(3, { baseDelayMs: 100, maxDelayMs: 10_000 }, () => 0.5)).toBe(600); // 800/2 + 0.5*800/2
    expect(backoffDelay(20, { baseDelayMs: 100, maxDelayMs: 1_000 }, () => 1)).toBe(1_000);
  });
});

describe("parseRetryAfter", () => {
  it("reads delta-seconds and HTTP dates", () => {
    expect(parseRetryAfter("3")).toBe(3000);
    expect(parseRetryAfter("0.5")).toBe(500);
    const now = Date.parse("2025-01-01T00:00:00Z");
    expect(parseRetryAfter("Wed, 01 Jan 2025 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });
});

describe("fetchWithRetry", () => {
  const servers: Array<{ close(): Promise<void> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it("retries a 500 and returns the following success", async () => {
    let n = 0;
    const server = await startLocalServer((_req, res) => {
      res.statusCode = n++ === 0 ? 500 : 200;
      res.end(n === 1 ? "boom" : "ok");
    });
    servers.push(server);
    const retries: RetryInfo[] = [];
    const res = await fetchWithRetry(`${server.url}/x?token=abc`, {}, { ...fast, onRetry: (i) => retries.push(i) });
    expect(await res.text()).toBe("ok");
    expect(server.requests).toHaveLength(2);
    expect(retries).toHaveLength(1);
    expect(retries[0]!.status).toBe(500);
    expect(retries[0]!.url).toBe(`${server.url}/x`);
  });

  it("honours Retry-After on 429 (the wait is at least the server's)", async () => {
    let n = 0;
    const server = await startLocalServer((_req, res) => {
      if (n++ === 0) {
        res.writeHead(429, { "retry-after": "7" });
        res.end();
      } else res.end("ok");
    });
    servers.push(server);
    const waits: number[] = [];
    const res = await fetchWithRetry(server.url, {}, { ...fast, sleep: async (ms) => void waits.push(ms) });
    expect(res.status).toBe(200);
    expect(waits).toEqual([7000]);
  });

  it("retries a dropped connection", async () => {
    let n = 0;
    const server = await startLocalServer((req, res) => {
      if (n++ === 0) req.socket.destroy();
      else res.end("ok");
    });
    servers.push(server);
    const retries: RetryInfo[] = [];
    const res = await fetchWithRetry(server.url, {}, { ...fast, onRetry: (i) => retries.push(i) });
    expect(await res.text()).toBe("ok");
    expect(retries[0]!.reason).toMatch(/connection failed/);
  });

  it("gives up after the retries with an HttpError without the query string", async () => {
    const server = await startLocalServer((_req, res) => {
      res.statusCode = 503;
      res.end();
    });
    servers.push(server);
    const err = await fetchWithRetry(`${server.url}/f?X-Amz-Signature=SECRETSIG`, {}, fast).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(503);
    expect((err as HttpError).url).toBe(`${server.url}/f`);
    expect(String((err as Error).message)).not.toContain("SECRETSIG");
    expect(server.requests).toHaveLength(4);
  });

  it("does not retry a 404 and reports the body", async () => {
    const server = await startLocalServer((_req, res) => {
      res.statusCode = 404;
      res.end("no such key");
    });
    servers.push(server);
    const err = await fetchWithRetry(server.url, {}, fast).catch((e: unknown) => e);
    expect((err as HttpError).code).toBe("HTTP_STATUS");
    expect((err as HttpError).message).toContain("no such key");
    expect(server.requests).toHaveLength(1);
  });

  it("times out a silent server and raises NetworkError after the retries", async () => {
    const server = await startLocalServer(() => {
      // never answers
    });
    servers.push(server);
    const err = await fetchWithRetry(server.url, {}, { retries: 1, baseDelayMs: 1, timeoutMs: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NetworkError);
    expect(server.requests).toHaveLength(2);
  });
});

describe("RateLimiter", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("holds every caller while paused, then releases them in order", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ maxRequestsPerSecond: 1000 });
    limiter.pauseFor(1000);
    const order: number[] = [];
    const a = limiter.acquire().then(() => order.push(1));
    const b = limiter.acquire().then(() => order.push(2));
    await vi.advanceTimersByTimeAsync(990);
    expect(order).toEqual([]);
    await vi.advanceTimersByTimeAsync(20);
    await Promise.all([a, b]);
    expect(order).toEqual([1, 2]);
  });

  it("lets a burst through and then spaces requests by the rate", async () => {
    vi.useFakeTimers();
    const limiter = new RateLimiter({ maxRequestsPerSecond: 10, burst: 2 });
    let passed = 0;
    for (let i = 0; i < 4; i++) void limiter.acquire().then(() => passed++);
    await vi.advanceTimersByTimeAsync(0);
    expect(passed).toBe(2);
    await vi.advanceTimersByTimeAsync(100);
    expect(passed).toBe(3);
    await vi.advanceTimersByTimeAsync(100);
    expect(passed).toBe(4);
  });
});
