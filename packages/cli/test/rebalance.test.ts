import { spawn } from "node:child_process";
import { readFile, readdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { type FakeBybit, type FakeBybitPrivate, fakeBybitPrivate, startFakeBybit, tempDir } from "@nmrblox/fixtures";
import { NumerFrame, dayNumber, dayOfEpochMs, isoDay, writeCsv } from "@nmrblox/numerframe";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BIN, type CliRun, expectOk, runCli, runJson } from "./helpers.js";

const KEYS = { BYBIT_API_KEY: "KEY-cli-rebalance-7f3e", BYBIT_API_SECRET: "SECRET-cli-rebalance-9a8b7c6d" };
// Four contracts at constant closes; the signals rank them the same way every day.
const CLOSE: Record<string, number> = { AAAUSDT: 100, BBBUSDT: 50, CCCUSDT: 20, DDDUSDT: 10, EEEUSDT: 40 };
const PREDICTION: Record<string, number> = { AAAUSDT: 0.9, BBBUSDT: 0.7, CCCUSDT: 0.3, DDDUSDT: 0.1 };
const DAYS = Array.from({ length: 10 }, (_, i) => isoDay(dayNumber("2024-01-01") + i));
// Long 2 / short 2, a tranche entered every day and held 3 days, so 3 tranches of a third of
// the capital each, all with the same baskets: each leg holds half the capital, half of it per
// symbol, 10 000 USDT × 0.5 × 0.5 = 2 500 USDT a symbol, in contracts at the closes above.
const TARGET = { AAAUSDT: 25, BBBUSDT: 50, CCCUSDT: -125, DDDUSDT: -250 };
const BOOK = ["--long", "2", "--short", "2", "--hold", "3", "--tranches", "3", "--capital", "10000"];

