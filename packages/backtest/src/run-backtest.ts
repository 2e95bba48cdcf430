import { bindCosts } from "@nmrblox/cost-model";
import {
  type ColumnInput,
  InvalidOptionError,
  NumerFrame,
  UnknownSymbolError,
  isoDay,
  marketContract,
  parseOptions,
  requireColumns,
  signalsContract,
} from "@nmrblox/numerframe";
import { type MarketPanel, marketPanel, stringCodes, universeGrid } from "@nmrblox/numerframe/internal";
import { type SelectBasketsOptions, rollingBeta } from "@nmrblox/portfolio";
import { type BasketSelection, basketSelection, bookFrame, checkMarketSpan, checkOverlap, planSelection } from "@nmrblox/portfolio/internal";
import { attributionFrame } from "./attribution.js";
import { BASKET_OPTION_KEYS, type BacktestOptions, type ResolvedBacktestOptions, backtestInput } from "./options.js";
import { type Attribution, type Simulation, simulate } from "./simulate.js";

/** Frames and options of one backtest. */
export interface BacktestInput extends BacktestOptions {
  /** date, symbol, prediction. */
  signals: NumerFrame;
  /** date, symbol, close (> 0), turnover_usd, funding_rate; rows may be missing. */
  market: NumerFrame;
  /** date, symbol, tradable; when given, only symbols tradable on the signal date are eligible. */
  universe?: NumerFrame | undefined;
  /** Called as days are simulated (done, total). */
  onProgress?: ((done: number, total: number) => void) | undefined;
}

/**
 * A figure of a run the caller should know about, though the run is valid: `STALE_CLOSE` for a
 * symbol held on days without an actual close (its last close carried, so it earned nothing
 * those days): `days` in all, the longest run of them from `from` to `to`.
 */
export interface BacktestWarning {
  code: "STALE_CLOSE";
  symbol: string;
  days: number;
  longest: number;
  from: string;
  to: string;
  message: string;
}

/**
 * What {@link runBacktest} returns. The frames are built on first access (a sweep that reads
 * only `daily` and `tranches` never builds the book or the attribution).
 */
export interface BacktestResult {
  /**
   * One row per calendar day from the first tranche's entry to the last market date, the
   * columns of `dailyContract` in its order: date, gross_pnl, fee, slippage, funding, net_pnl,
   * equity, return, long_exposure, short_exposure, gross_exposure, turnover, positions; then
   * the legs: long_price_pnl, long_funding, short_price_pnl, short_funding (a symbol's leg is
   * the sign of its net quantity at the close of t−1; the legs' price PnL sums to gross_pnl,
   * their funding to funding).
   */
  readonly daily: NumerFrame;
  /**
   * One row per opened tranche: tranche, signal_date, entry, exit, status, long_count,
   * short_count, gross_pnl, fee, slippage, funding, net_pnl.
   */
  readonly tranches: NumerFrame;
  /** Positions: tranche, signal_date, entry, exit, symbol, quantity, notional. */
  readonly book: NumerFrame;
  /**
   * Per symbol held or traded over the run: symbol, exchange_symbol (when the market has it),
   * price_pnl, funding (received +), fee, slippage, net_pnl (= price_pnl + funding − fee −
   * slippage), days_long, days_short (days on which its net position at the close of t−1 was
   * long / short), stale_close_days (held days at a carried close). Each column sums over
   * symbols to the daily frame's total of the same cost (price_pnl to gross_pnl).
   */
  readonly attribution: NumerFrame;
  /** The attribution per calendar month: month ("YYYY-MM"), then the columns of `attribution`. */
  readonly monthlyAttribution: NumerFrame;
  /** Held symbol-days marked at a carried close (no actual close that day), over all symbols. */
  readonly staleCloseDays: number;
  /** One `STALE_CLOSE` warning per symbol held on a carried close, most days first. */
  readonly warnings: readonly BacktestWarning[];
  /** The options used, defaults filled in. */
  readonly options: ResolvedBacktestOptions;
}

