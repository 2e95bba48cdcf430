import { createHash } from "node:crypto";
import { dayNumber, dayOfEpochMs, isoDay, parseOptions } from "@nmrblox/numerframe";
import { z } from "zod";
import { type ContractSpec, type InstrumentInput, contractSpecs } from "./contract-spec.js";
import { MissingInstrumentError, MissingPriceError } from "./errors.js";
import { type Holdings, readHoldings } from "./holdings.js";

/** Last prices by exchange symbol (USDT), e.g. from `BybitClient.tickers()`'s `lastPrice`. */
export type Prices = ReadonlyMap<string, number> | Readonly<Record<string, number>>;

const isoDayString = z.string().refine((s) => !Number.isNaN(dayNumber(s)), "must be an ISO day YYYY-MM-DD");

/**
 * Schema of `rebalancePlan` options. Rates are fractions (0.005 = 0.5 %), notionals and prices
 * in USDT. Exported so callers (the CLI's `rebalance`) pick fields from the one definition instead
 * of restating them.
 */
export const rebalancePlanOptions = z.strictObject({
  /** Last price of every symbol held or targeted (USDT); used for limit prices, minimums and estimates. */
  prices: z.custom<Prices>((v) => v instanceof Map || (typeof v === "object" && v !== null && !Array.isArray(v)), "must be a Map or a record of prices"),
  /** IOC limit prices sit at most this far from the last price (0.005 = 0.5 %): buys above, sells below. */
  maxSlippage: z.number().min(0).max(0.5).default(0.005),
  /** Orders that open or add with a notional under this many USDT are skipped (reported); closes to zero are exempt. */
  minNotional: z.number().min(0).default(0),
  /** Taker fee rate for the estimate (Bybit's base rate for linear perpetuals, 0.055 %). */
  fee: z.number().min(0).default(0.00055),
  /** Expected slippage rate for the estimate (the backtest's default, 0.05 %). */
  slippage: z.number().min(0).default(0.0005),
  /** The day the plan is for (ISO); part of the plan id. Default: today (UTC). */
  asOf: isoDayString.optional(),
  /** Overrides the plan id derived from (asOf, current, target). Letters, digits, "-", "_". */
  planId: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, "must be 1 to 32 letters, digits, '-' or '_'").optional(),
});
/** Options of `rebalancePlan`; `prices` is required. */
export type RebalancePlanOptions = z.input<typeof rebalancePlanOptions>;

/** Why a leg is not sent. */
export type SkipReason = "below_min_order_qty" | "below_min_notional_value" | "below_min_notional" | "not_trading";

/** One order of a plan: a limit IOC order, capped at maxSlippage from the last price. */
export interface PlannedOrder {
  /** Idempotent id: a hash of (plan id, symbol, leg, part). Bybit refuses a second order with it. */
  orderLinkId: string;
  symbol: string;
  /** "reduce" shrinks or closes a position (reduce-only); "open" opens or adds. */
  leg: "reduce" | "open";
  /** 0, or the chunk number when a leg exceeds the contract's maxOrderQty. */
  part: number;
  side: "Buy" | "Sell";
  qty: number;
  /** `qty` written on the contract's qtyStep, as sent. */
  qtyText: string;
  reduceOnly: boolean;
  lastPrice: number;
  limitPrice: number;
  /** `limitPrice` written on the contract's tickSize, as sent. */
  limitPriceText: string;
  /** qty × lastPrice, USDT. */
  notional: number;
  estimatedFee: number;
  estimatedSlippage: number;
}

/** A leg that is reported but not sent. */
export interface SkippedOrder {
  symbol: string;
  leg: "reduce" | "open";
  part: number;
  side: "Buy" | "Sell";
  qty: number;
  qtyText: string;
  reduceOnly: boolean;
  notional: number;
  reason: SkipReason;
  /** The threshold that was missed, in words. */
  detail: string;
}

/** Where one symbol stands: quantities in contracts, signed. */
export interface PositionChange {
  symbol: string;
  current: number;
  /** As asked. */
  target: number;
  /** Rounded to the nearest qtyStep: what the plan aims for. */
  targetRounded: number;
  /** current + every order sent (skipped legs left out): where the plan lands if all fills. */
  planned: number;
  lastPrice: number;
  /** The contract's qtyStep: differences below half of it are rounding, not deviations. */
  qtyStep: number;
}

