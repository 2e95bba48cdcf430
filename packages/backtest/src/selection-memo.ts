import type { NumerFrame } from "@nmrblox/numerframe";
import { type BasketSelection, basketSelection } from "@nmrblox/portfolio/internal";
import type { SelectBaskets } from "./run-backtest.js";

/** Selections a memo keeps: a sweep's grid rarely has more distinct basket settings. */
const KEEP = 16;

/**
 * A memo of `basketSelection` for the configurations of one sweep over one signals frame (and
 * universe): configurations that differ only in timing, sizing, costs or netting select the
 * same baskets, so each distinct basket setting (long, short, weighting, optimizer) is selected
 * once. Selections with neutralizers (a frame) are not memoized. The selection is only read
 * downstream, so sharing it is safe; results are bit-identical to selecting every time.
 *
 * @param signals - the sweep's signals frame
 * @param universe - the sweep's universe frame, if any
 * @returns a selector for `runBacktestWith`; other frames fall through to `basketSelection`
 * @throws never itself; the selector throws what `basketSelection` throws
 * @example
 * const select = selectionMemo(signals, universe);
 * for (const config of configs) runBacktestWith({ signals, market, universe, ...config }, select);
 */
export function selectionMemo(signals: NumerFrame, universe: NumerFrame | undefined): SelectBaskets {
  const kept = new Map<string, BasketSelection>();
  return (frame, options) => {
    const { universe: u, ...rest } = options;
    if (frame !== signals || u !== universe || rest.neutralizers !== undefined) return basketSelection(frame, options);
    const key = stableKey(rest);
    let selection = kept.get(key);
    if (selection === undefined) {
      selection = basketSelection(frame, options);
      if (kept.size >= KEEP) kept.delete(kept.keys().next().value!);
      kept.set(key, selection);
    }
    return selection;
  };
}

/** JSON with object keys sorted at every level: equal options give equal keys whatever their key order. */
function stableKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableKey).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableKey(v)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? String(value);
}
