import { type ResolvedBacktestOptions, backtestOptions } from "@nmrblox/backtest";
import { type Command, Option } from "commander";
import { float, integer, rate } from "./parsers.js";

/** The flags of the trading frames, shared by backtest and sweep. */
export interface FrameFlags {
  signals: string;
  market: string;
  instruments?: string;
  universe?: string;
}

/** The portfolio, cost and netting flags, shared by backtest and sweep. */
export interface TradingFlags {
  long?: number;
  short?: number;
  lag?: number;
  hold?: number;
  tranches?: number;
  leverage?: number;
  weighting?: string;
  maxWeight?: number;
  fee?: number;
  slippage?: number;
  funding?: boolean;
  netting?: boolean;
}

/**
 * Adds the input-frame flags and every portfolio, cost and netting flag to a command. Defaults
 * shown in the help are the library's own (`backtestOptions`), so they cannot drift.
 *
 * @param cmd - the command (backtest or sweep)
 * @returns the command
 * @example
 * addTradingFlags(program.command("backtest")).action(run);
 */
export function addTradingFlags(cmd: Command): Command {
  return addCostFlags(addPortfolioFlags(addFrameFlags(cmd)));
}

/**
 * Adds --signals, --market, --instruments and --universe.
 *
 * @param cmd - the command
 * @param options - `marketRequired` (default true; false where the market can come from elsewhere, as `rebalance --live`)
 * @returns the command
 * @example
 * addFrameFlags(program.command("rebalance"), { marketRequired: false });
 */
export function addFrameFlags(cmd: Command, options: { marketRequired?: boolean } = {}): Command {
  const market = "daily market: date, symbol, close, turnover_usd, funding_rate";
  return cmd
    .requiredOption("--signals <file>", "predictions: date, symbol, prediction (.csv, .parquet, .arrow)")
    [options.marketRequired === false ? "option" : "requiredOption"]("--market <file>", market)
    .option("--instruments <file>", "Bybit instruments: build the tradable universe from them, point in time")
    .option("--universe <file>", "a ready universe: date, symbol, tradable (instead of --instruments)");
}

/**
 * Adds the portfolio flags (--long, --short, --lag, --hold, --tranches, --leverage, --weighting,
 * --max-weight), with the library's defaults in the help.
 *
 * @param cmd - the command
 * @returns the command
 * @example
 * addPortfolioFlags(program.command("rebalance"));
 */
export function addPortfolioFlags(cmd: Command): Command {
  const p = (backtestOptions.parse({}) as ResolvedBacktestOptions).portfolio;
  return cmd
    .option("--long <n>", `symbols in the long leg (default ${p.long})`, integer("--long"))
    .option("--short <n>", `symbols in the short leg (default ${p.short})`, integer("--short"))
    .option("--lag <days>", `days from signal to entry (default ${p.lagDays})`, integer("--lag"))
    .option("--hold <days>", `days from entry to exit (default ${p.holdDays})`, integer("--hold"))
    .option("--tranches <n>", `overlapping tranches (default ${p.tranches})`, integer("--tranches"))
    .option("--leverage <x>", `gross leverage of the book (default ${p.leverage})`, float("--leverage"))
    .option("--weighting <mode>", `equal or rank, within a leg (default ${p.weighting})`)
    .option("--max-weight <x>", "cap on one symbol's net weight at entry", float("--max-weight"));
}

/**
 * Adds --fee and --slippage, and unless `feesOnly`, --[no-]funding and --[no-]netting.
 *
 * @param cmd - the command
 * @param options - `feesOnly`: only the per-side rates (rebalance uses them for its cost estimates)
 * @returns the command
 * @example
 * addCostFlags(program.command("rebalance"), { feesOnly: true });
 */
export function addCostFlags(cmd: Command, options: { feesOnly?: boolean } = {}): Command {
  const d = backtestOptions.parse({}) as ResolvedBacktestOptions;
  const fee = d.costs.find((c) => c.type === "takerFee");
  const slip = d.costs.find((c) => c.type === "fixedSlippage");
  cmd
    .option("--fee <rate>", `taker fee per side, a fraction (default ${fee?.type === "takerFee" ? fee.rate : "-"})`, rate("--fee"))
    .option("--slippage <rate>", `slippage per side, a fraction (default ${slip?.type === "fixedSlippage" ? slip.rate : "-"})`, rate("--slippage"));
  if (options.feesOnly === true) return cmd;
  return cmd
    .addOption(new Option("--funding", "charge perpetual funding (default)"))
    .addOption(new Option("--no-funding", "leave funding out"))
    .addOption(new Option("--netting", "net trades per symbol across tranches each day (default)"))
    .addOption(new Option("--no-netting", "every tranche pays its own entry and exit"));
}