/**
 * Backtests the staggered long/short tranche book of docs/backtest-accounting.md: baskets per
 * signal date, entry at the close of d + lag, exit at the close of entry + hold, capital
 * leverage / tranches per tranche (of initial capital 1.0, no compounding), costs and funding
 * from `costs`, trades netted per symbol when `netting`. PnL and exposures are fractions of
 * initial capital; returns are net PnL over the previous day's equity. The market's dense
 * day × symbol panel is built once per market frame and reused (a sweep builds it once).
 *
 * @param input - the frames (`signals`, `market`, optional `universe`), `portfolio`, `costs`,
 *   `netting` and `onProgress`
 * @returns the daily, tranches and book frames, the per-symbol and per-month attribution, the
 *   held days at a carried close (`staleCloseDays`, `warnings`) and the options used
 * @throws InvalidOptionError (INVALID_OPTION) listing every unknown, mistyped or out-of-range
 *   option, with the nearest valid key for a misspelled one; ContractError (MISSING_COLUMN,
 *   NON_NUMERIC_COLUMN) for a frame without its contract's columns; InvalidCloseError
 *   (INVALID_CLOSE) for a zero, negative or infinite close; DuplicateRowError (DUPLICATE_ROW)
 *   for a repeated (date, symbol) in any frame; InvalidDateError (INVALID_DATE);
 *   UnknownSymbolError (UNKNOWN_SYMBOL) for an eligible signal symbol absent from the market;
 *   NumerFrameError (EMPTY_MARKET) for a market without rows; with weighting "optimized", the
 *   optimizer's errors (INFEASIBLE_PORTFOLIO, NAN_NEUTRALIZER) and, for `neutralizeBeta`,
 *   UNKNOWN_SYMBOL when the benchmark is not in the market; InvalidOptionError (INVALID_OPTION,
 *   option "portfolio.holdDays") when the hold keeps more than 2 × portfolio.tranches open at
 *   once; NumerFrameError DATE_OUT_OF_RANGE for a market date more than 1,096 days outside the
 *   signals' dates (+ lag + hold); NumerFrameError INVALID_TURNOVER for a negative turnover_usd
 * @example
 * const { daily } = runBacktest({ signals, market, portfolio: { long: 25, short: 25, holdDays: 30, tranches: 20 } });
 * daily.numeric("equity").at(-1); // final equity, in units of the initial capital
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  return runBacktestWith(input, basketSelection);
}

/** How a backtest selects its baskets: `basketSelection`, or a sweep's memo of it. */
export type SelectBaskets = (signals: NumerFrame, options: SelectBasketsOptions) => BasketSelection;

/**
 * `runBacktest` with the basket selection passed in: a sweep passes a memo, so configurations
 * that differ only in timing, sizing or costs share one selection.
 *
 * @param input - as for `runBacktest`
 * @param select - selects the baskets; must return what `basketSelection` returns for the same arguments
 * @returns as `runBacktest`
 * @throws as `runBacktest`
 * @example
 * const result = runBacktestWith({ signals, market }, selectionMemo(signals, undefined));
 */
export function runBacktestWith(input: BacktestInput, select: SelectBaskets): BacktestResult {
  const { signals, market, universe, onProgress, ...options } = parseOptions(backtestInput, input, "runBacktest");
  requireColumns(signals, signalsContract, "runBacktest");
  requireColumns(market, marketContract, "runBacktest");
  const { portfolio } = options;
  checkMarketSpan(market, signals, portfolio.lagDays + portfolio.holdDays, "runBacktest");
  const panel = marketPanel(market);
  checkSignalSymbols(signals, universe, panel);
  const basketOptions: Record<string, unknown> = universe !== undefined ? { universe } : {};
  for (const key of BASKET_OPTION_KEYS) if (portfolio[key] !== undefined) basketOptions[key] = portfolio[key];
  if (portfolio.neutralizeBeta !== undefined) {
    if (portfolio.weighting !== "optimized") {
      throw new InvalidOptionError("runBacktest", [{ path: "portfolio.neutralizeBeta", message: 'needs portfolio.weighting "optimized"' }]);
    }
    basketOptions.neutralizers = rollingBeta(market, signals, portfolio.neutralizeBeta);
  }
  // Baskets as typed arrays straight into the plan: no basket frame, no string per row.
  const baskets = select(signals, basketOptions as SelectBasketsOptions);
  const plan = planSelection(baskets, panel, portfolio.lagDays, portfolio.holdDays);
  checkOverlap(plan, portfolio.holdDays, portfolio.tranches, "runBacktest", "portfolio.");
  const costs = bindCosts(options.costs, panel);
  const sim = simulate(panel, plan, options, costs, onProgress);
  // The attribution is a second run of the same loop with its per-symbol writes, on first access.
  const attributed = () => simulate(panel, plan, options, costs, undefined, true).attribution!;
  return backtestResult(sim, attributed, panel, market, options);
}

/** The result object: frames built once, on first access. */
function backtestResult(
  sim: Simulation,
  attributed: () => Attribution,
  panel: MarketPanel,
  market: NumerFrame,
  options: ResolvedBacktestOptions,
): BacktestResult {
  let attribution: Attribution | undefined;
  const attr = () => (attribution ??= attributed());
  const recorded = { ...options };
  const provenance = { blox: "runBacktest", options: recorded };
  const warnings = staleWarnings(sim, panel);
  const result = { options, warnings, staleCloseDays: warnings.reduce((n, w) => n + w.days, 0) } as Record<string, unknown>;
  const lazy = (name: string, build: () => NumerFrame) => {
    Object.defineProperty(result, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = build().withProvenance(provenance);
        Object.defineProperty(result, name, { value, enumerable: true, writable: false, configurable: false });
        return value;
      },
    });
  };
  lazy("daily", () => dailyFrame(sim, panel));
  lazy("tranches", () => tranchesFrame(sim, panel));
  lazy("book", () => bookFrame(sim.engine));
  lazy("attribution", () => attributionFrame(attr(), panel, market, false));
  lazy("monthlyAttribution", () => attributionFrame(attr(), panel, market, true));
  return result as unknown as BacktestResult;
}

