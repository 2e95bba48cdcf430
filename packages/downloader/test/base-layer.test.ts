// Issue 14's base layer as the downloader meets it: strict options naming the nearest valid key
// before any request, every error on the nmrblox root with a code from the one union, and
// producers whose frames meet numerframe's contracts.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { type FakeBybit, type FakeNumerai, startFakeBybit, startFakeNumerai, withTempDir } from "@nmrblox/fixtures";
import {
  ERROR_CODES,
  InvalidOptionError,
  NumerFrame,
  NumerFrameError,
  instrumentsContract,
  isErrorCode,
  marketContract,
  requireColumns,
  signalsContract,
  writeParquet,
} from "@nmrblox/numerframe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BybitApiError,
  BybitClient,
  DatasetNotFoundError,
  type DownloaderError,
  HttpError,
  IncompleteDownloadError,
  InvalidDateRangeError,
  InvalidResponseError,
  MissingCredentialsError,
  NetworkError,
  NumeraiClient,
  NumeraiGraphQLError,
  RateLimiter,
  UnknownTournamentError,
  backoffDelay,
  downloadFile,
  fetchWithRetry,
  loadBybitInstruments,
  loadBybitMarket,
  loadCryptoMetaModel,
  loadNumeraiDataset,
  pickDataset,
} from "../src/index.js";

const DAY = 86_400_000;
const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / DAY;
const fast = { retries: 1, baseDelayMs: 1, maxDelayMs: 2 };

let numerai: FakeNumerai;
let bybit: FakeBybit;
beforeAll(async () => {
  const meta = await withTempDir(async (dir) => {
    const path = join(dir, "mm.parquet");
    await writeParquet(
      NumerFrame.fromColumns({ symbol: ["BTC", "ETH"], date: ["2025-01-03", "2025-01-03"], meta_model: [0.25, 0.75] }),
      path,
    );
    return readFile(path);
  });
  numerai = await startFakeNumerai({ currentRound: { 12: 77 }, datasets: { 12: { 77: { "crypto/v1.0/meta_model.parquet": meta } } } });
  bybit = await startFakeBybit({
    contracts: [
      { symbol: "BTCUSDT", launchDay: day("2024-01-01"), close: (d) => d, turnover: () => 5, fundingHours: 8, rate: () => 0.0001 },
      { symbol: "OLDUSDT", status: "Closed", launchDay: day("2023-01-01"), lastDay: day("2024-01-02"), close: () => 2 },
    ],
    lastDay: day("2024-01-10"),
  });
});
afterAll(async () => {
  await Promise.all([numerai.close(), bybit.close()]);
});

const numeraiClient = (dir: string) => new NumeraiClient({ baseUrl: numerai.url, cacheDir: dir, retry: fast });
const bybitClient = () => new BybitClient({ baseUrl: bybit.url, retry: fast, maxRequestsPerSecond: 1000 });

async function failure(fn: () => unknown): Promise<InvalidOptionError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidOptionError);
    return e as InvalidOptionError;
  }
  throw new Error("expected an InvalidOptionError");
}

