import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type LocalServer, startLocalServer } from "@nmrblox/fixtures";
import type { SyntheticFileManifest } from "@nmrblox/synthetic";
import { sendJson } from "./fake-numerai.js";

/** A GET the fake Bybit answered: the endpoint path and its query parameters. */
export interface BybitCall {
  path: string;
  params: Record<string, string>;
}

export interface FakeBybit {
  url: string;
  server: LocalServer;
  calls: BybitCall[];
  /** Calls to one endpoint, e.g. "/v5/market/kline". */
  callsTo(path: string): BybitCall[];
  close(): Promise<void>;
}

interface Envelope<L> {
  retCode: number;
  retMsg: string;
  result: { category: string; nextPageCursor?: string; symbol?: string; list: L[] };
  retExtInfo: Record<string, never>;
  time: number;
}
type FundingRow = { symbol: string; fundingRate: string; fundingRateTimestamp: string };

const paramsError = (msg: string) => ({ retCode: 10001, retMsg: `params error: ${msg}`, result: {}, retExtInfo: {}, time: Date.now() });

/**
 * A local stand-in for Bybit's v5 public market API (category linear) serving the JSON pages
 * `writeSyntheticFiles` wrote: `instruments-info` per `status` (Bybit's default `Trading`)
 * following the written `nextPageCursor`s, and `kline` (interval D) and `funding/history`
 * answered from each contract's rows like Bybit does: rows inside [start, end] /
 * [startTime, endTime], newest first, at most `limit`. Bad parameters get retCode 10001.
 */
export async function startFakeBybit(manifest: SyntheticFileManifest): Promise<FakeBybit> {
  const bybit = manifest.bybit;
  if (bybit === undefined) throw new Error("the manifest has no Bybit pages");
  const read = async <T>(rel: string) => JSON.parse(await readFile(join(manifest.dir, ...rel.split("/")), "utf8")) as T;
  const instrumentPages = new Map<string, Map<string, Envelope<Record<string, unknown>>>>();
  for (const [status, pages] of Object.entries(bybit.instruments)) {
    const byCursor = new Map<string, Envelope<Record<string, unknown>>>();
    for (const p of pages) byCursor.set(p.cursor, await read(p.path));
    instrumentPages.set(status, byCursor);
  }
  // Every row of a contract, newest first, as the pages hold them.
  const klines = new Map<string, string[][]>();
  for (const [symbol, pages] of Object.entries(bybit.kline)) {
    const rows: string[][] = [];
    for (const p of pages) rows.push(...(await read<Envelope<string[]>>(p.path)).result.list);
    klines.set(symbol, rows);
  }
  const funding = new Map<string, FundingRow[]>();
  for (const [symbol, pages] of Object.entries(bybit.funding)) {
    const rows: FundingRow[] = [];
    for (const p of pages) rows.push(...(await read<Envelope<FundingRow>>(p.path)).result.list);
    funding.set(symbol, rows);
  }

  const calls: BybitCall[] = [];
  const server = await startLocalServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const q = url.searchParams;
    calls.push({ path: url.pathname, params: Object.fromEntries(q) });
    const ok = (result: Envelope<unknown>["result"]) =>
      sendJson(res, 200, { retCode: 0, retMsg: "OK", result, retExtInfo: {}, time: Date.now() });
    if (req.method !== "GET") return sendJson(res, 405, { error: "method not allowed" });
    if (q.get("category") !== "linear") return sendJson(res, 200, paramsError("category"));
    const limit = (max: number, fallback: number) => {
      const n = Number(q.get("limit") ?? fallback);
      return Number.isInteger(n) && n >= 1 && n <= max ? n : undefined;
    };

    if (url.pathname === "/v5/market/instruments-info") {
      const pages = instrumentPages.get(q.get("status") ?? "Trading");
      if (pages === undefined) return ok({ category: "linear", nextPageCursor: "", list: [] });
      const page = pages.get(q.get("cursor") ?? "");
      const size = limit(1000, 500);
      if (page === undefined || size === undefined || page.result.list.length > size) return sendJson(res, 200, paramsError("cursor or limit"));
      return ok(page.result);
    }
    if (url.pathname === "/v5/market/kline") {
      const symbol = q.get("symbol") ?? "";
      const rows = klines.get(symbol);
      if (rows === undefined) return sendJson(res, 200, paramsError("symbol invalid"));
      if (q.get("interval") !== "D") return sendJson(res, 200, paramsError("interval"));
      const size = limit(1000, 200);
      const start = Number(q.get("start") ?? 0);
      const end = Number(q.get("end") ?? Date.now());
      if (size === undefined || !(start <= end)) return sendJson(res, 200, paramsError("start, end or limit"));
      const list = rows.filter((r) => Number(r[0]) >= start && Number(r[0]) <= end).slice(0, size);
      return ok({ category: "linear", symbol, list });
    }
    if (url.pathname === "/v5/market/funding/history") {
      const symbol = q.get("symbol") ?? "";
      const rows = funding.get(symbol);
      if (rows === undefined) return sendJson(res, 200, paramsError("symbol invalid"));
      // Bybit refuses a startTime without an endTime.
      if (q.has("startTime") && !q.has("endTime")) return sendJson(res, 200, paramsError("endTime is required with startTime"));
      const size = limit(200, 200);
      const start = Number(q.get("startTime") ?? 0);
      const end = Number(q.get("endTime") ?? Date.now());
      if (size === undefined || !(start <= end)) return sendJson(res, 200, paramsError("startTime, endTime or limit"));
      const list = rows.filter((r) => Number(r.fundingRateTimestamp) >= start && Number(r.fundingRateTimestamp) <= end).slice(0, size);
      return ok({ category: "linear", list });
    }
    return sendJson(res, 404, { error: "not found" });
  });
  return {
    url: server.url,
    server,
    calls,
    callsTo: (path) => calls.filter((c) => c.path === path),
    close: () => server.close(),
  };
}
