import type { MarketPanel } from "@nmrblox/numerframe/internal";
import type { TranchePlan } from "./tranche-plan.js";

/** Sizing of every tranche: capital leverage / tranches (times a scale), half long, half short. */
export interface TrancheSizing {
  tranches: number;
  leverage: number;
  /** Cap on one symbol's net weight across the book (fraction of initial capital 1.0) at entry. */
  maxWeight?: number | undefined;
}

/**
 * The staggered tranche book as a day-by-day state machine over typed arrays. `step(t)`
 * applies day t's exit (the tranche entered at t − hold) and then its entry (the tranche whose
 * e = d + lag is t), so exits free room for the entry's maxWeight check. After a step,
 * `quantity` holds the total quantity per symbol at the close of t and `delta`/`touched` the
 * day's net trades.
 */
export class TrancheBookEngine {
  readonly plan: TranchePlan;
  readonly panel: MarketPanel;
  readonly sizing: TrancheSizing;
  /** Opened tranches so far; tranche ids are 0 .. opened − 1 in entry order. */
  opened = 0;
  /** Per opened tranche: its candidate in the plan, entry and exit rows. */
  readonly planIndex: Int32Array;
  readonly entryRow: Int32Array;
  readonly exitRow: Int32Array;
  /** Per opened tranche: positions `posStart[k] .. posStart[k+1]-1`. */
  readonly posStart: Int32Array;
  readonly posSymbol: Int32Array;
  /** Signed quantities (negative for shorts), fixed at entry. */
  readonly posQty: Float64Array;
  /** Total quantity per symbol at the close of the last stepped day. */
  readonly quantity: Float64Array;
  /** Number of open tranche positions per symbol (a symbol with none is exactly flat). */
  readonly holders: Int32Array;
  /** Net quantity traded per symbol on the last stepped day (entries minus exits). */
  readonly delta: Float64Array;
  readonly touched: Int32Array;
  nTouched = 0;
  /** Tranche exited / entered on the last stepped day, or −1. */
  exited = -1;
  entered = -1;
  readonly #candidateAtRow: Int32Array;
  readonly #trancheExitingAtRow: Int32Array;
  readonly #touchedStamp: Int32Array;
  #nPositions = 0;
  #scratchSymbol: Int32Array;
  #scratchAmount: Float64Array;
  #scratchRoom: Float64Array;
  #scratchWeight: Float64Array;
  #scratchCapped: Uint8Array;

  constructor(plan: TranchePlan, panel: MarketPanel, sizing: TrancheSizing) {
    this.plan = plan;
    this.panel = panel;
    this.sizing = sizing;
    const cap = plan.count;
    const members = plan.memberStart[cap] ?? 0;
    this.planIndex = new Int32Array(cap);
    this.entryRow = new Int32Array(cap);
    this.exitRow = new Int32Array(cap);
    this.posStart = new Int32Array(cap + 1);
    this.posSymbol = new Int32Array(members);
    this.posQty = new Float64Array(members);
    const nS = panel.nSymbols;
    this.quantity = new Float64Array(nS);
    this.holders = new Int32Array(nS);
    this.delta = new Float64Array(nS);
    this.touched = new Int32Array(nS);
    this.#touchedStamp = new Int32Array(nS).fill(-1);
    this.#candidateAtRow = new Int32Array(panel.nDays).fill(-1);
    this.#trancheExitingAtRow = new Int32Array(panel.nDays).fill(-1);
    for (let p = 0; p < cap; p++) {
      const e = plan.entryRow[p]!;
      if (e >= 0 && e < panel.nDays) this.#candidateAtRow[e] = p;
    }
    let widest = 0;
    for (let p = 0; p < cap; p++) widest = Math.max(widest, plan.memberStart[p + 1]! - plan.memberStart[p]!);
    this.#scratchSymbol = new Int32Array(widest);
    this.#scratchAmount = new Float64Array(widest);
    this.#scratchRoom = new Float64Array(widest);
    this.#scratchWeight = new Float64Array(widest);
    this.#scratchCapped = new Uint8Array(widest);
  }

  /** True when a planned tranche has its entry day on row t (it may still not open). */
  entersOn(t: number): boolean {
    return this.#candidateAtRow[t]! >= 0;
  }