/** Exposure in USDT at the last prices. */
export interface Exposure {
  long: number;
  short: number;
  /** long + short */
  gross: number;
  /** long − short */
  net: number;
}

/** Totals of a plan: exposures before, after and at the target, turnover and the estimated cost, all in USDT. */
export interface PlanSummary {
  before: Exposure;
  /** After every order sent fills in full. */
  after: Exposure;
  /** The requested target, unrounded. */
  target: Exposure;
  /** Σ order notional, USDT. */
  turnover: number;
  /** turnover × fee rate, USDT. */
  estimatedFee: number;
  /** turnover × slippage rate, USDT. */
  estimatedSlippage: number;
  /** estimatedFee + estimatedSlippage. */
  estimatedCost: number;
  /** Orders to send. */
  orders: number;
  /** Legs not sent (the plan's `skipped` lists them with their reasons). */
  skipped: number;
}

/** The orders that move current positions to a target, with everything needed to send and audit them. */
export interface RebalancePlan {
  version: 1;
  planId: string;
  asOf: string;
  options: { maxSlippage: number; minNotional: number; fee: number; slippage: number };
  /** Reduce legs first (they free margin), then open legs; symbols in code-point order. */
  orders: PlannedOrder[];
  skipped: SkippedOrder[];
  positions: PositionChange[];
  summary: PlanSummary;
}

/**
 * The orders that move `current` positions to `target` on Bybit USDT perpetuals. Per symbol the
 * target is rounded to the contract's qtyStep; a shrinking position gets a reduce-only leg, a
 * growing one an open leg, and a flip from long to short (or back) gets both: a reduce-only
 * close, then an open. Legs above maxOrderQty are split. Legs under minOrderQty, opening legs
 * under minNotionalValue (closing orders are exempt on Bybit) or under `minNotional`, and legs
 * on a contract that is not Trading are skipped and reported, never dropped silently. Each order
 * is a limit IOC at most `maxSlippage` from the last price, with an estimated fee and slippage,
 * and an `orderLinkId` derived from the plan, so sending a plan twice never doubles an order.
 *
 * @param current - positions held now (e.g. `client.positions()`)
 * @param target - positions wanted (e.g. portfolio's `targetBook`)
 * @param instruments - Bybit instruments-info entries or `ContractSpecInput`s covering every symbol
 * @param options - prices (required), maxSlippage, minNotional, fee, slippage, asOf, planId
 * @returns the plan: orders, skipped legs, per-symbol positions and a summary
 * @throws InvalidOptionError; MissingPriceError / MissingInstrumentError naming the symbol;
 *   InvalidHoldingsError for a non-finite or repeated entry; PositionModeError for hedge mode
 * @example
 * const plan = rebalancePlan({ BTCUSDT: 0.01 }, { BTCUSDT: 0.004, ETHUSDT: -0.5 }, specs,
 *   { prices: { BTCUSDT: 60000, ETHUSDT: 3000 } });
 * plan.orders.map((o) => `${o.side} ${o.qtyText} ${o.symbol}${o.reduceOnly ? " reduce-only" : ""}`);
 * // ["Sell 0.006 BTCUSDT reduce-only", "Sell 0.50 ETHUSDT"]
 */
