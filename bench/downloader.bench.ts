// Loads 300 symbols × 5 years of daily klines and 8-hourly funding from a local server that
// answers in Bybit's v5 shapes (newest first, 1000 klines / 200 settlements a page).
import { Worker } from "node:worker_threads";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BybitClient, loadBybitMarket } from "@nmrblox/downloader";
import { bench, printResults } from "./harness.js";

const DAY = 86_400_000;
const SYMBOLS = Array.from({ length: 300 }, (_, i) => `C${i}USDT`);
const START = Date.parse("2020-01-01T00:00:00Z") / DAY;
const END = Date.parse("2024-12-30T00:00:00Z") / DAY; // 1826 days
const STEP = 8 * 3_600_000;

// The server runs in a worker thread, as a real exchange would run elsewhere: the figure is
// the client's cost, not the cost of a fake server sharing its event loop.
const serverSource = `
const { createServer } = require("node:http");
const { parentPort } = require("node:worker_threads");
const DAY = ${DAY}, START = ${START}, END = ${END}, STEP = ${STEP};
const server = createServer((req, res) => {
  const url = new URL(req.url || "/", "http://127.0.0.1");
  const q = url.searchParams;
  const symbol = q.get("symbol") || "";
  const s = Number(symbol.slice(1, -4));
  let list;
  if (url.pathname === "/v5/market/kline") {
    const start = Number(q.get("start"));
    const end = Number(q.get("end"));
    const rows = [];
    for (let d = Math.min(END, Math.floor(end / DAY)); d >= START && d * DAY >= start && rows.length < 1000; d--) {
      const c = String(100 + s + (d - START) * 0.01);
      rows.push([String(d * DAY), c, c, c, c, "10", String(1e6 + s)]);
    }
    list = rows;
  } else {
    const start = Number(q.get("startTime"));
    const end = Math.min(Number(q.get("endTime")), (END + 1) * DAY - 1);
    const rows = [];
    for (let t = Math.floor(end / STEP) * STEP; t >= START * DAY && t >= start && rows.length < 200; t -= STEP) {
      rows.push({ symbol, fundingRate: "0.0001", fundingRateTimestamp: String(t) });
    }
    list = rows;
  }
  const body = JSON.stringify({ retCode: 0, retMsg: "OK", result: { category: "linear", list }, retExtInfo: {}, time: Date.now() });
  res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, "127.0.0.1", () => parentPort.postMessage(server.address().port));
`;
const worker = new Worker(serverSource, { eval: true });
const port = await new Promise<number>((resolve) => worker.once("message", resolve));
const base = `http://127.0.0.1:${port}`;
const cacheDir = await mkdtemp(join(tmpdir(), "nmrblox-bench-"));

let requests = 0;
let rows = 0;
const options = (client: BybitClient, cache: boolean) => ({
  symbols: SYMBOLS,
  start: START * DAY,
  end: END * DAY,
  client,
  cacheDir,
  cache,
  concurrency: 16,
  now: Date.now(),
});

await bench({
  name: "300 symbols x 5 y, klines + funding, no cache",
  rows: 300 * 1826,
  runs: 3,
  targetMs: 10_000,
  run: async () => {
    const client = new BybitClient({ baseUrl: base, maxRequestsPerSecond: 1e6 });
    const frame = await loadBybitMarket(options(client, false));
    requests = client.requestCount;
    rows = frame.numRows;
  },
});
console.log(`no cache: ${requests} requests per run, ${rows} rows`);

await bench({
  name: "same load, second run from the on-disk cache",
  rows: 300 * 1826,
  runs: 3,
  setup: async () => {
    await loadBybitMarket(options(new BybitClient({ baseUrl: base, maxRequestsPerSecond: 1e6 }), true));
  },
  run: async () => {
    const client = new BybitClient({ baseUrl: base, maxRequestsPerSecond: 1e6 });
    await loadBybitMarket(options(client, true));
    requests = client.requestCount;
  },
});
console.log(`cached: ${requests} requests per run`);

printResults("downloader");
await worker.terminate();
await rm(cacheDir, { recursive: true, force: true });
