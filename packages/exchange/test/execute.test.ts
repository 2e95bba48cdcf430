import { readFile } from "node:fs/promises";
import { inspect } from "node:util";
import { tempDir } from "@nmrblox/fixtures";
import type { NumerFrameError } from "@nmrblox/numerframe";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type FakeBybitPrivateServer, type FakeBybitPrivateOptions, startFakeBybitPrivate } from "@nmrblox/fixtures";
import {
  BybitPrivateClient,
  type ContractSpecInput,
  type ExecutionProgress,
  type Journal,
  executePlan,
  journalPath,
  rebalancePlan,
} from "../src/index.js";

const apiKey = "KEY-4e8a2c6b1d9f3a7e";
const apiSecret = "SECRET-b7d1f3a9e5c2084d6f1a";
const prices = { BTCUSDT: 60000, ETHUSDT: 3000, SOLUSDT: 150, XRPUSDT: 0.5 };
const specs: ContractSpecInput[] = [
  { symbol: "BTCUSDT", qtyStep: "0.001", minOrderQty: "0.001", tickSize: "0.1", minNotionalValue: "5", status: "Trading" },
  { symbol: "ETHUSDT", qtyStep: "0.01", minOrderQty: "0.01", tickSize: "0.01", minNotionalValue: "5", status: "Trading" },
  { symbol: "SOLUSDT", qtyStep: "0.1", minOrderQty: "0.1", tickSize: "0.01", maxOrderQty: "10", minNotionalValue: "5", status: "Trading" },
  { symbol: "XRPUSDT", qtyStep: "1", minOrderQty: "1", tickSize: "0.0001", minNotionalValue: "5", status: "Trading" },
];
const start = { BTCUSDT: 0.01, ETHUSDT: -1, XRPUSDT: 100 };
const target = { BTCUSDT: 0.004, ETHUSDT: 0.5, SOLUSDT: -25, XRPUSDT: 0 };
const fast = { retries: 4, baseDelayMs: 1, maxDelayMs: 5 };

let fake: FakeBybitPrivateServer | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

/** A fake account holding `start`, a client for it, and today's plan from the positions it reports. */
async function setup(options: Partial<FakeBybitPrivateOptions> = {}, client: Record<string, unknown> = {}) {
  fake = await startFakeBybitPrivate({ apiKey, apiSecret, prices, positions: start, ...options });
  const c = new BybitPrivateClient({ baseUrl: fake.url, apiKey, apiSecret, retry: fast, maxRequestsPerSecond: 1000, ...client });
  const plan = rebalancePlan(await c.positions(), target, specs, { prices, asOf: "2026-01-05" });
  fake.calls.length = 0;
  return { fake, client: c, plan, journalDir: await tempDir("nmrblox-exchange-") };
}

async function withoutEnvKeys<T>(f: () => Promise<T>): Promise<T> {
  const saved = [process.env.BYBIT_API_KEY, process.env.BYBIT_API_SECRET];
  delete process.env.BYBIT_API_KEY;
  delete process.env.BYBIT_API_SECRET;
  try {
    return await f();
  } finally {
    if (saved[0] !== undefined) process.env.BYBIT_API_KEY = saved[0];
    if (saved[1] !== undefined) process.env.BYBIT_API_SECRET = saved[1];
  }
}

const creates = (f: FakeBybitPrivateServer) => f.callsTo("/v5/order/create");
const statuses = (legs: { symbol: string; part: number; status: string }[]) => legs.map((l) => `${l.symbol}:${l.part}:${l.status}`);

