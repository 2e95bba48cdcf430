import {
  DuplicateRowError,
  type FrameContract,
  InvalidDateError,
  InvalidOptionError,
  NumerFrame,
  dayNumber,
  eraRows,
  marketContract,
  mean,
  parseOptions,
  pearson,
  requireColumns,
  requireFrame,
  signalsContract,
  standardDeviation,
} from "@nmrblox/numerframe";
import { marketPanel } from "@nmrblox/numerframe/internal";
import { z } from "zod";
import { RankScratch, averageRanks } from "./average-ranks.js";
import { FactorInputError } from "./errors.js";

/** Options of `factorAnalysis`. */
export const factorAnalysisOptions = z.strictObject({
  /** Forward-return horizons in calendar days. */
  horizons: z.array(z.number().int().positive()).min(1).default([1, 5, 10, 20, 30]),
  /** Number of equal-count prediction quantiles per date. */
  quantiles: z.number().int().min(2).default(5),
  /** Days from the signal date to the entry close (a signal dated t is known at the end of t). */
  lag: z.number().int().min(0).default(1),
  /** Prediction column of the signals frame. */
  predictionCol: z.string().min(1).default("prediction"),
  /** Subtract each date's mean forward return before averaging by quantile (alphalens long_short). */
  demean: z.boolean().default(true),
});
/** Options of `factorAnalysis`, as callers write them. */
export type FactorAnalysisOptions = z.input<typeof factorAnalysisOptions>;

/** mean, std (ddof 1), t-stat = mean / (std / √count) of a per-date series, over its finite values. */
export interface SeriesSummary {
  readonly horizon: number;
  readonly mean: number | null;
  readonly std: number | null;
  readonly tStat: number | null;
  readonly count: number;
}

/** Mean forward return of one quantile at one horizon. */
export interface QuantileReturn {
  readonly horizon: number;
  /** 1 = lowest predictions, `quantiles` = highest. */
  readonly quantile: number;
  /** Mean over dates of the date's mean forward return in the quantile (demeaned when `demean`), a fraction over the whole horizon. */
  readonly meanReturn: number | null;
  /** Dates that had names in this quantile with a forward return. */
  readonly dates: number;
}

/** Mean share of a quantile's names that were not in it `horizon` signal dates earlier. */
export interface QuantileTurnover {
  readonly horizon: number;
  readonly quantile: number;
  readonly turnover: number | null;
  readonly dates: number;
}

/** Factor analysis in the spirit of alphalens; per-date frames have one column per horizon (`ic_5d`, ...). */
export interface FactorAnalysis {
  readonly options: z.infer<typeof factorAnalysisOptions>;
  /**
   * Signal rows, those with a prediction and an actual entry close (the rows analysed), and
   * signal dates with fewer such names than quantiles (some quantiles empty on those dates).
   */
  readonly coverage: { readonly signalRows: number; readonly usedRows: number; readonly thinDates: number };
  readonly quantileReturns: readonly QuantileReturn[];
  /**
   * date, q{q}_{h}d: the date's mean forward return in quantile q at horizon h (demeaned when
   * `demean`), NaN when the quantile is empty; the per-date series `quantileReturns` averages.
   */
  readonly quantileReturnsByDate: NumerFrame;
  /** date, ic_{h}d: Spearman rank correlation of prediction and h-day forward return per signal date. */
  readonly ic: NumerFrame;
  /** IC decay: the IC summary per horizon. */
  readonly icSummary: readonly SeriesSummary[];
  /** date, spread_{h}d: mean forward return of the top quantile minus the bottom quantile. */
  readonly spread: NumerFrame;
  readonly spreadSummary: readonly SeriesSummary[];
  readonly quantileTurnover: readonly QuantileTurnover[];
  /** date, autocorr_{h}d: correlation of each date's prediction ranks with those `h` signal dates earlier (common symbols). */
  readonly autocorrelation: NumerFrame;
  readonly autocorrelationSummary: readonly SeriesSummary[];
}

