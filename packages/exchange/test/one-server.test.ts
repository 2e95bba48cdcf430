import { BybitClient } from "@nmrblox/downloader";
import { fakeBybitPrivate, startFakeBybit, tempDir } from "@nmrblox/fixtures";
import { describe, expect, it } from "vitest";
import { BybitPrivateClient, executePlan, rebalancePlan } from "../src/index.js";

describe("one fake Bybit for the public and the private API", () => {
  it("takes instruments and last prices from the public API, positions from the private one, and trades the plan", async () => {
    const apiKey = "KEY-one-server-1a2b";
    const apiSecret = "SECRET-one-server-3c4d5e";
    const account = fakeBybitPrivate({ apiKey, apiSecret, prices: { BTCUSDT: 60000, ETHUSDT: 3000 }, positions: { ETHUSDT: 2 } });
    const bybit = await startFakeBybit({
      lastDay: 20000,
      contracts: [
        { symbol: "BTCUSDT", launchDay: 19990, close: () => 60000, instrument: { priceFilter: { tickSize: "0.10" } } },
        {
          symbol: "ETHUSDT",
          launchDay: 19990,
          close: () => 3000,
          instrument: { priceFilter: { tickSize: "0.01" }, lotSizeFilter: { qtyStep: "0.01", minOrderQty: "0.01", maxOrderQty: "1000", minNotionalValue: "5" } },
        },
      ],
      handlers: [account.handle],
    });
    try {
      const market = new BybitClient({ baseUrl: bybit.url, retry: { retries: 0 } });
      const instruments = await market.instruments();
      const prices = Object.fromEntries((await market.tickers()).map((t) => [t.symbol, Number(t.lastPrice)]));
      expect(prices).toEqual({ BTCUSDT: 60000, ETHUSDT: 3000 });
      const client = new BybitPrivateClient({ baseUrl: bybit.url, apiKey, apiSecret, maxRequestsPerSecond: 1000 });
      const plan = rebalancePlan(await client.positions(), { BTCUSDT: 0.005, ETHUSDT: -1 }, instruments, { prices, asOf: "2024-10-05" });
      expect(plan.orders.map((o) => `${o.side} ${o.qtyText} ${o.symbol} @ ${o.limitPriceText}${o.reduceOnly ? " reduce-only" : ""}`)).toEqual([
        "Sell 2.00 ETHUSDT @ 2985.00 reduce-only",
        "Buy 0.005 BTCUSDT @ 60300.00", // tickSize "0.10": two decimals
        "Sell 1.00 ETHUSDT @ 2985.00",
      ]);
      const report = await executePlan(plan, { execute: true, client, journalDir: await tempDir("nmrblox-exchange-"), lookupDelaysMs: [0] });
      expect(report.counts.filled).toBe(3);
      expect(report.positionsAfter).toEqual({ BTCUSDT: 0.005, ETHUSDT: -1 });
      expect(report.deviations).toEqual([]);
      expect(bybit.count("/v5/order/create")).toBe(3);
    } finally {
      await bybit.close();
    }
  });
});