describe("executePlan", () => {
  it("is a dry run unless execute is true: nothing is sent, the plan is journaled", async () => {
    const { fake, client, plan, journalDir } = await setup();
    expect(plan.orders.map((o) => `${o.side} ${o.qtyText} ${o.symbol}${o.reduceOnly ? " reduce-only" : ""}`)).toEqual([
      "Sell 0.006 BTCUSDT reduce-only",
      "Buy 1.00 ETHUSDT reduce-only",
      "Sell 100 XRPUSDT reduce-only",
      "Buy 0.50 ETHUSDT",
      "Sell 10.0 SOLUSDT",
      "Sell 10.0 SOLUSDT",
      "Sell 5.0 SOLUSDT",
    ]);
    const report = await executePlan(plan, { client, journalDir });
    expect(report.mode).toBe("dry-run");
    expect(report.counts.dry_run).toBe(7);
    expect(report.placed).toBe(0);
    expect(fake.calls).toHaveLength(0);
    const journal = JSON.parse(await readFile(report.journalPath, "utf8")) as Journal;
    expect(report.journalPath).toBe(journalPath(journalDir, plan));
    expect(journal.plan).toEqual(plan);
    expect(journal.runs.map((r) => [r.mode, r.requests.length, r.results.length])).toEqual([["dry-run", 0, 7]]);
    // No client at all is fine for a dry run.
    expect((await executePlan(plan, { journalDir })).counts.dry_run).toBe(7);
  });

  it("executes reduce legs first as IOC limits, reads positions back, and a rerun sends nothing new", async () => {
    const progress: ExecutionProgress[] = [];
    const { fake, client, plan, journalDir } = await setup();
    const report = await executePlan(plan, { execute: true, client, journalDir, onProgress: (e) => progress.push(e) });
    expect(report.counts.filled).toBe(7);
    expect(report.placed).toBe(7);
    expect(report.deviations).toEqual([]);
    expect(report.positionsAfter).toEqual({ BTCUSDT: 0.004, ETHUSDT: 0.5, SOLUSDT: -25 });
    expect(Object.fromEntries(fake.positions)).toEqual({ BTCUSDT: 0.004, ETHUSDT: 0.5, XRPUSDT: 0, SOLUSDT: -25 });
    expect(creates(fake).map((c) => [c.params.symbol, c.params.side, c.params.qty, c.params.price, c.params.timeInForce, c.params.reduceOnly])).toEqual([
      ["BTCUSDT", "Sell", "0.006", "59700.0", "IOC", true],
      ["ETHUSDT", "Buy", "1.00", "3015.00", "IOC", true],
      ["XRPUSDT", "Sell", "100", "0.4975", "IOC", true],
      ["ETHUSDT", "Buy", "0.50", "3015.00", "IOC", false],
      ["SOLUSDT", "Sell", "10.0", "149.25", "IOC", false],
      ["SOLUSDT", "Sell", "10.0", "149.25", "IOC", false],
      ["SOLUSDT", "Sell", "5.0", "149.25", "IOC", false],
    ]);
    expect(creates(fake).map((c) => c.params.orderLinkId)).toEqual(plan.orders.map((o) => o.orderLinkId));
    const btc = report.legs[0]!;
    expect(btc).toMatchObject({ status: "filled", filledQty: 0.006, avgPrice: 60000, orderStatus: "Filled", sends: 1, lookups: 0 });
    expect(btc.fee).toBeCloseTo(0.006 * 60000 * 0.00055, 12);
    expect(progress.map((p) => [p.done, p.total, p.status])).toEqual([1, 2, 3, 4, 5, 6, 7].map((d) => [d, 7, "filled"]));

    // The same plan again: the journal says every order exists; none is sent.
    const again = await executePlan(plan, { execute: true, client, journalDir });
    expect(again.counts.already_done).toBe(7);
    expect(again.placed).toBe(0);
    expect(again.legs[0]).toMatchObject({ status: "already_done", filledQty: 0.006, sends: 0 });
    expect(creates(fake)).toHaveLength(7);
    expect(fake.orders).toHaveLength(7);
    // Recomputed from the positions now held, the plan is empty.
    expect(rebalancePlan(await client.positions(), target, specs, { prices, asOf: "2026-01-05" }).orders).toEqual([]);
    // Even without the journal, Bybit refuses the used link ids and the executor finds the orders.
    const lost = await executePlan(plan, { execute: true, client, journalDir: await tempDir("nmrblox-exchange-"), lookupDelaysMs: [0] });
    expect(lost.counts.filled).toBe(7);
    expect(lost.placed).toBe(0);
    expect(creates(fake).slice(7).every((c) => c.retCode === 110072)).toBe(true);
    expect(fake.orders).toHaveLength(7);
    const journal = JSON.parse(await readFile(report.journalPath, "utf8")) as Journal;
    // Every request of the run, as sent: method, path and parameters only.
    const sentCreates = journal.runs[0]!.requests.filter((r) => r.path === "/v5/order/create");
    expect(sentCreates.map((r) => r.params.orderLinkId)).toEqual(plan.orders.map((o) => o.orderLinkId));
    expect(Object.keys(sentCreates[0]!).sort()).toEqual(["at", "attempt", "method", "params", "path"]);
    expect(journal.runs[0]!.requests.at(-1)!.path).toBe("/v5/position/list");
    expect(journal.runs.map((r) => [r.mode, r.results.map((x) => x.status).join()])).toEqual([
      ["execute", "filled,filled,filled,filled,filled,filled,filled"],
      ["execute", "already_done,already_done,already_done,already_done,already_done,already_done,already_done"],
    ]);
  });

  it("reports partial fills as deviations from the target", async () => {
    const { plan, client, journalDir } = await setup({ fillRatio: { SOLUSDT: 0.5 } });
    const report = await executePlan(plan, { execute: true, client, journalDir });
    expect(statuses(report.legs).slice(4)).toEqual(["SOLUSDT:0:partially_filled", "SOLUSDT:1:partially_filled", "SOLUSDT:2:partially_filled"]);
    expect(report.legs.slice(4).map((l) => [l.filledQty, l.orderStatus])).toEqual([
      [5, "PartiallyFilledCanceled"],
      [5, "PartiallyFilledCanceled"],
      [2.5, "PartiallyFilledCanceled"],
    ]);
    expect(report.deviations).toEqual([{ symbol: "SOLUSDT", target: -25, planned: -25, actual: -12.5, difference: 12.5 }]);
  });

  it("records a rejection (110007 insufficient balance) and carries on with the other orders", async () => {
    const { fake, plan, client, journalDir } = await setup({ faults: [{ kind: "insufficientBalance", symbol: "SOLUSDT" }] });
    const report = await executePlan(plan, { execute: true, client, journalDir });
    expect(report.legs[4]).toMatchObject({ symbol: "SOLUSDT", status: "rejected", retCode: 110007, message: "ab not enough for new order", sends: 1 });
    expect(report.counts).toMatchObject({ filled: 6, rejected: 1 });
    expect(report.deviations).toEqual([{ symbol: "SOLUSDT", target: -25, planned: -25, actual: -15, difference: 10 }]);
    expect(creates(fake)).toHaveLength(7);
  });

  it("waits out rate limits (10006) without doubling any order", async () => {
    const retries: string[] = [];
    const { fake, plan, client, journalDir } = await setup(
      { faults: [{ kind: "rateLimit", path: "/v5/order/create", times: 3 }] },
      { onRetry: (i: { reason: string }) => retries.push(i.reason) },
    );
    const report = await executePlan(plan, { execute: true, client, journalDir });
    expect(report.counts.filled).toBe(7);
    expect(creates(fake).map((c) => c.retCode)).toEqual([10006, 10006, 10006, 0, 0, 0, 0, 0, 0, 0]);
    expect(fake.orders).toHaveLength(7);
    expect(retries).toEqual(["Bybit retCode 10006", "Bybit retCode 10006", "Bybit retCode 10006"]);
  });

  it("looks an order up by its link id after a timeout and does not send it twice", async () => {
    const { fake, plan, client, journalDir } = await setup(
      { faults: [{ kind: "acceptThenHang", symbol: "BTCUSDT" }, { kind: "acceptThenDrop", symbol: "SOLUSDT" }] },
      { timeoutMs: 300 },
    );
    const report = await executePlan(plan, { execute: true, client, journalDir, lookupDelaysMs: [0] });
    expect(report.counts.filled).toBe(7);
    expect(report.legs[0]).toMatchObject({ symbol: "BTCUSDT", status: "filled", sends: 1, lookups: 1, filledQty: 0.006 });
    expect(report.legs[4]).toMatchObject({ symbol: "SOLUSDT", status: "filled", sends: 1, lookups: 1 });
    expect(creates(fake).filter((c) => c.params.symbol === "BTCUSDT")).toHaveLength(1);
    expect(fake.orders.filter((o) => o.symbol === "BTCUSDT")).toHaveLength(1);
    expect(fake.orders).toHaveLength(7);
    expect(report.deviations).toEqual([]);
    // The look-up went out before anything else about BTCUSDT.
    const btcCalls = fake.calls.filter((c) => c.params.symbol === "BTCUSDT").map((c) => c.path);
    expect(btcCalls.slice(0, 2)).toEqual(["/v5/order/create", "/v5/order/realtime"]);
  });

  it("resends once a look-up shows the order never arrived, and a rerun looks before resending an unconfirmed one", async () => {
    const { fake, plan, client, journalDir } = await setup({
      faults: [
        { kind: "serverError", path: "/v5/order/create", symbol: "XRPUSDT" },
        { kind: "serverError", path: "/v5/order/create", symbol: "ETHUSDT", times: 2 },
      ],
    });
    const report = await executePlan(plan, { execute: true, client, journalDir, lookupDelaysMs: [0], maxSends: 2 });
    // XRP: 502, not found, sent again, filled. ETH's first leg: 502, not found, 502, not found: unconfirmed.
    expect(report.legs[2]).toMatchObject({ symbol: "XRPUSDT", status: "filled", sends: 2, lookups: 1 });
    expect(report.legs[1]).toMatchObject({ symbol: "ETHUSDT", status: "unconfirmed", sends: 2, lookups: 2 });
    // ETH's open leg waits: sent now, it would net against the short still held.
    expect(report.legs[3]).toMatchObject({ symbol: "ETHUSDT", leg: "open", status: "blocked", sends: 0 });
    expect(report.counts).toMatchObject({ filled: 5, unconfirmed: 1, blocked: 1 });
    expect(report.deviations).toEqual([{ symbol: "ETHUSDT", target: 0.5, planned: 0.5, actual: -1, difference: -1.5 }]);
    expect(fake.orders.filter((o) => o.symbol === "XRPUSDT")).toHaveLength(1);
    // Rerun: the unconfirmed leg is looked up first (nothing), then sent; then the waiting open leg; the rest is done.
    const before = fake.calls.length;
    const again = await executePlan(plan, { execute: true, client, journalDir, lookupDelaysMs: [0] });
    expect(statuses(again.legs)).toEqual([
      "BTCUSDT:0:already_done",
      "ETHUSDT:0:filled",
      "XRPUSDT:0:already_done",
      "ETHUSDT:0:filled",
      "SOLUSDT:0:already_done",
      "SOLUSDT:1:already_done",
      "SOLUSDT:2:already_done",
    ]);
    expect(again.legs[1]).toMatchObject({ sends: 1, lookups: 1 });
    expect(fake.calls.slice(before, before + 4).map((c) => c.path)).toEqual([
      "/v5/order/realtime",
      "/v5/order/realtime",
      "/v5/order/history",
      "/v5/order/create",
    ]);
    expect(again.deviations).toEqual([]);
    expect(fake.orders).toHaveLength(7);
  });

  it("never lets the key or secret reach journals, errors, callbacks or the console", async () => {
    const seen: string[] = [];
    const spies = (["log", "info", "warn", "error", "debug"] as const).map((m) => vi.spyOn(console, m));
    const { fake, plan, client, journalDir } = await setup(
      {
        faults: [
          { kind: "rateLimit", path: "/v5/order/create" },
          { kind: "acceptThenHang", symbol: "BTCUSDT" },
          { kind: "insufficientBalance", symbol: "SOLUSDT" },
        ],
      },
      {
        timeoutMs: 300,
        onRetry: (i: unknown) => seen.push(JSON.stringify(i)),
        onRequest: (e: unknown) => seen.push(JSON.stringify(e)),
      },
    );
    const report = await executePlan(plan, {
      execute: true,
      client,
      journalDir,
      lookupDelaysMs: [0],
      onProgress: (e) => seen.push(JSON.stringify(e)),
    });
    seen.push(JSON.stringify(report), await readFile(report.journalPath, "utf8"));
    // Errors: a wrong secret, an unclear create, a missing key.
    const wrong = new BybitPrivateClient({ baseUrl: fake.url, apiKey, apiSecret: `${apiSecret}-wrong`, retry: fast });
    const errors = [
      await wrong.positions().catch((e: unknown) => e),
      await client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "x-1" }).then(
        () => fake.addFault({ kind: "acceptThenDrop" }),
      ).then(() => client.createOrder({ symbol: "BTCUSDT", side: "Buy", qty: "0.001", price: "60300.0", orderLinkId: "x-2" })).catch((e: unknown) => e),
      await withoutEnvKeys(() => new BybitPrivateClient({ baseUrl: fake.url }).positions().catch((e: unknown) => e)),
    ];
    expect(errors.map((e) => (e as NumerFrameError).code)).toEqual(["BYBIT_API", "ORDER_UNCONFIRMED", "MISSING_CREDENTIALS"]);
    // Bybit's 10004 answer echoes the signed string, key included; the error shows it scrubbed.
    expect((errors[0] as Error).message).toContain("error sign! origin_string[");
    expect((errors[0] as Error).message).toContain("[redacted]");
    for (const e of errors) seen.push(String(e), (e as Error).stack ?? "", inspect(e, { depth: 6 }), JSON.stringify(e));
    seen.push(inspect(client, { depth: 6, showHidden: true }));
    expect(report.counts).toMatchObject({ filled: 6, rejected: 1 });
    expect(seen.length).toBeGreaterThan(40);
    for (const text of seen) {
      expect(text).not.toContain(apiSecret);
      expect(text).not.toContain(apiKey);
      expect(text.toLowerCase()).not.toContain("x-bapi-sign");
    }
    for (const spy of spies) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
    // The requests themselves did carry the key (Bybit needs it), in headers only.
    expect(fake.calls.every((c) => c.headers["x-bapi-api-key"] === apiKey || c.headers["x-bapi-api-key"] === "")).toBe(true);
  });

  it("refuses a journal whose plan differs under the same id, and bad options", async () => {
    const { plan, client, journalDir } = await setup();
    const fixed = rebalancePlan(start, target, specs, { prices, asOf: "2026-01-05", planId: "fixed-id" });
    await executePlan(fixed, { journalDir });
    const other = rebalancePlan(start, { ...target, SOLUSDT: -24 }, specs, { prices, asOf: "2026-01-05", planId: "fixed-id" });
    const err = await executePlan(other, { journalDir }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: "JOURNAL_MISMATCH", name: "JournalMismatchError" });
    expect((err as Error).message).toContain(`was Sell 5.0 SOLUSDT, now Sell 4.0 SOLUSDT`);
    await expect(executePlan(plan, { exeucte: true, client, journalDir } as never)).rejects.toThrow(/option "exeucte": unknown option \(did you mean "execute"\?\)/);
    await expect(executePlan(plan, { execute: true, journalDir })).rejects.toMatchObject({ code: "INVALID_OPTION", option: "client" });
    await expect(executePlan(plan, {} as never)).rejects.toMatchObject({ code: "INVALID_OPTION", option: "journalDir" });
  });
});
