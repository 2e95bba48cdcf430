import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { NumerFrameError, writeFileAtomic } from "@nmrblox/numerframe";
import type { BybitRequestEvent } from "./bybit-private-client.js";
import { JournalMismatchError } from "./errors.js";
import type { RebalancePlan } from "./rebalance-plan.js";

/** What happened to one planned order in one run. */
export type LegStatus =
  /** Dry run: nothing sent. */
  | "dry_run"
  | "filled"
  | "partially_filled"
  /** Accepted, nothing filled within the IOC limit price. */
  | "not_filled"
  /** Accepted; its fills could not be read back. */
  | "accepted"
  /** Refused by Bybit (retCode in the result); no order exists. */
  | "rejected"
  /** Sent, no clear answer, and not found by its link id: check it on Bybit. */
  | "unconfirmed"
  /** An earlier run of this plan already placed it; not sent again. */
  | "already_done"
  /** Any other failure (message in the result). */
  | "failed"
  /**
   * Not sent: an open leg whose symbol's reduce leg did not fill in full. In one-way mode it
   * would net against the position left over, not open what the plan meant; recompute the plan
   * from the positions now held.
   */
  | "blocked";

/** One planned order's outcome in a run. Quantities in contracts; avgPrice null when nothing filled. */
export interface LegResult {
  orderLinkId: string;
  symbol: string;
  leg: "reduce" | "open";
  part: number;
  side: "Buy" | "Sell";
  qty: number;
  reduceOnly: boolean;
  limitPrice: string;
  status: LegStatus;
  orderId?: string;
  /** Bybit's orderStatus (Filled, PartiallyFilledCanceled, Cancelled, ...). */
  orderStatus?: string;
  filledQty: number;
  avgPrice: number | null;
  fee: number;
  retCode?: number;
  message?: string;
  /** Order create requests sent for this leg in this run (0 when found or skipped). */
  sends: number;
  /** Look-ups by link id after an unclear answer or a duplicate-id refusal. */
  lookups: number;
  /** Whether this run placed the order (false when an earlier run had, or nothing was placed). */
  placed: boolean;
}

/** Where a symbol ended up against the plan's (rounded) target. */
export interface Deviation {
  symbol: string;
  target: number;
  /** Where the plan would land if every order sent filled. */
  planned: number;
  actual: number;
  /** actual − target, contracts. */
  difference: number;
}

/** One run of a plan, as journaled. */
export interface JournalRun {
  mode: "dry-run" | "execute";
  startedAt: string;
  finishedAt?: string;
  baseUrl?: string;
  /** Every request attempt: method, path, parameters (never headers, keys or signatures). */
  requests: Array<BybitRequestEvent & { at: string }>;
  results: LegResult[];
  positionsAfter?: Record<string, number>;
  deviations?: Deviation[];
  errors: string[];
}

/** The journal of one plan: the plan and every run of it, rewritten atomically after each step. */
export interface Journal {
  version: 1;
  planId: string;
  plan: RebalancePlan;
  runs: JournalRun[];
}

/**
 * The journal file of a plan: `<journalDir>/<asOf>-<planId>.json`.
 *
 * @param journalDir - the journal folder
 * @param plan - the plan
 * @returns the file path
 * @throws never throws; it only joins paths and touches no file
 * @example
 * journalPath("journal", plan); // "journal/2026-01-05-3f2a9c0d1e2b4a5c.json"
 */
export function journalPath(journalDir: string, plan: Pick<RebalancePlan, "asOf" | "planId">): string {
  return join(journalDir, `${plan.asOf}-${plan.planId}.json`);
}

/**
 * Reads a plan's journal, or undefined when there is none.
 *
 * @param path - the journal file
 * @returns the journal
 * @throws NumerFrameError IO naming the file when it exists but cannot be read or parsed
 * @example
 * const journal = await readJournal(journalPath("journal", plan));
 */
export async function readJournal(path: string): Promise<Journal | undefined> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new NumerFrameError("IO", `cannot read journal ${path}: ${(err as Error).message}`, { path }, { cause: err });
  }
  try {
    const journal = JSON.parse(text) as Journal;
    if (journal.version !== 1 || !Array.isArray(journal.runs)) throw new Error("not a version 1 journal");
    return journal;
  } catch (err) {
    throw new NumerFrameError("IO", `journal ${path} is not a readable journal: ${(err as Error).message}`, { path }, { cause: err });
  }
}

/**
 * Refuses a journal whose orders disagree with the plan on a shared orderLinkId (a reused
 * `planId` with other content): their link ids would make different orders look done.
 */
export function checkJournal(path: string, journal: Journal, plan: RebalancePlan): void {
  if (journal.planId !== plan.planId) throw new JournalMismatchError(path, plan.planId, `the file holds plan ${journal.planId}`);
  const stored = new Map(journal.plan.orders.map((o) => [o.orderLinkId, o]));
  for (const o of plan.orders) {
    const s = stored.get(o.orderLinkId);
    if (s !== undefined && (s.symbol !== o.symbol || s.side !== o.side || s.qtyText !== o.qtyText || s.reduceOnly !== o.reduceOnly)) {
      throw new JournalMismatchError(path, plan.planId, `order ${o.orderLinkId} was ${s.side} ${s.qtyText} ${s.symbol}, now ${o.side} ${o.qtyText} ${o.symbol}`);
    }
  }
}

/** Writes the journal atomically, every secret scrubbed by `redact` first. */
export async function saveJournal(path: string, journal: Journal, redact: (text: string) => string): Promise<void> {
  await writeFileAtomic(path, redact(`${JSON.stringify(journal, null, 2)}\n`));
}
