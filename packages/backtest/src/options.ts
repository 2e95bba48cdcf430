import { costTerms, defaultCosts } from "@nmrblox/cost-model";
import { NumerFrame } from "@nmrblox/numerframe";
import { rollingBetaOptions, selectBasketsOptions, targetVolatilityOptions, trancheBookOptions } from "@nmrblox/portfolio";
import { z } from "zod";

const { universe: _universe, neutralizers: _neutralizers, ...basketShape } = selectBasketsOptions.shape;

/**
 * The portfolio options that are `selectBaskets`'s (all of its options but the universe frame,
 * which is an input of the backtest, and the neutralizers frame, which `neutralizeBeta` builds
 * from the market): runBacktest forwards exactly these, so an option of selectBaskets is never
 * accepted here and then ignored.
 */
export const BASKET_OPTION_KEYS = Object.keys(basketShape) as ReadonlyArray<keyof typeof basketShape>;

/**
 * Portfolio options of a backtest: basket selection (long, short, weighting, optimizer), tranche
 * timing and sizing (lagDays, holdDays, tranches, leverage), and risk limits (maxWeight,
 * targetVolatility, neutralizeBeta). Defaults: 25 / 25, equal, lag 1, hold 30, 20 tranches,
 * leverage 1.
 */
export const portfolioOptions = z.strictObject({
  ...basketShape,
  ...trancheBookOptions.shape,
  targetVolatility: targetVolatilityOptions.optional(),
  /**
   * With weighting "optimized": make each basket neutral to its names' point-in-time beta to a
   * benchmark (`rollingBeta`: benchmark "BTC", windowDays 60, minDays 20 by default).
   */
  neutralizeBeta: rollingBetaOptions.optional(),
});
/** Portfolio options of a backtest as a caller writes them (defaults optional); see `portfolioOptions`. */
export type PortfolioOptions = z.input<typeof portfolioOptions>;

/**
 * Options of {@link runBacktest} other than the frames. `costs` is a list of cost terms from
 * `@nmrblox/cost-model` (default: taker 0.055 % + slippage 0.05 % per side + funding);
 * `netting` nets trades per symbol across tranches each day (default true).
 */
export const backtestOptions = z.strictObject({
  portfolio: portfolioOptions.default(portfolioOptions.parse({})),
  costs: costTerms.default(defaultCosts()),
  netting: z.boolean().default(true),
});
/** Backtest options as a caller writes them (defaults optional); see `backtestOptions`. */
export type BacktestOptions = z.input<typeof backtestOptions>;
/** Backtest options after parsing, every default filled in: what a result records. */
export type ResolvedBacktestOptions = z.infer<typeof backtestOptions>;

const frame = z.custom<NumerFrame>((v) => NumerFrame.isInstance(v), { message: "expected a NumerFrame" });

/** Everything {@link runBacktest} takes: the options and the frames, checked in one pass. */
export const backtestInput = backtestOptions.extend({
  signals: frame,
  market: frame,
  universe: frame.optional(),
  onProgress: z.custom<(done: number, total: number) => void>((v) => typeof v === "function", { message: "expected a function" }).optional(),
});
