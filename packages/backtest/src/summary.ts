import { dailyContract, maxDrawdown, mean, requireColumns, standardDeviation, tranchesContract } from "@nmrblox/numerframe";
import type { BacktestResult } from "./run-backtest.js";

/** One sweep row's metrics; see {@link summarizeBacktest}. */
export interface BacktestSummary {
  days: number;
  tranches: number;
  total_return: number;
  volatility: number;
  sharpe: number;
  max_drawdown: number;
  total_fee: number;
  total_slippage: number;
  total_funding: number;
  mean_turnover: number;
  tranche_hit_rate: number;
}

/** The columns of a sweep's result frame after its grid columns, in order: the fields of {@link BacktestSummary}. */
export const SUMMARY_COLUMNS = [
  "days",
  "tranches",
  "total_return",
  "volatility",
  "sharpe",
  "max_drawdown",
  "total_fee",
  "total_slippage",
  "total_funding",
  "mean_turnover",
  "tranche_hit_rate",
] as const satisfies ReadonlyArray<keyof BacktestSummary>;

/**
 * Headline figures of a backtest as docs/backtest-accounting.md defines them (365 periods a year):
 * total return = equity_T − 1; volatility = std(r, ddof 1)·√365; Sharpe = mean(r)/std(r,
 * ddof 1)·√365; max drawdown = min_t(equity_t / max(1, max_{s≤t} equity_s) − 1); cost and
 * funding totals; mean daily turnover; tranche hit rate = share of closed tranches with net
 * PnL > 0. NaN where undefined (fewer than 2 days, zero volatility, no closed tranche). The
 * full statistics belong to @nmrblox/evaluator.
 *
 * @param result - what `runBacktest` returns (its `daily` and `tranches` frames are read)
 * @returns the metrics, one number each
 * @throws ContractError (MISSING_COLUMN, NON_NUMERIC_COLUMN) when `daily` or `tranches` lacks
 *   a column of `dailyContract` / `tranchesContract`
 * @example
 * const { sharpe, max_drawdown } = summarizeBacktest(runBacktest({ signals, market }));
 */
export function summarizeBacktest(result: Pick<BacktestResult, "daily" | "tranches">): BacktestSummary {
  const { daily, tranches } = result;
  requireColumns(daily, dailyContract, "summarizeBacktest");
  requireColumns(tranches, tranchesContract, "summarizeBacktest");
  const T = daily.numRows;
  const r = daily.numeric("return");
  const equity = daily.numeric("equity");
  const m = mean(r);
  const sd = standardDeviation(r, 1);
  const sum = (name: string) => {
    const values = daily.float64(name);
    let total = 0;
    for (let t = 0; t < values.length; t++) total += values[t]!;
    return total;
  };
  const status = tranches.strings("status");
  const net = tranches.numeric("net_pnl");
  let closed = 0;
  let wins = 0;
  for (let k = 0; k < tranches.numRows; k++) {
    if (status[k] !== "closed") continue;
    closed++;
    if (net[k]! > 0) wins++;
  }
  return {
    days: T,
    tranches: tranches.numRows,
    total_return: T > 0 ? equity[T - 1]! - 1 : 0,
    volatility: sd * Math.sqrt(365),
    sharpe: sd > 0 ? (m / sd) * Math.sqrt(365) : Number.NaN,
    max_drawdown: maxDrawdown(equity),
    total_fee: sum("fee"),
    total_slippage: sum("slippage"),
    total_funding: sum("funding"),
    mean_turnover: T > 0 ? sum("turnover") / T : Number.NaN,
    tranche_hit_rate: closed > 0 ? wins / closed : Number.NaN,
  };
}
