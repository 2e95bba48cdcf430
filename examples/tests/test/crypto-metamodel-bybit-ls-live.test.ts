import { readFile, readdir } from "node:fs/promises";
import { join, relative } from "node:path";
import { type FakeBybitContract, type FakeBybitStatus, startFakeBybit, startFakeNumerai, withTempDir } from "@nmrblox/fixtures";
import { readParquet } from "@nmrblox/numerframe";
import { type SyntheticFileManifest, writeSyntheticFiles } from "@nmrblox/synthetic";
import { describe, expect, it } from "vitest";
import { readJson, runExampleWithOutput } from "./run-example.js";

interface Stats {
  days: number;
  start: string;
  end: string;
  costs: { fee: number; funding: number };
}
interface Summary {
  source: string;
  range: { symbols: number; start: string; end: string };
  runs: Record<"with funding" | "without funding", Stats>;
  scores: Array<{ score: string; eras: number }>;
  files: string[];
}

const DAY_MS = 86_400_000;
const CRYPTO = 12;
const ROUND = 1042;
const SERVED = { symbols: 40, start: "2024-01-01", end: "2024-03-31", seed: 7 };
// Fake keys in the environment: public datasets must not need them, and they must never leak.
const PUBLIC_ID = "FAKEPUBLICID0123456789";
const SECRET = "FAKE-SECRET-9f8e7d6c5b4a39281706";

interface Page<L> {
  result: { list: L[] };
}
type FundingRow = { fundingRate: string; fundingRateTimestamp: string };

/** The dataset files `writeSyntheticFiles` wrote, as the fake Numerai serves them (current round only). */
async function servedDatasets(manifest: SyntheticFileManifest): Promise<Record<string, Buffer>> {
  const entries = await Promise.all(
    manifest.numerai.datasets.map(async (name) => [name, await readFile(join(manifest.dir, ...name.split("/")))] as const),
  );
  return Object.fromEntries(entries);
}

