import { DAY_MS, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { checkRange, dateInput } from "./date-input.js";
import { BybitApiError, InvalidResponseError, PaginationError } from "./errors.js";
import { DEFAULT_MAX_RESPONSE_BYTES, type FetchWithRetryOptions, requestJson } from "./fetch-with-retry.js";
import { createNodeHttpFetch } from "./node-http-fetch.js";
import { RateLimiter } from "./rate-limiter.js";
import { publicUrl, redactAndClip } from "./redact.js";
import { type RetryInfo, type RetryOptions, RetryableFailure, retryOptions } from "./retry.js";

const fetchFunction = z.custom<typeof fetch>((v) => typeof v === "function", "must be a fetch function");

/** Options of `new BybitClient()`: host, fetch, rate limit, retry policy, timeout, ban wait. */
export const bybitClientOptions = z.strictObject({
  /** REST host; mainnet by default (regional hosts share the IP limit). */
  baseUrl: z.url().default("https://api.bybit.com"),
  /** The fetch to use; by default a keep-alive node:http client (much cheaper per small page). */
  fetch: fetchFunction.optional(),
  /** Requests per second across this client; Bybit's IP limit is 600 per 5 s. */
  maxRequestsPerSecond: z.number().positive().default(20),
  retry: retryOptions.partial().optional(),
  /** Per-attempt timeout, ms. */
  timeoutMs: z.number().positive().default(15_000),
  /** Wait after an HTTP 403 rate-limit ban, ms; Bybit lifts IP bans after about 10 minutes. */
  banDelayMs: z.number().min(0).default(10 * 60_000),
  /** Overall budget of each call (`klines`, `instruments`, ... with every page, retry and wait), ms. */
  deadlineMs: z.number().positive().optional(),
  /** Most pages (or kline windows) one call may fetch; a cursor seen twice stops earlier. */
  maxPages: z.number().int().positive().default(1000),
  /** Largest answer read, bytes (default 64 MiB). */
  maxResponseBytes: z.number().int().positive().default(DEFAULT_MAX_RESPONSE_BYTES),
  /** Aborts every request of this client, including rate-limit and retry waits. */
  signal: z.instanceof(AbortSignal).optional(),
  onRetry: z.custom<(info: RetryInfo) => void>((v) => typeof v === "function", "must be a function").optional(),
});
/** Options of `new BybitClient()`, every one optional. */
export type BybitClientOptions = {
  baseUrl?: string;
  fetch?: typeof fetch;
  maxRequestsPerSecond?: number;
  retry?: RetryOptions;
  timeoutMs?: number;
  banDelayMs?: number;
  deadlineMs?: number;
  maxPages?: number;
  maxResponseBytes?: number;
  signal?: AbortSignal;
  onRetry?: (info: RetryInfo) => void;
};

/** Product category of Bybit's v5 market endpoints. */
export const bybitCategory = z.enum(["linear", "inverse", "spot", "option"]);
/** A Bybit product category. */
export type BybitCategory = z.infer<typeof bybitCategory>;

/** Kline intervals with a fixed length: minutes, "D" (day) and "W" (week). */
export const klineInterval = z.enum(["1", "3", "5", "15", "30", "60", "120", "240", "360", "720", "D", "W"]);
/** A kline interval with a fixed length. */
export type KlineInterval = z.infer<typeof klineInterval>;

/** Options of `BybitClient.klines`. */
export const klinesOptions = z.strictObject({
  symbol: z.string().min(1),
  interval: z.union([klineInterval, z.number().int().positive().transform(String)]).pipe(klineInterval),
  /** First candle start time to include (ms, Date or ISO string). */
  start: dateInput,
  /** Last candle start time to include, inclusive. */
  end: dateInput,
  category: z.enum(["linear", "inverse", "spot"]).default("linear"),
});
/** Options of `BybitClient.klines`, as callers give them. */
export type KlinesOptions = z.input<typeof klinesOptions>;

/** Options of `BybitClient.fundingHistory`. */
export const fundingHistoryOptions = z.strictObject({
  symbol: z.string().min(1),
  /** First settlement time to include (ms, Date or ISO string). */
  start: dateInput,
  /** Last settlement time to include, inclusive. */
  end: dateInput,
  category: z.enum(["linear", "inverse"]).default("linear"),
});
/** Options of `BybitClient.fundingHistory`, as callers give them. */
export type FundingHistoryOptions = z.input<typeof fundingHistoryOptions>;

/** Options of `BybitClient.instruments`. */
export const instrumentsOptions = z.strictObject({
  category: bybitCategory.default("linear"),
  /** Bybit's default for linear/inverse is `Trading` only; ask for `Closed` etc. explicitly. */
  status: z.enum(["PreLaunch", "Trading", "Delivering", "Closed"]).optional(),
  baseCoin: z.string().min(1).optional(),
  /** Page size, 1..1000. */
  limit: z.number().int().min(1).max(1000).default(1000),
});
/** Options of `BybitClient.instruments`, as callers give them. */
export type InstrumentsOptions = z.input<typeof instrumentsOptions>;

/** Options of `BybitClient.tickers`. */
export const tickersOptions = z.strictObject({
  category: bybitCategory.default("linear"),
  symbol: z.string().min(1).optional(),
});
/** Options of `BybitClient.tickers`, as callers give them. */
export type TickersOptions = z.input<typeof tickersOptions>;

/** One candle; prices in quote currency, `volume` in base coin, `turnover` in quote (USDT for linear); a field Bybit leaves empty is NaN. */
export interface Kline {
  /** Candle start, ms since the epoch (UTC). */
  startTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  turnover: number;
}

/** One funding settlement: the settled rate (a fraction, not annualised) at its timestamp (ms). */
export interface FundingSettlement {
  symbol: string;
  fundingRate: number;
  fundingRateTimestamp: number;
}

/** An instrument as Bybit describes it; numbers stay decimal strings except `fundingInterval` (minutes). */
export const bybitInstrument = z
  .object({
    symbol: z.string(),
    contractType: z.string().optional(),
    status: z.string(),
    baseCoin: z.string(),
    quoteCoin: z.string(),
    settleCoin: z.string().optional(),
    launchTime: z.string().optional(),
    deliveryTime: z.string().optional(),
    fundingInterval: z.number().optional(),
  })
  .loose();
/** An instrument as Bybit describes it, unknown fields kept. */
export type BybitInstrument = z.infer<typeof bybitInstrument>;

/** A ticker snapshot (live only, never historical); numbers stay decimal strings. */
export const bybitTicker = z.object({ symbol: z.string() }).loose();
/** A ticker snapshot, unknown fields kept. */
export type BybitTicker = z.infer<typeof bybitTicker> & Record<string, unknown>;

const INTERVAL_MS: Record<KlineInterval, number> = {
  "1": 60_000,
  "3": 180_000,
  "5": 300_000,
  "15": 900_000,
  "30": 1_800_000,
  "60": 3_600_000,
  "120": 7_200_000,
  "240": 14_400_000,
  "360": 21_600_000,
  "720": 43_200_000,
  D: DAY_MS,
  W: 7 * DAY_MS,
};

/** retCodes worth another attempt: 10006 rate limit, 10000 server timeout, 10016 server error. */
const RETRY_CODES = new Set([10000, 10006, 10016]);
const KLINE_LIMIT = 1000;
const FUNDING_LIMIT = 200;

/**
 * A client for Bybit's v5 public market REST API (no keys). Every request goes through one
 * rate limiter; HTTP 5xx/429, retCode 10006/10000/10016, HTTP 403 IP bans (all requests pause
 * for `banDelayMs`) and dropped connections are retried with backoff and jitter.
 *
 * @example
 * const bybit = new BybitClient();
 * const candles = await bybit.klines({ symbol: "BTCUSDT", interval: "D", start: "2024-01-01", end: "2024-01-31" });
 */
export class BybitClient {
  readonly baseUrl: string;
  readonly limiter: RateLimiter;
  readonly #transport: FetchWithRetryOptions;
  readonly #maxPages: number;
  #requests = 0;

  /**
   * @param options - host, fetch, rate limit, retry policy, timeout and ban wait
   * @throws InvalidOptionError naming every unknown or invalid option (no request is made)
   */
  constructor(options: BybitClientOptions = {}) {
    const opts = parseOptions(bybitClientOptions, options, "BybitClient");
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.limiter = new RateLimiter({ maxRequestsPerSecond: opts.maxRequestsPerSecond });
    const baseFetch = opts.fetch ?? createNodeHttpFetch(opts.maxResponseBytes);
    this.#maxPages = opts.maxPages;
    this.#transport = {
      ...opts.retry,
      timeoutMs: opts.timeoutMs,
      banDelayMs: opts.banDelayMs,
      maxResponseBytes: opts.maxResponseBytes,
      ...(opts.deadlineMs !== undefined ? { deadlineMs: opts.deadlineMs } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      limiter: this.limiter,
      fetch: (input, init) => {
        this.#requests++;
        return baseFetch(input, init);
      },
      ...(opts.onRetry ? { onRetry: opts.onRetry } : {}),
    };
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requests;
  }

  /**
   * GETs a v5 endpoint and returns its `result` after checking the envelope: retCode 0, or a
   * BybitApiError (rate-limit and server codes are retried first).
   *
   * @param path - the endpoint, e.g. "/v5/market/tickers"
   * @param params - query parameters; undefined ones are left out
   * @returns the envelope's `result`
   * @throws BybitApiError, InvalidResponseError, HttpError or NetworkError
   * @example
   * const result = await bybit.get("/v5/market/tickers", { category: "linear", symbol: "BTCUSDT" });
   */
  async get(path: string, params: Record<string, string | number | undefined>): Promise<Record<string, unknown>> {
    return this.#get(path, params, this.#call());
  }

  /** The transport of one public call: its deadline counts from now, shared by every page. */
  #call(): FetchWithRetryOptions {
    const t = this.#transport;
    return t.deadlineMs === undefined ? t : { ...t, deadlineAt: Date.now() + t.deadlineMs };
  }

  async #get(path: string, params: Record<string, string | number | undefined>, transport: FetchWithRetryOptions): Promise<Record<string, unknown>> {
    const query = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) if (v !== undefined) query.set(k, String(v));
    const url = `${this.baseUrl}${path}?${query.toString()}`;
    const shown = publicUrl(url);
    return requestJson(url, { method: "GET", headers: { accept: "application/json" } }, transport, (json, res) => {
      if (json === null || typeof json !== "object" || typeof (json as { retCode?: unknown }).retCode !== "number") {
        throw new InvalidResponseError(shown, "no retCode in the envelope");
      }
      const { retCode, retMsg, result } = json as { retCode: number; retMsg?: unknown; result?: unknown };
      if (retCode !== 0) {
        const symbol = typeof params.symbol === "string" ? params.symbol : undefined;
        // Redacted whole, then shortened (a server message may echo what it was sent).
        const err = new BybitApiError(retCode, redactAndClip(String(retMsg ?? ""), this.#transport.secrets ?? [], 300), shown, symbol);
        if (!RETRY_CODES.has(retCode)) throw err;
        const reset = Number(res.headers.get("x-bapi-limit-reset-timestamp"));
        const floor = retCode === 10006 && Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now()) : 0;
        throw new RetryableFailure(err, `Bybit retCode ${retCode}`, floor);
      }
      if (result === null || typeof result !== "object") throw new InvalidResponseError(shown, "no result object");
      return result as Record<string, unknown>;
    });
  }

  /**
   * Every instrument of a category, following `nextPageCursor` until it is empty.
   *
   * @param options - `category`, `status`, `baseCoin`, `limit`
   * @returns the instruments as Bybit describes them
   * @throws InvalidOptionError; BybitApiError, InvalidResponseError or a transport error
   * @example
   * const closed = await bybit.instruments({ category: "linear", status: "Closed" });
   */
  async instruments(options: InstrumentsOptions = {}): Promise<BybitInstrument[]> {
    const opts = parseOptions(instrumentsOptions, options, "instruments");
    const out: BybitInstrument[] = [];
    const seen = new Set<string>();
    const transport = this.#call();
    const url = `${this.baseUrl}/v5/market/instruments-info`;
    let cursor: string | undefined;
    for (let pages = 1; ; pages++) {
      const result = await this.#get("/v5/market/instruments-info", {
        category: opts.category,
        status: opts.status,
        baseCoin: opts.baseCoin,
        limit: opts.limit,
        cursor,
      }, transport);
      const list = z.array(bybitInstrument).safeParse(result.list);
      if (!list.success) throw new InvalidResponseError(url, "list has an unexpected shape");
      out.push(...list.data);
      const next = typeof result.nextPageCursor === "string" ? result.nextPageCursor : "";
      if (next === "") break;
      // A cursor seen before would loop for ever; more pages than maxPages never end in time.
      if (seen.has(next)) throw new PaginationError(url, pages, "the server sent a cursor it had sent before");
      if (pages >= this.#maxPages) throw new PaginationError(url, pages, `more than maxPages = ${this.#maxPages}`);
      seen.add(next);
      cursor = next;
    }
    return out;
  }

  /**
   * Live ticker snapshots of a category (one call, no pagination); never historical.
   *
   * @param options - `category` and optional `symbol`
   * @returns the tickers
   * @throws InvalidOptionError; BybitApiError, InvalidResponseError or a transport error
   * @example
   * const [btc] = await bybit.tickers({ symbol: "BTCUSDT" });
   */
  async tickers(options: TickersOptions = {}): Promise<BybitTicker[]> {
    const opts = parseOptions(tickersOptions, options, "tickers");
    const result = await this.#get("/v5/market/tickers", { category: opts.category, symbol: opts.symbol }, this.#call());
    const list = z.array(bybitTicker).safeParse(result.list);
    if (!list.success) throw new InvalidResponseError(`${this.baseUrl}/v5/market/tickers`, "list has an unexpected shape");
    return list.data as BybitTicker[];
  }

  /**
   * Candles with start time in [start, end], ascending, without duplicates. The range is
   * walked in contiguous windows of 1,000 intervals (Bybit answers newest first and at most
   * 1,000 rows), so no candle falls between windows.
   *
   * @param options - `symbol`, `interval`, `start`, `end` (inclusive), `category`
   * @returns the candles, ascending by start time
   * @throws InvalidOptionError; InvalidDateRangeError (no request); BybitApiError or a transport error
   * @example
   * const days = await bybit.klines({ symbol: "ETHUSDT", interval: "D", start: "2024-01-01", end: "2024-12-31" });
   */
  async klines(options: KlinesOptions): Promise<Kline[]> {
    const opts = parseOptions(klinesOptions, options, "klines");
    const { start, end } = opts;
    checkRange(start, end, `klines ${opts.symbol}`);
    const step = INTERVAL_MS[opts.interval];
    const windows = Math.ceil((end - start + 1) / (step * KLINE_LIMIT));
    if (windows > this.#maxPages) {
      // Known before any request: a typo such as a year 2999 end would send thousands of pages.
      throw new PaginationError(`${this.baseUrl}/v5/market/kline`, 0, `the range needs ${windows} pages, more than maxPages = ${this.#maxPages}`, opts.symbol);
    }
    const transport = this.#call();
    const out: Kline[] = [];
    for (let from = start; from <= end; from += step * KLINE_LIMIT) {
      const to = Math.min(end, from + step * KLINE_LIMIT - 1);
      const result = await this.#get("/v5/market/kline", {
        category: opts.category,
        symbol: opts.symbol,
        interval: opts.interval,
        start: from,
        end: to,
        limit: KLINE_LIMIT,
      }, transport);
      const rows = parseKlineRows(result.list, `${this.baseUrl}/v5/market/kline`);
      // Newest first: walk backwards to append in ascending order.
      for (let i = rows.length - 1; i >= 0; i--) {
        const k = rows[i]!;
        if (k.startTime >= from && k.startTime <= to) out.push(k);
      }
    }
    // Windows are disjoint; a page with repeats or in another order still yields ascending, unique rows.
    if (!isStrictlyAscending(out)) return uniqueAscending(out);
    return out;
  }

  /**
   * Funding settlements with timestamp in [start, end], ascending, deduplicated. Pages of 200
   * are walked backwards from `end` with `endTime = oldest - 1` until `start` is passed or a
   * page comes back short or empty.
   *
   * @param options - `symbol`, `start`, `end` (inclusive), `category`
   * @returns the settlements, ascending by timestamp
   * @throws InvalidOptionError; InvalidDateRangeError (no request); BybitApiError or a transport error
   * @example
   * const rates = await bybit.fundingHistory({ symbol: "BTCUSDT", start: "2024-01-01", end: "2024-01-31" });
   */
  async fundingHistory(options: FundingHistoryOptions): Promise<FundingSettlement[]> {
    const opts = parseOptions(fundingHistoryOptions, options, "fundingHistory");
    const { start, end } = opts;
    checkRange(start, end, `fundingHistory ${opts.symbol}`);
    const byTime = new Map<number, number>();
    const url = `${this.baseUrl}/v5/market/funding/history`;
    let cursor = end;
    const transport = this.#call();
    for (let pages = 1; ; pages++) {
      if (pages > this.#maxPages) throw new PaginationError(url, pages - 1, `more than maxPages = ${this.#maxPages}`, opts.symbol);
      const result = await this.#get("/v5/market/funding/history", {
        category: opts.category,
        symbol: opts.symbol,
        startTime: start,
        endTime: cursor,
        limit: FUNDING_LIMIT,
      }, transport);
      const list = result.list;
      if (!Array.isArray(list)) throw new InvalidResponseError(url, "funding list is missing");
      if (list.length === 0) break;
      let oldest = Infinity;
      for (let i = 0; i < list.length; i++) {
        const row = list[i] as { fundingRate?: unknown; fundingRateTimestamp?: unknown } | null;
        if (row === null || typeof row !== "object") throw new InvalidResponseError(url, `funding row ${i} is not an object`);
        const t = toNumber(row.fundingRateTimestamp, url, "fundingRateTimestamp");
        if (t < oldest) oldest = t;
        if (t >= start && t <= end && !byTime.has(t)) byTime.set(t, toNumber(row.fundingRate, url, "fundingRate"));
      }
      if (list.length < FUNDING_LIMIT || oldest <= start || oldest > cursor) break;
      cursor = oldest - 1;
    }
    const times = [...byTime.keys()].sort((a, b) => a - b);
    return times.map((t) => ({ symbol: opts.symbol, fundingRate: byTime.get(t)!, fundingRateTimestamp: t }));
  }
}

