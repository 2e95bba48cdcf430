import { inspect } from "node:util";
import { type FakeBybitPrivateServer, startFakeBybitPrivate } from "@nmrblox/fixtures";
import { NumerFrameError } from "@nmrblox/numerframe";
import { afterEach, describe, expect, it } from "vitest";
import { BybitPrivateClient, type BybitRequestEvent, MissingBybitCredentialsError, OrderUnconfirmedError, signBybitRequest } from "../src/index.js";

const apiKey = "KEY-7f3c9a1e5b2d4c6f";
const apiSecret = "SECRET-0d8e2b7a9c4f1e6d3a5b";
const prices = { BTCUSDT: 60000, ETHUSDT: 3000, SOLUSDT: 150, XRPUSDT: 0.5, DOGEUSDT: 0.1 };
const fast = { retries: 3, baseDelayMs: 1, maxDelayMs: 5 };

let fake: FakeBybitPrivateServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function setup(options: Partial<Parameters<typeof startFakeBybitPrivate>[0]> = {}, client: Record<string, unknown> = {}) {
  fake = await startFakeBybitPrivate({ apiKey, apiSecret, prices, ...options });
  return { fake, client: new BybitPrivateClient({ baseUrl: fake.url, apiKey, apiSecret, retry: fast, maxRequestsPerSecond: 1000, ...client }) };
}

describe("BybitPrivateClient signing", () => {
  it("signs GET query strings and POST bodies as Bybit verifies them, with the four X-BAPI headers", async () => {
    const sent: BybitRequestEvent[] = [];
    const { fake, client } = await setup({ balance: 1234.5 }, { onRequest: (e: BybitRequestEvent) => sent.push(e) });
    const wallet = await client.walletBalance();
    expect(wallet).toMatchObject({ accountType: "UNIFIED", totalEquity: 1234.5, totalWalletBalance: 1234.5, totalAvailableBalance: 1234.5 });
    expect(wallet.coins).toEqual([{ coin: "USDT", equity: 1234.5, walletBalance: 1234.5, usdValue: 1234.5, unrealisedPnl: 0 }]);
    await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "t-1" });
    const [get, post] = fake.calls;
    expect([get!.retCode, post!.retCode]).toEqual([0, 0]);
    for (const call of [get!, post!]) {
      const h = call.headers;
      expect(h["x-bapi-api-key"]).toBe(apiKey);
      expect(h["x-bapi-recv-window"]).toBe("5000");
      expect(h["x-bapi-sign"]).toMatch(/^[0-9a-f]{64}$/);
      expect(Number(h["x-bapi-timestamp"])).toBeGreaterThan(1.6e12);
    }
    // The POST body carries exactly the documented fields; the signature is over that very string.
    expect(post!.params).toEqual({
      category: "linear",
      symbol: "BTCUSDT",
      side: "Buy",
      orderType: "Limit",
      qty: "0.001",
      price: "60300.0",
      timeInForce: "IOC",
      positionIdx: 0,
      reduceOnly: false,
      orderLinkId: "t-1",
    });
    const h = post!.headers;
    expect(h["x-bapi-sign"]).toBe(
      signBybitRequest({ apiKey, apiSecret, timestamp: Number(h["x-bapi-timestamp"]), recvWindow: 5000, payload: JSON.stringify(post!.params) }),
    );
    expect(sent.map((e) => [e.method, e.path, e.attempt])).toEqual([
      ["GET", "/v5/account/wallet-balance", 0],
      ["POST", "/v5/order/create", 0],
    ]);
  });

  it("gets retCode 10004 for a wrong secret and 10002 for a stale timestamp, without retrying", async () => {
    const { fake } = await setup();
    const wrong = new BybitPrivateClient({ baseUrl: fake.url, apiKey, apiSecret: "not-the-secret", retry: fast });
    await expect(wrong.positions()).rejects.toMatchObject({ code: "BYBIT_API", retCode: 10004 });
    const stale = new BybitPrivateClient({ baseUrl: fake.url, apiKey, apiSecret, retry: fast, now: () => Date.now() - 10_000 });
    await expect(stale.walletBalance()).rejects.toMatchObject({ retCode: 10002 });
    const unknownKey = new BybitPrivateClient({ baseUrl: fake.url, apiKey: "other-key", apiSecret, retry: fast });
    await expect(unknownKey.walletBalance()).rejects.toMatchObject({ retCode: 10003 });
    expect(fake.calls.map((c) => c.retCode)).toEqual([10004, 10002, 10003]);
  });

  it("needs keys from the options or BYBIT_API_KEY / BYBIT_API_SECRET, and never shows them", async () => {
    const saved = [process.env.BYBIT_API_KEY, process.env.BYBIT_API_SECRET];
    try {
      delete process.env.BYBIT_API_KEY;
      delete process.env.BYBIT_API_SECRET;
      const none = new BybitPrivateClient({ baseUrl: "http://127.0.0.1:9" });
      expect(none.hasCredentials).toBe(false);
      const err = await none.positions().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(MissingBybitCredentialsError);
      expect(NumerFrameError.isInstance(err) && err.code === "MISSING_CREDENTIALS").toBe(true);
      expect((err as Error).message).toContain("BYBIT_API_KEY");
      process.env.BYBIT_API_KEY = apiKey;
      process.env.BYBIT_API_SECRET = apiSecret;
      const fromEnv = new BybitPrivateClient({ baseUrl: "http://127.0.0.1:9" });
      expect(fromEnv.hasCredentials).toBe(true);
      const shown = `${inspect(fromEnv, { depth: 5, showHidden: true })} ${JSON.stringify(fromEnv)}`;
      expect(shown).not.toContain(apiKey);
      expect(shown).not.toContain(apiSecret);
    } finally {
      if (saved[0] === undefined) delete process.env.BYBIT_API_KEY;
      else process.env.BYBIT_API_KEY = saved[0];
      if (saved[1] === undefined) delete process.env.BYBIT_API_SECRET;
      else process.env.BYBIT_API_SECRET = saved[1];
    }
  });

  it("is strict about options", () => {
    expect(() => new BybitPrivateClient({ baseURL: "http://x" } as never)).toThrow(/option "baseURL": unknown option \(did you mean "baseUrl"\?\)/);
    expect(() => new BybitPrivateClient({ retry: { retrys: 1 } } as never)).toThrow(/"retry.retrys".*"retries"/);
  });
});