describe("strict options", () => {
  const cases: Array<[string, (dir: string) => unknown, string, string]> = [
    ["NumeraiClient", () => new NumeraiClient({ retrys: 3 } as never), "retrys", "retry"],
    ["NumeraiClient retry policy", () => new NumeraiClient({ retry: { retrys: 3 } } as never), "retry.retrys", "retries"],
    ["BybitClient", () => new BybitClient({ baseURL: "http://127.0.0.1:9" } as never), "baseURL", "baseUrl"],
    ["RateLimiter", () => new RateLimiter({ maxRequestPerSecond: 5 } as never), "maxRequestPerSecond", "maxRequestsPerSecond"],
    ["graphql", (dir) => numeraiClient(dir).graphql("query { rounds { number } }", {}, { authenticate: true } as never), "authenticate", "auth"],
    ["listDatasets", (dir) => numeraiClient(dir).listDatasets({ tournament: 12, rounds: 3 } as never), "rounds", "round"],
    ["downloadDataset", (dir) => numeraiClient(dir).downloadDataset("x.parquet", { tournament: 12, onProgres: () => {} } as never), "onProgres", "onProgress"],
    ["loadCryptoMetaModel", (dir) => loadCryptoMetaModel({ client: numeraiClient(dir), verison: "v1.0" } as never), "verison", "version"],
    ["loadNumeraiDataset part", (dir) => loadNumeraiDataset("crypto", "trian" as never, { client: numeraiClient(dir) }), "part", ""],
    ["pickDataset", () => pickDataset(["v1/a.parquet"], 8, "a", () => true, { versions: "v1" } as never), "versions", "version"],
    ["klines", () => bybitClient().klines({ symbol: "BTCUSDT", intervall: "D", start: 0, end: 1 } as never), "intervall", "interval"],
    ["klines date", () => bybitClient().klines({ symbol: "BTCUSDT", interval: "D", start: "yesterday", end: 1 }), "start", ""],
    ["fundingHistory", () => bybitClient().fundingHistory({ symbol: "BTCUSDT", start: 0, end: 1, categry: "linear" } as never), "categry", "category"],
    ["instruments", () => bybitClient().instruments({ statuses: "Trading" } as never), "statuses", "status"],
    ["tickers", () => bybitClient().tickers({ symbols: "BTCUSDT" } as never), "symbols", "symbol"],
    ["loadBybitMarket", () => loadBybitMarket({ symbol: ["BTCUSDT"], start: 0, end: 1 } as never), "symbol", "symbols"],
    ["loadBybitMarket pair", () => loadBybitMarket({ symbols: [{ symbol: "BTC", exchange: "BTCUSDT" }], start: 0, end: 1 } as never), "symbols.0.exchange", "exchangeSymbol"],
    ["loadBybitInstruments", () => loadBybitInstruments({ status: ["Closed"] } as never), "status", "statuses"],
    ["fetchWithRetry", () => fetchWithRetry(bybit.url, {}, { retrys: 2 } as never), "retrys", "retries"],
    ["downloadFile", (dir) => downloadFile(bybit.url, join(dir, "f"), { transport: {}, lable: "f" } as never), "lable", "label"],
    ["backoffDelay", () => backoffDelay(1, { baseDelay: 10 } as never), "baseDelay", "baseDelayMs"],
  ];

  it.each(cases)("%s names the bad option and its nearest valid key, before any request", async (_, call, path, suggestion) => {
    await withTempDir(async (dir) => {
      const before = numerai.server.requests.length + bybit.server.requests.length;
      const e = await failure(() => call(dir));
      expect(e.code).toBe("INVALID_OPTION");
      const problem = e.problems.find((p) => p.path === path);
      expect(problem, e.message).toBeDefined();
      if (suggestion !== "") expect(problem!.suggestion).toBe(suggestion);
      expect(e.option).toBe(path);
      expect(numerai.server.requests.length + bybit.server.requests.length).toBe(before);
    });
  });
});

describe("one error model", () => {
  it("every downloader error is an nmrblox error with a code from the one union", () => {
    const errors: DownloaderError[] = [
      new UnknownTournamentError("stocks"),
      new InvalidDateRangeError("2024-02-01T00:00:00.000Z", "2024-01-01T00:00:00.000Z", "klines BTCUSDT"),
      new DatasetNotFoundError("v9/train.parquet", 8, ["v5.2/train.parquet"]),
      new MissingCredentialsError("models"),
      new HttpError(503, "https://api.example/x"),
      new NetworkError("https://api.example/x", "connection failed"),
      new InvalidResponseError("https://api.example/x", "body is not JSON"),
      new NumeraiGraphQLError("listDatasets", [{ message: "boom" }]),
      new BybitApiError(10001, "params error", "https://api.bybit.com/v5/market/kline", "BTCUSDT"),
      new IncompleteDownloadError("v5.2/live.parquet", 10, 5),
    ];
    for (const e of errors) {
      expect(e).toBeInstanceOf(NumerFrameError);
      expect(NumerFrameError.isInstance(e)).toBe(true);
      expect(isErrorCode(e.code), e.code).toBe(true);
      expect(e.name).toBe(e.constructor.name);
    }
    expect(errors.map((e) => e.code)).toEqual([
      "UNKNOWN_TOURNAMENT",
      "INVALID_DATE_RANGE",
      "DATASET_NOT_FOUND",
      "MISSING_CREDENTIALS",
      "HTTP_STATUS",
      "NETWORK",
      "INVALID_RESPONSE",
      "GRAPHQL",
      "BYBIT_API",
      "INCOMPLETE_DOWNLOAD",
    ]);
    // The `where` fields name what is at fault.
    expect(errors[0]!.option).toBe("tournament");
    expect([errors[1]!.option, errors[1]!.date]).toEqual(["end", "2024-01-01"]);
    expect(errors[2]!.path).toBe("v9/train.parquet");
    expect(errors[8]!.symbol).toBe("BTCUSDT");
    expect(errors[9]!.path).toBe("v5.2/live.parquet");
  });

  it("an error met over the wire names the symbol and is an nmrblox error", async () => {
    const err = await bybitClient()
      .klines({ symbol: "NOPEUSDT", interval: "D", start: "2024-01-01", end: "2024-01-02" })
      .catch((e: unknown) => e);
    expect(NumerFrameError.isInstance(err)).toBe(true);
    expect(err).toMatchObject({ code: "BYBIT_API", retCode: 10001, symbol: "NOPEUSDT" });
    expect((err as Error).message).toContain("for NOPEUSDT");
  });

  it("lists only codes the README documents from the one union", async () => {
    const readme = await readFile(new URL("../README.md", import.meta.url), "utf8");
    const section = readme.slice(readme.indexOf("## Errors"));
    const listed = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
    expect(listed.length).toBeGreaterThanOrEqual(11);
    for (const code of listed) expect(Object.hasOwn(ERROR_CODES, code), code).toBe(true);
  });
});

