import { BybitApiError } from "@nmrblox/downloader";
import { sleep } from "@nmrblox/downloader/internal";
import { InvalidOptionError, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { type BybitOrder, BybitPrivateClient } from "./bybit-private-client.js";
import { MissingBybitCredentialsError, OrderUnconfirmedError } from "./errors.js";
import {
  type Deviation,
  type Journal,
  type JournalRun,
  type LegResult,
  type LegStatus,
  checkJournal,
  journalPath,
  readJournal,
  saveJournal,
} from "./journal.js";
import type { PlannedOrder, RebalancePlan } from "./rebalance-plan.js";

/** Told after each planned order is settled. */
export interface ExecutionProgress {
  task: "rebalance";
  done: number;
  total: number;
  symbol: string;
  status: LegStatus;
}

/**
 * Schema of `executePlan` options. A dry run is the default so that forgetting a flag never
 * trades; delays in ms. Exported so option paths can be checked against the one definition.
 */
export const executePlanOptions = z.strictObject({
  /** Send the orders. Anything but `true` is a dry run: the journal is written, nothing is sent. */
  execute: z.boolean().default(false),
  /** The signed client; required when `execute` is true. */
  client: z.instanceof(BybitPrivateClient).optional(),
  /** Folder of the journals, one file per plan (`<asOf>-<planId>.json`); a rerun reads it back. */
  journalDir: z.string().min(1),
  /** Read positions back after sending and report deviations from the target (default true). */
  verify: z.boolean().default(true),
  /** Waits before each look-up of an order whose create got no clear answer, ms. */
  lookupDelaysMs: z.array(z.number().min(0)).min(1).default([0, 1_000, 3_000]),
  /** Order creates per leg and run (the first send plus resends after a look-up found nothing). */
  maxSends: z.number().int().min(1).max(5).default(2),
  onProgress: z.custom<(event: ExecutionProgress) => void>((v) => typeof v === "function", "must be a function").optional(),
});
/** Options of `executePlan`; `journalDir` is required, `execute: true` and `client` to trade. */
export type ExecutePlanOptions = z.input<typeof executePlanOptions>;

/** What a run did. */
export interface ExecutionReport {
  planId: string;
  mode: "dry-run" | "execute";
  journalPath: string;
  legs: LegResult[];
  /** Legs per status. */
  counts: Record<LegStatus, number>;
  /** Orders this run placed (accepted by Bybit); orders an earlier run placed are not counted. */
  placed: number;
  /** Positions read back after the run (execute with verify), signed contracts by symbol. */
  positionsAfter?: Record<string, number>;
  /** Symbols whose position differs from the plan's rounded target by half a qtyStep or more. */
  deviations: Deviation[];
  /** Failures outside single legs (e.g. reading positions back), scrubbed of secrets. */
  errors: string[];
}

/** Statuses meaning an order exists on Bybit: a rerun must not place it again. */
const PLACED: ReadonlySet<LegStatus> = new Set(["filled", "partially_filled", "not_filled", "accepted", "already_done"]);

/**
 * Runs a rebalance plan. By default a dry run: the plan goes to the journal and nothing is
 * sent. With `execute: true` each order is sent as a limit IOC (reduce legs first) and its
 * fills read back; a refusal (e.g. 110007 insufficient balance) is recorded and the run goes
 * on; an unclear answer (timeout, dropped connection, server error) is resolved by looking the
 * order up by its orderLinkId before it is ever sent again; a rate limit is retried. Afterwards
 * positions are read back and deviations from the target reported.
 *
 * Every run is journaled atomically after each step in `<journalDir>/<asOf>-<planId>.json`:
 * the plan, every request (method, path, parameters; never headers, keys or signatures) and
 * every result. A rerun of the same plan reads the journal and does not send orders an earlier
 * run placed; orders it left unconfirmed are looked up first. Bybit itself refuses a second
 * order with the same orderLinkId, which covers a lost journal.
 *
 * @param plan - from `rebalancePlan`
 * @param options - execute, client, journalDir, verify, lookupDelaysMs, maxSends, onProgress
 * @returns per-leg results, counts, positions read back and deviations
 * @throws InvalidOptionError (also when `execute` is true without a client);
 *   MissingBybitCredentialsError; JournalMismatchError; NumerFrameError IO when the journal cannot be written
 * @example
 * const report = await executePlan(plan, { journalDir: "journal" }); // dry run
 * const live = await executePlan(plan, { execute: true, client, journalDir: "journal" });
 * live.deviations; // [] when everything filled
 */
export async function executePlan(plan: RebalancePlan, options: ExecutePlanOptions): Promise<ExecutionReport> {
  const opts = parseOptions(executePlanOptions, options, "executePlan");
  const client = opts.client;
  if (opts.execute && client === undefined) {
    throw new InvalidOptionError("executePlan", [{ path: "client", message: "execute: true needs a BybitPrivateClient" }]);
  }
  if (opts.execute && !client!.hasCredentials) throw new MissingBybitCredentialsError("executePlan");
  const redact = (text: string) => (client ? client.redact(text) : text);
  const path = journalPath(opts.journalDir, plan);
  const previous = await readJournal(path);
  if (previous !== undefined) checkJournal(path, previous, plan);
  const journal: Journal = { version: 1, planId: plan.planId, plan, runs: previous?.runs ?? [] };
  const run: JournalRun = {
    mode: opts.execute ? "execute" : "dry-run",
    startedAt: new Date().toISOString(),
    ...(client ? { baseUrl: client.baseUrl } : {}),
    requests: [],
    results: [],
    errors: [],
  };
  journal.runs.push(run);
  const save = () => saveJournal(path, journal, redact);
  const done = doneBefore(previous);

  const stop = client?.observe((e) => run.requests.push({ ...e, at: new Date().toISOString() }));
  try {
    await save();
    // Symbols whose reduce leg did not fill in full: their open legs wait for a fresh plan.
    const unreduced = new Set<string>();
    for (let i = 0; i < plan.orders.length; i++) {
      const order = plan.orders[i]!;
      const result = !opts.execute
        ? base(order, "dry_run")
        : order.leg === "open" && unreduced.has(order.symbol)
          ? { ...base(order, "blocked"), message: "the reduce leg of this symbol did not fill in full; recompute the plan from the positions now held" }
          : await settle(order, client!, done.get(order.orderLinkId), opts, async (r) => {
              run.results[i] = r;
              await save();
            });
      if (order.leg === "reduce" && !(result.filledQty >= order.qty - 1e-12)) unreduced.add(order.symbol);
      run.results[i] = result;
      await save();
      opts.onProgress?.({ task: "rebalance", done: i + 1, total: plan.orders.length, symbol: order.symbol, status: result.status });
    }
    if (opts.execute && opts.verify) {
      try {
        const held = new Map((await client!.positions()).map((p) => [p.symbol, p.quantity] as const));
        run.positionsAfter = Object.fromEntries([...held].filter(([, q]) => q !== 0));
        run.deviations = deviations(plan, held);
      } catch (err) {
        run.errors.push(`reading positions back failed: ${redact(describe(err))}`);
      }
    }
  } finally {
    stop?.();
    run.finishedAt = new Date().toISOString();
    await save();
  }

  const counts = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<LegStatus, number>;
  for (const r of run.results) counts[r.status]++;
  return {
    planId: plan.planId,
    mode: run.mode,
    journalPath: path,
    legs: run.results,
    counts,
    placed: run.results.filter((r) => r.placed === true).length,
    ...(run.positionsAfter ? { positionsAfter: run.positionsAfter } : {}),
    deviations: run.deviations ?? [],
    errors: run.errors,
  };
}

const STATUSES: readonly LegStatus[] = [
  "dry_run",
  "filled",
  "partially_filled",
  "not_filled",
  "accepted",
  "rejected",
  "unconfirmed",
  "already_done",
  "failed",
  "blocked",
];

type Opts = z.output<typeof executePlanOptions>;

/** The last executed result of each link id in earlier runs. */
function doneBefore(journal: Journal | undefined): Map<string, LegResult> {
  const out = new Map<string, LegResult>();
  for (const run of journal?.runs ?? []) {
    if (run.mode !== "execute") continue;
    for (const r of run.results) if (r !== null && r !== undefined) out.set(r.orderLinkId, r);
  }
  return out;
}

/** Sends one planned order at most `maxSends` times, looking it up whenever its fate is unclear. */
async function settle(
  order: PlannedOrder,
  client: BybitPrivateClient,
  before: LegResult | undefined,
  opts: Opts,
  checkpoint: (r: LegResult) => Promise<void>,
): Promise<LegResult> {
  if (before !== undefined && PLACED.has(before.status)) {
    const { sends: _s, lookups: _l, placed: _p, ...kept } = before;
    return { ...kept, status: "already_done", sends: 0, lookups: 0, placed: false };
  }
  const ref = { symbol: order.symbol, orderLinkId: order.orderLinkId };
  let sends = 0;
  let lookups = 0;
  // Whether an order this run sent is known to exist; a duplicate-id refusal means an earlier one did.
  let sentUnclear = false;
  let duplicate = false;
  // An earlier run that died mid-send, or left the order unconfirmed: look before sending.
  let mustLook = before !== undefined && (before.status === "unconfirmed" || before.status === "failed");
  for (;;) {
    if (mustLook) {
      lookups++;
      let found: BybitOrder | undefined;
      try {
        found = await lookUp(client, ref, opts.lookupDelaysMs);
      } catch (err) {
        // Unknown either way: say so and move on; a rerun looks again before sending.
        return { ...base(order, "unconfirmed"), sends, lookups, message: `look-up failed: ${client.redact(describe(err))}` };
      }
      if (found !== undefined) return { ...fromOrder(order, found, sends, lookups), placed: sentUnclear && !duplicate };
    }
    if (sends >= opts.maxSends) {
      return { ...base(order, "unconfirmed"), sends, lookups, message: "no clear answer and not found by its orderLinkId; check it on Bybit" };
    }
    sends++;
    // Journal the attempt before it leaves: a crash now leaves "unconfirmed", so a rerun looks first.
    await checkpoint({ ...base(order, "unconfirmed"), sends, lookups, message: "sending" });
    try {
      await client.createOrder({
        symbol: order.symbol,
        side: order.side,
        orderType: "Limit",
        qty: order.qtyText,
        price: order.limitPriceText,
        timeInForce: "IOC",
        reduceOnly: order.reduceOnly,
        orderLinkId: order.orderLinkId,
      });
    } catch (err) {
      if (err instanceof OrderUnconfirmedError || (err instanceof BybitApiError && err.retCode === DUPLICATE_LINK_ID)) {
        if (err instanceof OrderUnconfirmedError) sentUnclear = true;
        else duplicate = true;
        mustLook = true;
        continue;
      }
      if (err instanceof BybitApiError) {
        return { ...base(order, "rejected"), sends, lookups, retCode: err.retCode, message: client.redact(err.retMsg) };
      }
      return { ...base(order, "failed"), sends, lookups, message: client.redact(describe(err)) };
    }
    try {
      const placed = await lookUp(client, ref, opts.lookupDelaysMs);
      return placed === undefined
        ? { ...base(order, "accepted"), sends, lookups, placed: true, message: "accepted; its fills could not be read back" }
        : { ...fromOrder(order, placed, sends, lookups), placed: true };
    } catch (err) {
      return { ...base(order, "accepted"), sends, lookups, placed: true, message: `accepted; reading it back failed: ${client.redact(describe(err))}` };
    }
  }
}

/** Bybit's "OrderLinkedID is duplicate": an order with this link id exists already. */
const DUPLICATE_LINK_ID = 110072;

async function lookUp(client: BybitPrivateClient, ref: { symbol: string; orderLinkId: string }, delays: readonly number[]): Promise<BybitOrder | undefined> {
  for (const delay of delays) {
    await sleep(delay);
    const found = await client.queryOrder(ref);
    if (found !== undefined) return found;
  }
  return undefined;
}

function base(order: PlannedOrder, status: LegStatus): LegResult {
  return {
    orderLinkId: order.orderLinkId,
    symbol: order.symbol,
    leg: order.leg,
    part: order.part,
    side: order.side,
    qty: order.qty,
    reduceOnly: order.reduceOnly,
    limitPrice: order.limitPriceText,
    status,
    filledQty: 0,
    avgPrice: null,
    fee: 0,
    sends: 0,
    lookups: 0,
    placed: false,
  };
}

function fromOrder(order: PlannedOrder, o: BybitOrder, sends: number, lookups: number): LegResult {
  const filled = Number.isFinite(o.cumExecQty) ? o.cumExecQty : 0;
  const status: LegStatus = filled >= order.qty - 1e-12 ? "filled" : filled > 0 ? "partially_filled" : "not_filled";
  return {
    ...base(order, status),
    orderId: o.orderId,
    orderStatus: o.orderStatus,
    filledQty: filled,
    avgPrice: Number.isFinite(o.avgPrice) ? o.avgPrice : null,
    fee: Number.isFinite(o.cumExecFee) ? o.cumExecFee : 0,
    sends,
    lookups,
  };
}

/** Symbols whose position is off the rounded target by half a step or more (held symbols outside the plan: target 0). */
function deviations(plan: RebalancePlan, held: ReadonlyMap<string, number>): Deviation[] {
  const out: Deviation[] = [];
  const inPlan = new Set<string>();
  for (const p of plan.positions) {
    inPlan.add(p.symbol);
    const actual = held.get(p.symbol) ?? 0;
    const difference = actual - p.targetRounded;
    if (Math.abs(difference) >= p.qtyStep / 2) out.push({ symbol: p.symbol, target: p.targetRounded, planned: p.planned, actual, difference });
  }
  for (const [symbol, actual] of held) {
    if (!inPlan.has(symbol) && actual !== 0) out.push({ symbol, target: 0, planned: actual, actual, difference: actual });
  }
  return out.sort((a, b) => (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
}

function describe(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}
