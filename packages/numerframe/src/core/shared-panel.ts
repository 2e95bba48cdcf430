import type { NumerFrame } from "../numer-frame.js";
import { type MarketPanel, adoptMarketPanel } from "./market-panel.js";

/**
 * A market panel as plain data whose matrices live in SharedArrayBuffers: it crosses to worker
 * threads without a copy, and every thread reads the same memory (one copy in the CPU cache for
 * all of them, where a panel per thread would not fit).
 */
export type SharedMarketPanel = Omit<MarketPanel, "symbolIndex">;

function sharedCopy<T extends Float64Array | Uint8Array>(a: T): T {
  const ctor = a.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a);
  return out;
}

/**
 * Copies a panel's matrices into shared memory, for `postMessage` to worker threads.
 *
 * @param panel - a panel from `marketPanel`
 * @returns the same panel as plain data over SharedArrayBuffers
 * @throws never
 * @example
 * worker.postMessage({ panel: sharePanel(marketPanel(market)) });
 */
export function sharePanel(panel: MarketPanel): SharedMarketPanel {
  return {
    firstDay: panel.firstDay,
    nDays: panel.nDays,
    nSymbols: panel.nSymbols,
    key: panel.key,
    symbols: [...panel.symbols],
    actualClose: sharedCopy(panel.actualClose),
    close: sharedCopy(panel.close),
    hasClose: sharedCopy(panel.hasClose),
    hasRow: sharedCopy(panel.hasRow),
    turnoverUsd: sharedCopy(panel.turnoverUsd),
    fundingRate: sharedCopy(panel.fundingRate),
  };
}

/**
 * Makes a shared panel the cached panel of `market` (for its key), so `marketPanel(market)`
 * returns it without building one. The panel must have been built from the same rows (it was
 * validated then): a worker thread adopts the panel its parent built from the frame it sent.
 *
 * @param market - the frame the panel was built from (here: rebuilt from the same bytes)
 * @param shared - the panel from `sharePanel`
 * @returns the adopted panel
 * @throws NumerFrameError (INVALID_OPTION) when the shared panel's size does not match its matrices
 * @example
 * adoptPanel(frames.market, message.panel);
 */
export function adoptPanel(market: NumerFrame, shared: SharedMarketPanel): MarketPanel {
  return adoptMarketPanel(market, { ...shared, symbolIndex: new Map(shared.symbols.map((s, i) => [s, i] as const)) });
}
