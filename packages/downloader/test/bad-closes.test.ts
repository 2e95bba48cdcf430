import { startFakeBybit, withTempDir } from "@nmrblox/fixtures";
import { InvalidCloseError } from "@nmrblox/numerframe";
import { describe, expect, it } from "vitest";
import { BybitClient, UnsafeNameError, loadBybitMarket } from "../src/index.js";

const DAY = 86_400_000;
const D0 = 19_800;
// Day D0+1 has an empty close, D0+2 a zero, D0+3 a negative one; the others are fine.
const closes = [100, Number.NaN, 0, -5, 104];
const candles = closes.map((close, k) => ({ startTime: (D0 + k) * DAY, close, turnover: 10 }));

describe("loadBybitMarket: bad closes from the exchange", () => {
  it('"", "0" and "-5" raise InvalidCloseError naming the day and symbol (never kept as 0)', async () => {
    const fake = await startFakeBybit({ lastDay: D0 + 10, contracts: [{ symbol: "BADUSDT", candles, settlements: [] }] });
    try {
      await withTempDir(async (dir) => {
        const client = new BybitClient({ baseUrl: fake.url, retry: { retries: 0 } });
        const kline = await client.klines({ symbol: "BADUSDT", interval: "D", start: D0 * DAY, end: (D0 + 4) * DAY });
        expect(kline.map((k) => k.close)).toEqual([100, Number.NaN, 0, -5, 104]); // "" is NaN, not 0
        const err = await loadBybitMarket({ symbols: ["BADUSDT"], start: D0 * DAY, end: (D0 + 4) * DAY, client, cacheDir: dir, now: (D0 + 10) * DAY }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidCloseError);
        expect((err as InvalidCloseError).code).toBe("INVALID_CLOSE");
        expect((err as InvalidCloseError).symbol).toBe("BADUSDT");
        expect((err as InvalidCloseError).date).toBe(new Date((D0 + 1) * DAY).toISOString().slice(0, 10));
      });
    } finally {
      await fake.close();
    }
  });

  it('invalidCloses: "drop" leaves the three rows out and counts them in source, also from the cache', async () => {
    const fake = await startFakeBybit({ lastDay: D0 + 10, contracts: [{ symbol: "BADUSDT", candles, settlements: [] }] });
    try {
      await withTempDir(async (dir) => {
        const client = new BybitClient({ baseUrl: fake.url, retry: { retries: 0 } });
        const opts = { symbols: ["BADUSDT"], start: D0 * DAY, end: (D0 + 4) * DAY, client, cacheDir: dir, now: (D0 + 10) * DAY, invalidCloses: "drop" as const };
        for (const pass of [1, 2]) {
          const frame = await loadBybitMarket(opts);
          expect(Array.from(frame.float64("close"))).toEqual([100, 104]);
          const source = frame.meta.source as { droppedCloses: number; droppedCloseRows: Array<{ close: string }> };
          expect(source.droppedCloses).toBe(3);
          expect(source.droppedCloseRows.map((r) => r.close)).toEqual(["NaN", "0", "-5"]);
          expect(fake.count("/v5/market/kline")).toBe(1); // the second pass is served by the cache
          expect(pass).toBeGreaterThan(0);
        }
      });
    } finally {
      await fake.close();
    }
  });

  it("a symbol with ../ never writes outside the cache folder", async () => {
    const fake = await startFakeBybit({ lastDay: D0 + 10, contracts: [] });
    try {
      await withTempDir(async (dir) => {
        const client = new BybitClient({ baseUrl: fake.url, retry: { retries: 0 } });
        const err = await loadBybitMarket({ symbols: ["../../../outside"], start: D0 * DAY, end: D0 * DAY, client, cacheDir: dir, now: (D0 + 10) * DAY }).catch((e: unknown) => e);
        expect(err).toBeInstanceOf(UnsafeNameError);
        expect(fake.count("/v5/market/kline")).toBe(0);
      });
    } finally {
      await fake.close();
    }
  });
});