function summarize(horizon: number, values: Float64Array): SeriesSummary {
  const finite = values.filter(Number.isFinite);
  const n = finite.length;
  if (n === 0) return { horizon, mean: null, std: null, tStat: null, count: 0 };
  const m = mean(finite);
  const sd = standardDeviation(finite, 1);
  const t = sd > 0 ? m / (sd / Math.sqrt(n)) : Number.NaN;
  return { horizon, mean: m, std: Number.isFinite(sd) ? sd : null, tStat: Number.isFinite(t) ? t : null, count: n };
}

/**
 * Alphalens-style analysis of predictions against forward returns from the market's closes.
 * For a signal dated d, the entry close is on e = d + lag (it must be an actual close) and the
 * h-day forward return is close_{e+h} / close_e − 1 on calendar days, the exit close carried
 * forward from the last actual close (NaN past the last market date). Quantiles are equal-count
 * bins of the date's average prediction ranks: q = ceil(rank · Q / n). Turnover and rank
 * autocorrelation compare each signal date with the one `h` signal dates earlier. The closes
 * come from numerframe's market panel, the one dense day × symbol view every package reads.
 *
 * @param signals - date, symbol and the prediction column (`predictionCol`)
 * @param market - date, symbol, close (numerframe's `marketContract`)
 * @param options - horizons, quantiles, lag, predictionCol, demean
 * @returns IC, quantile returns, spread, turnover and rank autocorrelation, per date and summarized
 * @throws InvalidOptionError for an unknown or malformed option or an argument that is not a
 *   NumerFrame; ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) for a missing or mistyped
 *   column; InvalidCloseError (INVALID_CLOSE) for a market close ≤ 0 or infinite;
 *   DuplicateRowError (DUPLICATE_ROW) for a (date, symbol) twice in the signals or the market;
 *   InvalidDateError (INVALID_DATE) for a malformed date; FactorInputError (EMPTY_SIGNALS) and
 *   NumerFrameError (EMPTY_MARKET) for a frame without rows; InvalidOptionError on `quantiles`
 *   when no signal date has as many names (with a prediction and an entry close) as quantiles
 * @example
 * const fa = factorAnalysis(signals, market, { horizons: [1, 5, 20], quantiles: 5, lag: 1 });
 * fa.icSummary.map((s) => s.mean); // IC decay
 */