describe("BybitPrivateClient endpoints", () => {
  it("reads every position page by page with signed quantities", async () => {
    const { fake, client } = await setup({ positions: { BTCUSDT: 0.01, ETHUSDT: -2, SOLUSDT: 3, XRPUSDT: -100, DOGEUSDT: 0 }, positionPageSize: 2 });
    const positions = await client.positions();
    expect(positions.map((p) => [p.symbol, p.side, p.size, p.quantity, p.positionIdx])).toEqual([
      ["BTCUSDT", "Buy", 0.01, 0.01, 0],
      ["DOGEUSDT", "", 0, 0, 0],
      ["ETHUSDT", "Sell", 2, -2, 0],
      ["SOLUSDT", "Buy", 3, 3, 0],
      ["XRPUSDT", "Sell", 100, -100, 0],
    ]);
    expect(positions[2]!.positionValue).toBe(6000);
    expect(fake.callsTo("/v5/position/list").map((c) => [c.params.settleCoin, c.params.cursor])).toEqual([
      ["USDT", undefined],
      ["USDT", "2"],
      ["USDT", "4"],
    ]);
  });

  it("creates, finds by link id, and refuses to cancel a filled IOC order", async () => {
    const { fake, client } = await setup({ fillRatio: { ETHUSDT: 0.5 } });
    const placed = await client.createOrder({ symbol: "ETHUSDT", side: "Sell", qty: "1.00", price: "2985.00", orderLinkId: "eth-1" });
    expect(placed.orderLinkId).toBe("eth-1");
    const order = await client.queryOrder({ symbol: "ETHUSDT", orderLinkId: "eth-1" });
    expect(order).toMatchObject({
      orderId: placed.orderId,
      side: "Sell",
      orderStatus: "PartiallyFilledCanceled",
      qty: 1,
      cumExecQty: 0.5,
      avgPrice: 3000,
      timeInForce: "IOC",
      reduceOnly: false,
    });
    expect(order!.cumExecFee).toBeCloseTo(0.5 * 3000 * 0.00055, 12);
    // Open orders first, then the recent closed ones: found on the second look-up.
    expect(fake.callsTo("/v5/order/realtime").map((c) => c.params.openOnly)).toEqual(["0", "1"]);
    expect(await client.queryOrder({ symbol: "ETHUSDT", orderLinkId: "nope" })).toBeUndefined();
    expect(fake.callsTo("/v5/order/history")).toHaveLength(1);
    await expect(client.cancelOrder({ symbol: "ETHUSDT", orderLinkId: "eth-1" })).rejects.toMatchObject({ retCode: 110001 });
    expect(fake.positions.get("ETHUSDT")).toBe(-0.5);
  });

  it("cancels a resting order", async () => {
    const { client } = await setup();
    await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "50000.0", timeInForce: "GTC", orderLinkId: "rest-1" });
    expect((await client.queryOrder({ symbol: "BTCUSDT", orderLinkId: "rest-1" }))!.orderStatus).toBe("New");
    expect((await client.cancelOrder({ symbol: "BTCUSDT", orderLinkId: "rest-1" })).orderLinkId).toBe("rest-1");
    expect((await client.queryOrder({ symbol: "BTCUSDT", orderLinkId: "rest-1" }))!.orderStatus).toBe("Cancelled");
  });

  it("retries a rate-limited create (retCode 10006) and places the order once", async () => {
    const retries: string[] = [];
    const { fake, client } = await setup({ faults: [{ kind: "rateLimit", path: "/v5/order/create", times: 2 }] }, { onRetry: (i: { reason: string }) => retries.push(i.reason) });
    await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "rl-1" });
    expect(fake.callsTo("/v5/order/create").map((c) => c.retCode)).toEqual([10006, 10006, 0]);
    expect(fake.orders).toHaveLength(1);
    expect(retries).toEqual(["Bybit retCode 10006", "Bybit retCode 10006"]);
  });

  it("retries reads after HTTP 502, but never resends a create whose answer was lost", async () => {
    const { fake, client } = await setup(
      {
        faults: [
          { kind: "serverError", path: "/v5/position/list" },
          { kind: "acceptThenHang", symbol: "BTCUSDT" },
          { kind: "acceptThenDrop", symbol: "ETHUSDT" },
          { kind: "serverError", path: "/v5/order/create", symbol: "SOLUSDT" },
        ],
      },
      { timeoutMs: 300 },
    );
    expect(await client.positions()).toEqual([]);
    expect(fake.callsTo("/v5/position/list").map((c) => c.retCode)).toEqual([-502, 0]);

    const timeout = await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "to-1" }).catch((e: unknown) => e);
    expect(timeout).toBeInstanceOf(OrderUnconfirmedError);
    expect(timeout).toMatchObject({ code: "ORDER_UNCONFIRMED", symbol: "BTCUSDT", orderLinkId: "to-1" });
    const dropped = await client.createOrder({ symbol: "ETHUSDT", side: "Buy", qty: "0.01", price: "3015.00", orderLinkId: "dr-1" }).catch((e: unknown) => e);
    expect(dropped).toMatchObject({ code: "ORDER_UNCONFIRMED", orderLinkId: "dr-1" });
    // Both were accepted: the fake holds them, each sent exactly once.
    expect(fake.orders.map((o) => [o.orderLinkId, o.orderStatus])).toEqual([
      ["to-1", "Filled"],
      ["dr-1", "Filled"],
    ]);
    const bad = await client.createOrder({ symbol: "SOLUSDT", side: "Buy", qty: "0.1", price: "151.00", orderLinkId: "se-1" }).catch((e: unknown) => e);
    expect(bad).toMatchObject({ code: "ORDER_UNCONFIRMED", reason: "HTTP 502" });
    expect(fake.callsTo("/v5/order/create")).toHaveLength(3);
    // A second create with a used link id is refused by Bybit itself.
    await expect(client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "to-1" })).rejects.toMatchObject({ retCode: 110072 });
    expect(fake.orders).toHaveLength(2);
  });

  it("refuses bad order input before sending anything", async () => {
    const { fake, client } = await setup();
    await expect(client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", orderLinkId: "x" })).rejects.toMatchObject({ code: "INVALID_OPTION", option: "price" });
    await expect(client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "1e-3", price: "1", orderLinkId: "x" })).rejects.toMatchObject({ option: "qty" });
    await expect(client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "1", price: "1", orderLinkId: "x".repeat(37) })).rejects.toMatchObject({ option: "orderLinkId" });
    await expect(client.queryOrder({ symbol: "BTCUSDT" })).rejects.toMatchObject({ code: "INVALID_OPTION" });
    expect(fake.calls).toHaveLength(0);
  });
});