describe("producers meet the frame contracts", () => {
  it("loadBybitMarket makes a market frame, also an empty one", async () => {
    await withTempDir(async (dir) => {
      const market = await loadBybitMarket({ symbols: ["BTCUSDT"], start: "2024-01-01", end: "2024-01-05", client: bybitClient(), cacheDir: dir });
      expect(() => requireColumns(market, marketContract, "test")).not.toThrow();
      expect(market.strings("date")).toEqual(["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04", "2024-01-05"]);
      expect(Array.from(market.float64("close"))).toEqual([0, 1, 2, 3, 4].map((k) => day("2024-01-01") + k));
      // 3 settlements a day at 1 bp.
      for (const f of market.float64("funding_rate")) expect(f).toBeCloseTo(0.0003, 15);
      const empty = await loadBybitMarket({ symbols: ["BTCUSDT"], start: "2024-01-09", end: "2024-01-09", client: bybitClient(), cacheDir: dir, now: day("2024-01-09") * DAY });
      expect(empty.numRows).toBe(0);
      expect(() => requireColumns(empty, marketContract, "test")).not.toThrow();
    });
  });

  it("loadBybitInstruments makes an instruments frame with closed contracts", async () => {
    const instruments = await loadBybitInstruments({ client: bybitClient() });
    expect(() => requireColumns(instruments, instrumentsContract, "test")).not.toThrow();
    expect(instruments.strings("symbol")).toEqual(["BTCUSDT", "OLDUSDT"]);
    expect(instruments.strings("status")).toEqual(["Trading", "Closed"]);
    const none = await loadBybitInstruments({ client: bybitClient(), statuses: ["PreLaunch"] });
    expect(none.numRows).toBe(0);
    expect(() => requireColumns(none, instrumentsContract, "test")).not.toThrow();
  });

  it("loadCryptoMetaModel makes a signals frame", async () => {
    await withTempDir(async (dir) => {
      const mm = await loadCryptoMetaModel({ client: numeraiClient(dir) });
      expect(() => requireColumns(mm, signalsContract, "test")).not.toThrow();
      expect(Array.from(mm.float64("prediction"))).toEqual([0.25, 0.75]);
    });
  });

  it("a frame missing a contract column is refused with every missing column named", () => {
    const bare = NumerFrame.fromColumns({ date: ["2024-01-01"], close: [1] });
    expect(() => requireColumns(bare, marketContract, "test")).toThrow(expect.objectContaining({ code: "MISSING_COLUMN", column: "symbol" }));
  });
});

describe("the fake Bybit mounts more endpoints in front of the public ones", () => {
  it("answers a mounted handler's path and still serves the market", async () => {
    const seen: string[] = [];
    const fake = await startFakeBybit({
      contracts: [{ symbol: "BTCUSDT", launchDay: day("2024-01-01"), close: () => 50 }],
      lastDay: day("2024-01-03"),
      handlers: [
        (req, res) => {
          if (!req.url?.startsWith("/v5/account/")) return false;
          seen.push(req.url);
          res.writeHead(200, { "content-type": "application/json" });
          res.end(JSON.stringify({ retCode: 0, retMsg: "OK", result: { list: [{ totalEquity: "1000" }] }, retExtInfo: {}, time: 0 }));
          return true;
        },
      ],
    });
    try {
      const client = new BybitClient({ baseUrl: fake.url, retry: fast });
      const wallet = await client.get("/v5/account/wallet-balance", { accountType: "UNIFIED" });
      expect(wallet).toEqual({ list: [{ totalEquity: "1000" }] });
      expect(seen).toEqual(["/v5/account/wallet-balance?accountType=UNIFIED"]);
      const [btc] = await client.tickers({ symbol: "BTCUSDT" });
      expect(btc!.lastPrice).toBe("50");
      expect(fake.calls.map((c) => c.path)).toEqual(["/v5/account/wallet-balance", "/v5/market/tickers"]);
    } finally {
      await fake.close();
    }
  });
});