/** The contracts of the Bybit pages `writeSyntheticFiles` wrote: instruments per status, daily candles, settlements. */
async function servedContracts(manifest: SyntheticFileManifest): Promise<FakeBybitContract[]> {
  const bybit = manifest.bybit!;
  const read = async <L>(rel: string) => (JSON.parse(await readFile(join(manifest.dir, ...rel.split("/")), "utf8")) as Page<L>).result.list;
  const contracts: FakeBybitContract[] = [];
  for (const [status, pages] of Object.entries(bybit.instruments)) {
    for (const page of pages) {
      for (const instrument of await read<Record<string, unknown>>(page.path)) {
        const symbol = String(instrument.symbol);
        const candles = [];
        for (const p of bybit.kline[symbol] ?? []) {
          for (const r of await read<string[]>(p.path)) {
            const [startTime, open, high, low, close, volume, turnover] = r.map(Number) as [number, number, number, number, number, number, number];
            candles.push({ startTime, open, high, low, close, volume, turnover });
          }
        }
        const settlements = [];
        for (const p of bybit.funding[symbol] ?? []) {
          for (const r of await read<FundingRow>(p.path)) settlements.push({ time: Number(r.fundingRateTimestamp), rate: Number(r.fundingRate) });
        }
        contracts.push({ symbol, status: status as FakeBybitStatus, instrument, candles, settlements });
      }
    }
  }
  return contracts;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe("examples/crypto-metamodel-bybit-ls --live", () => {
  it("downloads the meta model from a fake Numerai and the market from a fake Bybit, then backtests them", () =>
    withTempDir(async (dir) => {
      // Instruments in pages of 10, so the client must follow nextPageCursor.
      const manifest = await writeSyntheticFiles(join(dir, "served"), { crypto: SERVED, classic: false, instrumentsLimit: 10 });
      const crypto = manifest.numerai.crypto!;
      const bybit = manifest.bybit!;
      const perpetuals = Object.keys(bybit.kline).sort();
      const numerai = await startFakeNumerai({ currentRound: { [CRYPTO]: ROUND }, datasets: { [CRYPTO]: { [ROUND]: await servedDatasets(manifest) } } });
      const exchange = await startFakeBybit({ contracts: await servedContracts(manifest), instrumentsPageSize: 10 });
      const out = join(dir, "out");
      const cache = join(dir, "cache");
      let output: { stdout: string; stderr: string };
      try {
        output = await runExampleWithOutput(
          "crypto-metamodel-bybit-ls",
          [
            "--live",
            ...["--numerai-url", numerai.url, "--bybit-url", exchange.url],
            ...["--start", SERVED.start, "--end", SERVED.end, "--long", "5", "--short", "5", "--out", out],
          ],
          { NMRBLOX_CACHE_DIR: cache, NUMERAI_PUBLIC_ID: PUBLIC_ID, NUMERAI_SECRET_KEY: SECRET, NO_PROXY: "127.0.0.1" },
        );
      } finally {
        await Promise.all([numerai.close(), exchange.close()]);
      }
      const { stdout, stderr } = output;

      // Numerai: the file list of the current Crypto round, then a download URL and the bytes of
      // the meta-model file and the train targets; all public, so no key is ever sent.
      const graphql = numerai.graphqlCalls();
      const fields = graphql.map((c) => c.field);
      expect(fields).toContain("listDatasets");
      for (const c of graphql.filter((c) => c.field === "listDatasets")) expect(c.variables).toEqual({ round: null, tournament: CRYPTO });
      const urlsAskedFor = graphql.filter((c) => c.field === "dataset").map((c) => c.variables.filename);
      expect(new Set(urlsAskedFor)).toEqual(new Set([crypto.metaModel, crypto.trainTargets]));
      expect(numerai.downloads().sort()).toEqual([crypto.metaModel, crypto.trainTargets].sort());
      expect(graphql.every((c) => c.authorization === undefined)).toBe(true);
      expect(numerai.server.requests.every((r) => r.headers.authorization === undefined)).toBe(true);

      // Bybit: every instrument status, every instruments page by its cursor, and one daily kline
      // and funding walk per listed perpetual, from a month before the first signal to the last day.
      const instrumentCalls = exchange.callsTo("/v5/market/instruments-info");
      expect(new Set(instrumentCalls.map((c) => c.params.status))).toEqual(new Set(["Trading", "Closed", "Delivering", "PreLaunch"]));
      for (const [status, pages] of Object.entries(bybit.instruments)) {
        // Pages of 10 as written: the first call has no cursor, each later one the cursor the previous page named.
        const calls = instrumentCalls.filter((c) => c.params.status === status);
        expect(calls.map((c) => c.params.cursor === undefined)).toEqual(pages.map((_, k) => k === 0));
      }
      expect(bybit.instruments.Trading!.length).toBeGreaterThan(1);
      const firstMarketDay = Date.parse(`${SERVED.start}T00:00:00Z`) - 31 * DAY_MS;
      const lastMarketDay = Date.parse(`${SERVED.end}T00:00:00Z`);
      const klineCalls = exchange.callsTo("/v5/market/kline");
      expect([...new Set(klineCalls.map((c) => c.params.symbol))].sort()).toEqual(perpetuals);
      for (const c of klineCalls) {
        expect(c.params).toMatchObject({ category: "linear", interval: "D", start: String(firstMarketDay), end: String(lastMarketDay) });
      }
      const fundingCalls = exchange.callsTo("/v5/market/funding/history");
      expect([...new Set(fundingCalls.map((c) => c.params.symbol))].sort()).toEqual(perpetuals);
      for (const c of fundingCalls) expect(Number(c.params.startTime)).toBe(firstMarketDay);
      // About 90 days of 8-hourly settlements need more than one page of 200 for some contract.
      expect(fundingCalls.length).toBeGreaterThan(perpetuals.length);
      expect(exchange.calls.every((c) => c.path.startsWith("/v5/market/"))).toBe(true);

      // The study ran on what was served: every listed perpetual mapped to its Numerai symbol,
      // a backtest inside the served days, and scores against the served targets.
      const summary = await readJson<Summary>(join(out, "summary.json"));
      expect(summary.source).toBe("live");
      const served = await readParquet(join(manifest.dir, crypto.metaModel));
      const servedSymbols = new Set(served.strings("symbol")).size;
      expect(servedSymbols).toBeGreaterThan(perpetuals.length);
      expect(summary.range).toEqual({ symbols: servedSymbols, start: SERVED.start, end: SERVED.end });
      expect(stdout).toContain(`${perpetuals.length} symbols mapped, ${servedSymbols - perpetuals.length} without a USDT perpetual`);
      for (const run of Object.values(summary.runs)) {
        expect(run.start >= SERVED.start && run.end <= SERVED.end, `${run.start}..${run.end}`).toBe(true);
        expect(run.days).toBeGreaterThan(60);
        expect(run.costs.fee).toBeGreaterThan(0);
      }
      expect(summary.runs["with funding"].costs.funding).not.toBe(0);
      expect(summary.runs["without funding"].costs.funding).toBe(0);
      expect(summary.scores.map((s) => s.score)).toEqual(["prediction_corr"]);
      expect(summary.scores[0]!.eras).toBeGreaterThan(20);
      const html = await readFile(join(out, "report.html"), "utf8");
      expect(html).toContain("<svg");
      expect(summary.files).toContain("report.html");

      // The downloads landed in the cache folder given by NMRBLOX_CACHE_DIR, per round.
      const cached = (await filesUnder(cache)).map((f) => relative(cache, f));
      expect(cached).toContain(join("numerai", "crypto", `round-${ROUND}`, ...crypto.metaModel.split("/")));

      // The secret key never shows up in what the example printed or wrote.
      expect(stdout + stderr).not.toContain(SECRET);
      for (const file of await filesUnder(out)) expect(await readFile(file, "utf8"), file).not.toContain(SECRET);
    }));
});
