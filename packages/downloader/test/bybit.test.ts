import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { type FakeBybit, type FakeBybitContract, startFakeBybit, withTempDir } from "@nmrblox/fixtures";
import { afterEach, describe, expect, it } from "vitest";
import {
  BybitApiError,
  BybitClient,
  HttpError,
  InvalidDateRangeError,
  InvalidOptionError,
  type ProgressEvent,
  loadBybitInstruments,
  loadBybitMarket,
  marketCachePath,
} from "../src/index.js";

const DAY = 86_400_000;
const fast = { retries: 4, baseDelayMs: 1, maxDelayMs: 4 };
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;

// Hand-checkable contracts: an 8-hour perp with rates 1, 2, 3 bp at 00:00, 08:00, 16:00 UTC,
// and an hourly perp paying 0.1 bp every hour; closes and turnovers are simple in the day.
const eightHour: FakeBybitContract = {
  symbol: "BTCUSDT",
  launchDay: day("2020-03-30"),
  fundingHours: 8,
  close: (d) => 1000 + d,
  turnover: (d) => 2 * d,
  rate: (ts) => [0.0001, 0.0002, 0.0003][(ts % DAY) / (8 * 3_600_000)]!,
};
const hourly: FakeBybitContract = {
  symbol: "1000PEPEUSDT",
  launchDay: day("2023-05-05"),
  fundingHours: 1,
  close: (d) => d / 1000,
  turnover: (d) => d,
  rate: () => 0.00001,
};

let fake: FakeBybit;
const started: FakeBybit[] = [];
async function start(lastDay = day("2024-12-31")): Promise<FakeBybit> {
  fake = await startFakeBybit({ contracts: [eightHour, hourly], lastDay, instrumentsPageSize: 2 });
  started.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});
const clientFor = (f: FakeBybit, extra: Record<string, unknown> = {}) =>
  new BybitClient({ baseUrl: f.url, retry: fast, banDelayMs: 2, maxRequestsPerSecond: 1000, ...extra });