function toNumber(v: unknown, url: string, what: string): number {
  const n = typeof v === "string" ? +v : typeof v === "number" ? v : Number.NaN;
  if (!Number.isFinite(n)) throw new InvalidResponseError(url, `${what} is not a number: ${JSON.stringify(v)}`);
  return n;
}

/** A price or volume field: "" (left empty by the exchange) is NaN, never 0; other text is an error. */
function toValue(v: unknown, url: string, what: string): number {
  return v === "" ? Number.NaN : toNumber(v, url, what);
}

/** Kline rows `[startTime, open, high, low, close, volume, turnover]` of decimal strings. */
function parseKlineRows(list: unknown, url: string): Kline[] {
  if (!Array.isArray(list)) throw new InvalidResponseError(url, "kline list is missing");
  const out = new Array<Kline>(list.length);
  for (let i = 0; i < list.length; i++) {
    const r = list[i] as unknown[];
    if (!Array.isArray(r) || r.length < 7) throw new InvalidResponseError(url, `kline row ${i} is not a 7-field array`);
    out[i] = {
      startTime: toNumber(r[0], url, "startTime"),
      open: toValue(r[1], url, "open"),
      high: toValue(r[2], url, "high"),
      low: toValue(r[3], url, "low"),
      close: toValue(r[4], url, "close"),
      volume: toValue(r[5], url, "volume"),
      turnover: toValue(r[6], url, "turnover"),
    };
  }
  return out;
}

function isStrictlyAscending(rows: readonly Kline[]): boolean {
  for (let i = 1; i < rows.length; i++) if (rows[i]!.startTime <= rows[i - 1]!.startTime) return false;
  return true;
}

function uniqueAscending(rows: readonly Kline[]): Kline[] {
  const byTime = new Map<number, Kline>();
  for (const k of rows) if (!byTime.has(k.startTime)) byTime.set(k.startTime, k);
  return [...byTime.values()].sort((a, b) => a.startTime - b.startTime);
}