export function rebalancePlan(
  current: Holdings,
  target: Holdings,
  instruments: Iterable<InstrumentInput>,
  options: RebalancePlanOptions,
): RebalancePlan {
  const opts = parseOptions(rebalancePlanOptions, options, "rebalancePlan");
  const cur = readHoldings(current, "current");
  const tgt = readHoldings(target, "target");
  const specs = contractSpecs(instruments);
  const asOf = opts.asOf ?? isoDay(dayOfEpochMs(Date.now()));
  const planId = opts.planId ?? derivePlanId(asOf, cur, tgt);
  const priceOf = (symbol: string): number => {
    const p = opts.prices instanceof Map ? opts.prices.get(symbol) : (opts.prices as Record<string, number>)[symbol];
    if (typeof p !== "number" || !Number.isFinite(p) || p <= 0) throw new MissingPriceError(symbol, typeof p === "number" ? p : undefined);
    return p;
  };

  const symbols = [...new Set([...cur.keys(), ...tgt.keys()])].sort(codePoint);
  const reduces: PlannedOrder[] = [];
  const opens: PlannedOrder[] = [];
  const skipped: SkippedOrder[] = [];
  const positions: PositionChange[] = [];
  for (const symbol of symbols) {
    const spec = specs.get(symbol);
    if (spec === undefined) throw new MissingInstrumentError(symbol);
    const price = priceOf(symbol);
    const c = cur.get(symbol) ?? 0;
    const t = tgt.get(symbol) ?? 0;
    const cSteps = toSteps(c, spec.qtyStep);
    const tSteps = toSteps(t, spec.qtyStep);
    let planned = cSteps;
    for (const leg of legsOf(cSteps, tSteps)) {
      const parts = splitSteps(leg.steps, spec);
      for (let part = 0; part < parts.length; part++) {
        const steps = parts[part]!;
        const qtyText = (steps * spec.qtyStep).toFixed(spec.qtyDecimals);
        const qty = Number(qtyText);
        const notional = qty * price;
        const closesToZero = leg.leg === "reduce" && leg.closes;
        const reason = skipReason(spec, qty, notional, leg.leg === "reduce", closesToZero, opts.minNotional);
        if (reason !== undefined) {
          skipped.push({ symbol, leg: leg.leg, part, side: leg.side, qty, qtyText, reduceOnly: leg.leg === "reduce", notional, ...reason });
          continue;
        }
        const limit = limitPrice(leg.side, price, opts.maxSlippage, spec);
        const order: PlannedOrder = {
          orderLinkId: orderLinkId(planId, symbol, leg.leg, part),
          symbol,
          leg: leg.leg,
          part,
          side: leg.side,
          qty,
          qtyText,
          reduceOnly: leg.leg === "reduce",
          lastPrice: price,
          limitPrice: Number(limit),
          limitPriceText: limit,
          notional,
          estimatedFee: opts.fee * notional,
          estimatedSlippage: opts.slippage * notional,
        };
        (leg.leg === "reduce" ? reduces : opens).push(order);
        planned += leg.side === "Buy" ? steps : -steps;
      }
    }
    positions.push({
      symbol,
      current: c,
      target: t,
      targetRounded: Number((tSteps * spec.qtyStep).toFixed(spec.qtyDecimals)),
      planned: Number((planned * spec.qtyStep).toFixed(spec.qtyDecimals)),
      lastPrice: price,
      qtyStep: spec.qtyStep,
    });
  }

  const orders = [...reduces, ...opens];
  const sum = (f: (o: PlannedOrder) => number) => orders.reduce((acc, o) => acc + f(o), 0);
  const estimatedFee = sum((o) => o.estimatedFee);
  const estimatedSlippage = sum((o) => o.estimatedSlippage);
  return {
    version: 1,
    planId,
    asOf,
    options: { maxSlippage: opts.maxSlippage, minNotional: opts.minNotional, fee: opts.fee, slippage: opts.slippage },
    orders,
    skipped,
    positions,
    summary: {
      before: exposure(positions, (p) => p.current),
      after: exposure(positions, (p) => p.planned),
      target: exposure(positions, (p) => p.target),
      turnover: sum((o) => o.notional),
      estimatedFee,
      estimatedSlippage,
      estimatedCost: estimatedFee + estimatedSlippage,
      orders: orders.length,
      skipped: skipped.length,
    },
  };
}

/**
 * The plan id of (asOf, current, target): 16 hex characters of a SHA-256 over the day and the
 * non-zero quantities in symbol order. Prices and contract specs are left out on purpose: a
 * plan recomputed on the same day from the same positions is the same intent, so its orders
 * get the same orderLinkIds and Bybit refuses to place them twice.
 *
 * @param asOf - the plan's ISO day
 * @param current - non-zero current quantities by symbol
 * @param target - non-zero target quantities by symbol
 * @returns the plan id, 16 lower-case hex characters
 * @throws never throws; the day is hashed as given (`rebalancePlan` validates it first)
 * @example
 * derivePlanId("2026-01-05", new Map(), new Map([["BTCUSDT", 0.01]])); // 16 hex characters
 */
export function derivePlanId(asOf: string, current: ReadonlyMap<string, number>, target: ReadonlyMap<string, number>): string {
  const entries = (m: ReadonlyMap<string, number>) => [...m].filter(([, q]) => q !== 0).sort((a, b) => codePoint(a[0], b[0]));
  const canonical = JSON.stringify({ v: 1, asOf, current: entries(current), target: entries(target) });
  return createHash("sha256").update(canonical).digest("hex").slice(0, 16);
}