let dir: string;
beforeAll(async () => {
  dir = await tempDir("nmrblox-cli-rebalance-");
  const rows = DAYS.flatMap((date) => Object.keys(PREDICTION).map((symbol) => ({ date, symbol })));
  await writeCsv(
    NumerFrame.fromColumns({ date: rows.map((r) => r.date), symbol: rows.map((r) => r.symbol), prediction: rows.map((r) => PREDICTION[r.symbol]!) }),
    join(dir, "signals.csv"),
    { sidecar: false },
  );
  await writeCsv(
    NumerFrame.fromColumns({
      date: rows.map((r) => r.date),
      symbol: rows.map((r) => r.symbol),
      exchange_symbol: rows.map((r) => r.symbol),
      close: rows.map((r) => CLOSE[r.symbol]!),
      turnover_usd: rows.map(() => 1e9),
      funding_rate: rows.map(() => 0),
    }),
    join(dir, "market.csv"),
    { sidecar: false },
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

let bybit: FakeBybit;
let account: FakeBybitPrivate;
let journal: string;
beforeEach(async () => {
  // Held now: 10 AAA long, 200 CCC short, and 5 EEE that the target does not hold.
  account = fakeBybitPrivate({ ...keys(), prices: CLOSE, positions: { AAAUSDT: 10, CCCUSDT: -200, EEEUSDT: 5 } });
  const today = dayOfEpochMs(Date.now());
  bybit = await startFakeBybit({
    lastDay: today,
    contracts: Object.entries(CLOSE).map(([symbol, close]) => ({ symbol, launchDay: today - 400, close: () => close, turnover: () => 1e9 })),
    handlers: [account.handle],
  });
  journal = await tempDir("nmrblox-cli-journal-");
});
afterEach(async () => {
  await bybit.close();
  await rm(journal, { recursive: true, force: true });
});

function keys(): { apiKey: string; apiSecret: string } {
  return { apiKey: KEYS.BYBIT_API_KEY, apiSecret: KEYS.BYBIT_API_SECRET };
}

const args = (...extra: string[]) => ["rebalance", "--signals", "signals.csv", "--market", "market.csv", ...BOOK, "--bybit-url", bybit.url, "--journal", journal, ...extra];

/** The target book's contracts per exchange symbol equal TARGET (up to float rounding). */
function expectTarget(rows: ReadonlyArray<{ exchange_symbol: string; quantity: number }>): void {
  expect(rows.map((r) => r.exchange_symbol)).toEqual(Object.keys(TARGET));
  for (const r of rows) expect(r.quantity).toBeCloseTo(TARGET[r.exchange_symbol as keyof typeof TARGET], 9);
}

/** Every text file of the journal folder, concatenated. */
async function journalText(): Promise<string> {
  const names = await readdir(journal);
  const texts = await Promise.all(names.map((n) => readFile(join(journal, n), "utf8")));
  return texts.join("\n");
}

const creates = () => account.callsTo("/v5/order/create").length;
const writes = () => account.calls.filter((c) => c.method !== "GET").length;

interface Doc {
  mode: string;
  asOf: string;
  target: Array<{ symbol: string; exchange_symbol: string; quantity: number }>;
  plan: { planId: string; orders: Array<{ symbol: string; side: string; qtyText: string; reduceOnly: boolean }> };
  report: { placed: number; counts: Record<string, number>; deviations: unknown[]; positionsAfter?: Record<string, number> };
  journal: string;
}

describe("nmrblox rebalance against the fake Bybit", () => {
  it("dry run (the default): prints the plan from the positions held, journals it and sends no order", async () => {
    const run = await runCli(args(), { cwd: dir, env: KEYS });
    expectOk(run);
    expect(run.stdout).toContain("orders, 0 skipped");
    expect(run.stdout).toContain("Dry run: nothing was sent");
    expect(writes()).toBe(0);
    expect(account.callsTo("/v5/position/list").length).toBeGreaterThan(0);
    expect(Object.fromEntries(account.positions)).toEqual({ AAAUSDT: 10, CCCUSDT: -200, EEEUSDT: 5 });

    const { run: jsonRun, doc } = await runJson<Doc>(args(), { cwd: dir, env: KEYS });
    expectOk(jsonRun);
    expect(doc.mode).toBe("dry-run");
    expect(doc.asOf).toBe("2024-01-10");
    expectTarget(doc.target);
    // Reduce legs first (reduce-only), then opens; symbols in code-point order within each.
    expect(doc.plan.orders.map((o) => `${o.side} ${o.qtyText} ${o.symbol}${o.reduceOnly ? " reduce-only" : ""}`)).toEqual([
      "Buy 75.000 CCCUSDT reduce-only",
      "Sell 5.000 EEEUSDT reduce-only",
      "Buy 15.000 AAAUSDT",
      "Buy 50.000 BBBUSDT",
      "Sell 250.000 DDDUSDT",
    ]);
    expect(doc.report.counts.dry_run).toBe(5);
    expect(writes()).toBe(0);
    const written = JSON.parse(await readFile(doc.journal, "utf8")) as { plan: { planId: string }; runs: Array<{ mode: string }> };
    expect(written.plan.planId).toBe(doc.plan.planId);
    expect(written.runs.map((r) => r.mode)).toEqual(["dry-run", "dry-run"]);
  });

  it("--execute --yes places the orders; a rerun places nothing new; the secret is nowhere", async () => {
    const first = await runJson<Doc>(args("--execute", "--yes"), { cwd: dir, env: KEYS });
    expectOk(first.run);
    expect(first.doc.mode).toBe("execute");
    expect(first.doc.report.placed).toBe(5);
    expect(first.doc.report.counts.filled).toBe(5);
    expect(first.doc.report.deviations).toEqual([]);
    expect(creates()).toBe(5);
    const held = Object.fromEntries([...account.positions].filter(([, q]) => q !== 0));
    expect(held).toEqual(TARGET);
    expect(first.doc.report.positionsAfter).toEqual(TARGET);

    // The same command again: the positions are at the target, nothing to send.
    const second = await runCli(args("--execute", "--yes"), { cwd: dir, env: KEYS });
    expectOk(second);
    expect(second.stdout).toContain("0 orders");
    expect(creates()).toBe(5);
    // The first plan again (the same day and the positions it was made from): the journal
    // knows every leg is placed, so nothing is sent twice.
    account.positions.clear();
    for (const [symbol, q] of Object.entries({ AAAUSDT: 10, CCCUSDT: -200, EEEUSDT: 5 })) account.positions.set(symbol, q);
    const again = await runJson<Doc>(args("--execute", "--yes"), { cwd: dir, env: KEYS });
    expectOk(again.run);
    expect(again.doc.plan.planId).toBe(first.doc.plan.planId);
    expect(again.doc.report.counts.already_done).toBe(5);
    expect(again.doc.report.placed).toBe(0);
    expect(creates()).toBe(5);

    for (const text of [first.run.stdout, first.run.stderr, second.stdout, second.stderr, await journalText()]) {
      expect(text).not.toContain(KEYS.BYBIT_API_SECRET);
      expect(text).not.toContain(KEYS.BYBIT_API_KEY);
    }
  });

  it("--execute without --yes under a pipe exits 2 before any request", async () => {
    const run = await runCli(args("--execute"), { cwd: dir, env: KEYS });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--yes");
    expect(bybit.calls).toEqual([]);
  });

  it("under a terminal, answering no sends nothing; yes sends the plan", async () => {
    const no = await runInTerminal(args("--execute"), "no\n");
    expect(no.code, no.stdout).toBe(0);
    expect(no.stdout).toContain('Type "yes" to send');
    expect(no.stdout).toContain("Nothing was sent");
    expect(writes()).toBe(0);
    expect(account.callsTo("/v5/position/list").length).toBeGreaterThan(0);

    const yes = await runInTerminal(args("--execute"), "yes\n");
    expect(yes.code, yes.stdout).toBe(0);
    expect(creates()).toBe(5);
    expect(Object.fromEntries([...account.positions].filter(([, q]) => q !== 0))).toEqual(TARGET);
    expect(no.stdout + yes.stdout).not.toContain(KEYS.BYBIT_API_SECRET);
  });

  it("--live fetches the market from Bybit and plans the same book", async () => {
    // Signals keyed by Numerai symbol (AAA, ...) on the last days: mapped to the USDT perpetuals.
    const today = dayOfEpochMs(Date.now());
    const days = Array.from({ length: 6 }, (_, i) => isoDay(today - 6 + i));
    const rows = days.flatMap((date) => Object.keys(PREDICTION).map((s) => ({ date, symbol: s.replace("USDT", "") })));
    await writeCsv(
      NumerFrame.fromColumns({ date: rows.map((r) => r.date), symbol: rows.map((r) => r.symbol), prediction: rows.map((r) => PREDICTION[`${r.symbol}USDT`]!) }),
      join(dir, "live-signals.csv"),
      { sidecar: false },
    );
    const { run, doc } = await runJson<Doc>(
      ["rebalance", "--signals", "live-signals.csv", "--live", ...BOOK, "--bybit-url", bybit.url, "--journal", journal, "--cache-dir", join(journal, "cache")],
      { cwd: dir, env: KEYS },
    );
    expectOk(run);
    expect(doc.asOf).toBe(isoDay(today - 1));
    expectTarget(doc.target);
    expect(doc.plan.orders).toHaveLength(5);
    expect(bybit.count("/v5/market/kline")).toBeGreaterThan(0);
    expect(writes()).toBe(0);
  });

  it("refuses conflicting flags with exit 2", async () => {
    const both = await runCli([...args("--testnet")], { cwd: dir, env: KEYS });
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--testnet");
    const neither = await runCli(["rebalance", "--signals", "signals.csv", ...BOOK], { cwd: dir, env: KEYS });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain("--live");
    expect(bybit.calls).toEqual([]);
  });
});

/**
 * Runs the CLI under a pseudo-terminal (`script -qc`), typing `input` into it. stdin stays open
 * until the run ends (script would otherwise hang up the terminal at end of input).
 */
function runInTerminal(cliArgs: readonly string[], input: string): Promise<CliRun> {
  const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;
  const command = [process.execPath, BIN, ...cliArgs].map(quote).join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], {
      cwd: dir,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", ...KEYS },
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let typed = false;
    child.stdout.on("data", (c: Buffer) => {
      stdout += c.toString("utf8");
      // Type the answer once the question is on the terminal.
      if (!typed && stdout.includes('Type "yes" to send')) {
        typed = true;
        child.stdin.write(input);
      }
    });
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}
