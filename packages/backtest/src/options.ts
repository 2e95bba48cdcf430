import { costTerms, defaultCosts } from "@nmrblox/cost-model";
import { selectBasketsOptions, targetVolatilityOptions, trancheBookOptions } from "@nmrblox/portfolio";
import { z } from "zod";

/**
 * Portfolio options of a backtest: basket selection (long, short, weighting), tranche timing
 * and sizing (lagDays, holdDays, tranches, leverage), and risk limits (maxWeight,
 * targetVolatility). Defaults: 25 / 25, equal, lag 1, hold 30, 20 tranches, leverage 1.
 */
export const portfolioOptions = selectBasketsOptions.omit({ universe: true }).extend({
  ...trancheBookOptions.shape,
  targetVolatility: targetVolatilityOptions.optional(),
});
export type PortfolioOptions = z.input<typeof portfolioOptions>;

/**
 * Options of {@link runBacktest} other than the frames. `costs` is a list of cost terms from
 * `@nmrblox/cost-model` (default: taker 0.055 % + slippage 0.05 % per side + funding);
 * `netting` nets trades per symbol across tranches each day (default true).
 */
export const backtestOptions = z.object({
  portfolio: portfolioOptions.default(portfolioOptions.parse({})),
  costs: costTerms.default(defaultCosts()),
  netting: z.boolean().default(true),
});
export type BacktestOptions = z.input<typeof backtestOptions>;
export type ResolvedBacktestOptions = z.infer<typeof backtestOptions>;