/**
 * The orderLinkId of one leg: "nmx-" and 32 hex characters of SHA-256(planId, symbol, leg, part),
 * 36 characters, Bybit's maximum.
 *
 * @param planId - the plan's id
 * @param symbol - exchange symbol
 * @param leg - "reduce" or "open"
 * @param part - chunk number (0 unless the leg was split)
 * @returns the link id, 36 characters
 * @throws never throws
 * @example
 * orderLinkId("3f2a9c0d1e2b4a5c", "BTCUSDT", "open", 0).length; // 36
 */
export function orderLinkId(planId: string, symbol: string, leg: "reduce" | "open", part: number): string {
  return `nmx-${createHash("sha256").update(`${planId}|${symbol}|${leg}|${part}`).digest("hex").slice(0, 32)}`;
}

interface Leg {
  leg: "reduce" | "open";
  side: "Buy" | "Sell";
  steps: number;
  /** A reduce leg that takes the position to zero (a full close or the first half of a flip). */
  closes: boolean;
}

/** Reduce and open legs from current to target, both in whole qtySteps (signed). */
function legsOf(c: number, t: number): Leg[] {
  if (c === t) return [];
  const legs: Leg[] = [];
  const flips = c !== 0 && t !== 0 && Math.sign(c) !== Math.sign(t);
  if (c !== 0 && (t === 0 || flips || Math.abs(t) < Math.abs(c))) {
    const closes = t === 0 || flips;
    legs.push({ leg: "reduce", side: c > 0 ? "Sell" : "Buy", steps: closes ? Math.abs(c) : Math.abs(c) - Math.abs(t), closes });
  }
  if (t !== 0 && (c === 0 || flips || Math.abs(t) > Math.abs(c))) {
    legs.push({ leg: "open", side: t > 0 ? "Buy" : "Sell", steps: c === 0 || flips ? Math.abs(t) : Math.abs(t) - Math.abs(c), closes: false });
  }
  return legs;
}

/** A quantity in whole steps, rounded to the nearest (halves away from zero). */
function toSteps(q: number, step: number): number {
  return Math.sign(q) * Math.round(Math.abs(q) / step);
}

/** Steps cut into chunks of at most maxOrderQty: full chunks first, the remainder last. */
function splitSteps(steps: number, spec: ContractSpec): number[] {
  const max = Math.floor(spec.maxOrderQty / spec.qtyStep + 1e-9);
  if (!Number.isFinite(max) || max <= 0 || steps <= max) return [steps];
  const out: number[] = [];
  for (let left = steps; left > 0; left -= max) out.push(Math.min(max, left));
  return out;
}

function skipReason(
  spec: ContractSpec,
  qty: number,
  notional: number,
  reduceOnly: boolean,
  closesToZero: boolean,
  minNotional: number,
): { reason: SkipReason; detail: string } | undefined {
  if (spec.status !== undefined && spec.status !== "Trading") {
    return { reason: "not_trading", detail: `contract status is ${spec.status}` };
  }
  if (qty < spec.minOrderQty - spec.qtyStep * 1e-9) {
    return { reason: "below_min_order_qty", detail: `qty ${qty} < minOrderQty ${spec.minOrderQty}` };
  }
  if (!reduceOnly && notional < spec.minNotionalValue) {
    return { reason: "below_min_notional_value", detail: `notional ${round2(notional)} USDT < minNotionalValue ${spec.minNotionalValue}` };
  }
  if (!closesToZero && notional < minNotional) {
    return { reason: "below_min_notional", detail: `notional ${round2(notional)} USDT < minNotional option ${minNotional}` };
  }
  return undefined;
}

/** The IOC limit price: last × (1 ± maxSlippage), rounded onto the tick towards the last price. */
function limitPrice(side: "Buy" | "Sell", last: number, maxSlippage: number, spec: ContractSpec): string {
  const ticks =
    side === "Buy"
      ? Math.floor((last * (1 + maxSlippage)) / spec.tickSize + 1e-9)
      : Math.max(1, Math.ceil((last * (1 - maxSlippage)) / spec.tickSize - 1e-9));
  return (ticks * spec.tickSize).toFixed(spec.priceDecimals);
}

function exposure(positions: readonly PositionChange[], quantity: (p: PositionChange) => number): Exposure {
  let long = 0;
  let short = 0;
  for (const p of positions) {
    const value = quantity(p) * p.lastPrice;
    if (value > 0) long += value;
    else short -= value;
  }
  return { long, short, gross: long + short, net: long - short };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

function codePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
