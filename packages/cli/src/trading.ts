import { type ResolvedBacktestOptions, backtestOptions } from "@nmrblox/backtest";
import { type CostTermInput, defaultCosts, fixedSlippage, funding, takerFee } from "@nmrblox/cost-model";
import { type NumerFrame, instrumentsContract, marketContract, signalsContract, universeContract } from "@nmrblox/numerframe";
import { mapSymbols, tradableUniverse } from "@nmrblox/universe-filter";
import { layer, parseSets } from "./config.js";
import { type Context, validateOptions } from "./context.js";
import type { FrameFlags, TradingFlags } from "./trading-flags.js";

export type { FrameFlags, TradingFlags } from "./trading-flags.js";

// Each named flag and the backtestOptions path it sets; a bad value is reported against the flag.
const FLAG_PATHS: ReadonlyArray<[keyof TradingFlags, string, string]> = [
  ["long", "portfolio.long", "--long"],
  ["short", "portfolio.short", "--short"],
  ["lag", "portfolio.lagDays", "--lag"],
  ["hold", "portfolio.holdDays", "--hold"],
  ["tranches", "portfolio.tranches", "--tranches"],
  ["leverage", "portfolio.leverage", "--leverage"],
  ["weighting", "portfolio.weighting", "--weighting"],
  ["maxWeight", "portfolio.maxWeight", "--max-weight"],
  ["netting", "netting", "--netting"],
];

/**
 * The backtest options of a run: the config file's `backtest` section, then `--set`, then the
 * named flags; validated with `backtestOptions`.
 *
 * @param ctx - the command context (config file, --set)
 * @param flags - the named flags given
 * @param where - the command, for messages
 * @returns the resolved options, defaults applied
 * @throws InvalidOptionError / UsageError naming the key or flag (exit 2)
 * @example
 * const options = tradingOptions(ctx, { long: 10, funding: false }, "nmrblox backtest");
 */
export function tradingOptions(ctx: Context, flags: TradingFlags, where: string): ResolvedBacktestOptions {
  const sets = parseSets(ctx.sets, backtestOptions, where);
  const given = FLAG_PATHS.filter(([k]) => flags[k] !== undefined);
  const merged = layer(
    ctx.config.sections.backtest,
    sets,
    given.map(([k, path]) => [path, flags[k]]),
  );
  if (flags.fee !== undefined || flags.slippage !== undefined || flags.funding !== undefined) {
    merged.costs = adjustCosts((merged.costs as CostTermInput[] | undefined) ?? defaultCosts(), flags);
  }
  const paths = new Map(given.map(([, path, flag]) => [path, flag]));
  if (flags.fee !== undefined || flags.slippage !== undefined) paths.set("costs", flags.fee !== undefined ? "--fee" : "--slippage");
  return validateOptions(backtestOptions, merged, where, paths) as ResolvedBacktestOptions;
}

/** The cost list with --fee (replaces fee terms by one taker fee), --slippage (replaces fixed slippage) and --[no-]funding applied. */
function adjustCosts(costs: readonly CostTermInput[], flags: TradingFlags): CostTermInput[] {
  let out = [...costs];
  if (flags.fee !== undefined) out = [...out.filter((c) => c.type !== "takerFee" && c.type !== "makerTakerFee"), takerFee(flags.fee)];
  if (flags.slippage !== undefined) out = [...out.filter((c) => c.type !== "fixedSlippage"), fixedSlippage(flags.slippage)];
  if (flags.funding === false) out = out.filter((c) => c.type !== "funding");
  if (flags.funding === true && !out.some((c) => c.type === "funding")) out.push(funding());
  return out;
}

/** The frames of a backtest, read and checked. */
export interface TradingFrames {
  signals: NumerFrame;
  market: NumerFrame;
  universe: NumerFrame | undefined;
  /** How the universe was made. */
  universeSource: "file" | "instruments" | "none";
}

/**
 * Reads signals and market (and the universe, or instruments to build it from, point in time,
 * with the config file's `universe` and `mapping` sections as options).
 *
 * @param ctx - the command context
 * @param flags - the file flags
 * @returns the frames
 * @throws UsageError for missing files (exit 2); ContractError naming the file and column (exit 1)
 * @example
 * const { signals, market, universe } = await readTradingFrames(ctx, { signals: "s.csv", market: "m.parquet", instruments: "i.parquet" });
 */
export async function readTradingFrames(ctx: Context, flags: FrameFlags): Promise<TradingFrames> {
  const { reader, out } = ctx;
  if (flags.universe !== undefined && flags.instruments !== undefined) {
    ctx.out.warn("--universe is given: --instruments is only used to build a universe, so it is ignored");
  }
  // Check every path before reading any file, so a typo in the last flag fails at once.
  await reader.locate(flags.signals, "--signals");
  await reader.locate(flags.market, "--market");
  if (flags.universe !== undefined) await reader.locate(flags.universe, "--universe");
  else if (flags.instruments !== undefined) await reader.locate(flags.instruments, "--instruments");
  out.step(`reading ${flags.signals} and ${flags.market}`);
  const signals = await reader.read(flags.signals, "--signals", signalsContract);
  const market = await reader.read(flags.market, "--market", marketContract);
  let universe: NumerFrame | undefined;
  let universeSource: TradingFrames["universeSource"] = "none";
  if (flags.universe !== undefined) {
    universe = await reader.read(flags.universe, "--universe", universeContract);
    universeSource = "file";
  } else if (flags.instruments !== undefined) {
    const instruments = await reader.read(flags.instruments, "--instruments", instrumentsContract);
    reader.checkMapUsed();
    out.step(`building the tradable universe from ${instruments.numRows} instruments`);
    const { mapping } = mapSymbols(signals, instruments, (ctx.config.sections.mapping ?? {}) as object);
    universe = tradableUniverse({ signals, instruments, market, mapping }, (ctx.config.sections.universe ?? {}) as object);
    universeSource = "instruments";
  }
  reader.checkMapUsed();
  return { signals, market, universe, universeSource };
}
