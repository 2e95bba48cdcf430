import {
  BybitApiError,
  HttpError,
  InvalidResponseError,
  NetworkError,
  RateLimiter,
  type RetryInfo,
  retryOptions,
} from "@nmrblox/downloader";
import {
  type FetchWithRetryOptions,
  RetryableFailure,
  nodeHttpFetch,
  publicUrl,
  redactSecrets,
  requestWithRetry,
  withRetry,
} from "@nmrblox/downloader/internal";
import { parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { MissingBybitCredentialsError, OrderUnconfirmedError } from "./errors.js";
import { signBybitRequest } from "./sign.js";

/** Bybit's mainnet REST host. */
export const BYBIT_MAINNET = "https://api.bybit.com";
/** Bybit's testnet REST host (separate keys from testnet.bybit.com; play money). */
export const BYBIT_TESTNET = "https://api-testnet.bybit.com";

const fn = <T>(what: string) => z.custom<T>((v) => typeof v === "function", `must be ${what}`);

/** One request as the client is about to send it: no headers, keys or signatures, ever. */
export interface BybitRequestEvent {
  method: "GET" | "POST";
  /** The endpoint path, e.g. "/v5/order/create". */
  path: string;
  /** Query parameters (GET) or JSON body fields (POST). */
  params: Readonly<Record<string, string | number | boolean>>;
  /** 0 for the first attempt, 1 for the first retry. */
  attempt: number;
}

/**
 * Schema of `new BybitPrivateClient(...)` options. Exported so tools and tests can check option
 * paths against the one definition (`checkOptionPaths`); times in ms, rates in requests per second.
 */
export const bybitPrivateClientOptions = z.strictObject({
  /** REST host: mainnet by default; `BYBIT_TESTNET` (https://api-testnet.bybit.com) for play money. */
  baseUrl: z.url().default(BYBIT_MAINNET),
  /** API key; defaults to the BYBIT_API_KEY environment variable. Never logged or written. */
  apiKey: z.string().min(1).optional(),
  /** API secret; defaults to BYBIT_API_SECRET. Never logged, written or sent (only signatures are). */
  apiSecret: z.string().min(1).optional(),
  /** How long a signed request stays valid after its timestamp, ms (Bybit's default 5 000). */
  recvWindow: z.number().int().positive().max(60_000).default(5_000),
  /** The fetch to use; by default a keep-alive node:http client. */
  fetch: fn<typeof fetch>("a fetch function").optional(),
  /** Requests per second across this client (Bybit's private limits are per endpoint, 10–20/s). */
  maxRequestsPerSecond: z.number().positive().default(10),
  retry: z.strictObject(retryOptions.shape).partial().optional(),
  /** Per-attempt timeout, ms. An order create that times out is looked up, never blindly resent. */
  timeoutMs: z.number().positive().default(10_000),
  /** Wait after an HTTP 403 rate-limit ban, ms. */
  banDelayMs: z.number().min(0).default(10 * 60_000),
  /** Told about each retry (no secrets; URL without query string). */
  onRetry: fn<(info: RetryInfo) => void>("a function").optional(),
  /** Told about each request attempt (method, path, parameters; never headers or keys). */
  onRequest: fn<(event: BybitRequestEvent) => void>("a function").optional(),
  /** The clock for request timestamps, ms since the epoch (tests, or a corrected clock). */
  now: fn<() => number>("a function").optional(),
});
/** Options of `new BybitPrivateClient(...)`; every field optional. */
export type BybitPrivateClientOptions = z.input<typeof bybitPrivateClientOptions>;

/** Account-wide balances of a Unified Trading Account, in USD, and per coin. */
export interface WalletBalance {
  accountType: string;
  totalEquity: number;
  totalWalletBalance: number;
  totalMarginBalance: number;
  totalAvailableBalance: number;
  coins: Array<{ coin: string; equity: number; walletBalance: number; usdValue: number; unrealisedPnl: number }>;
}

/** One linear position (one-way mode has positionIdx 0). `quantity` is signed: < 0 short. */
export interface BybitPosition {
  symbol: string;
  /** "Buy" (long), "Sell" (short) or "" (flat). */
  side: string;
  /** Contracts, unsigned, as Bybit reports them. */
  size: number;
  /** Contracts, signed: positive long, negative short. */
  quantity: number;
  positionIdx: number;
  avgPrice: number;
  markPrice: number;
  positionValue: number;
  unrealisedPnl: number;
  leverage: number;
}

/** An order as Bybit reports it; decimal strings parsed to numbers (NaN when Bybit sends ""). */
export interface BybitOrder {
  orderId: string;
  orderLinkId: string;
  symbol: string;
  side: "Buy" | "Sell";
  orderType: string;
  timeInForce: string;
  /** New, PartiallyFilled, Filled, Cancelled, PartiallyFilledCanceled, Rejected, ... */
  orderStatus: string;
  price: number;
  qty: number;
  cumExecQty: number;
  cumExecValue: number;
  cumExecFee: number;
  /** Average fill price; NaN when nothing filled. */
  avgPrice: number;
  leavesQty: number;
  reduceOnly: boolean;
  rejectReason: string;
  createdTime: number;
}

/**
 * Schema of one order for `createOrder`: quantities and prices are decimal strings already on the
 * contract's qtyStep / tickSize, because Bybit rejects off-grid values and a float would not
 * round-trip; limit orders need a price. Defaults: Limit, IOC, not reduce-only.
 */
export const createOrderInput = z
  .strictObject({
  symbol: z.string().min(1),
  side: z.enum(["Buy", "Sell"]),
  orderType: z.enum(["Limit", "Market"]).default("Limit"),
  /** Contracts as a decimal string already rounded to the contract's qtyStep. */
  qty: z.string().regex(/^\d+(\.\d+)?$/, "must be a positive decimal string"),
  /** Limit price as a decimal string on the contract's tickSize (limit orders). */
  price: z.string().regex(/^\d+(\.\d+)?$/, "must be a positive decimal string").optional(),
  timeInForce: z.enum(["GTC", "IOC", "FOK", "PostOnly"]).default("IOC"),
  reduceOnly: z.boolean().default(false),
  /** Your id for the order (≤ 36 characters: letters, digits, "-", "_"); Bybit refuses a duplicate. */
  orderLinkId: z.string().regex(/^[A-Za-z0-9_-]{1,36}$/, "must be 1 to 36 letters, digits, '-' or '_'"),
  })
  .refine((o) => o.orderType !== "Limit" || o.price !== undefined, { message: "a limit order needs a price", path: ["price"] });
/** One order as `createOrder` accepts it (before defaults); see {@link createOrderInput}. */
export type CreateOrderInput = z.input<typeof createOrderInput>;

/**
 * Schema of an order reference for `queryOrder` and `cancelOrder`: the symbol plus the
 * caller's orderLinkId or Bybit's orderId (at least one).
 */
export const orderRef = z
  .strictObject({
    symbol: z.string().min(1),
    orderLinkId: z.string().min(1).optional(),
    orderId: z.string().min(1).optional(),
  })
  .refine((v) => v.orderLinkId !== undefined || v.orderId !== undefined, "give orderLinkId or orderId");
/** An order reference: `symbol` and `orderLinkId` or `orderId`; see {@link orderRef}. */
export type OrderRef = z.input<typeof orderRef>;

/** Schema of `positions()` options: the settle coin (USDT by default) or one symbol. */
export const positionsOptions = z.strictObject({
  /** Settle coin of the linear contracts; USDT perpetuals by default. */
  settleCoin: z.string().min(1).default("USDT"),
  /** One symbol only (otherwise every position of the settle coin). */
  symbol: z.string().min(1).optional(),
});
/** Options of `positions()`; every field optional. */
export type PositionsOptions = z.input<typeof positionsOptions>;

/** Schema of `walletBalance()` options: the account type (UNIFIED by default) and an optional coin. */
export const walletBalanceOptions = z.strictObject({
  /** UNIFIED (a Unified Trading Account) or CONTRACT (a classic derivatives account). */
  accountType: z.enum(["UNIFIED", "CONTRACT"]).default("UNIFIED"),
  /** Restrict the per-coin entries to this coin (e.g. "USDT"); all coins when absent. */
  coin: z.string().min(1).optional(),
});
/** Options of `walletBalance()`; every field optional. */
export type WalletBalanceOptions = z.input<typeof walletBalanceOptions>;

/** retCodes Bybit uses for a refusal before the request was processed: safe to send again. */
const RATE_LIMIT_CODE = 10006;
/** retCodes meaning the server failed mid-way: retried for reads, ambiguous for an order create. */
const SERVER_CODES = new Set([10000, 10016]);
const POSITION_PAGE = 200;

type Params = Record<string, string | number | boolean | undefined>;

/**
 * A client for Bybit's v5 private REST API (category linear): wallet balance, positions, and
 * order create / query / cancel. Every request is signed with HMAC-SHA256 over
 * `timestamp + apiKey + recvWindow + payload` and sent with the X-BAPI-API-KEY, X-BAPI-SIGN,
 * X-BAPI-TIMESTAMP and X-BAPI-RECV-WINDOW headers. Transport is the downloader's: one rate
 * limiter, retries with backoff on HTTP 429/5xx, retCode 10006/10000/10016 and dropped
 * connections, per-attempt timeouts, and the key and secret scrubbed from every message.
 *
 * Order creation is the exception to blind retries: a create that times out, drops or meets a
 * server error may have been accepted, so it fails with `OrderUnconfirmedError` and the caller
 * looks the order up by its `orderLinkId` first (`executePlan` does). Rate-limit refusals
 * (retCode 10006, HTTP 429) are safe and retried.
 *
 * @example
 * const client = new BybitPrivateClient({ baseUrl: BYBIT_TESTNET }); // keys from BYBIT_API_KEY / BYBIT_API_SECRET
 * const positions = await client.positions();
 */
export class BybitPrivateClient {
  readonly baseUrl: string;
  readonly recvWindow: number;
  readonly limiter: RateLimiter;
  // Private fields: util.inspect and JSON.stringify never show them.
  readonly #apiKey: string | undefined;
  readonly #apiSecret: string | undefined;
  readonly #transport: FetchWithRetryOptions;
  readonly #retry: { retries?: number; baseDelayMs?: number; maxDelayMs?: number };
  readonly #banDelayMs: number;
  readonly #onRetry: ((info: RetryInfo) => void) | undefined;
  readonly #observers = new Set<(event: BybitRequestEvent) => void>();
  readonly #now: () => number;
  #requests = 0;

  /**
   * @param options - base URL, keys (default: BYBIT_API_KEY / BYBIT_API_SECRET), transport settings
   * @throws InvalidOptionError for an unknown or invalid option
   */
  constructor(options: BybitPrivateClientOptions = {}) {
    const opts = parseOptions(bybitPrivateClientOptions, options, "BybitPrivateClient");
    this.baseUrl = opts.baseUrl.replace(/\/+$/, "");
    this.recvWindow = opts.recvWindow;
    this.#apiKey = opts.apiKey ?? nonEmpty(process.env.BYBIT_API_KEY);
    this.#apiSecret = opts.apiSecret ?? nonEmpty(process.env.BYBIT_API_SECRET);
    this.limiter = new RateLimiter({ maxRequestsPerSecond: opts.maxRequestsPerSecond });
    this.#retry = opts.retry ?? {};
    this.#banDelayMs = opts.banDelayMs;
    this.#onRetry = opts.onRetry;
    if (opts.onRequest) this.#observers.add(opts.onRequest);
    this.#now = opts.now ?? Date.now;
    const baseFetch = opts.fetch ?? nodeHttpFetch;
    this.#transport = {
      ...this.#retry,
      timeoutMs: opts.timeoutMs,
      banDelayMs: opts.banDelayMs,
      secrets: [this.#apiKey, this.#apiSecret],
      fetch: (input, init) => {
        this.#requests++;
        return baseFetch(input, init);
      },
      // Retries pause the shared limiter themselves: the limiter is taken when a request is
      // signed (below), so a wait in the queue never ages a signature past its receive window.
      onRetry: (info) => {
        if (isRateLimit(info)) this.limiter.pauseFor(info.delayMs);
        this.#onRetry?.(info);
      },
    };
  }

  /** Whether an API key and secret are configured (their values are never exposed). */
  get hasCredentials(): boolean {
    return this.#apiKey !== undefined && this.#apiSecret !== undefined;
  }

  /** HTTP requests sent so far, retries included. */
  get requestCount(): number {
    return this.#requests;
  }

  /**
   * The Unified account's balances (GET /v5/account/wallet-balance).
   *
   * @param options - accountType (UNIFIED by default) and an optional coin
   * @returns account totals in USD and one entry per coin
   * @throws MissingBybitCredentialsError without keys; BybitApiError for a non-zero retCode
   * @example
   * const { totalEquity, totalAvailableBalance } = await client.walletBalance();
   */
  async walletBalance(options: WalletBalanceOptions = {}): Promise<WalletBalance> {
    const opts = parseOptions(walletBalanceOptions, options, "walletBalance");
    const path = "/v5/account/wallet-balance";
    const result = await this.#signed("GET", path, { accountType: opts.accountType, coin: opts.coin }, "walletBalance");
    const list = result.list;
    const row = Array.isArray(list) ? (list[0] as Record<string, unknown> | undefined) : undefined;
    if (row === undefined || row === null || typeof row !== "object") throw this.#invalid(path, "no account in list");
    const coins = Array.isArray(row.coin) ? (row.coin as Array<Record<string, unknown>>) : [];
    return {
      accountType: String(row.accountType ?? opts.accountType),
      totalEquity: num(row.totalEquity),
      totalWalletBalance: num(row.totalWalletBalance),
      totalMarginBalance: num(row.totalMarginBalance),
      totalAvailableBalance: num(row.totalAvailableBalance),
      coins: coins.map((c) => ({
        coin: String(c.coin ?? ""),
        equity: num(c.equity),
        walletBalance: num(c.walletBalance),
        usdValue: num(c.usdValue),
        unrealisedPnl: num(c.unrealisedPnl),
      })),
    };
  }

  /**
   * Every open linear position of a settle coin (GET /v5/position/list, following
   * `nextPageCursor`). Flat entries Bybit still lists come back with quantity 0.
   *
   * @param options - settleCoin (USDT by default) or one symbol
   * @returns positions with signed `quantity` (contracts; < 0 short)
   * @throws MissingBybitCredentialsError without keys; BybitApiError for a non-zero retCode
   * @example
   * for (const p of await client.positions()) console.log(p.symbol, p.quantity);
   */
  async positions(options: PositionsOptions = {}): Promise<BybitPosition[]> {
    const opts = parseOptions(positionsOptions, options, "positions");
    const path = "/v5/position/list";
    const out: BybitPosition[] = [];
    const seen = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const result = await this.#signed(
        "GET",
        path,
        {
          category: "linear",
          symbol: opts.symbol,
          settleCoin: opts.symbol === undefined ? opts.settleCoin : undefined,
          limit: POSITION_PAGE,
          cursor,
        },
        "positions",
      );
      if (!Array.isArray(result.list)) throw this.#invalid(path, "list is missing");
      for (const raw of result.list as Array<Record<string, unknown>>) out.push(this.#position(raw, path));
      const next = typeof result.nextPageCursor === "string" ? result.nextPageCursor : "";
      if (next === "" || seen.has(next) || result.list.length === 0) break;
      seen.add(next);
      cursor = next;
    }
    return out;
  }

  /**
   * Places an order (POST /v5/order/create, category linear, one-way mode). Rate-limit
   * refusals are retried; any unclear outcome (timeout, dropped connection, HTTP 5xx, retCode
   * 10000/10016, unreadable answer) throws `OrderUnconfirmedError` without resending, because
   * Bybit may have accepted the order: look it up with `queryOrder` by its `orderLinkId`.
   *
   * @param order - symbol, side, qty and price as decimal strings, timeInForce, reduceOnly, orderLinkId
   * @returns Bybit's order id and the link id
   * @throws BybitApiError for a refusal (110007 insufficient balance, 110072 duplicate orderLinkId, ...);
   *   OrderUnconfirmedError when the outcome is unknown; MissingBybitCredentialsError without keys
   * @example
   * await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300",
   *   timeInForce: "IOC", orderLinkId: "nmx-3f2a…" });
   */
  async createOrder(order: CreateOrderInput): Promise<{ orderId: string; orderLinkId: string }> {
    const o = parseOptions(createOrderInput, order, "createOrder");
    const path = "/v5/order/create";
    const body: Params = {
      category: "linear",
      symbol: o.symbol,
      side: o.side,
      orderType: o.orderType,
      qty: o.qty,
      price: o.price,
      timeInForce: o.timeInForce,
      positionIdx: 0,
      reduceOnly: o.reduceOnly,
      orderLinkId: o.orderLinkId,
    };
    // One attempt at a time, so each failure can be classified: only a refusal is sent again.
    const result = await withRetry(
      async () => {
        try {
          return await this.#signed("POST", path, body, "createOrder", { retries: 0 });
        } catch (err) {
          if (isRefusal(err)) {
            const ban = err instanceof HttpError && err.status === 403 ? this.#banDelayMs : 0;
            throw new RetryableFailure(err, refusalReason(err), ban);
          }
          const reason = ambiguity(err);
          if (reason !== undefined) throw new OrderUnconfirmedError(o.symbol, o.orderLinkId, reason, err);
          throw err;
        }
      },
      {
        ...this.#retry,
        url: `${this.baseUrl}${path}`,
        onRetry: (info) => this.#onRetry?.(info),
        onWait: (delayMs) => this.limiter.pauseFor(delayMs),
      },
    );
    return { orderId: String(result.orderId ?? ""), orderLinkId: String(result.orderLinkId ?? o.orderLinkId) };
  }

  /**
   * Looks an order up by link id or order id: first among open orders, then among the recent
   * closed ones (GET /v5/order/realtime, openOnly 0 then 1), then in the order history
   * (GET /v5/order/history), which also covers orders older than the realtime window.
   *
   * @param ref - symbol and orderLinkId or orderId
   * @returns the order, or undefined when Bybit knows none
   * @throws MissingBybitCredentialsError without keys; BybitApiError for a non-zero retCode
   * @example
   * const order = await client.queryOrder({ symbol: "BTCUSDT", orderLinkId: "nmx-3f2a…" });
   */
  async queryOrder(ref: OrderRef): Promise<BybitOrder | undefined> {
    const r = parseOptions(orderRef, ref, "queryOrder");
    const base = { category: "linear", symbol: r.symbol, orderId: r.orderId, orderLinkId: r.orderLinkId };
    const lookups: Array<[string, Params]> = [
      ["/v5/order/realtime", { ...base, openOnly: 0 }],
      ["/v5/order/realtime", { ...base, openOnly: 1 }],
      ["/v5/order/history", base],
    ];
    for (const [path, params] of lookups) {
      const result = await this.#signed("GET", path, params, "queryOrder");
      if (!Array.isArray(result.list)) throw this.#invalid(path, "list is missing");
      const match = (result.list as Array<Record<string, unknown>>).find(
        (o) => (r.orderId === undefined || o.orderId === r.orderId) && (r.orderLinkId === undefined || o.orderLinkId === r.orderLinkId),
      );
      if (match !== undefined) return this.#order(match, path);
    }
    return undefined;
  }

  /**
   * Cancels an open order (POST /v5/order/cancel). Retried like any request: cancelling twice
   * is harmless (the second answer is retCode 110001, order not found or too late).
   *
   * @param ref - symbol and orderLinkId or orderId
   * @returns Bybit's order id and link id
   * @throws BybitApiError (110001 when the order is unknown or already final)
   * @example
   * await client.cancelOrder({ symbol: "BTCUSDT", orderLinkId: "nmx-3f2a…" });
   */
  async cancelOrder(ref: OrderRef): Promise<{ orderId: string; orderLinkId: string }> {
    const r = parseOptions(orderRef, ref, "cancelOrder");
    const result = await this.#signed(
      "POST",
      "/v5/order/cancel",
      { category: "linear", symbol: r.symbol, orderId: r.orderId, orderLinkId: r.orderLinkId },
      "cancelOrder",
    );
    return { orderId: String(result.orderId ?? ""), orderLinkId: String(result.orderLinkId ?? "") };
  }

  /**
   * Adds a listener told about every request attempt (method, path, parameters; never
   * headers, keys or signatures), e.g. to journal what was sent.
   *
   * @param listener - called before each attempt
   * @returns a function that removes the listener
   * @example
   * const stop = client.observe((e) => sent.push(e));
   */
  observe(listener: (event: BybitRequestEvent) => void): () => void {
    this.#observers.add(listener);
    return () => void this.#observers.delete(listener);
  }

  /** `text` with this client's key and secret replaced by "[redacted]". */
  redact(text: string): string {
    return redactSecrets(text, [this.#apiKey, this.#apiSecret]);
  }

  /** Sends one signed request and returns its `result` after checking Bybit's envelope. */
  async #signed(
    method: "GET" | "POST",
    path: string,
    raw: Params,
    operation: string,
    overrides: Partial<FetchWithRetryOptions> = {},
  ): Promise<Record<string, unknown>> {
    const apiKey = this.#apiKey;
    const apiSecret = this.#apiSecret;
    if (apiKey === undefined || apiSecret === undefined) throw new MissingBybitCredentialsError(operation);
    const params: Record<string, string | number | boolean> = {};
    for (const [k, v] of Object.entries(raw)) if (v !== undefined) params[k] = v;
    let url = `${this.baseUrl}${path}`;
    let payload: string;
    if (method === "GET") {
      payload = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)])).toString();
      if (payload !== "") url += `?${payload}`;
    } else {
      payload = JSON.stringify(params);
    }
    const shown = publicUrl(url);
    const init = async (attempt: number): Promise<RequestInit> => {
      await this.limiter.acquire();
      const timestamp = this.#now();
      const headers: Record<string, string> = {
        accept: "application/json",
        "X-BAPI-API-KEY": apiKey,
        "X-BAPI-TIMESTAMP": String(timestamp),
        "X-BAPI-RECV-WINDOW": String(this.recvWindow),
        "X-BAPI-SIGN": signBybitRequest({ apiKey, apiSecret, timestamp, recvWindow: this.recvWindow, payload }),
      };
      if (method === "POST") headers["content-type"] = "application/json";
      for (const observe of this.#observers) observe({ method, path, params: { ...params }, attempt });
      return method === "POST" ? { method, headers, body: payload } : { method, headers };
    };
    return requestWithRetry(url, init, { ...this.#transport, ...overrides }, async (res) => {
      const text = await res.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        throw new RetryableFailure(new InvalidResponseError(shown, `body is not JSON (${text.length} characters)`), "invalid JSON");
      }
      if (json === null || typeof json !== "object" || typeof (json as { retCode?: unknown }).retCode !== "number") {
        throw new InvalidResponseError(shown, "no retCode in the envelope");
      }
      const { retCode, retMsg, result } = json as { retCode: number; retMsg?: unknown; result?: unknown };
      if (retCode !== 0) {
        const err = new BybitApiError(retCode, this.redact(String(retMsg ?? "")), shown);
        if (retCode === RATE_LIMIT_CODE) {
          const reset = Number(res.headers.get("x-bapi-limit-reset-timestamp"));
          const floor = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset - Date.now()) : 0;
          throw new RetryableFailure(err, `Bybit retCode ${retCode}`, floor);
        }
        if (SERVER_CODES.has(retCode)) throw new RetryableFailure(err, `Bybit retCode ${retCode}`);
        throw err;
      }
      if (result === null || typeof result !== "object") throw new InvalidResponseError(shown, "no result object");
      return result as Record<string, unknown>;
    });
  }

  #position(raw: Record<string, unknown>, path: string): BybitPosition {
    if (raw === null || typeof raw !== "object" || typeof raw.symbol !== "string") throw this.#invalid(path, "a position has no symbol");
    const size = num(raw.size);
    const side = String(raw.side ?? "");
    if (!Number.isFinite(size)) throw this.#invalid(path, `size of ${raw.symbol} is not a number`);
    return {
      symbol: raw.symbol,
      side,
      size,
      quantity: side === "Sell" ? -size : side === "Buy" ? size : 0,
      positionIdx: Number(raw.positionIdx ?? 0),
      avgPrice: num(raw.avgPrice),
      markPrice: num(raw.markPrice),
      positionValue: num(raw.positionValue),
      unrealisedPnl: num(raw.unrealisedPnl),
      leverage: num(raw.leverage),
    };
  }

  #order(raw: Record<string, unknown>, path: string): BybitOrder {
    const side = raw.side;
    if (typeof raw.orderId !== "string" || (side !== "Buy" && side !== "Sell")) throw this.#invalid(path, "an order lacks orderId or side");
    const cumExecQty = num(raw.cumExecQty);
    return {
      orderId: raw.orderId,
      orderLinkId: String(raw.orderLinkId ?? ""),
      symbol: String(raw.symbol ?? ""),
      side,
      orderType: String(raw.orderType ?? ""),
      timeInForce: String(raw.timeInForce ?? ""),
      orderStatus: String(raw.orderStatus ?? ""),
      price: num(raw.price),
      qty: num(raw.qty),
      cumExecQty,
      cumExecValue: num(raw.cumExecValue),
      cumExecFee: num(raw.cumExecFee),
      avgPrice: cumExecQty > 0 ? num(raw.avgPrice) : Number.NaN,
      leavesQty: num(raw.leavesQty),
      reduceOnly: raw.reduceOnly === true || raw.reduceOnly === "true",
      rejectReason: String(raw.rejectReason ?? ""),
      createdTime: num(raw.createdTime),
    };
  }

  #invalid(path: string, message: string): InvalidResponseError {
    return new InvalidResponseError(`${this.baseUrl}${path}`, message);
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  return v === undefined || v.trim() === "" ? undefined : v.trim();
}

