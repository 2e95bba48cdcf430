import { DuplicateRowError, InvalidOptionError, NumerFrame, NumerFrameError, isoDay, parseOptions, requireColumns, signalsContract } from "@nmrblox/numerframe";
import { TRADABLE, type UniverseGrid, cellState, dayCodes, stringCodes, universeGrid } from "@nmrblox/numerframe/internal";
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
  const sel = basketSelection(signals, options);
  const { count, labels } = sel;
  const date = new Array<string>(count);
  const symbol = new Array<string>(count);
  const side = new Array<string>(count);
  const pred = new Float64Array(count);
  const prediction = signals.float64("prediction");
  let lastDay = Number.NaN;
  let lastIso = "";
  for (let k = 0; k < count; k++) {
    const day = sel.day[k]!;
    if (day !== lastDay) {
      lastDay = day;
      lastIso = isoDay(day);
    }
    date[k] = lastIso;
    symbol[k] = labels[sel.symbol[k]!]!;
    side[k] = sel.side[k]! > 0 ? "long" : "short";
    pred[k] = prediction[sel.row[k]!]!;
  }
  const { universe: _universe, neutralizers: _neutralizers, ...recorded } = sel.options;
  return NumerFrame.fromColumns(
    { date, symbol, side, weight: sel.weight.slice(0, count), prediction: pred },
    { eraCol: "date", idCol: "symbol", kind: "crypto" },
    { allowEmpty: true },
  ).withProvenance({
    blox: "selectBaskets",
    options: {
      ...recorded,
      universe: sel.options.universe !== undefined,
      ...(sel.options.weighting === "optimized" ? { neutralizers: sel.neutralizerColumns } : {}),
    },
  });
}

/**
 * The baskets of {@link selectBaskets} as typed arrays, in date order (each date's short leg,
 * then its long leg, each in sort order): what the backtest plans tranches from, with no
 * string per row.
 */
export interface BasketSelection {
  /** Rows (basket members). */
  readonly count: number;
  /** Signals row of each member. */
  readonly row: Int32Array;
  /** Day number of each member's date. */
  readonly day: Int32Array;
  /** Symbol code of each member, into `labels` (code-point order). */
  readonly symbol: Int32Array;
  readonly labels: readonly string[];
  /** +1 long, −1 short. */
  readonly side: Int8Array;
  /** Weight within the leg (sums to 1 per leg). */
  readonly weight: Float64Array;
  /** The parsed options. */
  readonly options: z.infer<typeof selectBasketsOptions>;
  /** With weighting "optimized": the neutralizer columns used. */
  readonly neutralizerColumns: readonly string[];
}

/** Growable typed output of the selection: one member per push. */
class MemberBuffer {
  count = 0;
  row = new Int32Array(256);
  side = new Int8Array(256);
  weight = new Float64Array(256);

  push(row: number, side: number, weight: number): void {
    if (this.count === this.row.length) this.#grow();
    this.row[this.count] = row;
    this.side[this.count] = side;
    this.weight[this.count] = weight;
    this.count++;
  }

  #grow(): void {
    const size = this.row.length * 2;
    const row = new Int32Array(size);
    row.set(this.row);
    const side = new Int8Array(size);
    side.set(this.side);
    const weight = new Float64Array(size);
    weight.set(this.weight);
    this.row = row;
    this.side = side;
    this.weight = weight;
  }
}

/** Signals rows grouped by calendar day with a counting sort over the day range. */
interface DayGroups {
  firstDay: number;
  nDates: number;
  offsets: Int32Array;
  order: Int32Array;
}

// Frames are immutable: a signals frame is grouped by day once (a sweep selects from the same frame per configuration).
const groupCache = new WeakMap<NumerFrame, DayGroups>();

function dayGroups(signals: NumerFrame, days: Int32Array): DayGroups {
  let groups = groupCache.get(signals);
  if (groups === undefined) {
    groups = groupByDay(days);
    groupCache.set(signals, groups);
  }
  return groups;
}

function groupByDay(days: Int32Array): DayGroups {
  const n = days.length;
  let firstDay = Infinity;
  let lastDay = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = days[i]!;
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
  }
  const nDates = n === 0 ? 0 : lastDay - firstDay + 1;
  const offsets = new Int32Array(nDates + 1);
  for (let i = 0; i < n; i++) offsets[days[i]! - firstDay + 1]!++;
  for (let d = 0; d < nDates; d++) offsets[d + 1]! += offsets[d]!;
  const order = new Int32Array(n);
  const next = offsets.slice(0, nDates);
  for (let i = 0; i < n; i++) order[next[days[i]! - firstDay]!++] = i;
  return { firstDay, nDates, offsets, order };
}

/**
 * The eligible rows of date d into `rows` (non-NaN prediction, tradable when a universe is
 * given); a repeated symbol is DUPLICATE_ROW. Returns how many.
 */
function eligibleRows(
  d: number,
  groups: DayGroups,
  sym: Int32Array,
  prediction: Float64Array,
  stamp: Int32Array,
  grid: UniverseGrid | null,
  universeColumn: Int32Array | null,
  labels: readonly string[],
  rows: Int32Array,
): number {
  let m = 0;
  const day = groups.firstDay + d;
  for (let k = groups.offsets[d]!; k < groups.offsets[d + 1]!; k++) {
    const i = groups.order[k]!;
    const s = sym[i]!;
    if (stamp[s] === d) throw new DuplicateRowError("signals", isoDay(day), labels[s]!);
    stamp[s] = d;
    if (Number.isNaN(prediction[i]!)) continue;
    if (grid !== null && cellState(grid, day, universeColumn![s]!) !== TRADABLE) continue;
    rows[m++] = i;
  }
  return m;
}