function staleWarnings(sim: Simulation, panel: MarketPanel): BacktestWarning[] {
  const { stale } = sim;
  const out: BacktestWarning[] = [];
  for (let s = 0; s < panel.nSymbols; s++) {
    const days = stale.days[s]!;
    if (days === 0) continue;
    const symbol = panel.symbols[s]!;
    const longest = stale.longest[s]!;
    const from = isoDay(panel.firstDay + stale.longestFrom[s]!);
    const to = isoDay(panel.firstDay + stale.longestFrom[s]! + longest - 1);
    out.push({
      code: "STALE_CLOSE",
      symbol,
      days,
      longest,
      from,
      to,
      message: `${symbol} was held ${days} day(s) without an actual close (its last close carried; longest run ${longest} day(s), ${from} .. ${to})`,
    });
  }
  return out.sort((a, b) => b.days - a.days || (a.symbol < b.symbol ? -1 : 1));
}

/**
 * Every signal symbol that could be traded (tradable on some day of the universe, when one is
 * given) must be in the market. Only symbols that occur in the rows count: a filtered frame's
 * unused dictionary entries are not signals.
 */
function checkSignalSymbols(signals: NumerFrame, universe: NumerFrame | undefined, panel: MarketPanel): void {
  const { codes, labels } = stringCodes(signals, "symbol");
  const grid = universe === undefined ? null : universeGrid(universe);
  for (let k = 0; k < labels.length; k++) {
    const symbol = labels[k]!;
    if (panel.symbolIndex.has(symbol)) continue;
    if (grid !== null) {
      const g = grid.symbolIndex.get(symbol);
      if (g === undefined || grid.everTradable[g] === 0) continue;
    }
    throw new UnknownSymbolError(symbol, signals.strings("date")[codes.indexOf(k)]!, "runBacktest");
  }
}

function dailyFrame(sim: Simulation, panel: MarketPanel): NumerFrame {
  const from = sim.first < 0 ? panel.nDays : sim.first;
  const n = panel.nDays - from;
  const date = new Array<string>(n);
  for (let i = 0; i < n; i++) date[i] = isoDay(panel.firstDay + from + i);
  const columns: Record<string, ColumnInput> = { date };
  for (const [name, values] of Object.entries(sim.daily)) columns[name] = (values as Float64Array).slice(from);
  return NumerFrame.fromColumns(columns, { eraCol: "date", kind: "crypto" }, { allowEmpty: true, strings: ["date"] });
}

function tranchesFrame(sim: Simulation, panel: MarketPanel): NumerFrame {
  const { engine, tranches } = sim;
  const { plan } = engine;
  const n = engine.opened;
  const id = new Int32Array(n);
  const signal = new Array<string>(n);
  const entry = new Array<string>(n);
  const exit = new Array<string>(n);
  const status = new Array<string>(n);
  const longCount = new Int32Array(n);
  const shortCount = new Int32Array(n);
  const net = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    id[k] = k;
    signal[k] = isoDay(plan.signalDay[engine.planIndex[k]!]!);
    entry[k] = isoDay(panel.firstDay + engine.entryRow[k]!);
    exit[k] = isoDay(panel.firstDay + engine.exitRow[k]!);
    status[k] = engine.exitRow[k]! < panel.nDays ? "closed" : "open";
    for (let j = engine.posStart[k]!; j < engine.posStart[k + 1]!; j++) {
      if (engine.posQty[j]! > 0) longCount[k]!++;
      else shortCount[k]!++;
    }
    net[k] = tranches.gross_pnl[k]! + tranches.funding[k]! - tranches.fee[k]! - tranches.slippage[k]!;
  }
  return NumerFrame.fromColumns(
    {
      tranche: id,
      signal_date: signal,
      entry,
      exit,
      status,
      long_count: longCount,
      short_count: shortCount,
      gross_pnl: tranches.gross_pnl.slice(0, n),
      fee: tranches.fee.slice(0, n),
      slippage: tranches.slippage.slice(0, n),
      funding: tranches.funding.slice(0, n),
      net_pnl: net,
    },
    { kind: "custom", roles: { tranche: "other" } },
    { allowEmpty: true, strings: ["signal_date", "entry", "exit", "status"] },
  );
}
