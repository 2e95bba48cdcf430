import { DuplicateRowError, InvalidOptionError, NumerFrame, NumerFrameError, isoDay, parseOptions, requireColumns, signalsContract } from "@nmrblox/numerframe";
import { TRADABLE, cellState, dayCodes, stringCodes, universeGrid } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { neutralizerLookup, optimizeBasket } from "./optimizer/optimized-basket.js";

const frame = z.custom<NumerFrame>((v) => NumerFrame.isInstance(v), { message: "expected a NumerFrame" });

/** Options of {@link selectBaskets}. */
export const selectBasketsOptions = z.strictObject({
  /** Symbols in the long leg (highest predictions). */
  long: z.number().int().min(1).default(25),
  /** Symbols in the short leg (lowest predictions). */
  short: z.number().int().min(1).default(25),
  /**
   * `equal`: 1/n within a leg; `rank`: proportional to |rank − median rank| among eligible
   * symbols; `optimized`: the book of `optimizePortfolio` for the date's gaussianized
   * predictions (market neutral, neutral to `neutralizers`, gross 1, names capped).
   */
  weighting: z.enum(["equal", "rank", "optimized"]).default("equal"),
  /** For `optimized`: λ (default 1 / maxPosition) and the cap per name (default 0.5 / names per leg). */
  optimizer: z
    .strictObject({
      riskAversion: z.number().positive().finite().optional(),
      maxPosition: z.number().positive().finite().optional(),
    })
    .optional(),
  /** Point-in-time tradability (date, symbol, tradable); absent rows are not tradable. */
  universe: frame.optional(),
  /** For `optimized`: date, symbol and numeric exposure columns (e.g. `rollingBeta`'s beta) the book is neutral to. */
  neutralizers: frame.optional(),
});
/** Options of {@link selectBaskets}, as callers write them. */
export type SelectBasketsOptions = z.input<typeof selectBasketsOptions>;

/**
 * Long and short baskets per signal date. Eligible symbols on date d have a non-NaN prediction
 * and, when a universe is given, `tradable` on d. They are sorted by (prediction, symbol)
 * ascending, symbols in code-point order; the short leg is the first `short`, the long leg the
 * last `long`; with fewer than long + short eligible, each side takes
 * min(requested, floor(eligible / 2)). Dates with fewer than 2 eligible symbols get no basket.
 * Ties go by symbol, never by row order, so reordering or filtering the signals frame cannot
 * change a basket.
 *
 * With `weighting: "optimized"` the date's eligible names go through `optimizePortfolio` instead
 * of a top/bottom cut: signal = gaussianize(tieKeptRank(prediction)), market neutral, neutral to
 * the `neutralizers` columns (one constant over the date's names is left out), gross 1, each
 * name capped at `optimizer.maxPosition` (default 0.5 / min(long, short, ⌊m/2⌋), raised to
 * 0.5/⌊m/2⌋ when m names could not reach the budget), λ = `optimizer.riskAversion` (default
 * 1 / the cap). Names with a positive weight form the long leg, negative the short leg, each
 * leg's weights |w| normalized to sum to 1; a date with no more names than constraints has no
 * basket.
 *
 * @param signals - a frame meeting `signalsContract`: date (`YYYY-MM-DD`), symbol, prediction
 * @param options - `long`, `short` (default 25 each), `weighting` (`equal` | `rank` |
 *   `optimized`), `optimizer`, `universe`, `neutralizers`
 * @returns a frame with columns date, symbol, side ("long" | "short"), weight (within the
 *   leg, summing to 1 per leg), prediction; rows by date, short leg then long leg, each in sort order
 * @throws InvalidOptionError (INVALID_OPTION) for an unknown or out-of-range option;
 *   ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) for a signals or universe frame without
 *   its columns; DuplicateRowError (DUPLICATE_ROW) for a repeated (date, symbol);
 *   InvalidDateError (INVALID_DATE) for a malformed date; with `optimized`, NumerFrameError
 *   NAN_NEUTRALIZER for an eligible (date, symbol) without a finite neutralizer value, and the
 *   optimizer's errors
 * @example
 * const baskets = selectBaskets(signals, { long: 25, short: 25, universe });
 * baskets.strings("side"); // ["short", ..., "long", ...] per date
 */
