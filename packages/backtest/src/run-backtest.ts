import { bindCosts } from "@nmrblox/cost-model";
import { type ColumnInput, MissingColumnError, NumerFrame, isoDay } from "@nmrblox/numerframe";
import {
  InvalidOptionError,
  type MarketMatrix,
  UnknownSymbolError,
  bookFrame,
  columnCodes,
  marketMatrix,
  parseOptions,
  planTranches,
  selectBaskets,
  stringColumn,
} from "@nmrblox/portfolio";
import { type BacktestOptions, type ResolvedBacktestOptions, backtestOptions } from "./options.js";
import { type Simulation, simulate } from "./simulate.js";

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

/** What {@link runBacktest} returns. */
export interface BacktestResult {
  /**
   * One row per calendar day from the first tranche's entry to the last market date: date,
   * gross_pnl, fee, slippage, funding, net_pnl, equity, return, long_exposure, short_exposure,
   * gross_exposure, turnover, positions.
   */
  daily: NumerFrame;
  /**
   * One row per opened tranche: tranche, signal_date, entry, exit, status, long_count,
   * short_count, gross_pnl, fee, slippage, funding, net_pnl.
   */
  tranches: NumerFrame;
  /** Positions: tranche, signal_date, entry, exit, symbol, quantity, notional. */
  book: NumerFrame;
  /** The options used, defaults filled in. */
  options: ResolvedBacktestOptions;
}

// Matrices are read-only and depend only on the frame: a sweep over one market builds them once.
const matrices = new WeakMap<NumerFrame, MarketMatrix>();

function cachedMatrix(market: NumerFrame): MarketMatrix {
  let m = matrices.get(market);
  if (m === undefined) {
    m = marketMatrix(market);
    matrices.set(market, m);
  }
  return m;
}

/**
 * Backtests the staggered long/short tranche book of REFERENCE.md section 3: baskets per
 * signal date, entry at the close of d + lag, exit at the close of entry + hold, capital
 * leverage / tranches per tranche (of initial capital 1.0, no compounding), costs and funding
 * from `costs`, trades netted per symbol when `netting`. PnL and exposures are fractions of
 * initial capital; returns are net PnL over the previous day's equity.
 */
export function runBacktest(input: BacktestInput): BacktestResult {
  const { signals, market, universe, onProgress, ...rest } = input;
  for (const [name, frame] of [
    ["signals", signals],
    ["market", market],
  ] as const) {
    if (!(frame instanceof NumerFrame)) throw new InvalidOptionError(name, "expected a NumerFrame");
  }
  if (universe !== undefined && !(universe instanceof NumerFrame)) throw new InvalidOptionError("universe", "expected a NumerFrame");
  const options = parseOptions(backtestOptions, rest, "runBacktest");
  const { portfolio } = options;
  const matrix = cachedMatrix(market);
  checkSignalSymbols(signals, universe, matrix);
  const baskets = selectBaskets(signals, {
    long: portfolio.long,
    short: portfolio.short,
    weighting: portfolio.weighting,
    ...(universe !== undefined ? { universe } : {}),
  });
  const plan = planTranches(baskets, matrix, portfolio.lagDays, portfolio.holdDays);
  const costs = bindCosts(options.costs, matrix);
  const sim = simulate(matrix, plan, options, costs, onProgress);
  const recorded = { ...options };
  return {
    daily: dailyFrame(sim, matrix).withProvenance({ blox: "runBacktest", options: recorded }),
    tranches: tranchesFrame(sim, matrix).withProvenance({ blox: "runBacktest", options: recorded }),
    book: bookFrame(sim.engine).withProvenance({ blox: "runBacktest", options: recorded }),
    options,
  };
}

/** Every signal symbol that could be traded (tradable in the universe when one is given) must be in the market. */
function checkSignalSymbols(signals: NumerFrame, universe: NumerFrame | undefined, matrix: MarketMatrix): void {
  for (const c of ["date", "symbol"]) {
    if (!signals.has(c)) throw new MissingColumnError(c, "signals", signals.columnNames);
  }
  let tradable: Set<string> | null = null;
  if (universe !== undefined) {
    for (const c of ["symbol", "tradable"]) {
      if (!universe.has(c)) throw new MissingColumnError(c, "universe", universe.columnNames);
    }
    const flags = universe.numeric("tradable");
    const { codes, labels } = columnCodes(universe, "symbol");
    tradable = new Set();
    for (let i = 0; i < flags.length; i++) if (flags[i]) tradable.add(labels[codes[i]!]!);
  }
  const { codes, labels } = columnCodes(signals, "symbol");
  labels.forEach((symbol, k) => {
    if (matrix.symbolIndex.has(symbol) || (tradable !== null && !tradable.has(symbol))) return;
    throw new UnknownSymbolError(symbol, signals.strings("date")[codes.indexOf(k)]!, "signals");
  });
}

function dailyFrame(sim: Simulation, matrix: MarketMatrix): NumerFrame {
  const from = sim.first < 0 ? matrix.nDays : sim.first;
  const n = matrix.nDays - from;
  const date = new Array<string>(n);
  for (let i = 0; i < n; i++) date[i] = isoDay(matrix.firstDay + from + i);
  const columns: Record<string, ColumnInput> = { date: stringColumn(date) };
  for (const [name, values] of Object.entries(sim.daily)) columns[name] = (values as Float64Array).slice(from);
  return NumerFrame.fromColumns(columns, { eraCol: "date", kind: "crypto" }, { allowEmpty: true });
}

function tranchesFrame(sim: Simulation, matrix: MarketMatrix): NumerFrame {
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
    entry[k] = isoDay(matrix.firstDay + engine.entryRow[k]!);
    exit[k] = isoDay(matrix.firstDay + engine.exitRow[k]!);
    status[k] = engine.exitRow[k]! < matrix.nDays ? "closed" : "open";
    for (let j = engine.posStart[k]!; j < engine.posStart[k + 1]!; j++) {
      if (engine.posQty[j]! > 0) longCount[k]!++;
      else shortCount[k]!++;
    }
    net[k] = tranches.gross_pnl[k]! + tranches.funding[k]! - tranches.fee[k]! - tranches.slippage[k]!;
  }
  return NumerFrame.fromColumns(
    {
      tranche: id,
      signal_date: stringColumn(signal),
      entry: stringColumn(entry),
      exit: stringColumn(exit),
      status: stringColumn(status),
      long_count: longCount,
      short_count: shortCount,
      gross_pnl: tranches.gross_pnl.slice(0, n),
      fee: tranches.fee.slice(0, n),
      slippage: tranches.slippage.slice(0, n),
      funding: tranches.funding.slice(0, n),
      net_pnl: net,
    },
    { kind: "custom", roles: { tranche: "other" } },
    { allowEmpty: true },
  );
}