describe("BybitClient", () => {
  it("follows instrument cursors until nextPageCursor is empty", async () => {
    const f = await startFakeBybit({
      contracts: Array.from({ length: 5 }, (_, i) => ({ ...eightHour, symbol: `C${i}USDT`, instrument: { priceFilter: { tickSize: "0.01" } } })),
      lastDay: day("2024-01-01"),
      instrumentsPageSize: 2,
    });
    started.push(f);
    const list = await clientFor(f).instruments({ category: "linear" });
    expect(list.map((i) => i.symbol)).toEqual(["C0USDT", "C1USDT", "C2USDT", "C3USDT", "C4USDT"]);
    expect(f.count("/v5/market/instruments-info")).toBe(3);
    expect(list[0]!.fundingInterval).toBe(480);
    expect(list[0]!.priceFilter).toEqual({ tickSize: "0.01" });
  });

  it("returns klines ascending across 1000-row windows, without duplicates or gaps", async () => {
    const f = await start();
    const c = clientFor(f);
    const rows = await c.klines({ symbol: "BTCUSDT", interval: "D", start: "2020-01-01", end: "2024-12-31" });
    // Listed 2020-03-30: every day from then to 2024-12-31 inclusive.
    const first = day("2020-03-30");
    const last = day("2024-12-31");
    expect(rows).toHaveLength(last - first + 1);
    rows.forEach((k, i) => {
      expect(k.startTime).toBe((first + i) * DAY);
      expect(k.close).toBe(1000 + first + i);
    });
    // 1827 days from 2020-01-01 → two windows of 1000 days.
    expect(f.count("/v5/market/kline")).toBe(2);
  });

  it("walks funding history backwards by endTime, 200 a page, deduplicated and ascending", async () => {
    const f = await start();
    const c = clientFor(f);
    const rows = await c.fundingHistory({ symbol: "1000PEPEUSDT", start: "2024-01-01", end: Date.parse("2024-01-31T23:59:59.999Z") });
    expect(rows).toHaveLength(31 * 24);
    expect(rows[0]!.fundingRateTimestamp).toBe(day("2024-01-01") * DAY);
    expect(rows.at(-1)!.fundingRateTimestamp).toBe(day("2024-01-31") * DAY + 23 * 3_600_000);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.fundingRateTimestamp - rows[i - 1]!.fundingRateTimestamp).toBe(3_600_000);
    expect(f.count("/v5/market/funding/history")).toBe(Math.ceil(744 / 200));
  });

  it("retries 10006, a 403 ban, a 500, a truncated body and invalid JSON", async () => {
    const f = await start();
    f.faults.push(
      { target: "/v5/market/kline", kind: "retcode", retCode: 10006 },
      { target: "/v5/market/kline", kind: "status", status: 403, body: { error: "access too frequent" } },
      { target: "/v5/market/kline", kind: "status", status: 502 },
      { target: "/v5/market/kline", kind: "truncate" },
    );
    const reasons: string[] = [];
    const c = clientFor(f, { onRetry: (i: { reason: string }) => reasons.push(i.reason) });
    const rows = await c.klines({ symbol: "BTCUSDT", interval: "D", start: "2024-01-01", end: "2024-01-10" });
    expect(rows.map((k) => k.close)).toEqual(Array.from({ length: 10 }, (_, i) => 1000 + day("2024-01-01") + i));
    expect(reasons.slice(0, 3)).toEqual(["Bybit retCode 10006", "HTTP 403", "HTTP 502"]);
    expect(reasons[3]).toMatch(/terminated|connection dropped/);
    f.faults.push({ target: "/v5/market/tickers", kind: "bad-json" });
    const tickers = await c.tickers();
    expect(tickers.map((t) => t.symbol)).toEqual(["BTCUSDT", "1000PEPEUSDT"]);
    expect(tickers[0]!.lastPrice).toBe(String(1000 + day("2024-12-31")));
  });

  it("waits out a 403 ban for at least banDelayMs and gives up with HttpError 403", async () => {
    const f = await start();
    f.faults.push({ target: "/v5/market/tickers", kind: "status", status: 403, times: 3, body: { retCode: 403, retMsg: "access too frequent" } });
    const waits: number[] = [];
    const c = new BybitClient({ baseUrl: f.url, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, banDelayMs: 5, onRetry: (i) => waits.push(i.delayMs) });
    const err = await c.tickers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect(waits).toHaveLength(2);
    expect(waits.every((w) => w >= 5)).toBe(true);
  });

  it("a 403 that is not a rate-limit ban (a blocked region) fails at once, body shown", async () => {
    const f = await start();
    f.faults.push({ target: "/v5/market/tickers", kind: "status", status: 403, times: 3, body: { message: "The Amazon CloudFront distribution is configured to block access from your country." } });
    const waits: number[] = [];
    const c = new BybitClient({ baseUrl: f.url, retry: { retries: 2, baseDelayMs: 1, maxDelayMs: 2 }, banDelayMs: 600_000, onRetry: (i) => waits.push(i.delayMs) });
    const err = await c.tickers().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpError);
    expect((err as HttpError).status).toBe(403);
    expect((err as HttpError).message).toContain("block access from your country");
    expect(waits).toEqual([]);
    expect(f.count("/v5/market/tickers")).toBe(1);
  });

  it("raises BybitApiError for a non-retryable retCode", async () => {
    const f = await start();
    const err = await clientFor(f).klines({ symbol: "NOPEUSDT", interval: "D", start: "2024-01-01", end: "2024-01-02" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BybitApiError);
    expect((err as BybitApiError).retCode).toBe(10001);
    expect(f.count("/v5/market/kline")).toBe(1);
  });

  it("rejects an end before start and a bad interval without any request", async () => {
    const f = await start();
    const c = clientFor(f);
    await expect(c.klines({ symbol: "BTCUSDT", interval: "D", start: "2024-02-01", end: "2024-01-01" })).rejects.toBeInstanceOf(InvalidDateRangeError);
    await expect(c.fundingHistory({ symbol: "BTCUSDT", start: "2024-02-01", end: "2024-01-01" })).rejects.toBeInstanceOf(InvalidDateRangeError);
    await expect(c.klines({ symbol: "BTCUSDT", interval: "M" as "D", start: 0, end: 1 })).rejects.toMatchObject({ option: "interval" });
    await expect(c.klines({ symbol: "BTCUSDT", interval: "D", start: "yesterday", end: 1 })).rejects.toBeInstanceOf(InvalidOptionError);
    await expect(loadBybitMarket({ symbols: ["BTCUSDT"], start: "2024-02-01", end: "2024-01-01", client: c })).rejects.toBeInstanceOf(InvalidDateRangeError);
    expect(f.server.requests).toHaveLength(0);
  });
});

