import { type LocalServer, startLocalServer } from "@nmrblox/fixtures";
import { FaultQueue, sendJson, sendTruncated } from "./faults.js";

export const DAY = 86_400_000;

/** A fake perpetual: listed on `launchDay` (epoch day), settling funding every `fundingHours`. */
export interface FakeContract {
  symbol: string;
  launchDay: number;
  fundingHours: number;
  /** Close on an epoch day. */
  close(day: number): number;
  /** Turnover (USDT) on an epoch day. */
  turnover(day: number): number;
  /** Settled rate at a settlement time (ms). */
  rate(ts: number): number;
}

export interface FakeBybit {
  server: LocalServer;
  url: string;
  faults: FaultQueue;
  count(pathSuffix: string): number;
  close(): Promise<void>;
}

const envelope = (result: unknown) => ({ retCode: 0, retMsg: "OK", result, retExtInfo: {}, time: 0 });

/**
 * A local stand-in for Bybit's v5 public market API in its real shapes: numbers as strings,
 * klines and funding newest first, instruments paged with `nextPageCursor`. `lastDay` is the
 * server's "today" (its candle is the still-open one).
 */
export async function startFakeBybit(contracts: FakeContract[], lastDay: number, instrumentPage = 2): Promise<FakeBybit> {
  const faults = new FaultQueue();
  const counts = new Map<string, number>();
  const server = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const path = url.pathname;
    counts.set(path, (counts.get(path) ?? 0) + 1);
    const q = url.searchParams;
    const fault = faults.take(path);
    if (fault?.kind === "500") return sendJson(res, 502, { error: "bad gateway" });
    if (fault?.kind === "429") return sendJson(res, 429, { error: "slow" }, { "retry-after": fault.retryAfter ?? "0" });
    if (fault?.kind === "403") return sendJson(res, 403, { error: "access too frequent" });
    if (fault?.kind === "10006") return sendJson(res, 200, { retCode: 10006, retMsg: "Too many visits!", result: {}, retExtInfo: {}, time: 0 });
    if (fault?.kind === "bad-json") {
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end('{"retCode":0,"result":{"list":[');
    }
    const find = (s: string | null) => contracts.find((c) => c.symbol === s);
    if (path === "/v5/market/kline") {
      const c = find(q.get("symbol"));
      if (!c) return sendJson(res, 200, { retCode: 10001, retMsg: "Not supported symbols", result: {}, retExtInfo: {}, time: 0 });
      const start = Number(q.get("start"));
      const end = Number(q.get("end"));
      const limit = Number(q.get("limit") ?? 200);
      const rows: string[][] = [];
      for (let day = Math.floor(end / DAY); day >= c.launchDay && rows.length < limit; day--) {
        const t = day * DAY;
        if (t < start || t > end || day > lastDay) continue;
        const close = c.close(day);
        rows.push([String(t), String(close * 0.99), String(close * 1.02), String(close * 0.97), String(close), "1000", String(c.turnover(day))]);
      }
      const body = envelope({ category: "linear", symbol: c.symbol, list: rows });
      if (fault?.kind === "truncate") return sendTruncated(res, JSON.stringify(body), "application/json");
      return sendJson(res, 200, body);
    }
    if (path === "/v5/market/funding/history") {
      const c = find(q.get("symbol"));
      if (!c) return sendJson(res, 200, { retCode: 10001, retMsg: "Not supported symbols", result: {}, retExtInfo: {}, time: 0 });
      const end = Number(q.get("endTime"));
      const start = q.has("startTime") ? Number(q.get("startTime")) : -Infinity;
      const limit = Math.min(200, Number(q.get("limit") ?? 200));
      const step = c.fundingHours * 3_600_000;
      const list: Array<{ symbol: string; fundingRate: string; fundingRateTimestamp: string }> = [];
      const newest = Math.min(Math.floor(end / step) * step, (lastDay + 1) * DAY - 1);
      for (let t = Math.floor(newest / step) * step; t >= c.launchDay * DAY && t >= start && list.length < limit; t -= step) {
        list.push({ symbol: c.symbol, fundingRate: String(c.rate(t)), fundingRateTimestamp: String(t) });
      }
      const body = envelope({ category: "linear", list });
      if (fault?.kind === "truncate") return sendTruncated(res, JSON.stringify(body), "application/json");
      return sendJson(res, 200, body);
    }
    if (path === "/v5/market/instruments-info") {
      const status = q.get("status") ?? "Trading";
      const all = contracts.map((c) => ({
        symbol: c.symbol,
        contractType: "LinearPerpetual",
        status: "Trading",
        baseCoin: c.symbol.replace(/USDT$/, ""),
        quoteCoin: "USDT",
        settleCoin: "USDT",
        launchTime: String(c.launchDay * DAY),
        deliveryTime: "0",
        fundingInterval: c.fundingHours * 60,
        priceFilter: { tickSize: "0.01" },
      }));
      const matching = status === "Trading" ? all : [];
      const offset = Number(q.get("cursor") || 0);
      const page = matching.slice(offset, offset + instrumentPage);
      const next = offset + instrumentPage < matching.length ? String(offset + instrumentPage) : "";
      return sendJson(res, 200, envelope({ category: "linear", nextPageCursor: next, list: page }));
    }
    if (path === "/v5/market/tickers") {
      const list = contracts.map((c) => ({ symbol: c.symbol, lastPrice: String(c.close(lastDay)), turnover24h: String(c.turnover(lastDay)), fundingRate: "0.0001" }));
      return sendJson(res, 200, envelope({ category: "linear", list }));
    }
    return sendJson(res, 404, { error: "not found" });
  });
  return { server, url: server.url, faults, count: (p) => counts.get(p) ?? 0, close: () => server.close() };
}
