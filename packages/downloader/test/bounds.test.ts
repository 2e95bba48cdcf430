import { type FakeBybit, startFakeBybit, startLocalServer } from "@nmrblox/fixtures";
import { afterEach, describe, expect, it } from "vitest";
import {
  BybitClient,
  DeadlineExceededError,
  PaginationError,
  RateLimiter,
  ResponseTooLargeError,
  fetchWithRetry,
  isBybitBanBody,
} from "../src/index.js";

const DAY = 86_400_000;
const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 4 };
const fakes: Array<{ close(): Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});
async function bybit(options: Parameters<typeof startFakeBybit>[0] = {}): Promise<FakeBybit> {
  const f = await startFakeBybit({ lastDay: 20_000, contracts: [{ symbol: "BTCUSDT", launchDay: 19_000, close: (d) => d }], ...options });
  fakes.push(f);
  return f;
}

describe("every client call is bounded", () => {
  it("an abort ends a Retry-After: 3600 wait (the test's own timeout is the bound)", async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(429, { "retry-after": "3600" });
      res.end();
    });
    fakes.push(server);
    const controller = new AbortController();
    const waits: number[] = [];
    const err = await fetchWithRetry(`${server.url}/x`, { signal: controller.signal }, {
      ...fast,
      onRetry: (i) => {
        waits.push(i.delayMs);
        setTimeout(() => controller.abort(new Error("stopped by the caller")), 20);
      },
    }).catch((e: unknown) => e);
    expect((err as Error).message).toBe("stopped by the caller");
    expect(waits).toEqual([900_000]); // Retry-After 3600 s, capped at maxRetryAfterMs (15 min)
    expect(server.requests).toHaveLength(1);
  });

  it("an abort ends a rate-limiter pause (a ban holding every request)", async () => {
    const limiter = new RateLimiter({ maxRequestsPerSecond: 1000 });
    limiter.pauseFor(3_600_000);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("cancelled")), 20);
    await expect(limiter.acquire(controller.signal)).rejects.toThrow("cancelled");
  });

  it("a BybitClient signal aborts a 10-minute ban wait", async () => {
    const f = await bybit();
    f.faults.push({ target: "tickers", kind: "status", status: 403, body: { retMsg: "access too frequent" }, times: 5 });
    const controller = new AbortController();
    const c = new BybitClient({ baseUrl: f.url, retry: fast, signal: controller.signal, onRetry: () => setTimeout(() => controller.abort(new Error("user stop")), 20) });
    await expect(c.tickers()).rejects.toThrow("user stop");
    expect(f.count("/v5/market/tickers")).toBe(1);
  });

  it("a retry wait that would cross the deadline fails at once with DeadlineExceededError", async () => {
    const server = await startLocalServer((_req, res) => {
      res.writeHead(503, { "retry-after": "3600" });
      res.end();
    });
    fakes.push(server);
    const err = await fetchWithRetry(`${server.url}/x?sig=s`, {}, { ...fast, deadlineMs: 5_000 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as DeadlineExceededError).code).toBe("NETWORK");
    expect((err as DeadlineExceededError).url).toBe(`${server.url}/x`);
    expect(((err as Error).cause as { status?: number }).status).toBe(503);
    expect(server.requests).toHaveLength(1);
  });

  it("a server that never answers is cut by the deadline, not by the (long) per-attempt timeout", async () => {
    const f = await bybit();
    f.faults.push({ target: "tickers", kind: "silent" });
    const c = new BybitClient({ baseUrl: f.url, retry: fast, timeoutMs: 3_600_000, deadlineMs: 150 });
    const err = await c.tickers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeadlineExceededError);
    expect((err as DeadlineExceededError).option).toBe("deadlineMs");
  });

  it("a cursor that cycles is a PaginationError after the second sight, not an endless loop", async () => {
    const f = await bybit({
      handlers: [
        (req, res) => {
          if (!req.url?.startsWith("/v5/market/instruments-info")) return false;
          const cursor = new URL(req.url, "http://x").searchParams.get("cursor");
          const next = cursor === "a" ? "b" : "a"; // a, b, a, b, ...
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ retCode: 0, retMsg: "OK", result: { list: [], nextPageCursor: next } }));
          return true;
        },
      ],
    });
    const c = new BybitClient({ baseUrl: f.url, retry: fast });
    const err = await c.instruments().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).pages).toBe(3);
    expect(f.count("/v5/market/instruments-info")).toBe(3);
  });

  it("a cursor that never ends stops at maxPages", async () => {
    let n = 0;
    const f = await bybit({
      handlers: [
        (req, res) => {
          if (!req.url?.startsWith("/v5/market/instruments-info")) return false;
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ retCode: 0, retMsg: "OK", result: { list: [], nextPageCursor: `c${++n}` } }));
          return true;
        },
      ],
    });
    const c = new BybitClient({ baseUrl: f.url, retry: fast, maxPages: 25 });
    const err = await c.instruments().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect(f.count("/v5/market/instruments-info")).toBe(25);
  });

  it("a kline range needing more than maxPages windows is refused before any request", async () => {
    const f = await bybit();
    const c = new BybitClient({ baseUrl: f.url, retry: fast, maxPages: 10 });
    // 1-minute candles over 7 days = 10,080 candles = 11 windows of 1,000.
    const err = await c.klines({ symbol: "BTCUSDT", interval: "1", start: 19_500 * DAY, end: 19_507 * DAY - 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect((err as PaginationError).symbol).toBe("BTCUSDT");
    expect(f.count("/v5/market/kline")).toBe(0);
  });

  it("funding pages stop at maxPages", async () => {
    const f = await bybit({ contracts: [{ symbol: "BTCUSDT", launchDay: 19_000, close: () => 1, fundingHours: 1 }] });
    const c = new BybitClient({ baseUrl: f.url, retry: fast, maxPages: 2 });
    // 1-hour funding over 30 days = 720 settlements = 4 pages of 200.
    const err = await c.fundingHistory({ symbol: "BTCUSDT", start: 19_900 * DAY, end: 19_930 * DAY }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PaginationError);
    expect(f.count("/v5/market/funding/history")).toBe(2);
  });

  it("an answer above maxResponseBytes is ResponseTooLargeError, not retried", async () => {
    const f = await bybit({ contracts: Array.from({ length: 40 }, (_, i) => ({ symbol: `C${i}USDT`, launchDay: 19_000 })) });
    const c = new BybitClient({ baseUrl: f.url, retry: fast, maxResponseBytes: 2_000 });
    const err = await c.instruments().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ResponseTooLargeError);
    expect(f.count("/v5/market/instruments-info")).toBe(1);
    // The same through a caller's fetch (the cap is checked while reading the JSON).
    const c2 = new BybitClient({ baseUrl: f.url, retry: fast, maxResponseBytes: 2_000, fetch: globalThis.fetch });
    await expect(c2.instruments()).rejects.toBeInstanceOf(ResponseTooLargeError);
  });

  it("isBybitBanBody tells a rate-limit 403 from others", () => {
    expect(isBybitBanBody('{"retCode":403,"retMsg":"access too frequent"}')).toBe(true);
    expect(isBybitBanBody('{"retCode":10006,"retMsg":"x"}')).toBe(true);
    expect(isBybitBanBody("<html>The Amazon CloudFront distribution is configured to block access from your country.</html>")).toBe(false);
    expect(isBybitBanBody("")).toBe(false);
  });
});