/**
 * Partial selection instead of a full sort: keeps the nShort lowest ascending in `bottom` and
 * the nLong highest descending in `top` by (prediction, symbol code); symbol codes follow
 * code-point order.
 */
function selectExtremes(
  m: number,
  rows: Int32Array,
  prediction: Float64Array,
  sym: Int32Array,
  nShort: number,
  nLong: number,
  bottom: Int32Array,
  top: Int32Array,
): void {
  let nb = 0;
  let nt = 0;
  // The kept leg's current last member, as scalars: most rows are compared only with these.
  let bp = Number.POSITIVE_INFINITY;
  let bc = 0;
  let tp = Number.NEGATIVE_INFINITY;
  let tc = 0;
  for (let j = 0; j < m; j++) {
    const i = rows[j]!;
    const p = prediction[i]!;
    const c = sym[i]!;
    if (nb < nShort || precedes(p, c, bp, bc)) {
      let k = nb < nShort ? nb++ : nb - 1;
      while (k > 0 && precedes(p, c, prediction[bottom[k - 1]!]!, sym[bottom[k - 1]!]!)) {
        bottom[k] = bottom[k - 1]!;
        k--;
      }
      bottom[k] = i;
      if (nb === nShort) {
        bp = prediction[bottom[nb - 1]!]!;
        bc = sym[bottom[nb - 1]!]!;
      }
    }
    if (nt < nLong || precedes(tp, tc, p, c)) {
      let k = nt < nLong ? nt++ : nt - 1;
      while (k > 0 && precedes(prediction[top[k - 1]!]!, sym[top[k - 1]!]!, p, c)) {
        top[k] = top[k - 1]!;
        k--;
      }
      top[k] = i;
      if (nt === nLong) {
        tp = prediction[top[nt - 1]!]!;
        tc = sym[top[nt - 1]!]!;
      }
    }
  }
}

/** Weight of the member at `rank` (1-based among m eligible): 1, or |rank − median| for "rank". */
function rankWeight(byRank: boolean, rank: number, median: number): number {
  return byRank ? Math.abs(rank - median) : 1;
}

/** Appends the date's short leg (ranks 1..nShort) then long leg (ranks m−nLong+1..m). */
function pushLegs(out: MemberBuffer, m: number, nShort: number, nLong: number, bottom: Int32Array, top: Int32Array, byRank: boolean): void {
  const median = (m + 1) / 2;
  let total = 0;
  for (let k = 0; k < nShort; k++) total += rankWeight(byRank, k + 1, median);
  for (let k = 0; k < nShort; k++) out.push(bottom[k]!, -1, rankWeight(byRank, k + 1, median) / total);
  total = 0;
  for (let k = 0; k < nLong; k++) total += rankWeight(byRank, m - k, median);
  for (let k = nLong - 1; k >= 0; k--) out.push(top[k]!, 1, rankWeight(byRank, m - k, median) / total);
}

/**
 * {@link selectBaskets} without the frame: the same options, checks and errors, the baskets as
 * typed arrays.
 *
 * @param signals - a frame meeting `signalsContract`
 * @param options - as for `selectBaskets`
 * @returns the members in date order
 * @throws as `selectBaskets`
 * @example
 * const { count, day, symbol, side, weight } = basketSelection(signals, { long: 25, short: 25 });
 */
export function basketSelection(signals: NumerFrame, options: SelectBasketsOptions = {}): BasketSelection {
  const opts = parseOptions(selectBasketsOptions, options, "selectBaskets");
  requireColumns(signals, signalsContract, "selectBaskets");
  const days = dayCodes(signals, "date");
  const { codes: sym, labels: symbols } = stringCodes(signals, "symbol");
  const prediction = signals.float64("prediction");
  const nSymbols = symbols.length;
  const groups = dayGroups(signals, days);

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

  const out = new MemberBuffer();
  const stamp = new Int32Array(nSymbols).fill(-1);
  const rows = new Int32Array(nSymbols);
  const bottom = new Int32Array(opts.short);
  const top = new Int32Array(opts.long);
  const byRank = opts.weighting === "rank";
  for (let d = 0; d < groups.nDates; d++) {
    const m = eligibleRows(d, groups, sym, prediction, stamp, grid, universeColumn, symbols, rows);
    if (m < 2) continue;
    if (optimized) {
      optimizedLegs(m, groups.firstDay + d);
      continue;
    }
    const half = Math.floor(m / 2);
    const nShort = m < opts.long + opts.short ? Math.min(opts.short, half) : opts.short;
    const nLong = m < opts.long + opts.short ? Math.min(opts.long, half) : opts.long;
    selectExtremes(m, rows, prediction, sym, nShort, nLong, bottom, top);
    pushLegs(out, m, nShort, nLong, bottom, top, byRank);
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
      if (w[k]! < 0) out.push(i, -1, -w[k]! / shortSum);
    });
    eligible.forEach((i, k) => {
      if (w[k]! > 0) out.push(i, 1, w[k]! / longSum);
    });
  }

  const count = out.count;
  const row = out.row.subarray(0, count);
  const day = new Int32Array(count);
  const symbol = new Int32Array(count);
  for (let k = 0; k < count; k++) {
    day[k] = days[row[k]!]!;
    symbol[k] = sym[row[k]!]!;
  }
  return {
    count,
    row,
    day,
    symbol,
    labels: symbols,
    side: out.side.subarray(0, count),
    weight: out.weight.subarray(0, count),
    options: opts,
    neutralizerColumns: lookup?.columns ?? [],
  };
}

/**
 * (p, c) sorts before (q, d): by prediction, then by symbol code (code-point order). A small
 * module-level function of numbers only, so the selection loop inlines it reliably.
 */
function precedes(p: number, c: number, q: number, d: number): boolean {
  return p < q || (p === q && c < d);
}