export function factorAnalysis(signals: NumerFrame, market: NumerFrame, options: FactorAnalysisOptions = {}): FactorAnalysis {
  requireFrame(signals, "signals", "factorAnalysis");
  requireFrame(market, "market", "factorAnalysis");
  const opts = parseOptions(factorAnalysisOptions, options, "factorAnalysis");
  const { horizons, quantiles: Q, lag, predictionCol, demean } = opts;
  // The signals contract, with the prediction column the options name.
  const signalColumns: FrameContract = {
    name: signalsContract.name,
    columns: signalsContract.columns.map((c) => (c.name === "prediction" ? { ...c, name: predictionCol } : c)),
  };
  requireColumns(signals, signalColumns, "factorAnalysis");
  requireColumns(market, marketContract, "factorAnalysis");
  if (signals.numRows === 0) throw new FactorInputError("EMPTY_SIGNALS", "factorAnalysis: the signals frame has no rows", { column: "date" });
  // The one market panel every package reads (cached per frame): the same closes, and the same
  // errors for the same bad row (INVALID_CLOSE, DUPLICATE_ROW, INVALID_DATE, EMPTY_MARKET).
  const prices = marketPanel(market);
  const byDate = signals.eraCol === "date" ? signals : signals.withMeta({ eraCol: "date" });
  const index = byDate.eraIndex();
  const dates = index.eras;
  const symbols = byDate.strings("symbol");
  const prediction = byDate.float64(predictionCol);
  const D = dates.length;
  const H = horizons.length;
  const W = prices.nSymbols;

  // Eligible rows of every date, stored flat: symbol id, prediction, rank, quantile.
  const start = new Int32Array(D + 1);
  const symId = new Int32Array(byDate.numRows);
  const pred = new Float64Array(byDate.numRows);
  const rank = new Float64Array(byDate.numRows);
  const quant = new Int32Array(byDate.numRows);
  const entry = new Float64Array(byDate.numRows);
  const stamp = new Int32Array(W).fill(-1);
  let maxPerDate = 0;
  let used = 0;

  const ic = Array.from({ length: H }, () => new Float64Array(D).fill(Number.NaN));
  const spread = Array.from({ length: H }, () => new Float64Array(D).fill(Number.NaN));
  const qSum = new Float64Array(H * Q);
  const qDates = new Int32Array(H * Q);
  let scratch = new RankScratch(16);
  const fx = new Float64Array(byDate.numRows);
  const qx = new Int32Array(byDate.numRows);
  const qByDate = Array.from({ length: H * Q }, () => new Float64Array(D).fill(Number.NaN));
  let thinDates = 0;
  const sumByQ = new Float64Array(Q);
  const countByQ = new Int32Array(Q);

  for (let k = 0; k < D; k++) {
    const date = dates[k]!;
    const day = dayNumber(date);
    const rows = eraRows(index, k);
    if (Number.isNaN(day)) throw new InvalidDateError("date", rows[0]!, date, "factorAnalysis: signals frame");
    const e = day + lag - prices.firstDay;
    start[k] = used;
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      const sym = symbols[row]!;
      const id = prices.symbolIndex.get(sym);
      if (id !== undefined) {
        if (stamp[id] === k) throw new DuplicateRowError("signals", date, sym);
        stamp[id] = k;
      }
      const p = prediction[row]!;
      if (id === undefined || !Number.isFinite(p) || e < 0 || e >= prices.nDays) continue;
      const close = prices.actualClose[e * W + id]!;
      if (Number.isNaN(close)) continue;
      symId[used] = id;
      pred[used] = p;
      entry[used] = close;
      used++;
    }
    const n = used - start[k]!;
    if (n === 0) continue;
    if (n > maxPerDate) {
      maxPerDate = n;
      if (n > scratch.rx.length) scratch = new RankScratch(n * 2);
    }
    const s0 = start[k]!;
    if (n < Q) thinDates++;
    averageRanks(pred.subarray(s0, used), n, scratch.rx, scratch.sorted);
    for (let i = 0; i < n; i++) {
      const rk = scratch.rx[i]!;
      rank[s0 + i] = rk;
      quant[s0 + i] = Math.min(Q, Math.max(1, Math.ceil((rk * Q) / n))) - 1;
    }
    for (let hi = 0; hi < H; hi++) {
      const x = e + horizons[hi]!;
      if (x >= prices.nDays) continue;
      let m = 0;
      let dateMean = 0;
      for (let i = s0; i < used; i++) {
        const exit = prices.close[x * W + symId[i]!]!;
        fx[m] = exit / entry[i]! - 1;
        qx[m] = quant[i]!;
        dateMean += fx[m]!;
        m++;
      }
      dateMean /= m;
      // Prediction ranks are the date's (every eligible row has a forward return here).
      averageRanks(fx, m, scratch.ry, scratch.sorted);
      ic[hi]![k] = pearson(rank.subarray(s0, used), scratch.ry, m);
      sumByQ.fill(0);
      countByQ.fill(0);
      for (let i = 0; i < m; i++) {
        sumByQ[qx[i]!]! += demean ? fx[i]! - dateMean : fx[i]!;
        countByQ[qx[i]!]!++;
      }
      for (let q = 0; q < Q; q++) {
        if (countByQ[q]! === 0) continue;
        qByDate[hi * Q + q]![k] = sumByQ[q]! / countByQ[q]!;
        qSum[hi * Q + q]! += sumByQ[q]! / countByQ[q]!;
        qDates[hi * Q + q]!++;
      }
      if (countByQ[0]! > 0 && countByQ[Q - 1]! > 0) {
        spread[hi]![k] = sumByQ[Q - 1]! / countByQ[Q - 1]! - sumByQ[0]! / countByQ[0]!;
      }
    }
  }
  start[D] = used;
  // More quantiles than names on every date leaves quantiles empty everywhere (NaN spreads): refuse it.
  if (maxPerDate < Q) {
    throw new InvalidOptionError("factorAnalysis", [
      {
        path: "quantiles",
        message: `${Q} quantiles need at least ${Q} symbols with a prediction and an entry close on some signal date; the most on any date is ${maxPerDate}`,
      },
    ]);
  }

  // Turnover and rank autocorrelation against the date h signal dates earlier.
  const autocorr = Array.from({ length: H }, () => new Float64Array(D).fill(Number.NaN));
  const tSum = new Float64Array(H * Q);
  const tDates = new Int32Array(H * Q);
  const earlierQuant = new Int32Array(W).fill(-1);
  const earlierRank = new Float64Array(W);
  const ax = new Float64Array(Math.max(1, maxPerDate));
  const ay = new Float64Array(Math.max(1, maxPerDate));
  const inQ = new Int32Array(Q);
  const stayed = new Int32Array(Q);
  for (let hi = 0; hi < H; hi++) {
    const h = horizons[hi]!;
    for (let k = h; k < D; k++) {
      const a0 = start[k - h]!;
      const a1 = start[k - h + 1]!;
      const b0 = start[k]!;
      const b1 = start[k + 1]!;
      if (a1 === a0 || b1 === b0) continue;
      for (let i = a0; i < a1; i++) {
        earlierQuant[symId[i]!] = quant[i]!;
        earlierRank[symId[i]!] = rank[i]!;
      }
      inQ.fill(0);
      stayed.fill(0);
      let m = 0;
      for (let i = b0; i < b1; i++) {
        const q = quant[i]!;
        const before = earlierQuant[symId[i]!]!;
        inQ[q]!++;
        if (before === q) stayed[q]!++;
        if (before >= 0) {
          ax[m] = rank[i]!;
          ay[m] = earlierRank[symId[i]!]!;
          m++;
        }
      }
      autocorr[hi]![k] = pearson(ax, ay, m);
      for (let q = 0; q < Q; q++) {
        if (inQ[q]! === 0) continue;
        tSum[hi * Q + q]! += 1 - stayed[q]! / inQ[q]!;
        tDates[hi * Q + q]!++;
      }
      for (let i = a0; i < a1; i++) earlierQuant[symId[i]!] = -1;
    }
  }

  const quantileReturns: QuantileReturn[] = [];
  const quantileTurnover: QuantileTurnover[] = [];
  for (let hi = 0; hi < H; hi++) {
    for (let q = 0; q < Q; q++) {
      const c = qDates[hi * Q + q]!;
      quantileReturns.push({ horizon: horizons[hi]!, quantile: q + 1, meanReturn: c > 0 ? qSum[hi * Q + q]! / c : null, dates: c });
      const t = tDates[hi * Q + q]!;
      quantileTurnover.push({ horizon: horizons[hi]!, quantile: q + 1, turnover: t > 0 ? tSum[hi * Q + q]! / t : null, dates: t });
    }
  }
  const perDate = (prefix: string, series: Float64Array[]) =>
    NumerFrame.fromColumns(
      { date: [...dates], ...Object.fromEntries(horizons.map((h, hi) => [`${prefix}_${h}d`, series[hi]!])) },
      { eraCol: "date" },
    ).withProvenance({ blox: "factorAnalysis", options: { ...opts } });

  return {
    options: opts,
    coverage: { signalRows: signals.numRows, usedRows: used, thinDates },
    quantileReturns,
    quantileReturnsByDate: NumerFrame.fromColumns(
      {
        date: [...dates],
        ...Object.fromEntries(horizons.flatMap((h, hi) => Array.from({ length: Q }, (_, q) => [`q${q + 1}_${h}d`, qByDate[hi * Q + q]!]))),
      },
      { eraCol: "date" },
    ).withProvenance({ blox: "factorAnalysis", options: { ...opts } }),
    ic: perDate("ic", ic),
    icSummary: horizons.map((h, hi) => summarize(h, ic[hi]!)),
    spread: perDate("spread", spread),
    spreadSummary: horizons.map((h, hi) => summarize(h, spread[hi]!)),
    quantileTurnover,
    autocorrelation: perDate("autocorr", autocorr),
    autocorrelationSummary: horizons.map((h, hi) => summarize(h, autocorr[hi]!)),
  };
}