/** A Bybit decimal string (or number) as a number; "" and anything unreadable give NaN. */
function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v !== "string" || v.trim() === "") return Number.NaN;
  return Number(v);
}

function isRateLimit(info: RetryInfo): boolean {
  return info.status === 429 || info.status === 403 || info.reason === `Bybit retCode ${RATE_LIMIT_CODE}`;
}

/** A refusal before processing: sending the same order again is safe. */
function isRefusal(err: unknown): err is BybitApiError | HttpError {
  if (err instanceof BybitApiError) return err.retCode === RATE_LIMIT_CODE;
  if (err instanceof HttpError) return err.status === 429 || err.status === 403;
  return false;
}

function refusalReason(err: BybitApiError | HttpError): string {
  return err instanceof BybitApiError ? `Bybit retCode ${err.retCode}` : `HTTP ${err.status}`;
}

/** Why an order create's outcome is unknown, or undefined when the error is a clear answer. */
function ambiguity(err: unknown): string | undefined {
  if (err instanceof NetworkError) return "no answer (timeout or dropped connection)";
  if (err instanceof InvalidResponseError) return "unreadable answer";
  if (err instanceof HttpError && (err.status >= 500 || err.status === 408)) return `HTTP ${err.status}`;
  if (err instanceof BybitApiError && SERVER_CODES.has(err.retCode)) return `Bybit retCode ${err.retCode}`;
  return undefined;
}