describe("loadBybitMarket", () => {
  it("builds the market frame: daily close, turnover and the sum of the day's settlements", async () => {
    await withTempDir(async (dir) => {
      const f = await start();
      const events: ProgressEvent[] = [];
      const frame = await loadBybitMarket({
        symbols: ["BTCUSDT", { symbol: "PEPE", exchangeSymbol: "1000PEPEUSDT" }],
        start: "2023-05-04",
        end: "2023-05-06",
        client: clientFor(f),
        cacheDir: dir,
        onProgress: (e) => events.push(e),
      });
      expect(frame.columnNames).toEqual(["date", "symbol", "exchange_symbol", "close", "turnover_usd", "funding_rate"]);
      expect(frame.eraCol).toBe("date");
      expect(frame.idCol).toBe("symbol");
      expect(frame.strings("date")).toEqual(["2023-05-04", "2023-05-05", "2023-05-05", "2023-05-06", "2023-05-06"]);
      expect(frame.strings("symbol")).toEqual(["BTCUSDT", "BTCUSDT", "PEPE", "BTCUSDT", "PEPE"]);
      expect(frame.strings("exchange_symbol")).toEqual(["BTCUSDT", "BTCUSDT", "1000PEPEUSDT", "BTCUSDT", "1000PEPEUSDT"]);
      const d = day("2023-05-04");
      expect(Array.from(frame.float64("close"))).toEqual([1000 + d, 1001 + d, (d + 1) / 1000, 1002 + d, (d + 2) / 1000]);
      expect(Array.from(frame.float64("turnover_usd"))).toEqual([2 * d, 2 * (d + 1), d + 1, 2 * (d + 2), d + 2]);
      // 8h: 1 + 2 + 3 bp = 6 bp a day; hourly: 24 × 0.1 bp = 2.4 bp a day.
      const funding = Array.from(frame.float64("funding_rate"));
      [0.0006, 0.0006, 0.00024, 0.0006, 0.00024].forEach((v, i) => expect(funding[i]).toBeCloseTo(v, 15));
      expect(events.map((e) => e.done)).toEqual([1, 2]);
      expect(events.every((e) => e.total === 2 && e.unit === "symbols")).toBe(true);
      expect(frame.provenance.at(-1)!.blox).toBe("downloader.loadBybitMarket");
    });
  });

  it("leaves out today's still-open candle", async () => {
    await withTempDir(async (dir) => {
      const f = await start(day("2024-03-10"));
      const frame = await loadBybitMarket({
        symbols: ["BTCUSDT"],
        start: "2024-03-08",
        end: "2024-03-10",
        client: clientFor(f),
        cacheDir: dir,
        now: Date.parse("2024-03-10T12:00:00Z"),
      });
      expect(frame.strings("date")).toEqual(["2024-03-08", "2024-03-09"]);
    });
  });

  it("caches per symbol: a repeat makes no request, a later end fetches only the new days", async () => {
    await withTempDir(async (dir) => {
      const f = await start();
      const c = clientFor(f);
      const base = { symbols: ["BTCUSDT", "1000PEPEUSDT"], client: c, cacheDir: dir };
      const first = await loadBybitMarket({ ...base, start: "2024-01-01", end: "2024-06-30" });
      const afterFirst = c.requestCount;
      const cached = JSON.parse(await readFile(marketCachePath(dir, "linear", "BTCUSDT"), "utf8")) as { fromDay: number; toDay: number };
      expect([cached.fromDay, cached.toDay]).toEqual([day("2024-01-01"), day("2024-06-30")]);

      const events: ProgressEvent[] = [];
      const second = await loadBybitMarket({ ...base, start: "2024-01-01", end: "2024-06-30", onProgress: (e) => events.push(e) });
      expect(c.requestCount).toBe(afterFirst);
      expect(events.every((e) => e.fromCache)).toBe(true);
      expect(second.strings("date")).toEqual(first.strings("date"));
      expect(Array.from(second.float64("funding_rate"))).toEqual(Array.from(first.float64("funding_rate")));

      const before = f.server.requests.length;
      const third = await loadBybitMarket({ ...base, start: "2024-01-01", end: "2024-07-10" });
      const newKlines = f.server.requests.slice(before).filter((r) => r.url.startsWith("/v5/market/kline"));
      expect(newKlines).toHaveLength(2);
      for (const r of newKlines) expect(new URL(r.url, "http://x").searchParams.get("start")).toBe(String(day("2024-07-01") * DAY));
      expect(third.numRows).toBe(first.numRows + 20);
      const dates = third.strings("date");
      expect(dates.at(-1)).toBe("2024-07-10");
      // The funding of the new days matches a fresh, uncached load.
      const fresh = await loadBybitMarket({ ...base, start: "2024-01-01", end: "2024-07-10", cache: false });
      expect(Array.from(third.float64("funding_rate"))).toEqual(Array.from(fresh.float64("funding_rate")));
      expect(Array.from(third.float64("close"))).toEqual(Array.from(fresh.float64("close")));
      const files = await readdir(join(dir, "bybit", "linear", "daily"));
      expect(files.sort()).toEqual(["1000PEPEUSDT.json", "BTCUSDT.json"]);
    });
  });
});

describe("loadBybitInstruments", () => {
  it("builds the instruments frame from every status", async () => {
    const f = await start();
    const frame = await loadBybitInstruments({ client: clientFor(f) });
    expect(frame.strings("symbol")).toEqual(["1000PEPEUSDT", "BTCUSDT"]);
    expect(frame.strings("base_coin")).toEqual(["1000PEPE", "BTC"]);
    expect(Array.from(frame.float64("launch_time"))).toEqual([day("2023-05-05") * DAY, 1585526400000]);
    expect(Array.from(frame.float64("funding_interval_min"))).toEqual([60, 480]);
    expect(f.count("/v5/market/instruments-info")).toBe(4);
  });
});