  /** Applies day t's exit and entry; `scale` multiplies the entering tranche's capital. */
  step(t: number, scale = 1): void {
    for (let k = 0; k < this.nTouched; k++) this.delta[this.touched[k]!] = 0;
    this.nTouched = 0;
    this.exited = this.#trancheExitingAtRow[t]!;
    this.entered = -1;
    if (this.exited >= 0) {
      for (let j = this.posStart[this.exited]!; j < this.posStart[this.exited + 1]!; j++) {
        const s = this.posSymbol[j]!;
        const q = this.posQty[j]!;
        this.#trade(s, -q, t);
        if (--this.holders[s]! === 0) this.quantity[s] = 0;
        else this.quantity[s]! -= q;
      }
    }
    const p = this.#candidateAtRow[t]!;
    if (p >= 0) this.#enter(p, t, scale);
  }

  #trade(s: number, q: number, t: number): void {
    if (this.#touchedStamp[s] !== t) {
      this.#touchedStamp[s] = t;
      this.touched[this.nTouched++] = s;
    }
    this.delta[s]! += q;
  }

  #enter(p: number, t: number, scale: number): void {
    const { plan, panel } = this;
    const nS = panel.nSymbols;
    const row = t * nS;
    const legNotional = ((this.sizing.leverage / this.sizing.tranches) * scale) / 2;
    const k = this.opened;
    const start = this.#nPositions;
    let at = start;
    for (const side of [-1, 1]) {
      const legStart = at;
      // Members with an actual close on the entry day; the others are dropped and their
      // notional is spread over the rest of the leg in proportion to the weights.
      let m = 0;
      let totalWeight = 0;
      for (let j = plan.memberStart[p]!; j < plan.memberStart[p + 1]!; j++) {
        if (plan.memberSide[j] !== side) continue;
        const s = plan.memberSymbol[j]!;
        if (panel.hasClose[row + s] === 0) continue;
        this.#scratchSymbol[m] = s;
        this.#scratchWeight[m] = plan.memberWeight[j]!;
        totalWeight += plan.memberWeight[j]!;
        m++;
      }
      if (m === 0 || !(totalWeight > 0)) return;
      this.#allocate(m, totalWeight, legNotional, side, row);
      for (let i = 0; i < m; i++) {
        const amount = this.#scratchAmount[i]!;
        if (amount <= 0) continue;
        const s = this.#scratchSymbol[i]!;
        this.posSymbol[at] = s;
        this.posQty[at] = (side * amount) / panel.close[row + s]!;
        at++;
      }
      if (at === legStart) return;
    }
    // Both legs are non-empty: commit the tranche.
    this.#nPositions = at;
    this.planIndex[k] = p;
    this.entryRow[k] = t;
    this.exitRow[k] = t + (plan.exitRow[p]! - plan.entryRow[p]!);
    this.posStart[k + 1] = at;
    this.opened = k + 1;
    const x = this.exitRow[k]!;
    if (x < panel.nDays) this.#trancheExitingAtRow[x] = k;
    for (let j = start; j < at; j++) {
      const s = this.posSymbol[j]!;
      const q = this.posQty[j]!;
      this.#trade(s, q, t);
      this.quantity[s]! += q;
      this.holders[s]!++;
    }
    this.entered = k;
  }

  /** Leg notional over m members by weight, water-filled under the maxWeight room of each symbol. */
  #allocate(m: number, totalWeight: number, legNotional: number, side: number, row: number): void {
    const amount = this.#scratchAmount;
    const weight = this.#scratchWeight;
    const maxWeight = this.sizing.maxWeight;
    if (maxWeight === undefined) {
      for (let i = 0; i < m; i++) amount[i] = (legNotional * weight[i]!) / totalWeight;
      return;
    }
    const room = this.#scratchRoom;
    const capped = this.#scratchCapped;
    for (let i = 0; i < m; i++) {
      const s = this.#scratchSymbol[i]!;
      const q = this.quantity[s]!;
      const current = q === 0 ? 0 : side * q * this.panel.close[row + s]!;
      room[i] = Math.max(0, maxWeight - current);
      capped[i] = 0;
    }
    let remaining = legNotional;
    let freeWeight = totalWeight;
    for (let changed = true; changed && freeWeight > 0; ) {
      changed = false;
      for (let i = 0; i < m; i++) {
        if (capped[i]) continue;
        if ((remaining * weight[i]!) / freeWeight > room[i]!) {
          capped[i] = 1;
          remaining -= room[i]!;
          freeWeight -= weight[i]!;
          changed = true;
        }
      }
    }
    for (let i = 0; i < m; i++) amount[i] = capped[i] ? room[i]! : freeWeight > 0 ? (remaining * weight[i]!) / freeWeight : 0;
  }
}