export function selectBaskets(signals: NumerFrame, options: SelectBasketsOptions = {}): NumerFrame {
  const opts = parseOptions(selectBasketsOptions, options, "selectBaskets");
  requireColumns(signals, signalsContract, "selectBaskets");
  const n = signals.numRows;
  const days = dayCodes(signals, "date");
  const { codes: sym, labels: symbols } = stringCodes(signals, "symbol");
  const prediction = signals.float64("prediction");
  const nSymbols = symbols.length;

  // Group rows by calendar day with a counting sort over the day range.
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 0; i < n; i++) {
    if (days[i]! < firstDay) firstDay = days[i]!;
    if (days[i]! > lastDay) lastDay = days[i]!;
  }
  const nDates = n === 0 ? 0 : lastDay - firstDay + 1;
  const offsets = new Int32Array(nDates + 1);
  for (let i = 0; i < n; i++) offsets[days[i]! - firstDay + 1]!++;
  for (let d = 0; d < nDates; d++) offsets[d + 1]! += offsets[d]!;
  const order = new Int32Array(n);
  const next = offsets.slice(0, nDates);
  for (let i = 0; i < n; i++) order[next[days[i]! - firstDay]!++] = i;

  const grid = opts.universe === undefined ? null : universeGrid(opts.universe);
  // Universe column of each signal symbol (−1: not in the universe, never tradable).
  const universeColumn = grid === null ? null : Int32Array.from(symbols, (l) => grid.symbolIndex.get(l) ?? -1);

  const optimized = opts.weighting === "optimized";
  if (!optimized && (opts.neutralizers !== undefined || opts.optimizer !== undefined)) {
    const path = opts.neutralizers !== undefined ? "neutralizers" : "optimizer";
    throw new InvalidOptionError("selectBaskets", [{ path, message: 'needs weighting "optimized"' }]);
  }
  const lookup = optimized && opts.neutralizers !== undefined ? neutralizerLookup(opts.neutralizers) : null;
  const exposure = new Float64Array(lookup?.columns.length ?? 0);

  const outRow: number[] = [];
  const outSide: number[] = [];
  const outWeight: number[] = [];
  const stamp = new Int32Array(nSymbols).fill(-1);
  const rows = new Int32Array(nSymbols);
  const bottom = new Int32Array(opts.short);
  const top = new Int32Array(opts.long);
  for (let d = 0; d < nDates; d++) {
    let m = 0;
    for (let k = offsets[d]!; k < offsets[d + 1]!; k++) {
      const i = order[k]!;
      const s = sym[i]!;
      if (stamp[s] === d) throw new DuplicateRowError("signals", isoDay(firstDay + d), symbols[s]!);
      stamp[s] = d;
      const p = prediction[i]!;
      if (Number.isNaN(p)) continue;
      if (grid !== null && cellState(grid, firstDay + d, universeColumn![s]!) !== TRADABLE) continue;
      rows[m] = i;
      m++;
    }
    if (m < 2) continue;
    if (optimized) {
      optimizedLegs(m, firstDay + d);
      continue;
    }
    const half = Math.floor(m / 2);
    const nShort = m < opts.long + opts.short ? Math.min(opts.short, half) : opts.short;
    const nLong = m < opts.long + opts.short ? Math.min(opts.long, half) : opts.long;
    // Partial selection instead of a full sort: keep the nShort lowest ascending and the nLong
    // highest descending by (prediction, symbol code); symbol codes follow code-point order.
    let nb = 0;
    let nt = 0;
    for (let j = 0; j < m; j++) {
      const i = rows[j]!;
      const p = prediction[i]!;
      const c = sym[i]!;
      if (nb < nShort || precedes(p, c, prediction[bottom[nb - 1]!]!, sym[bottom[nb - 1]!]!)) {
        let k = nb < nShort ? nb++ : nb - 1;
        while (k > 0 && precedes(p, c, prediction[bottom[k - 1]!]!, sym[bottom[k - 1]!]!)) {
          bottom[k] = bottom[k - 1]!;
          k--;
        }
        bottom[k] = i;
      }
      if (nt < nLong || precedes(prediction[top[nt - 1]!]!, sym[top[nt - 1]!]!, p, c)) {
        let k = nt < nLong ? nt++ : nt - 1;
        while (k > 0 && precedes(prediction[top[k - 1]!]!, sym[top[k - 1]!]!, p, c)) {
          top[k] = top[k - 1]!;
          k--;
        }
        top[k] = i;
      }
    }
    // Ranks among the m eligible: the short leg holds ranks 1..nShort, the long leg m−nLong+1..m.
    const median = (m + 1) / 2;
    const weightAt = (rank: number) => (opts.weighting === "equal" ? 1 : Math.abs(rank - median));
    let total = 0;
    for (let k = 0; k < nShort; k++) total += weightAt(k + 1);
    for (let k = 0; k < nShort; k++) {
      outRow.push(bottom[k]!);
      outSide.push(-1);
      outWeight.push(weightAt(k + 1) / total);
    }
    total = 0;
    for (let k = 0; k < nLong; k++) total += weightAt(m - k);
    for (let k = nLong - 1; k >= 0; k--) {
      outRow.push(top[k]!);
      outSide.push(1);
      outWeight.push(weightAt(m - k) / total);
    }
  }

  /** The date's book from the optimizer, appended as its short leg then its long leg. */
  function optimizedLegs(m: number, day: number): void {
    const eligible = Array.from(rows.subarray(0, m)).sort((a, b) => (precedes(prediction[a]!, sym[a]!, prediction[b]!, sym[b]!) ? -1 : 1));
    const columns = lookup === null ? [] : lookup.columns.map(() => new Float64Array(m));
    if (lookup !== null) {
      eligible.forEach((i, k) => {
        const found = lookup.get(day, symbols[sym[i]!]!, exposure);
        const bad = found ? lookup.columns.findIndex((_, j) => !Number.isFinite(exposure[j]!)) : 0;
        if (bad >= 0) {
          throw new NumerFrameError(
            "NAN_NEUTRALIZER",
            `selectBaskets: no finite ${lookup.columns[bad]} for ${symbols[sym[i]!]} on ${isoDay(day)} in the neutralizers frame`,
            { column: lookup.columns[bad]!, symbol: symbols[sym[i]!]!, date: isoDay(day) },
          );
        }
        for (let j = 0; j < columns.length; j++) columns[j]![k] = exposure[j]!;
      });
    }
    const legNames = Math.min(opts.long, opts.short, Math.floor(m / 2));
    const w = optimizeBasket(Float64Array.from(eligible, (i) => prediction[i]!), columns, legNames, opts.optimizer);
    if (w === null) return;
    let longSum = 0;
    let shortSum = 0;
    for (const x of w) {
      if (x > 0) longSum += x;
      else shortSum -= x;
    }
    if (!(longSum > 0 && shortSum > 0)) return;
    eligible.forEach((i, k) => {
      if (w[k]! < 0) {
        outRow.push(i);
        outSide.push(-1);
        outWeight.push(-w[k]! / shortSum);
      }
    });
    eligible.forEach((i, k) => {
      if (w[k]! > 0) {
        outRow.push(i);
        outSide.push(1);
        outWeight.push(w[k]! / longSum);
      }
    });
  }

  const count = outRow.length;
  const date = new Array<string>(count);
  const symbol = new Array<string>(count);
  const side = new Array<string>(count);
  const pred = new Float64Array(count);
  for (let k = 0; k < count; k++) {
    const i = outRow[k]!;
    date[k] = isoDay(days[i]!);
    symbol[k] = symbols[sym[i]!]!;
    side[k] = outSide[k]! > 0 ? "long" : "short";
    pred[k] = prediction[i]!;
  }
  const { universe: _universe, neutralizers: _neutralizers, ...recorded } = opts;
  return NumerFrame.fromColumns(
    { date, symbol, side, weight: Float64Array.from(outWeight), prediction: pred },
    { eraCol: "date", idCol: "symbol", kind: "crypto" },
    { allowEmpty: true },
  ).withProvenance({
    blox: "selectBaskets",
    options: { ...recorded, universe: opts.universe !== undefined, ...(optimized ? { neutralizers: lookup?.columns ?? [] } : {}) },
  });
}

/**
 * (p, c) sorts before (q, d): by prediction, then by symbol code (code-point order). A small
 * module-level function of numbers only, so the selection loop inlines it reliably.
 */
function precedes(p: number, c: number, q: number, d: number): boolean {
  return p < q || (p === q && c < d);
}
